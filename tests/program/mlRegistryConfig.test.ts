import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { ConfigError, Problems } from "../../core/problems";
import { readMlRegistry } from "../../program/config/mlRegistry";
import { loadStackConfig } from "../../program/config";
import { MOCK_SUBSCRIPTION, mocks } from "../support/mocks";
import { NS, runRootProgram, withConfig } from "./workspacesConfigFixtures";
import { SUB, validSettings } from "../mlRegistry/fixtures";

function read(values: Record<string, unknown>) {
    return withConfig(values, [], (c) => {
        const problems = new Problems();
        return { section: readMlRegistry(c, problems), problems: problems.items };
    });
}

describe("mlRegistry: stack config", () => {
    it("reads nothing and complains about nothing when mlRegistry is not set", () => {
        assert.deepStrictEqual(read({}), { section: undefined, problems: [] });
    });

    it("reads a valid section as the component's args", () => {
        const { section, problems } = read({
            mlRegistry: { ...validSettings, logRetentionDays: 60, deleteLock: true },
        });
        assert.deepStrictEqual(problems, []);
        assert.deepStrictEqual(section, {
            ...validSettings,
            logRetentionDays: 60,
            deleteLock: true,
        });
    });

    it("names every problem by its full config key, with the component's rules", () => {
        const { section, problems } = read({
            mlRegistry: {
                ...validSettings,
                subnetId: "snet-pe",
                computeIdentityPrincipalIds: ["nope"],
                names: { registry: "x" },
                retention: 30,
            },
        });
        assert.strictEqual(section, undefined);
        assert.deepStrictEqual(problems.map((p) => p.key).sort(), [
            `${NS}:mlRegistry.computeIdentityPrincipalIds[0]`,
            `${NS}:mlRegistry.names.registry`,
            `${NS}:mlRegistry.retention`,
            `${NS}:mlRegistry.subnetId`,
        ]);
        assert.match(
            problems.find((p) => p.key.endsWith("names.registry"))!.reason,
            /registry name "x" \(1 character\); a registry name must be 3 to 32/,
        );
    });

    it("reads the private-network, identity, role and storage options, and names their problems by full key", () => {
        const options = {
            userAssignedIdentityIds: [
                `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-reg`,
            ],
            roleAssignments: [
                {
                    principalId: "aaaaaaaa-bbbb-cccc-dddd-0000000000d1",
                    principalType: "Group",
                    role: "AzureML Data Scientist",
                },
            ],
            storageAccountType: "Standard_ZRS",
            acrSku: "Premium",
        };
        const good = read({ mlRegistry: { ...validSettings, ...options } });
        assert.deepStrictEqual(good, { section: { ...validSettings, ...options }, problems: [] });
        const { section, problems } = read({
            mlRegistry: {
                ...validSettings,
                acrPrivateDnsZoneId: undefined,
                roleAssignments: [{ principalId: "x", principalType: "Group", role: "Reader" }],
            },
        });
        assert.strictEqual(section, undefined);
        assert.deepStrictEqual(problems.map((p) => p.key).sort(), [
            `${NS}:mlRegistry.acrPrivateDnsZoneId`,
            `${NS}:mlRegistry.roleAssignments[0].principalId`,
        ]);
    });

    it("rejects a section that is not an object", () => {
        const { problems } = read({ mlRegistry: ["eastus2"] });
        assert.deepStrictEqual(
            problems.map((p) => p.key),
            [`${NS}:mlRegistry`],
        );
        assert.match(problems[0].reason, /must be an object with purpose, location/);
    });

    it("makes loadStackConfig fail with one ConfigError naming the key", () => {
        withConfig(
            { mlRegistry: { ...validSettings, privateDnsZoneId: "privatelink.api.azureml.ms" } },
            [],
            (c) => {
                assert.throws(
                    () => loadStackConfig(c),
                    (err: Error) => {
                        assert.ok(err instanceof ConfigError);
                        assert.match(
                            err.message,
                            /azure-databricks-mlops:mlRegistry\.privateDnsZoneId: must be a private DNS zone resource id/,
                        );
                        return true;
                    },
                );
            },
        );
    });

    it("root program: mlRegistry config gives one MlRegistry and its outputs as the mlRegistry stack output", async () => {
        mocks.onCall("azure-native:authorization:getClientConfig", () => ({
            subscriptionId: SUB,
            tenantId: "t",
            clientId: "c",
            objectId: "o",
        }));
        const { outputs } = await runRootProgram({ mlRegistry: validSettings }, []);
        const component = mocks.one("azure-databricks-mlops:index:MlRegistry");
        assert.strictEqual(component.name, "ml-registry");
        assert.strictEqual(
            mocks.one("azure-native:machinelearningservices:Registry").inputs.registryName,
            "amlrsharedeus2x7k2",
        );
        assert.deepStrictEqual(outputs.mlRegistry, {
            registryName: "amlrsharedeus2x7k2",
            registryId:
                "mocked::azure-native:machinelearningservices:Registry::ml-registry-registry",
            resourceGroupName: "rg-aml-reg-shared-eus2",
            logAnalyticsWorkspaceName: "lawsharedeus2x7k2",
            registryIdentityPrincipalId: "principal-id-of-ml-registry-registry",
            privateEndpointId: "mocked::azure-native:network:PrivateEndpoint::ml-registry-endpoint",
            discoveryUrl:
                "https://eastus2.api.azureml.ms/registrymanagement/v1.0/registries/amlrsharedeus2x7k2/discovery",
            mlflowRegistryUri: `azureml://eastus2.api.azureml.ms/mlflow/v1.0/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/rg-aml-reg-shared-eus2/providers/Microsoft.MachineLearningServices/registries/amlrsharedeus2x7k2`,
            storagePrivateEndpointIds: {
                eastus2: "mocked::azure-native:network:PrivateEndpoint::ml-registry-blob-endpoint",
            },
            acrPrivateEndpointIds: {
                acramlrsharedeus2x7k2eastus2:
                    "mocked::azure-native:network:PrivateEndpoint::ml-registry-acr-endpoint",
            },
        });
    });

    it("root program: no mlRegistry config, no registry and no output", async () => {
        const { outputs } = await runRootProgram({}, []);
        assert.deepStrictEqual(mocks.byType("azure-databricks-mlops:index:MlRegistry"), []);
        assert.strictEqual(outputs.mlRegistry, undefined);
    });

    it("Pulumi.yaml leaves mlRegistry undeclared (a declared key without default is required in every stack); Pulumi.dev.yaml's example is valid", () => {
        const root = path.resolve(__dirname, "../../..");
        const project = yaml.load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as {
            config: Record<string, unknown>;
        };
        assert.strictEqual(project.config[`${NS}:mlRegistry`], undefined);
        assert.strictEqual(project.config.mlRegistry, undefined);
        const dev = yaml.load(fs.readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8")) as {
            config: Record<string, unknown>;
        };
        const { section, problems } = read({ mlRegistry: dev.config[`${NS}:mlRegistry`] });
        assert.deepStrictEqual(problems, []);
        assert.strictEqual(section?.purpose, "shared");
    });
});
