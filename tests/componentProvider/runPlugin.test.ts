/**
 * The package as other languages use it: the real `@pulumi/pulumi/cmd/run-plugin` started as the engine
 * starts a source-based plugin (cwd = an empty consumer folder, no node_modules), driven over gRPC with
 * an in-test Engine and ResourceMonitor (tests/componentProvider/monitor.ts): GetSchema, and Construct of each
 * component from wire-encoded inputs — secrets, output values, unknowns in preview — asserting the
 * children registered (types, parents, providers), secret outputs and the validation error for bad input.
 */
import * as assert from "assert";
import * as fs from "fs";
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
import { UNKNOWN, isSecret, outputValue, secret, unwrap } from "./wire";
import { inferSchema } from "./schema";

const WORKSPACES = `${PKG}:index:MlopsWorkspaces`;
const PROJECT = `${PKG}:index:MlopsProject`;
const REGISTRY = `${PKG}:index:MlRegistry`;
const DBX_PROVIDER = "pulumi:providers:databricks";

/**
 * A secret inside an object as current SDKs send it for a component (an output value marked secret;
 * the engine keeps output values for Construct: pulumi/pulumi sdk/go/common/resource/plugin/
 * provider_plugin.go, Construct, `KeepOutputValues`).
 */
const secretOutput = (v: unknown) => outputValue(v, { secret: true });

/** MlopsWorkspaces inputs as a Python program would send them: link mode, credentials as secrets. */
function trioInputs(): Record<string, unknown> {
    return {
        dev: { host: HOSTS.dev },
        staging: {
            host: HOSTS.staging,
            workspaceId: "2000000000000002",
            authMethod: "client-secret",
            clientId: STAGING_APP,
            tenantId: TENANT,
            clientSecret: secretOutput("admin-secret"),
        },
        // The id comes from another resource of the consumer's program: an output value with its dependency.
        prod: {
            host: HOSTS.prod,
            workspaceId: outputValue("3000000000000003", { dependencies: [WORKSPACE_URN] }),
        },
        servicePrincipals: {
            mode: "link",
            staging: { clientId: STAGING_APP, aadToken: secretOutput("staging-sp-token") },
            prod: { clientId: PROD_APP, aadToken: secretOutput("prod-sp-token") },
        },
        additionalTokenUsageGroups: ["users"],
    };
}

