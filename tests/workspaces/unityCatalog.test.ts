import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import {
    existingCatalog,
    UNITY_CATALOG_SHARING_TYPE,
} from "../../unityCatalog/unityCatalogSharing";
import { checkStorageRoot } from "../../unityCatalog/names";
import { checkWhenKnown } from "../../core/deferredCheck";
import { mocks, settle, RecordedResource } from "../support/mocks";
import { MlopsWorkspaces } from "../../workspaces/mlopsWorkspaces";
import { MlopsWorkspacesArgs } from "../../workspaces/mlopsWorkspacesArgs";
import { PROD_CLIENT, STAGING_CLIENT, TENANT } from "./fixtures";
import {
    ACCOUNT_SP_ID,
    LEGACY_TYPES,
    T,
    WORKSPACE_IDS,
    ACCOUNT_ID,
    account,
    answerLookups,
    ucArgs,
} from "../unityCatalog/fixtures";

let w: MlopsWorkspaces;
let outs: Record<string, any>;

async function build(args: MlopsWorkspacesArgs) {
    mocks.reset();
    answerLookups();
    outs = await mocks.run(() => {
        w = new MlopsWorkspaces("mlops", args);
        return {
            devCatalogName: w.devCatalogName,
            stagingCatalogName: w.stagingCatalogName,
            prodCatalogName: w.prodCatalogName,
            devModelSchemaName: w.devModelSchemaName,
            prodModelSchemaName: w.prodModelSchemaName,
            devModelNamePrefix: w.devModelNamePrefix,
            stagingModelNamePrefix: w.stagingModelNamePrefix,
            prodModelNamePrefix: w.prodModelNamePrefix,
            stagingServicePrincipalApplicationId: w.stagingServicePrincipalApplicationId,
            prodServicePrincipalApplicationId: w.prodServicePrincipalApplicationId,
        };
    });
}

const grantsOn = (securable: "catalog" | "schema", value: string) =>
    mocks.byType(T.grant).filter((g) => g.inputs[securable] === value);
const principalsOf = (gs: RecordedResource[]) =>
    Object.fromEntries(gs.map((g) => [g.inputs.principal, g.inputs.privileges]));

