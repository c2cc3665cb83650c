import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { mocks, settle, RecordedResource } from "../support/mocks";
import { MlopsWorkspaces } from "../../workspaces/mlopsWorkspaces";
import { rotationPeriod } from "../../principals/rotationPeriod";
import {
    createArgs,
    HOSTS,
    linkArgs,
    outputsOf,
    PROD_CLIENT,
    STAGING_CLIENT,
    TENANT,
} from "./fixtures";

const T = {
    group: "databricks:index/group:Group",
    perms: "databricks:index/permissions:Permissions",
    sp: "databricks:index/servicePrincipal:ServicePrincipal",
    member: "databricks:index/groupMember:GroupMember",
    token: "databricks:index/token:Token",
    provider: "pulumi:providers:databricks",
    scope: "databricks:index/secretScope:SecretScope",
    secret: "databricks:index/secret:Secret",
    acl: "databricks:index/secretAcl:SecretAcl",
    aad: "pulumi-nodejs:dynamic/aad:Token",
};
const idOf = (type: string, name: string) => `mocked::${type}::${name}`;
const dependsOnNames = (r: RecordedResource) =>
    ((r.opts.dependsOn ?? []) as (pulumi.Resource & { __name?: string })[])
        .map((d) => d.__name)
        .sort();

let outs: Record<string, any>;
let w: MlopsWorkspaces;

async function build(args = linkArgs()) {
    mocks.reset();
    outs = await mocks.run(() => {
        w = new MlopsWorkspaces("mlops", args);
        return outputsOf(w);
    });
}

