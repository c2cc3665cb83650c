import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { mocks, settle } from "../support/mocks";
import { MlopsProject, MlopsProjectArgs } from "../../projects/mlopsProject";
import { ACCOUNT_ID, ACCOUNT_SP_ID, account, answerLookups, T } from "../unityCatalog/fixtures";

const TENANT = "11111111-2222-3333-4444-555555555555";
const STAGING_APP = "aaaaaaaa-0000-0000-0000-000000000001";
const PROD_APP = "aaaaaaaa-0000-0000-0000-000000000002";

function ucProjectArgs(over: Partial<MlopsProjectArgs> = {}): MlopsProjectArgs {
    return {
        staging: { host: "https://adb-2.2.azuredatabricks.net" },
        prod: { host: "https://adb-3.3.azuredatabricks.net" },
        servicePrincipalName: "churn-cicd",
        projectDirectoryPath: "/Projects/churn",
        servicePrincipals: {
            mode: "link",
            staging: { clientId: STAGING_APP, tenantId: TENANT, clientSecret: pulumi.secret("s1") },
            prod: { clientId: PROD_APP, tenantId: TENANT, clientSecret: pulumi.secret("s2") },
        },
        modelRegistry: "unity-catalog",
        unityCatalog: {
            staging: { catalogName: "ml_staging", grantUseCatalog: true },
            prod: { catalogName: "shared_prod" },
            schemaName: "churn",
        },
        ...over,
    };
}

/** The args with Unity Catalog settings of catalogs "s" and "p" and schema "x", then `extra`. */
function ucWith(extra: Partial<NonNullable<MlopsProjectArgs["unityCatalog"]>>): MlopsProjectArgs {
    return ucProjectArgs({
        unityCatalog: {
            staging: { catalogName: "s" },
            prod: { catalogName: "p" },
            schemaName: "x",
            ...extra,
        },
    });
}