describe("MlopsWorkspaces (unity-catalog mode)", () => {
    before(() => build(ucArgs()));

    it("creates no PAT, secret scope, secret, secret ACL, token-usage or registry-root permission, group or rotation clock", () => {
        for (const t of LEGACY_TYPES)
            assert.strictEqual(
                mocks.byType(t).length,
                0,
                `${t} must not exist in unity-catalog mode`,
            );
        assert.strictEqual(
            mocks.byType("pulumi:providers:databricks").filter((p) => /token-provider/.test(p.name))
                .length,
            0,
            "no provider acting as an SP to mint PATs",
        );
        assert.strictEqual(
            mocks.byType(T.grants).length,
            0,
            "never the authoritative databricks.Grants",
        );
        for (const k of [
            "devSecretScopeNameForStaging",
            "stagingSecretScopeNameForProd",
            "servicePrincipalGroupName",
            "tokens",
        ] as const)
            assert.strictEqual(w[k], undefined, k);
    });

    it("types the SP tokens as possibly absent, as they are in this mode", () => {
        // @ts-expect-error tokens is undefined in unity-catalog mode: a program must check before reading one.
        const readStagingToken = () => w.tokens.staging;
        assert.throws(readStagingToken, TypeError);
    });

    it("registers no dynamic resource, with a client-secret SP (staging) or created SPs: the trio works from every Pulumi language", async () => {
        const dynamic = () =>
            mocks.resources
                .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"))
                .map((r) => r.name);
        assert.deepStrictEqual(
            dynamic(),
            [],
            "link mode: staging has a client secret, nothing in this mode uses an AAD token",
        );
        await build(ucArgs({ servicePrincipals: { mode: "create", tenantId: TENANT } }));
        assert.deepStrictEqual(dynamic(), [], "create mode");
        await build(ucArgs());
    });

    it("creates an isolated catalog per environment through its own workspace's provider, and a models schema in each", () => {
        for (const env of ["dev", "staging", "prod"] as const) {
            const c = mocks.one(T.catalog, `mlops-uc-${env}-catalog`);
            assert.deepStrictEqual(
                [c.inputs.name, c.inputs.isolationMode, c.provider, c.parentType],
                [`ml_${env}`, "ISOLATED", `mlops-${env}`, T.sharing],
            );
            assert.strictEqual(
                c.inputs.forceDestroy,
                undefined,
                "destroying a catalog with models fails instead of deleting them",
            );
            assert.strictEqual(
                c.inputs.storageRoot,
                undefined,
                "the metastore's root unless a storageRoot is given",
            );
            const s = mocks.one(T.schema, `mlops-uc-${env}-schema`);
            assert.deepStrictEqual(
                [s.inputs.catalogName, s.inputs.name, s.provider],
                [`ml_${env}`, "models", `mlops-${env}`],
            );
        }
    });

    it("binds each catalog read-write to its workspace, staging and prod read-only to the workspaces that read them; replaced delete-first", () => {
        const bindings = mocks.byType(T.binding);
        assert.deepStrictEqual(
            bindings
                .map(
                    (b) =>
                        `${b.inputs.securableName}@${b.inputs.workspaceId}:${b.inputs.bindingType}:${b.provider}`,
                )
                .sort(),
            [
                `ml_dev@${WORKSPACE_IDS.dev}:BINDING_TYPE_READ_WRITE:mlops-dev`,
                `ml_prod@${WORKSPACE_IDS.dev}:BINDING_TYPE_READ_ONLY:mlops-prod`,
                `ml_prod@${WORKSPACE_IDS.staging}:BINDING_TYPE_READ_ONLY:mlops-prod`,
                `ml_prod@${WORKSPACE_IDS.prod}:BINDING_TYPE_READ_WRITE:mlops-prod`,
                `ml_staging@${WORKSPACE_IDS.dev}:BINDING_TYPE_READ_ONLY:mlops-staging`,
                `ml_staging@${WORKSPACE_IDS.staging}:BINDING_TYPE_READ_WRITE:mlops-staging`,
            ],
        );
        for (const b of bindings) {
            assert.strictEqual(b.inputs.securableType, "catalog");
            assert.strictEqual(
                (b.opts as pulumi.CustomResourceOptions).deleteBeforeReplace,
                true,
                `${b.name}: a replaced binding must not be unbound by its old copy`,
            );
            // Own workspace: never unbound (schemas and grants are deleted through it; the catalog's delete binds it itself).
            const own = b.inputs.bindingType === "BINDING_TYPE_READ_WRITE";
            assert.strictEqual(
                b.opts.retainOnDelete,
                own,
                `${b.name}: ${own ? "kept bound to its own workspace" : "read-only bindings are removed"} on delete`,
            );
        }
    });

    it("grants per principal: readers (default account users) read staging and prod and develop in dev; each SP registers and serves in its own schema only", () => {
        assert.deepStrictEqual(principalsOf(grantsOn("schema", "ml_prod.models")), {
            "account users": ["EXECUTE", "USE_SCHEMA"],
            [PROD_CLIENT]: ["CREATE_MODEL", "EXECUTE", "USE_SCHEMA"],
        });
        assert.deepStrictEqual(principalsOf(grantsOn("schema", "ml_staging.models")), {
            "account users": ["EXECUTE", "USE_SCHEMA"],
            [STAGING_CLIENT]: ["CREATE_MODEL", "EXECUTE", "USE_SCHEMA"],
        });
        assert.deepStrictEqual(principalsOf(grantsOn("schema", "ml_dev.models")), {
            "account users": ["CREATE_MODEL", "EXECUTE", "USE_SCHEMA"],
        });
        assert.deepStrictEqual(principalsOf(grantsOn("catalog", "ml_prod")), {
            "account users": ["USE_CATALOG"],
            [PROD_CLIENT]: ["USE_CATALOG"],
        });
        assert.deepStrictEqual(principalsOf(grantsOn("catalog", "ml_dev")), {
            "account users": ["USE_CATALOG"],
        });
        assert.strictEqual(mocks.byType(T.grant).length, 10, "dev 2, staging 4, prod 4");
        for (const g of mocks.byType(T.grant)) {
            const env = /-(dev|staging|prod)-/.exec(g.name)![1];
            assert.strictEqual(
                g.provider,
                `mlops-${env}`,
                `${g.name} goes through the ${env} workspace`,
            );
        }
        const staging = mocks.byType(T.grant).filter((g) => g.inputs.principal === STAGING_CLIENT);
        assert.ok(
            staging.every((g) => /staging/.test(g.inputs.catalog ?? g.inputs.schema)),
            "the staging SP has nothing on dev or prod",
        );
    });

    it("links the staging and prod Entra apps as SPs in no group, each with an OAuth secret for CI/CD that stays secret", async () => {
        for (const [env, client] of [
            ["staging", STAGING_CLIENT],
            ["prod", PROD_CLIENT],
        ] as const) {
            const sp = mocks.one(T.sp, `mlops-${env}-sp`);
            assert.deepStrictEqual(
                [sp.inputs.applicationId, sp.inputs.displayName, sp.provider],
                [client, "MLOps Model Deployment Service Principal", `mlops-${env}`],
            );
            const secret = mocks.one(T.oauth, `mlops-${env}-cicd-oauth-secret`);
            assert.deepStrictEqual(
                [secret.inputs.servicePrincipalId, secret.provider],
                [sp.id, `mlops-${env}`],
            );
        }
        for (const s of [
            w.stagingServicePrincipalOAuthSecret!,
            w.prodServicePrincipalOAuthSecret!,
        ]) {
            const v = await settle(s);
            assert.deepStrictEqual(v, { value: v.value, secret: true });
            assert.match(
                String(v.value),
                /^oauth-secret-of-mlops-(staging|prod)-cicd-oauth-secret$/,
            );
        }
        assert.strictEqual(mocks.byType(T.federation).length, 0);
    });

    it("outputs catalog and schema names, the model name prefix per environment, and the SPs' application ids", () => {
        assert.deepStrictEqual(outs, {
            devCatalogName: "ml_dev",
            stagingCatalogName: "ml_staging",
            prodCatalogName: "ml_prod",
            devModelSchemaName: "models",
            prodModelSchemaName: "models",
            devModelNamePrefix: "ml_dev.models",
            stagingModelNamePrefix: "ml_staging.models",
            prodModelNamePrefix: "ml_prod.models",
            stagingServicePrincipalApplicationId: STAGING_CLIENT,
            prodServicePrincipalApplicationId: PROD_CLIENT,
        });
    });
});