describe("MlopsWorkspaces (link mode)", () => {
    before(() => build());

    it("exports the Terraform modules' outputs in camelCase", () => {
        assert.deepStrictEqual(outs, {
            devSecretScopeNameForStaging: "remote-mr-staging",
            devSecretScopeNameForProd: "remote-mr-prod",
            stagingSecretScopeNameForProd: "remote-mr-prod",
            devSecretScopePrefixForStaging: "staging",
            devSecretScopePrefixForProd: "prod",
            stagingSecretScopePrefixForProd: "prod",
            servicePrincipalGroupName: "mlops-service-principals",
            stagingServicePrincipalApplicationId: STAGING_CLIENT,
            prodServicePrincipalApplicationId: PROD_CLIENT,
        });
    });

    it("creates the SP group in each workspace, through that workspace's provider", () => {
        for (const env of ["dev", "staging", "prod"]) {
            const g = mocks.one(T.group, `mlops-${env}-sp-group`);
            assert.strictEqual(g.inputs.displayName, "mlops-service-principals");
            assert.strictEqual(g.provider, `mlops-${env}`);
            assert.strictEqual(g.parentType, "azure-databricks-mlops:index:ServicePrincipalGroup");
        }
    });

    it("sets token usage exactly once in staging and prod (none in dev): the group plus each additional group, CAN_USE", () => {
        const tokenPerms = mocks.byType(T.perms).filter((p) => p.inputs.authorization === "tokens");
        assert.deepStrictEqual(tokenPerms.map((p) => p.provider).sort(), [
            "mlops-prod",
            "mlops-staging",
        ]);
        for (const p of tokenPerms) {
            assert.deepStrictEqual(p.inputs.accessControls, [
                { groupName: "mlops-service-principals", permissionLevel: "CAN_USE" },
                { groupName: "users", permissionLevel: "CAN_USE" },
                { groupName: "data-scientists", permissionLevel: "CAN_USE" },
            ]);
        }
    });

    it("links each Entra app as a Databricks SP in its workspace, in the SP group, after token usage is set", () => {
        for (const [env, client] of [
            ["staging", STAGING_CLIENT],
            ["prod", PROD_CLIENT],
        ]) {
            const sp = mocks.one(T.sp, `mlops-${env}-sp`);
            assert.deepStrictEqual(
                [
                    sp.inputs.applicationId,
                    sp.inputs.displayName,
                    sp.inputs.allowClusterCreate,
                    sp.provider,
                ],
                [client, "READ-only Model Registry Service Principal", false, `mlops-${env}`],
            );
            const m = mocks.one(T.member, `mlops-${env}-group-member`);
            assert.deepStrictEqual(
                [m.inputs.groupId, m.inputs.memberId, m.provider],
                [idOf(T.group, `mlops-${env}-sp-group`), sp.id, `mlops-${env}`],
            );
            const comp = mocks.one(
                "azure-databricks-mlops:index:WorkspaceServicePrincipal",
                `mlops-${env}`,
            );
            assert.deepStrictEqual(dependsOnNames(comp), [`mlops-${env}-sp-group-token-usage`]);
        }
        assert.strictEqual(mocks.byType("azuread:index/application:Application").length, 0);
    });

    it("mints no AAD token: the staging SP acts with its client secret, prod with the given AAD token", () => {
        assert.deepStrictEqual(mocks.byType(T.aad), []);
        assert.strictEqual(w.servicePrincipals.staging.aadToken, undefined);
    });

    it("creates each SP's PAT through a provider authenticated as the SP, 100-day lifetime, after group and SP", () => {
        for (const env of ["staging", "prod"]) {
            const prov = mocks.one(T.provider, `mlops-${env}-token-provider`);
            const auth =
                env === "staging"
                    ? [prov.inputs.authType, prov.inputs.azureClientSecret]
                    : [prov.inputs.authType, prov.inputs.token];
            assert.deepStrictEqual(
                [prov.inputs.host, ...auth],
                [
                    HOSTS[env as "staging"],
                    ...(env === "staging"
                        ? ["azure-client-secret", "staging-s3cret"]
                        : ["pat", "prod-aad-token"]),
                ],
            );
            assert.ok(
                prov.secretInputs.has(env === "staging" ? "azureClientSecret" : "token"),
                "the SP's credential is a secret input of its provider",
            );
            const tok = mocks.one(T.token, `mlops-${env}-token-token`);
            assert.strictEqual(tok.provider, `mlops-${env}-token-provider`);
            assert.strictEqual(tok.inputs.lifetimeSeconds, 8640000);
            const period = rotationPeriod(90);
            assert.strictEqual(
                tok.inputs.comment,
                `PAT on behalf of ${env === "staging" ? STAGING_CLIENT : PROD_CLIENT} (rotation period ${period.index}, from ${period.start})`,
            );
            assert.strictEqual(
                tok.parentType,
                "azure-databricks-mlops:index:ServicePrincipalToken",
            );
            assert.deepStrictEqual(
                dependsOnNames(
                    mocks.one(
                        "azure-databricks-mlops:index:ServicePrincipalToken",
                        `mlops-${env}-token`,
                    ),
                ),
                [`mlops-${env}`, `mlops-${env}-sp-group`],
            );
        }
    });

    it("replaces each PAT when a new 90-day rotation period begins (replacementTrigger = period number)", async () => {
        for (const env of ["staging", "prod"]) {
            const tok = mocks.one(T.token, `mlops-${env}-token-token`);
            const trigger = await settle(tok.opts.replacementTrigger);
            assert.strictEqual(trigger.value, String(rotationPeriod(90).index));
            assert.deepStrictEqual(await settle(w.tokens![env as "staging"].rotatedAt), {
                value: rotationPeriod(90).start,
                secret: false,
            });
        }
    });

    it("grants CAN_READ on the registry root exactly once per target workspace, to that workspace's SP", () => {
        const root = mocks.byType(T.perms).filter((p) => p.inputs.registeredModelId === "root");
        assert.deepStrictEqual(root.map((p) => p.provider).sort(), ["mlops-prod", "mlops-staging"]);
        for (const p of root) {
            const client = p.provider === "mlops-staging" ? STAGING_CLIENT : PROD_CLIENT;
            assert.deepStrictEqual(p.inputs.accessControls, [
                { servicePrincipalName: client, permissionLevel: "CAN_READ" },
            ]);
        }
        assert.strictEqual(
            mocks.byType(T.perms).length,
            4,
            "two token-usage and two registry-root permissions, nothing else",
        );
    });

    it("creates the remote-registry scopes dev→staging, dev→prod, staging→prod with host, token and workspace id of the target", () => {
        const pairs: [string, string, string][] = [
            ["dev", "staging", "2000000000000002"],
            ["dev", "prod", "3000000000000003"],
            ["staging", "prod", "3000000000000003"],
        ];
        assert.strictEqual(mocks.byType(T.scope).length, 3);
        assert.strictEqual(mocks.byType(T.secret).length, 9);
        for (const [source, target, wsId] of pairs) {
            const n = `mlops-${source}-to-${target}`;
            const scope = mocks.one(T.scope, `${n}-scope`);
            assert.deepStrictEqual(
                [scope.inputs.name, scope.provider],
                [`remote-mr-${target}`, `mlops-${source}`],
            );
            const secrets = Object.fromEntries(
                ["host", "token", "workspace-id"].map((role) => {
                    const s = mocks.one(T.secret, `${n}-${role}`);
                    assert.strictEqual(s.provider, `mlops-${source}`);
                    assert.strictEqual(s.inputs.scope, `remote-mr-${target}`);
                    return [s.inputs.key, s];
                }),
            );
            assert.deepStrictEqual(Object.keys(secrets).sort(), [
                `${target}-host`,
                `${target}-token`,
                `${target}-workspace-id`,
            ]);
            assert.strictEqual(
                secrets[`${target}-host`].inputs.stringValue,
                HOSTS[target as "prod"],
            );
            assert.strictEqual(secrets[`${target}-workspace-id`].inputs.stringValue, wsId);
            assert.strictEqual(
                secrets[`${target}-token`].inputs.stringValue,
                `pat-of-mlops-${target}-token-token`,
            );
            assert.ok(
                secrets[`${target}-token`].secretInputs.has("stringValue"),
                "the PAT is stored as a secret input",
            );
        }
    });

    it("gives READ on every scope to users and to the SP group of the source workspace", () => {
        assert.strictEqual(mocks.byType(T.acl).length, 6);
        for (const n of ["mlops-dev-to-staging", "mlops-dev-to-prod", "mlops-staging-to-prod"]) {
            const source = n.split("-")[1];
            const users = mocks.one(T.acl, `${n}-acl-users`);
            const group = mocks.one(T.acl, `${n}-acl-sp-group`);
            for (const acl of [users, group]) {
                assert.strictEqual(acl.inputs.permission, "READ");
                assert.strictEqual(acl.provider, `mlops-${source}`);
                assert.strictEqual(
                    acl.inputs.scope,
                    n.endsWith("staging") ? "remote-mr-staging" : "remote-mr-prod",
                );
            }
            assert.strictEqual(users.inputs.principal, "users");
            assert.strictEqual(group.inputs.principal, "mlops-service-principals");
        }
    });

    it("parents every resource under the component tree", () => {
        const comps = new Set(
            mocks.resources
                .filter((r) => r.type.startsWith("azure-databricks-mlops:"))
                .map((r) => r.name),
        );
        for (const r of mocks.resources) {
            if (
                r.type === "pulumi:pulumi:Stack" ||
                r.name === "mlops" ||
                ["dev", "staging", "prod"].includes(r.name)
            )
                continue;
            assert.ok(
                r.parent && comps.has(r.parent),
                `${r.type} ${r.name} has parent ${r.parent}`,
            );
        }
        assert.strictEqual(mocks.one("azure-databricks-mlops:index:MlopsWorkspaces").name, "mlops");
    });

    it("keeps secrets secret: SP AAD tokens and PATs are secret outputs; nothing secret in the component's inputs", async () => {
        assert.strictEqual((await settle(w.servicePrincipals.prod.aadToken!)).secret, true);
        for (const env of ["staging", "prod"] as const)
            assert.strictEqual((await settle(w.tokens![env].tokenValue)).secret, true);
        assert.deepStrictEqual(
            mocks.one("azure-databricks-mlops:index:MlopsWorkspaces").inputs,
            {},
        );
        assert.strictEqual(await pulumi.isSecret(w.stagingServicePrincipalApplicationId), false);
    });
});

