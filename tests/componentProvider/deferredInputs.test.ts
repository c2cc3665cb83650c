/**
 * Bad inputs that arrive as output values (what Python, Go and YAML send for `zone.id`, a workspace's
 * id and the like), through the real run-plugin over gRPC: Construct refuses each at once with
 * InvalidArgument naming the property, before anything is registered — never after a child fails,
 * never with the value written into a resource, never hanging.
 */
import * as assert from "assert";
import {
    churnProjectInputs,
    HOSTS,
    PKG,
    PROD_APP,
    STAGING_APP,
    TENANT,
    WORKSPACE_URN,
} from "./fixtures";
import { getSchema, pluginOnTestEngine } from "./pluginProcess";
import { outputValue, secret } from "./wire";

const SUB = "00000000-1111-2222-3333-444444444444";
const zone = (name: string) =>
    `/subscriptions/${SUB}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/${name}`;

const trioInputs = (): Record<string, any> => ({
    dev: { host: HOSTS.dev },
    staging: { host: HOSTS.staging, workspaceId: "2000000000000002" },
    prod: {
        host: HOSTS.prod,
        workspaceId: outputValue("3000000000000003", { dependencies: [WORKSPACE_URN] }),
    },
    servicePrincipals: {
        mode: "link",
        staging: {
            clientId: STAGING_APP,
            aadToken: outputValue("staging-sp-token", { secret: true }),
        },
        prod: { clientId: PROD_APP, aadToken: outputValue("prod-sp-token", { secret: true }) },
    },
});

const projectInputs = () =>
    churnProjectInputs({
        servicePrincipals: {
            mode: "link",
            staging: { clientId: STAGING_APP, aadToken: outputValue("t1", { secret: true }) },
            prod: { clientId: PROD_APP, aadToken: outputValue("t2", { secret: true }) },
        },
        mintAadTokens: false,
    });

const registryInputs = (): Record<string, any> => ({
    purpose: "shared",
    location: "eastus2",
    locationCode: "eus2",
    suffix: "x7k2",
    subnetId: outputValue(
        `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe`,
    ),
    privateDnsZoneId: outputValue(zone("privatelink.api.azureml.ms")),
    blobPrivateDnsZoneId: outputValue(zone("privatelink.blob.core.windows.net")),
    acrPrivateDnsZoneId: outputValue(zone("privatelink.azurecr.io")),
});