const DEV_ROOT = "abfss://models@mlopsstorage.dfs.core.windows.net/dev/";

describe("MlopsWorkspaces (unity-catalog mode, existing prod catalog, federation, own names)", () => {
    let warnings: string[];
    const realWarn = pulumi.log.warn;
    before(async () => {
        warnings = [];
        (pulumi.log as { warn: typeof pulumi.log.warn }).warn = async (msg: string) =>
            void warnings.push(msg);
        try {
            await build(
                ucArgs({
                    catalogs: {
                        dev: { name: "ml_dev", storageRoot: DEV_ROOT },
                        staging: { name: "ml_staging" },
                        prod: { name: "shared_prod", create: false },
                    },
                    modelSchema: "registered",
                    modelReaders: "data-scientists",
                    cicdCredentials: {
                        staging: { method: "none" },
                        prod: {
                            method: "federation",
                            issuer: "https://token.actions.githubusercontent.com",
                            subject: "repo:contoso/mlops:environment:prod",
                        },
                    },
                    account: account(),
                }),
            );
        } finally {
            (pulumi.log as { warn: typeof pulumi.log.warn }).warn = realWarn;
        }
    });

    it("creates a catalog with its storageRoot exactly as given (a metastore without root storage needs it), the others on the metastore's root", () => {
        assert.strictEqual(
            mocks.one(T.catalog, "mlops-uc-dev-catalog").inputs.storageRoot,
            DEV_ROOT,
        );
        assert.strictEqual(
            mocks.one(T.catalog, "mlops-uc-staging-catalog").inputs.storageRoot,
            undefined,
        );
    });

    it("uses the existing catalog after looking it up in its workspace, and creates only the schema in it", () => {
        assert.deepStrictEqual(
            mocks
                .byType(T.catalog)
                .map((c) => c.name)
                .sort(),
            ["mlops-uc-dev-catalog", "mlops-uc-staging-catalog"],
        );
        const lookup = mocks.callLog.filter((c) => c.token === T.getCatalog);
        assert.deepStrictEqual(
            lookup.map((c) => [c.inputs.name, c.provider?.split("::")[3]]),
            [["shared_prod", "mlops-prod"]],
        );
        assert.deepStrictEqual(mocks.one(T.schema, "mlops-uc-prod-schema").inputs, {
            catalogName: "shared_prod",
            name: "registered",
            comment: "Registered models of the prod environment (azure-databricks-mlops)",
        });
        assert.strictEqual(outs.prodModelNamePrefix, "shared_prod.registered");
    });

    it("makes no catalog-level grant on the user's catalog, keeps its own binding on delete, and says which GRANTs to run", () => {
        assert.deepStrictEqual(grantsOn("catalog", "shared_prod"), []);
        assert.deepStrictEqual(principalsOf(grantsOn("schema", "shared_prod.registered")), {
            "data-scientists": ["EXECUTE", "USE_SCHEMA"],
            [PROD_CLIENT]: ["CREATE_MODEL", "EXECUTE", "USE_SCHEMA"],
        });
        assert.strictEqual(
            mocks.one(T.binding, "mlops-uc-prod-binding-prod").opts.retainOnDelete,
            true,
        );
        assert.strictEqual(
            mocks.one(T.binding, "mlops-uc-prod-binding-dev").opts.retainOnDelete,
            false,
            "read-only bindings the package added are removed with it",
        );
        const w = warnings.find((m) => /shared_prod/.test(m));
        assert.ok(w, `a warning about the existing catalog, got ${JSON.stringify(warnings)}`);
        assert.match(w!, /GRANT USE CATALOG ON CATALOG `shared_prod` TO `data-scientists`/);
        assert.match(
            w!,
            new RegExp(`GRANT USE CATALOG ON CATALOG \`shared_prod\` TO \`${PROD_CLIENT}\``),
        );
    });

    it("gives the prod SP a federation policy through the account provider, with the account's SP id; no secret; staging none", () => {
        const p = mocks.one(T.federation, "mlops-prod-cicd-federation");
        assert.strictEqual(p.provider, "mlops-account");
        // Built from the account connection, a child of the trio, with az login (the connection's default).
        const ap = mocks.one("pulumi:providers:databricks", "mlops-account");
        assert.deepStrictEqual(
            [ap.inputs.host, ap.inputs.accountId, ap.inputs.authType, ap.parentType],
            [
                "https://accounts.azuredatabricks.net",
                ACCOUNT_ID,
                "azure-cli",
                "azure-databricks-mlops:index:MlopsWorkspaces",
            ],
        );
        assert.strictEqual(p.inputs.servicePrincipalId, Number(ACCOUNT_SP_ID));
        assert.deepStrictEqual(p.inputs.oidcPolicy, {
            issuer: "https://token.actions.githubusercontent.com",
            subject: "repo:contoso/mlops:environment:prod",
        });
        const lookup = mocks.callLog.find((c) => c.token === T.getSp)!;
        assert.deepStrictEqual(
            [lookup.inputs.applicationId, lookup.provider?.split("::")[3]],
            [PROD_CLIENT, "mlops-account"],
        );
        assert.strictEqual(mocks.byType(T.oauth).length, 0);
        assert.strictEqual(w.prodServicePrincipalOAuthSecret, undefined);
        assert.strictEqual(w.stagingServicePrincipalOAuthSecret, undefined);
    });
});