describe("MlopsWorkspaces (create mode)", () => {
    before(() =>
        build(
            createArgs({
                servicePrincipalGroupName: "ml-sps",
                tokenLifetimeSeconds: 3_600 * 24 * 30,
                tokenRotationDays: 20,
            }),
        ),
    );

    it("creates an Entra application, SP and password per target workspace and links them", () => {
        for (const env of ["staging", "prod"]) {
            const app = mocks.one("azuread:index/application:Application", `mlops-${env}-app`);
            assert.strictEqual(
                app.inputs.displayName,
                `READ-only Model Registry Service Principal (${env})`,
            );
            assert.strictEqual(
                mocks.one(
                    "azuread:index/servicePrincipal:ServicePrincipal",
                    `mlops-${env}-entra-sp`,
                ).inputs.clientId,
                `client-id-of-mlops-${env}-app`,
            );
            assert.strictEqual(
                mocks.one(
                    "azuread:index/applicationPassword:ApplicationPassword",
                    `mlops-${env}-password`,
                ).inputs.applicationId,
                app.id,
            );
            assert.strictEqual(
                mocks.one(T.sp, `mlops-${env}-sp`).inputs.applicationId,
                `client-id-of-mlops-${env}-app`,
            );
            const prov = mocks.one(T.provider, `mlops-${env}-token-provider`);
            assert.deepStrictEqual(
                [prov.inputs.azureTenantId, prov.inputs.azureClientSecret],
                [TENANT, `password-of-mlops-${env}-password`],
            );
            assert.ok(prov.secretInputs.has("azureClientSecret"));
        }
    });

    it("uses the given group name, lifetime and rotation period", async () => {
        assert.strictEqual(outs.servicePrincipalGroupName, "ml-sps");
        assert.deepStrictEqual(
            mocks.byType(T.group).map((g) => g.inputs.displayName),
            ["ml-sps", "ml-sps", "ml-sps"],
        );
        assert.deepStrictEqual(
            mocks.byType(T.token).map((t) => t.inputs.lifetimeSeconds),
            [2_592_000, 2_592_000],
        );
        for (const t of mocks.byType(T.token))
            assert.strictEqual(
                (await settle(t.opts.replacementTrigger)).value,
                String(rotationPeriod(20).index),
            );
        assert.strictEqual(
            outs.stagingServicePrincipalApplicationId,
            "client-id-of-mlops-staging-app",
        );
        const tokenPerms = mocks.byType(T.perms).filter((p) => p.inputs.authorization === "tokens");
        assert.deepStrictEqual(
            tokenPerms[0].inputs.accessControls.map((a: any) => a.groupName),
            ["ml-sps", "users", "data-scientists"],
        );
        assert.strictEqual(
            mocks.byType(T.acl).filter((a) => a.inputs.principal === "ml-sps").length,
            3,
        );
    });
});

