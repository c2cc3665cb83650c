import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, Problems } from "../../config/problems";
import { readMlRegistry } from "../../config/mlRegistry";
import { loadStackConfig } from "../../config";
import { mocks } from "../mocks";
import { SUB, validSettings } from "./fixtures";

const NS = "azure-databricks-mlops";

/** Runs `fn` with this stack config (values as YAML would give them), then restores the previous one. */
function withConfig<T>(values: Record<string, unknown>, fn: (c: pulumi.Config) => T): T {
    const saved = pulumi.runtime.allConfig();
    const raw: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) raw[`${NS}:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
    pulumi.runtime.setAllConfig(raw, []);
    try {
        return fn(new pulumi.Config(NS));
    } finally {
        pulumi.runtime.setAllConfig(saved, []);
    }
}

/** withConfig for an async program (the root program runs after mocks.run's first await). */
async function withConfigAsync<T>(values: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
    const saved = pulumi.runtime.allConfig();
    const raw: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) raw[`${NS}:${k}`] = JSON.stringify(v);
    pulumi.runtime.setAllConfig(raw, []);
    try {
        return await fn();
    } finally {
        pulumi.runtime.setAllConfig(saved, []);
    }
}

function read(values: Record<string, unknown>) {
    return withConfig(values, (c) => {
        const problems = new Problems();
        return { section: readMlRegistry(c, problems), problems: problems.items };
    });
}

describe("mlRegistry: stack config", () => {
    it("reads nothing and complains about nothing when mlRegistry is not set", () => {
        assert.deepStrictEqual(read({}), { section: undefined, problems: [] });
    });

    it("reads a valid section as the component's args", () => {
        const { section, problems } = read({ mlRegistry: { ...validSettings, logRetentionDays: 60, deleteLock: true } });
        assert.deepStrictEqual(problems, []);
        assert.deepStrictEqual(section, { ...validSettings, logRetentionDays: 60, deleteLock: true });
    });

    it("names every problem by its full config key, with the component's rules", () => {
        const { section, problems } = read({
            mlRegistry: { ...validSettings, subnetId: "snet-pe", computeIdentityPrincipalIds: ["nope"], names: { registry: "x" }, retention: 30 },
        });
        assert.strictEqual(section, undefined);
        assert.deepStrictEqual(problems.map((p) => p.key).sort(), [
            `${NS}:mlRegistry.computeIdentityPrincipalIds[0]`,
            `${NS}:mlRegistry.names.registry`,
            `${NS}:mlRegistry.retention`,
            `${NS}:mlRegistry.subnetId`,
        ]);
        assert.match(problems.find((p) => p.key.endsWith("names.registry"))!.reason, /registry name "x" \(1 character\); a registry name must be 3 to 32/);
    });

    it("rejects a section that is not an object", () => {
        const { problems } = read({ mlRegistry: ["eastus2"] });
        assert.deepStrictEqual(problems.map((p) => p.key), [`${NS}:mlRegistry`]);
        assert.match(problems[0].reason, /must be an object with purpose, location/);
    });

    it("makes loadStackConfig fail with one ConfigError naming the key", () => {
        withConfig({ mlRegistry: { ...validSettings, privateDnsZoneId: "privatelink.api.azureml.ms" } }, (c) => {
            assert.throws(() => loadStackConfig(c), (err: Error) => {
                assert.ok(err instanceof ConfigError);
                assert.match(err.message, /azure-databricks-mlops:mlRegistry\.privateDnsZoneId: must be a private DNS zone resource id/);
                return true;
            });
        });
    });

    it("root program: mlRegistry config gives one MlRegistry and its outputs as the mlRegistry stack output", async () => {
        mocks.reset();
        mocks.onCall("azure-native:authorization:getClientConfig", () => ({ subscriptionId: SUB, tenantId: "t", clientId: "c", objectId: "o" }));
        const outputs = await withConfigAsync({ mlRegistry: validSettings }, () =>
            mocks.run(() => {
                const file = require.resolve("../../index");
                delete require.cache[file];
                return require(file);
            }),
        );
        const component = mocks.one("azure-databricks-mlops:index:MlRegistry");
        assert.strictEqual(component.name, "ml-registry");
        assert.strictEqual(mocks.one("azure-native:machinelearningservices:Registry").inputs.registryName, "amlrsharedeus2x7k2");
        assert.deepStrictEqual(outputs.mlRegistry, {
            registryName: "amlrsharedeus2x7k2",
            registryId: "mocked::azure-native:machinelearningservices:Registry::ml-registry-registry",
            resourceGroupName: "rg-aml-reg-shared-eus2",
            logAnalyticsWorkspaceName: "lawsharedeus2x7k2",
            registryIdentityPrincipalId: "principal-id-of-ml-registry-registry",
            privateEndpointId: "mocked::azure-native:network:PrivateEndpoint::ml-registry-endpoint",
        });
    });

    it("root program: no mlRegistry config, no registry and no output", async () => {
        mocks.reset();
        const outputs = await withConfigAsync({}, () =>
            mocks.run(() => {
                const file = require.resolve("../../index");
                delete require.cache[file];
                return require(file);
            }),
        );
        assert.deepStrictEqual(mocks.byType("azure-databricks-mlops:index:MlRegistry"), []);
        assert.strictEqual(outputs.mlRegistry, undefined);
    });

    it("Pulumi.yaml leaves mlRegistry undeclared (a declared key without default is required in every stack); Pulumi.dev.yaml's example is valid", () => {
        const root = path.resolve(__dirname, "../../..");
        const project = yaml.load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { config: Record<string, unknown> };
        assert.strictEqual(project.config[`${NS}:mlRegistry`], undefined);
        assert.strictEqual(project.config.mlRegistry, undefined);
        const dev = yaml.load(fs.readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
        const { section, problems } = read({ mlRegistry: dev.config[`${NS}:mlRegistry`] });
        assert.deepStrictEqual(problems, []);
        assert.strictEqual(section?.purpose, "shared");
    });
});