describe("run-plugin over gRPC from an empty consumer folder", function () {
    this.timeout(180_000);
    const { engine, plugin, construct } = pluginOnTestEngine();

    it("starts from a folder with nothing in it", () => {
        assert.deepStrictEqual(fs.readdirSync(plugin().cwd), []);
    });

    it("GetSchema: the schema the analyzer infers, with exactly the three components", async () => {
        const schema = await getSchema(plugin().client);
        assert.deepStrictEqual(
            Object.keys(schema.resources).sort(),
            [REGISTRY, PROJECT, WORKSPACES].sort(),
        );
        assert.deepStrictEqual(schema, await inferSchema());
        // What the plugin's provider adds to the analyzer's schema reaches the engine (tests/componentProvider/schema.test.ts pins all of it).
        assert.strictEqual(
            schema.types[`${PKG}:index:WorkspaceConnection`].properties.clientSecret.secret,
            true,
        );
        assert.strictEqual(
            schema.types[`${PKG}:index:LinkedPrincipal`].properties.aadToken.secret,
            true,
        );
        assert.strictEqual(
            schema.resources[PROJECT].properties.stagingServicePrincipalAadToken.secret,
            true,
        );
        assert.strictEqual(
            schema.resources[WORKSPACES].properties.prodServicePrincipalOAuthSecret.secret,
            true,
        );
        assert.deepStrictEqual(schema.resources[WORKSPACES].required, [
            "prodServicePrincipalApplicationId",
            "stagingServicePrincipalApplicationId",
        ]);
    });

    it("Construct MlopsWorkspaces (update): providers from the connections, children parented and routed through them, outputs", async () => {
        engine.reset(false);
        const { urn, state } = await construct(WORKSPACES, "mlops", trioInputs());
        assert.strictEqual(urn, `urn:pulumi:dev::consumer::${WORKSPACES}::mlops`);
        const component = engine.one(WORKSPACES, "mlops");
        assert.deepStrictEqual(
            [component.custom, component.parent, component.inputs],
            [false, "", {}],
            "no inputs (secrets) recorded on the component",
        );

        const providers = Object.fromEntries(
            engine
                .byType(DBX_PROVIDER)
                .filter((p) => p.parent === urn)
                .map((p) => [p.name, p]),
        );
        assert.deepStrictEqual(Object.keys(providers).sort(), [
            "mlops-dev",
            "mlops-prod",
            "mlops-staging",
        ]);
        assert.deepStrictEqual(
            [providers["mlops-dev"].inputs.host, providers["mlops-dev"].inputs.authType],
            [HOSTS.dev, "azure-cli"],
        );
        const staging = providers["mlops-staging"].inputs;
        assert.deepStrictEqual(
            [
                staging.authType,
                staging.azureClientId,
                staging.azureTenantId,
                unwrap(staging.azureClientSecret),
            ],
            ["azure-client-secret", STAGING_APP, TENANT, "admin-secret"],
        );
        assert.ok(isSecret(staging.azureClientSecret), "the admin client secret stays a secret");

        const ref = (name: string) => `${providers[name].urn}::id-of-${name}`;
        const groups = engine.byType("databricks:index/group:Group");
        assert.deepStrictEqual(groups.map((g) => [g.name, g.provider]).sort(), [
            ["mlops-dev-sp-group", ref("mlops-dev")],
            ["mlops-prod-sp-group", ref("mlops-prod")],
            ["mlops-staging-sp-group", ref("mlops-staging")],
        ]);
        assert.ok(
            groups.every(
                (g) => g.parent === engine.urnOf(`${PKG}:index:ServicePrincipalGroup`, g.name, urn),
            ),
        );
        const scopes = engine.byType("databricks:index/secretScope:SecretScope");
        assert.deepStrictEqual(scopes.map((s) => [s.inputs.name, s.provider]).sort(), [
            ["remote-mr-prod", ref("mlops-dev")],
            ["remote-mr-prod", ref("mlops-staging")],
            ["remote-mr-staging", ref("mlops-dev")],
        ]);
        const tokenSecret = engine.one("databricks:index/secret:Secret", "mlops-dev-to-prod-token");
        assert.ok(
            isSecret(tokenSecret.inputs.stringValue),
            "the PAT in the secret scope is a secret",
        );
        const workspaceIdSecret = engine.one(
            "databricks:index/secret:Secret",
            "mlops-dev-to-prod-workspace-id",
        );
        assert.strictEqual(unwrap(workspaceIdSecret.inputs.stringValue), "3000000000000003");
        assert.ok(
            workspaceIdSecret.dependencies.includes(WORKSPACE_URN),
            "the output value's dependency reaches the child that uses it",
        );
        // Every custom child has an explicit provider: none falls back to a default provider configured from the consumer's stack.
        const customs = engine.registrations.filter(
            (r) =>
                r.custom &&
                !r.type.startsWith("pulumi:providers:") &&
                !r.type.startsWith("pulumi-nodejs:dynamic"),
        );
        assert.deepStrictEqual(
            customs.filter((r) => !r.provider),
            [],
        );

        assert.deepStrictEqual(
            Object.fromEntries(
                [
                    "stagingServicePrincipalApplicationId",
                    "prodServicePrincipalApplicationId",
                    "devSecretScopeNameForProd",
                    "servicePrincipalGroupName",
                ].map((k) => [k, unwrap(state[k])]),
            ),
            {
                stagingServicePrincipalApplicationId: STAGING_APP,
                prodServicePrincipalApplicationId: PROD_APP,
                devSecretScopeNameForProd: "remote-mr-prod",
                servicePrincipalGroupName: "mlops-service-principals",
            },
        );
        assert.ok(engine.outputs.has(urn), "registerOutputs reached the engine");
        // Dynamic resources run in the engine's Node.js dynamic-provider host from the consumer's folder, which
        // has no node_modules for a Python, Go, C# or YAML program (docs/multi-language.md). Since day 2 the
        // PAT rotation is a computed period number, not a clock: no dynamic resource at all.
        assert.deepStrictEqual(
            engine.registrations
                .filter((r) => r.type.startsWith("pulumi-nodejs:"))
                .map((r) => `${r.type} ${r.name}`),
            [],
        );
        const token = engine.one("databricks:index/token:Token", "mlops-prod-token-token");
        assert.match(
            String(unwrap(token.inputs.comment)),
            /period/,
            "the rotation period is in the token's comment",
        );
    });

    for (const [mode, servicePrincipals] of [
        [
            "link with client secrets",
            {
                mode: "link",
                staging: {
                    clientId: STAGING_APP,
                    tenantId: TENANT,
                    clientSecret: secretOutput("staging-sp-secret"),
                },
                prod: {
                    clientId: PROD_APP,
                    tenantId: TENANT,
                    clientSecret: secretOutput("prod-sp-secret"),
                },
            },
        ],
        ["create", { mode: "create", tenantId: TENANT }],
    ] as const) {
        it(`Construct MlopsWorkspaces (${mode}): no dynamic resource; the token providers act as the SPs with their client secrets`, async () => {
            engine.reset(false);
            engine.invokeHandlers.set("azuread:index/getClientConfig:getClientConfig", () => ({
                id: "deployer",
                objectId: "44444444-4444-4444-4444-444444444444",
                clientId: "c",
                tenantId: TENANT,
            }));
            await construct(WORKSPACES, "mlops", { ...trioInputs(), servicePrincipals });
            assert.deepStrictEqual(
                engine.registrations
                    .filter((r) => r.type.startsWith("pulumi-nodejs:"))
                    .map((r) => `${r.type} ${r.name}`),
                [],
                "nothing the engine would run from the consumer's folder",
            );
            for (const env of ["staging", "prod"]) {
                const p = engine.one(DBX_PROVIDER, `mlops-${env}-token-provider`).inputs;
                assert.strictEqual(p.authType, "azure-client-secret", `${env} token provider`);
                assert.ok(
                    isSecret(p.azureClientSecret),
                    `${env}: the SP's client secret stays a secret`,
                );
            }
        });
    }

    it("Construct MlopsWorkspaces (unity-catalog, federation): the account provider built from the account connection", async () => {
        engine.reset(false);
        engine.invokeHandlers.set(
            "databricks:index/getServicePrincipal:getServicePrincipal",
            (args) => ({
                id: "4000000000000042",
                scimId: "4000000000000042",
                applicationId: args.applicationId,
            }),
        );
        const { additionalTokenUsageGroups: _legacy, ...legacyFree } = trioInputs();
        void _legacy;
        const inputs = {
            ...legacyFree,
            dev: { host: HOSTS.dev, workspaceId: "1000000000000001" },
            modelRegistry: "unity-catalog",
            catalogs: {
                dev: { name: "ml_dev" },
                staging: { name: "ml_staging" },
                prod: { name: "ml_prod" },
            },
            cicdCredentials: {
                prod: {
                    method: "federation",
                    issuer: "https://token.actions.githubusercontent.com",
                    subject: "repo:contoso/mlops:environment:prod",
                },
            },
            account: {
                accountId: "00000000-0000-4000-8000-000000000001",
                authMethod: "client-secret",
                clientId: STAGING_APP,
                tenantId: TENANT,
                clientSecret: secretOutput("account-admin-secret"),
            },
        };
        const { urn } = await construct(WORKSPACES, "mlops", inputs);
        const account = engine.one(DBX_PROVIDER, "mlops-account");
        assert.deepStrictEqual(
            [
                account.parent,
                account.inputs.host,
                account.inputs.accountId,
                account.inputs.authType,
                isSecret(account.inputs.azureClientSecret),
            ],
            [
                urn,
                "https://accounts.azuredatabricks.net",
                "00000000-0000-4000-8000-000000000001",
                "azure-client-secret",
                true,
            ],
        );
        const policy = engine.one(
            "databricks:index/servicePrincipalFederationPolicy:ServicePrincipalFederationPolicy",
            "mlops-prod-cicd-federation",
        );
        assert.strictEqual(policy.provider.split("::")[3], "mlops-account");
        assert.deepStrictEqual(
            engine.registrations.filter((r) => r.type.startsWith("pulumi-nodejs:")),
            [],
        );
    });

    it("Construct MlopsWorkspaces (preview): unknown inputs and ids flow through; nothing fails", async () => {
        engine.reset(true);
        const inputs = trioInputs();
        (inputs.prod as Record<string, unknown>).workspaceId = outputValue(undefined);
        (inputs.staging as Record<string, unknown>).host = UNKNOWN;
        const { state } = await construct(WORKSPACES, "mlops", inputs, { dryRun: true });
        const host = engine.one("databricks:index/secret:Secret", "mlops-dev-to-staging-host");
        assert.strictEqual(unwrap(host.inputs.stringValue), UNKNOWN);
        assert.strictEqual(unwrap(engine.one(DBX_PROVIDER, "mlops-staging").inputs.host), UNKNOWN);
        assert.strictEqual(
            unwrap(state.devSecretScopeNameForProd),
            "remote-mr-prod",
            "plain outputs are known in preview",
        );
        assert.deepStrictEqual(
            engine.logs.filter((l) => l.severity >= 3),
            [],
        );
    });

    it("Construct MlopsWorkspaces with bad input: an InvalidArgument error naming each setting, before anything is registered", async () => {
        engine.reset(false);
        const inputs = trioInputs();
        inputs.servicePrincipals = { mode: "borrow" };
        (inputs.dev as Record<string, unknown>).host = "adb-1.azuredatabricks.net";
        delete (inputs.staging as Record<string, unknown>).clientSecret;
        await assert.rejects(construct(WORKSPACES, "mlops", inputs), (e: any) => {
            assert.strictEqual(e.code, 3, "INVALID_ARGUMENT");
            assert.match(
                e.details,
                /Invalid arguments for azure-databricks-mlops:index:MlopsWorkspaces "mlops"/,
            );
            assert.match(e.details, /dev\.host/);
            assert.match(
                e.details,
                /staging\.clientSecret: is required with authMethod client-secret/,
            );
            assert.match(e.details, /servicePrincipals\.mode: must be "link" or "create"/);
            assert.doesNotMatch(e.details, /admin-secret/);
            return true;
        });
        assert.deepStrictEqual(engine.registrations, []);
    });

    it("a plain secret inside an object (older SDKs) is refused with what to send instead, before anything is registered", async () => {
        engine.reset(false);
        const inputs = trioInputs();
        (inputs.staging as Record<string, unknown>).clientSecret = secret("admin-secret");
        await assert.rejects(construct(WORKSPACES, "mlops", inputs), (e: any) => {
            assert.strictEqual(e.code, 3);
            assert.match(
                e.details,
                /- staging: arrived as one value known only at deployment .*pulumi\.Output\.secret in Python/,
            );
            assert.doesNotMatch(e.details, /toJSON|admin-secret/);
            return true;
        });
        assert.deepStrictEqual(engine.registrations, []);
    });

    it("Construct MlopsProject: providers per workspace, group lookups through them, AAD tokens as secret outputs", async () => {
        engine.reset(false);
        engine.invokeHandlers.set("databricks:index/getGroup:getGroup", (args, provider) => ({
            id: `group-${args.displayName}@${provider.includes("staging") ? "staging" : "prod"}`,
            displayName: args.displayName,
        }));
        const { urn, state } = await construct(
            PROJECT,
            "churn",
            churnProjectInputs({
                staging: {
                    host: HOSTS.staging,
                    authMethod: "aad-token",
                    aadToken: secretOutput("admin-token"),
                },
                servicePrincipals: {
                    mode: "link",
                    staging: {
                        clientId: STAGING_APP,
                        aadToken: secretOutput("churn-staging-token"),
                    },
                    prod: { clientId: PROD_APP, aadToken: secretOutput("churn-prod-token") },
                },
            }),
        );
        assert.strictEqual(urn, `urn:pulumi:dev::consumer::${PROJECT}::churn`);
        const staging = engine.one(DBX_PROVIDER, "churn-staging");
        assert.strictEqual(staging.parent, urn);
        assert.ok(isSecret(staging.inputs.token));
        const dirs = engine.byType("databricks:index/directory:Directory");
        assert.deepStrictEqual(
            dirs.map((d) => [d.name, d.inputs.path, d.provider.split("::")[3], d.parent]).sort(),
            [
                ["churn-prod-directory", "/Projects/churn", "churn-prod", urn],
                ["churn-staging-directory", "/Projects/churn", "churn-staging", urn],
            ],
        );
        const lookups = engine.invokes.filter(
            (i) => i.tok === "databricks:index/getGroup:getGroup",
        );
        assert.deepStrictEqual(lookups.map((l) => l.provider.split("::")[3]).sort(), [
            "churn-prod",
            "churn-staging",
        ]);
        assert.strictEqual(
            unwrap(
                engine.one("databricks:index/groupMember:GroupMember", "churn-prod-group-member")
                    .inputs.groupId,
            ),
            "group-mlops-service-principals@prod",
        );
        assert.strictEqual(unwrap(state.projectDirectoryPath), "/Projects/churn");
        for (const k of ["stagingServicePrincipalAadToken", "prodServicePrincipalAadToken"])
            assert.ok(isSecret(state[k]), `${k} is a secret output`);
        assert.strictEqual(unwrap(state.prodServicePrincipalAadToken), "churn-prod-token");
        assert.deepStrictEqual(
            engine
                .byType("pulumi-nodejs:dynamic:Resource")
                .concat(engine.registrations.filter((r) => r.type.startsWith("pulumi-nodejs:"))),
            [],
            "given AAD tokens: no dynamic resource",
        );
    });

    it("Construct MlopsProject with client secrets: an AadToken per SP by default; none with mintAadTokens false (what other languages set)", async () => {
        const run = async (mintAadTokens?: boolean) => {
            engine.reset(false);
            engine.invokeHandlers.set("databricks:index/getGroup:getGroup", (args) => ({
                id: `group-${args.displayName}`,
                displayName: args.displayName,
            }));
            const { state } = await construct(
                PROJECT,
                "churn",
                churnProjectInputs({
                    servicePrincipals: {
                        mode: "link",
                        staging: {
                            clientId: STAGING_APP,
                            tenantId: TENANT,
                            clientSecret: secretOutput("s1"),
                        },
                        prod: {
                            clientId: PROD_APP,
                            tenantId: TENANT,
                            clientSecret: secretOutput("s2"),
                        },
                    },
                    ...(mintAadTokens === undefined ? {} : { mintAadTokens }),
                }),
            );
            return {
                state,
                dynamic: engine.registrations
                    .filter((r) => r.type.startsWith("pulumi-nodejs:"))
                    .map((r) => r.name)
                    .sort(),
            };
        };
        // The default keeps 0.1's resources (and URNs) for TypeScript programs; from Python, Go, C# or YAML
        // these would run in the consumer's folder and fail (docs/multi-language.md).
        assert.deepStrictEqual((await run()).dynamic, [
            "churn-prod-aad-token",
            "churn-staging-aad-token",
        ]);
        const off = await run(false);
        assert.deepStrictEqual(off.dynamic, []);
        assert.deepStrictEqual(
            [off.state.stagingServicePrincipalAadToken, off.state.prodServicePrincipalAadToken],
            [undefined, undefined],
            "no AAD token outputs without minting",
        );
        assert.strictEqual(unwrap(off.state.projectDirectoryPath), "/Projects/churn");
    });

    it("Construct MlRegistry: the registry's resources and its outputs; a bad purpose is refused by name", async () => {
        engine.reset(false);
        const sub = "00000000-1111-2222-3333-444444444444";
        engine.invokeHandlers.set("azure-native:authorization:getClientConfig", () => ({
            subscriptionId: sub,
            tenantId: TENANT,
            clientId: "c",
            objectId: "o",
        }));
        const inputs = {
            purpose: "shared",
            location: "eastus2",
            locationCode: "eus2",
            suffix: "x7k2",
            subnetId: `/subscriptions/${sub}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe`,
            privateDnsZoneId: `/subscriptions/${sub}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms`,
            blobPrivateDnsZoneId: `/subscriptions/${sub}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net`,
            acrPrivateDnsZoneId: `/subscriptions/${sub}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io`,
            roleAssignments: [
                {
                    principalId: outputValue("aaaaaaaa-bbbb-cccc-dddd-00000000000b"),
                    principalType: "ServicePrincipal",
                    role: "Reader",
                    key: "pipeline",
                },
            ],
            userObjectId: "aaaaaaaa-bbbb-cccc-dddd-000000000001",
            userPrincipalType: "Group",
            computeIdentities: { gpu: outputValue("aaaaaaaa-bbbb-cccc-dddd-00000000000a") },
        };
        const { urn, state } = await construct(REGISTRY, "ml-registry", inputs);
        const registry = engine.one(
            "azure-native:machinelearningservices:Registry",
            "ml-registry-registry",
        );
        assert.deepStrictEqual(
            [registry.parent, registry.inputs.registryName, registry.inputs.publicNetworkAccess],
            [urn, "amlrsharedeus2x7k2", "Disabled"],
        );
        const roles = engine.byType("azure-native:authorization:RoleAssignment");
        assert.deepStrictEqual(roles.map((r) => [r.name, unwrap(r.inputs.principalType)]).sort(), [
            ["ml-registry-compute-gpu-registry-user", "ServicePrincipal"],
            ["ml-registry-role-pipeline", "ServicePrincipal"],
            ["ml-registry-user-ai-developer", "Group"],
            ["ml-registry-user-registry-user", "Group"],
        ]);
        assert.strictEqual(unwrap(state.registryName), "amlrsharedeus2x7k2");
        assert.strictEqual(
            unwrap(state.registryIdentityPrincipalId),
            "principal-of-ml-registry-registry",
        );
        // The managed storage endpoints by region; the endpoint to the registry's one ACR by the ACR's name.
        assert.deepStrictEqual(Object.keys(unwrap(state.storagePrivateEndpointIds) as object), [
            "eastus2",
        ]);
        assert.deepStrictEqual(
            Object.keys(unwrap(state.acrPrivateEndpointIds) as object),
            ["acramlrsharedeus2x7k2eastus2"],
            "the one ACR, by name",
        );

        engine.reset(false);
        await assert.rejects(
            construct(REGISTRY, "ml-registry", { ...inputs, purpose: "Shared Models" }),
            (e: any) => e.code === 3 && /purpose/.test(e.details),
        );
        assert.deepStrictEqual(engine.registrations, []);
    });
});