describe("MlopsWorkspaces connections", () => {
    it("builds one provider per workspace from its connection, parented to the component, credentials secret", async () => {
        mocks.reset();
        const args = linkArgs();
        let trio!: MlopsWorkspaces;
        await mocks.run(() => {
            trio = new MlopsWorkspaces("mlops", {
                ...args,
                staging: {
                    ...args.staging,
                    authMethod: "client-secret",
                    clientId: STAGING_CLIENT,
                    tenantId: TENANT,
                    clientSecret: "admin-secret",
                },
                prod: {
                    ...args.prod,
                    authMethod: "aad-token",
                    aadToken: "admin-token",
                    providerAliases: [
                        "urn:pulumi:test::azure-databricks-mlops::pulumi:providers:databricks::prod",
                    ],
                },
            });
        });
        const dev = mocks.one(T.provider, "mlops-dev");
        assert.deepStrictEqual(
            Object.entries(trio.workspaceProviders).map(([env, p]) => [env, (p as any).__name]),
            [
                ["dev", "mlops-dev"],
                ["staging", "mlops-staging"],
                ["prod", "mlops-prod"],
            ],
        );
        assert.deepStrictEqual(
            [dev.inputs.host, dev.inputs.authType, dev.parent],
            [HOSTS.dev, "azure-cli", "mlops"],
        );
        const staging = mocks.one(T.provider, "mlops-staging");
        assert.deepStrictEqual(
            [
                staging.inputs.host,
                staging.inputs.authType,
                staging.inputs.azureClientId,
                staging.inputs.azureTenantId,
                staging.inputs.azureClientSecret,
            ],
            [HOSTS.staging, "azure-client-secret", STAGING_CLIENT, TENANT, "admin-secret"],
        );
        assert.ok(staging.secretInputs.has("azureClientSecret"));
        const prod = mocks.one(T.provider, "mlops-prod");
        assert.deepStrictEqual(
            [prod.inputs.token, prod.secretInputs.has("token"), prod.opts.aliases],
            [
                "admin-token",
                true,
                ["urn:pulumi:test::azure-databricks-mlops::pulumi:providers:databricks::prod"],
            ],
        );
        // Each workspace's resources go through its own provider; the secrets hold the connection's host.
        assert.strictEqual(
            mocks.one(T.secret, "mlops-dev-to-staging-host").inputs.stringValue,
            HOSTS.staging,
        );
        assert.strictEqual(mocks.one(T.secret, "mlops-dev-to-staging-host").provider, "mlops-dev");
        assert.strictEqual(
            mocks.one("databricks:index/group:Group", "mlops-prod-sp-group").provider,
            "mlops-prod",
        );
    });

    it("a bad connection fails before anything is registered, naming the setting", async () => {
        mocks.reset();
        const args = linkArgs();
        await assert.rejects(
            mocks.run(() => {
                new MlopsWorkspaces("mlops", {
                    ...args,
                    dev: { host: "adb-1.azuredatabricks.net" },
                    staging: {
                        ...args.staging,
                        authMethod: "client-secret",
                        clientId: STAGING_CLIENT,
                    },
                    prod: { ...args.prod, aadToken: "stray" },
                });
            }),
            (e: Error) => {
                assert.match(e.message, /dev\.host/);
                assert.match(
                    e.message,
                    /staging\.tenantId.*is required with authMethod client-secret/,
                );
                assert.match(e.message, /staging\.clientSecret/);
                assert.match(e.message, /prod\.aadToken.*is not used with authMethod azure-cli/);
                return true;
            },
        );
        assert.deepStrictEqual(
            mocks.resources.filter((r) => r.inputs && Object.keys(r.inputs).length),
            [],
        );
    });
});