describe("MlopsProject (unity-catalog mode)", () => {
    let p: MlopsProject;
    before(async () => {
        mocks.reset();
        await mocks.run(() => {
            p = new MlopsProject("churn", ucProjectArgs());
        });
    });

    it("keeps the SPs and the project directory, with no group lookup or membership (no token usage to share)", () => {
        assert.deepStrictEqual(
            mocks
                .byType(T.sp)
                .map((s) => s.inputs.applicationId)
                .sort(),
            [STAGING_APP, PROD_APP].sort(),
        );
        assert.strictEqual(mocks.byType("databricks:index/directory:Directory").length, 2);
        assert.strictEqual(mocks.byType("databricks:index/groupMember:GroupMember").length, 0);
        assert.strictEqual(
            mocks.callLog.filter((c) => c.token === "databricks:index/getGroup:getGroup").length,
            0,
        );
    });

    it("creates the project's schema in the staging and prod catalogs, each through its workspace", () => {
        for (const [env, catalog] of [
            ["staging", "ml_staging"],
            ["prod", "shared_prod"],
        ]) {
            const s = mocks.one(T.schema, `churn-uc-${env}-schema`);
            assert.deepStrictEqual(
                [s.inputs.catalogName, s.inputs.name, s.provider, s.parentType],
                [
                    catalog,
                    "churn",
                    `churn-${env}`,
                    "azure-databricks-mlops:index:UnityCatalogProject",
                ],
            );
        }
    });

    it("grants its CI/CD principal register and serve rights in its own schemas only, the readers read rights, USE CATALOG only where asked", () => {
        const grants = mocks
            .byType(T.grant)
            .map((g) => [
                g.name,
                g.inputs.catalog ?? g.inputs.schema,
                g.inputs.principal,
                g.inputs.privileges,
                g.provider,
            ]);
        assert.deepStrictEqual(grants.sort(), [
            [
                "churn-uc-prod-schema-grant-cicd",
                "shared_prod.churn",
                PROD_APP,
                ["CREATE_MODEL", "EXECUTE", "USE_SCHEMA"],
                "churn-prod",
            ],
            [
                "churn-uc-prod-schema-grant-readers",
                "shared_prod.churn",
                "account users",
                ["EXECUTE", "USE_SCHEMA"],
                "churn-prod",
            ],
            [
                "churn-uc-staging-catalog-grant-cicd",
                "ml_staging",
                STAGING_APP,
                ["USE_CATALOG"],
                "churn-staging",
            ],
            [
                "churn-uc-staging-schema-grant-cicd",
                "ml_staging.churn",
                STAGING_APP,
                ["CREATE_MODEL", "EXECUTE", "USE_SCHEMA"],
                "churn-staging",
            ],
            [
                "churn-uc-staging-schema-grant-readers",
                "ml_staging.churn",
                "account users",
                ["EXECUTE", "USE_SCHEMA"],
                "churn-staging",
            ],
        ]);
    });

    it("outputs the model name prefixes; the AAD tokens stay secret", async () => {
        assert.deepStrictEqual(await settle(p.stagingModelNamePrefix!), {
            value: "ml_staging.churn",
            secret: false,
        });
        assert.deepStrictEqual(await settle(p.prodModelNamePrefix!), {
            value: "shared_prod.churn",
            secret: false,
        });
        assert.strictEqual((await settle(p.prodServicePrincipalAadToken)).secret, true);
    });

    it("gives each project SP a CI/CD credential: an OAuth secret by default, kept secret", async () => {
        for (const env of ["staging", "prod"]) {
            const secret = mocks.one(T.oauth, `churn-${env}-cicd-oauth-secret`);
            assert.deepStrictEqual(
                [secret.inputs.servicePrincipalId, secret.provider],
                [mocks.one(T.sp, `churn-${env}-sp`).id, `churn-${env}`],
            );
        }
        assert.deepStrictEqual(await settle(p.prodServicePrincipalOAuthSecret!), {
            value: "oauth-secret-of-churn-prod-cicd-oauth-secret",
            secret: true,
        });
    });

    it("a federation credential goes through the account provider", async () => {
        mocks.reset();
        answerLookups();
        await mocks.run(() => {
            new MlopsProject(
                "fed",
                ucWith({
                    schemaName: "fed",
                    cicdCredentials: {
                        prod: {
                            method: "federation",
                            issuer: "https://vstoken.dev.azure.com/org",
                            subject: "p://o/p/pipe",
                            audiences: ["api://AzureADTokenExchange"],
                        },
                    },
                    account: account(),
                }),
            );
        });
        const policy = mocks.one(T.federation, "fed-prod-cicd-federation");
        assert.deepStrictEqual(
            [policy.provider, policy.inputs.servicePrincipalId, policy.inputs.oidcPolicy.audiences],
            ["fed-account", Number(ACCOUNT_SP_ID), ["api://AzureADTokenExchange"]],
        );
        const ap = mocks.one("pulumi:providers:databricks", "fed-account");
        assert.deepStrictEqual(
            [ap.inputs.accountId, ap.inputs.authType, ap.parentType],
            [ACCOUNT_ID, "azure-cli", "azure-databricks-mlops:index:MlopsProject"],
        );
        assert.deepStrictEqual(
            mocks.byType(T.oauth).map((s) => s.name),
            ["fed-staging-cicd-oauth-secret"],
        );
    });

    it("validates the mode's settings before registering anything", async () => {
        const fails = async (args: MlopsProjectArgs, paths: string[]) => {
            mocks.reset();
            await assert.rejects(
                mocks.run(() => void new MlopsProject("bad", args)),
                (e: Error) => {
                    assert.ok(pulumi.InputPropertiesError.isInstance(e), String(e));
                    assert.deepStrictEqual(
                        (e as pulumi.InputPropertiesError).errors.map((x) => x.propertyPath),
                        paths,
                    );
                    return true;
                },
            );
            assert.strictEqual(
                mocks.resources.filter((r) => r.type.startsWith("azure-databricks-mlops")).length,
                0,
            );
        };
        await fails(ucProjectArgs({ servicePrincipalGroupName: "sps" }), [
            "servicePrincipalGroupName",
        ]);
        await fails(ucProjectArgs({ unityCatalog: undefined }), ["unityCatalog"]);
        await fails(
            ucProjectArgs({
                unityCatalog: {
                    staging: { catalogName: "A.B" },
                    prod: { catalogName: "p" },
                    schemaName: "",
                },
            }),
            ["unityCatalog.staging.catalogName", "unityCatalog.schemaName"],
        );
        await fails(ucProjectArgs({ modelRegistry: undefined }), ["unityCatalog"]);
        await fails(
            ucWith({
                cicdCredentials: {
                    staging: { method: "federation", issuer: "https://i", subject: "s" },
                },
            }),
            ["unityCatalog.account"],
        );
        await fails(ucWith({ account: { accountId: "acct", authMethod: "client-secret" } }), [
            "unityCatalog.account.accountId",
            "unityCatalog.account.clientId",
            "unityCatalog.account.tenantId",
            "unityCatalog.account.clientSecret",
        ]);
    });
});