describe("MlopsWorkspaces (unity-catalog mode) validation", () => {
    const fails = async (args: MlopsWorkspacesArgs, paths: string[], message?: RegExp) => {
        mocks.reset();
        await assert.rejects(
            mocks.run(() => void new MlopsWorkspaces("mlops", args)),
            (e: Error) => {
                assert.ok(
                    pulumi.InputPropertiesError.isInstance(e),
                    `an InputPropertiesError, got ${e}`,
                );
                assert.deepStrictEqual(
                    (e as pulumi.InputPropertiesError).errors.map((x) => x.propertyPath),
                    paths,
                );
                if (message) assert.match(e.message, message);
                return true;
            },
        );
        assert.deepStrictEqual(
            mocks.resources.filter(
                (r) => r.type !== "pulumi:providers:databricks" && r.type !== "pulumi:pulumi:Stack",
            ),
            [],
            "nothing registered",
        );
    };

    it("refuses the legacy-only settings (token lifetime, rotation, token usage, SP group) in unity-catalog mode, saying so", () =>
        fails(
            // Invalid as legacy settings too (rotation beyond the lifetime, an empty group): still one problem each.
            ucArgs({
                tokenLifetimeSeconds: 864000,
                tokenRotationDays: 50,
                additionalTokenUsageGroups: [""],
                servicePrincipalGroupName: "sps",
            }),
            [
                "additionalTokenUsageGroups",
                "servicePrincipalGroupName",
                "tokenLifetimeSeconds",
                "tokenRotationDays",
            ],
            /tokenRotationDays: only applies to the legacy workspace model registry .*modelRegistry is "unity-catalog", where no PAT exists/,
        ));

    it("refuses unity-catalog settings in the legacy mode", () =>
        fails(
            ucArgs({
                modelRegistry: undefined,
                additionalTokenUsageGroups: ["users"],
                modelReaders: "x",
            }),
            ["catalogs", "modelReaders"],
            /only applies with modelRegistry "unity-catalog"/,
        ));

    it("needs catalogs with valid, distinct names, the dev workspace id, and the account provider for federation", async () => {
        const base = ucArgs();
        await fails(
            {
                ...base,
                dev: { host: base.dev.host },
                catalogs: {
                    dev: { name: "ML_Dev" },
                    staging: { name: "same" },
                    prod: { name: "same", create: "no" as never },
                },
                modelSchema: "my.models",
                cicdCredentials: {
                    prod: {
                        method: "federation",
                        issuer: "https://token.actions.githubusercontent.com",
                        subject: "repo:o/r:ref:refs/heads/main",
                    },
                },
            },
            [
                "catalogs.dev.name",
                "catalogs.prod.create",
                "catalogs.prod.name",
                "modelSchema",
                "account",
                "dev.workspaceId",
            ],
        );
        // 0.1's provider object: refused with the connection to give instead; a connection is checked like a workspace's.
        await fails(
            { ...base, accountProvider: new databricks.Provider("account", {}) } as never,
            ["accountProvider"],
            /accountProvider: is no longer accepted: give `account` \(\{ accountId/,
        );
        await fails(
            { ...base, account: { accountId: "acct", authMethod: "aad-token" } },
            ["account.accountId", "account.aadToken"],
            /account\.accountId: must be a GUID Databricks account id/,
        );
        await fails(
            { ...base, modelRegistry: "mlflow" as never },
            ["modelRegistry"],
            /must be "workspace" or "unity-catalog"/,
        );
        await fails({ ...base, catalogs: undefined }, ["catalogs"]);
    });

    it("refuses a storageRoot that is not an abfss:// URL or is set on an existing catalog; one known only at deployment is checked then", async () => {
        const base = ucArgs();
        const root = "abfss://models@mlopsstorage.dfs.core.windows.net/prod";
        await fails(
            {
                ...base,
                catalogs: {
                    dev: { name: "ml_dev", storageRoot: "/mnt/dev" },
                    staging: { name: "ml_staging" },
                    prod: { name: "ml_prod", create: false, storageRoot: root },
                },
            },
            ["catalogs.dev.storageRoot", "catalogs.prod.storageRoot"],
            /catalogs\.prod\.storageRoot: only applies to a catalog this stack creates/,
        );
        // An Output goes through the same rule once known (what the component feeds the catalog with).
        const promiseOf = (o: pulumi.Input<string>) =>
            (pulumi.output(o) as unknown as { promise(): Promise<string> }).promise();
        const check = (v: pulumi.Input<string>) =>
            checkWhenKnown(
                v,
                "staging.catalog.storageRoot",
                checkStorageRoot,
                UNITY_CATALOG_SHARING_TYPE,
                "mlops-uc",
            );
        await assert.rejects(promiseOf(check(pulumi.output("s3://bucket/staging"))), (e: Error) => {
            assert.ok(
                pulumi.InputPropertiesError.isInstance(e),
                `an InputPropertiesError, got ${e}`,
            );
            assert.match(
                e.message,
                /UnityCatalogSharing "mlops-uc":\n  - staging\.catalog\.storageRoot: must be an abfss:\/\/ URL/,
            );
            return true;
        });
        assert.strictEqual(await promiseOf(check(pulumi.output(root))), root);
    });

    it("fails the deployment, naming the catalog, when an existing catalog is not isolated", async () => {
        mocks.reset();
        answerLookups("OPEN");
        let name: pulumi.Output<string> | undefined;
        await mocks.run(() => {
            const parent = new pulumi.ComponentResource("test:index:Parent", "p");
            name = existingCatalog(
                parent,
                "mlops-uc",
                "prod",
                "main",
                new databricks.Provider("prod", {}),
            );
        });
        await assert.rejects(
            (name as unknown as { promise(): Promise<string> }).promise(),
            (e: Error) => {
                assert.ok(pulumi.InputPropertiesError.isInstance(e));
                assert.match(
                    e.message,
                    /UnityCatalogSharing "mlops-uc":\n  - prod\.catalog: names the existing catalog "main", whose isolation mode is OPEN; workspace bindings need ISOLATED/,
                );
                return true;
            },
        );
    });
});