describe("MlopsWorkspaces validation", () => {
    beforeEach(() => mocks.reset());

    it("rejects bad arguments in one error naming each property, before registering anything (the component included)", async () => {
        const args = linkArgs();
        await assert.rejects(
            mocks.run(() => {
                new MlopsWorkspaces("mlops", {
                    ...args,
                    staging: {
                        ...args.staging,
                        workspaceId: "adb-123",
                        host: "http://example.com",
                    },
                    servicePrincipals: {
                        mode: "link",
                        staging: { clientId: STAGING_CLIENT },
                        prod: { clientId: "prod-app", aadToken: "t" },
                    },
                    additionalTokenUsageGroups: ["ok", ""],
                    tokenRotationDays: 100,
                });
            }),
            (e: Error) => {
                for (const key of [
                    "staging.workspaceId",
                    "staging.host",
                    "servicePrincipals.staging.clientSecret",
                    "servicePrincipals.staging.tenantId",
                    "servicePrincipals.prod.clientId",
                    "additionalTokenUsageGroups[1]",
                    "tokenRotationDays",
                ]) {
                    assert.ok(e.message.includes(`- ${key}:`), `${key} in ${e.message}`);
                }
                assert.match(e.message, /less than the token lifetime \(100 days/);
                return true;
            },
        );
        const registered = mocks.resources.map((r) => r.type).filter((t) => !/^pulumi:/.test(t));
        assert.deepStrictEqual(registered, [], "nothing is registered, the component included");
    });
});