describe("run-plugin: bad inputs sent as output values are refused at once", function () {
    this.timeout(180_000);
    const { engine, plugin, construct } = pluginOnTestEngine();

    before(async () => {
        // The first GetSchema (the analyzer, tens of seconds on a busy machine) also runs before the first
        // Construct that gets past the input checks: done here, so the tests time Construct alone.
        await getSchema(plugin().client);
    });
    beforeEach(() => {
        engine.reset(false);
        engine.invokeHandlers.set("azure-native:authorization:getClientConfig", () => ({
            subscriptionId: SUB,
            tenantId: TENANT,
            clientId: "c",
            objectId: "o",
        }));
        engine.invokeHandlers.set("databricks:index/getGroup:getGroup", (args) => ({
            id: `group-${args.displayName}`,
            displayName: args.displayName,
        }));
    });

    /** Construct, timed; resolves the gRPC error (or fails the test if Construct succeeded). */
    async function refused(
        type: string,
        inputs: Record<string, unknown>,
    ): Promise<{ error: any; ms: number }> {
        const started = Date.now();
        const error = await construct(`${PKG}:index:${type}`, "x", inputs).then(
            () => assert.fail(`Construct of ${type} succeeded`),
            (e) => e,
        );
        return { error, ms: Date.now() - started };
    }

    function assertInvalid(
        r: { error: any; ms: number },
        type: string,
        ...properties: RegExp[]
    ): void {
        assert.strictEqual(
            r.error.code,
            3,
            `INVALID_ARGUMENT, got ${r.error.code}: ${r.error.details}`,
        );
        assert.ok(r.ms < 2_000, `refused in ${r.ms} ms`);
        assert.match(r.error.details, new RegExp(`Invalid arguments for ${PKG}:index:${type} "x"`));
        for (const p of properties) assert.match(r.error.details, p);
        assert.deepStrictEqual(
            engine.registrations.map((x) => `${x.type} ${x.name}`),
            [],
            "nothing registered",
        );
    }

    it("MlopsWorkspaces: a non-numeric prod.workspaceId and a malformed client id, as outputs", async () => {
        const inputs = trioInputs();
        inputs.prod.workspaceId = outputValue("prod-ws", { dependencies: [WORKSPACE_URN] });
        inputs.servicePrincipals.staging.clientId = outputValue("staging-app");
        const r = await refused("MlopsWorkspaces", inputs);
        assertInvalid(
            r,
            "MlopsWorkspaces",
            /- prod\.workspaceId: must be a numeric workspace id like "1234567890123456" \(a string of digits\), got "prod-ws"/,
            /- servicePrincipals\.staging\.clientId: must be a GUID/,
        );
        assert.doesNotMatch(r.error.details, /staging-sp-token/);
    });

    it("MlopsWorkspaces: a host and a rotation period as outputs, checked with the plain settings they depend on", async () => {
        const inputs = {
            ...trioInputs(),
            dev: { host: outputValue("http://adb-1.azuredatabricks.net") },
            tokenLifetimeSeconds: 864_000,
            tokenRotationDays: outputValue(30),
        };
        const r = await refused("MlopsWorkspaces", inputs);
        assertInvalid(
            r,
            "MlopsWorkspaces",
            /- dev\.host: must be an https:\/\//,
            /- tokenRotationDays: must be less than the token lifetime \(10 days/,
        );
    });

    it("MlopsWorkspaces (unity-catalog): a catalog name as an output", async () => {
        const inputs = {
            ...trioInputs(),
            dev: { host: HOSTS.dev, workspaceId: "1000000000000001" },
            modelRegistry: "unity-catalog",
            catalogs: {
                dev: { name: outputValue("ml dev") },
                staging: { name: "ml_staging" },
                prod: { name: "ml_prod" },
            },
        };
        assertInvalid(
            await refused("MlopsWorkspaces", inputs),
            "MlopsWorkspaces",
            /- catalogs\.dev\.name: /,
        );
    });

    it("MlopsProject: a relative directory path and a padded SP name, as outputs", async () => {
        const inputs = {
            ...projectInputs(),
            projectDirectoryPath: outputValue("Projects/churn"),
            servicePrincipalName: outputValue(" churn ", { secret: true }),
        };
        assertInvalid(
            await refused("MlopsProject", inputs),
            "MlopsProject",
            /- projectDirectoryPath: must be absolute/,
            /- servicePrincipalName: must not start or end with whitespace/,
        );
    });

    it("MlRegistry: a malformed blobPrivateDnsZoneId and a wrong-zone acrPrivateDnsZoneId, as outputs", async () => {
        const inputs = {
            ...registryInputs(),
            blobPrivateDnsZoneId: outputValue("privatelink.blob.core.windows.net"),
            acrPrivateDnsZoneId: outputValue(zone("privatelink.blob.core.windows.net")),
        };
        assertInvalid(
            await refused("MlRegistry", inputs),
            "MlRegistry",
            /- blobPrivateDnsZoneId: must be a private DNS zone resource id/,
            /- acrPrivateDnsZoneId: must be the id of the privatelink\.azurecr\.io zone/,
        );
    });

    it("MlRegistry: principal ids of role assignments and compute identities, as outputs", async () => {
        const inputs = {
            ...registryInputs(),
            roleAssignments: [
                {
                    principalId: outputValue("pipeline-sp"),
                    principalType: "ServicePrincipal",
                    role: "Reader",
                    key: "pipeline",
                },
            ],
            computeIdentities: { gpu: outputValue("not-a-guid") },
            userAssignedIdentityIds: [outputValue("/subscriptions/x/identity")],
        };
        assertInvalid(
            await refused("MlRegistry", inputs),
            "MlRegistry",
            /- roleAssignments\[0\]\.principalId: must be a GUID/,
            /- computeIdentities\.gpu: must be a GUID/,
            /- userAssignedIdentityIds\[0\]: /,
        );
    });

    it("the same inputs with good values construct (the checks resolve the outputs, they do not drop them)", async () => {
        const { state } = await construct(`${PKG}:index:MlRegistry`, "x", registryInputs());
        const groups = engine
            .byType("azure-native:network:PrivateDnsZoneGroup")
            .map((g) => g.inputs.privateDnsZoneConfigs[0].privateDnsZoneId);
        assert.deepStrictEqual(
            groups.map((g: any) => g?.value ?? g).sort(),
            [
                zone("privatelink.api.azureml.ms"),
                zone("privatelink.azurecr.io"),
                zone("privatelink.blob.core.windows.net"),
            ].sort(),
        );
        assert.ok(state.registryName);
        engine.reset(false);
        const trio = await construct(`${PKG}:index:MlopsWorkspaces`, "x", trioInputs());
        const id = engine.one("databricks:index/secret:Secret", "x-dev-to-prod-workspace-id");
        assert.strictEqual(
            id.inputs.stringValue?.value ?? id.inputs.stringValue,
            "3000000000000003",
        );
        assert.ok(id.dependencies.includes(WORKSPACE_URN));
        assert.ok(trio.state.devSecretScopeNameForProd);
    });

    it("a plain secret wrapping an output value's object is still refused with advice (old SDKs)", async () => {
        const inputs = trioInputs();
        inputs.staging = secret({ host: HOSTS.staging, workspaceId: "2000000000000002" });
        const r = await refused("MlopsWorkspaces", inputs);
        assert.strictEqual(r.error.code, 3);
        assert.match(r.error.details, /- staging: arrived as one value known only at deployment/);
    });

    it("MlRegistry whose region reports no storage account id: Construct answers (does not hang) with what is missing", async () => {
        engine.stateEdits.set("azure-native:machinelearningservices:Registry", (state) => {
            for (const region of state.regionDetails)
                delete region.storageAccountDetails[0].systemCreatedStorageAccount.armResourceId;
        });
        await assert.rejects(
            construct(`${PKG}:index:MlRegistry`, "x", registryInputs()),
            (e: any) => {
                assert.match(
                    e.details,
                    /the registry reports no storage account id for region eastus2/,
                );
                return true;
            },
        );
    });
});
