import * as assert from "assert";
import { ConfigError, loadStackConfig } from "../../program/config";
import { mocks, settle } from "../support/mocks";
import {
    LINK_SECRETS,
    linkTrio,
    NS,
    runRootProgram,
    TENANT,
    ucTrio,
    withConfig,
} from "./workspacesConfigFixtures";
import { answerLookups, LEGACY_TYPES, T } from "../unityCatalog/fixtures";

const churn = {
    name: "Churn-Model",
    servicePrincipalName: "churn-cicd",
    projectDirectoryPath: "/Projects/churn",
    servicePrincipals: { mode: "create", tenantId: TENANT },
};

/** The stack config these values (with LINK_SECRETS as secrets) load to. */
function stackConfigOf(values: Record<string, unknown>) {
    return withConfig(values, Object.keys(LINK_SECRETS), (c) => loadStackConfig(c));
}

function problemsOf(values: Record<string, unknown>): string[] {
    return withConfig(values, Object.keys(LINK_SECRETS), (c) => {
        try {
            loadStackConfig(c);
            return [];
        } catch (e) {
            assert.ok(e instanceof ConfigError, String(e));
            return (e as ConfigError).problems.map(
                (p) => `${p.key.replace(`${NS}:`, "")}: ${p.reason}`,
            );
        }
    });
}

describe("stack config, workspaces.modelRegistry unity-catalog", () => {
    it("reads the catalogs (create defaults to true), schema, readers, CI/CD credentials, account, and the dev id from its adb- host", () => {
        const cicdCredentials = {
            prod: {
                method: "federation",
                issuer: "https://token.actions.githubusercontent.com",
                subject: "repo:o/r:environment:prod",
            },
        };
        const ws = stackConfigOf({
            workspaces: ucTrio({
                modelSchema: "registered",
                modelReaders: "data-scientists",
                cicdCredentials,
                account: { accountId: "00000000-0000-4000-8000-000000000001" },
            }),
            ...LINK_SECRETS,
        }).workspaces!;
        assert.strictEqual(ws.modelRegistry, "unity-catalog");
        assert.deepStrictEqual(ws.unityCatalog, {
            catalogs: {
                dev: { name: "ml_dev", create: true },
                staging: { name: "ml_staging", create: true },
                prod: { name: "ml_prod", create: false },
            },
            modelSchema: "registered",
            modelReaders: "data-scientists",
            cicdCredentials,
            account: {
                accountId: "00000000-0000-4000-8000-000000000001",
                host: "https://accounts.azuredatabricks.net",
            },
            workspaceIds: { dev: "1000000000000001" },
            devWorkspaceId: "1000000000000001",
        });
    });

    it("reads a created catalog's storageRoot as given, and refuses a bad one or one on an existing catalog", () => {
        const root = "abfss://models@mlopsstorage.dfs.core.windows.net/dev/";
        const catalogs = {
            dev: { name: "ml_dev", storageRoot: root },
            staging: { name: "ml_staging" },
            prod: { name: "ml_prod", create: false },
        };
        const ws = stackConfigOf({ workspaces: ucTrio({ catalogs }), ...LINK_SECRETS }).workspaces!;
        assert.deepStrictEqual(ws.unityCatalog!.catalogs, {
            dev: { name: "ml_dev", create: true, storageRoot: root },
            staging: { name: "ml_staging", create: true },
            prod: { name: "ml_prod", create: false },
        });
        const got = problemsOf({
            workspaces: ucTrio({
                catalogs: {
                    dev: { name: "ml_dev", storageRoot: "dbfs:/models" },
                    staging: { name: "ml_staging", storageRoot: root },
                    prod: { name: "ml_prod", create: false, storageRoot: root },
                },
            }),
            ...LINK_SECRETS,
        });
        assert.deepStrictEqual(
            got.map((g) => g.split(":")[0]),
            ["workspaces.catalogs.dev.storageRoot", "workspaces.catalogs.prod.storageRoot"],
        );
        assert.match(
            got[0],
            /must be an abfss:\/\/ URL of an ADLS Gen2 path covered by an external location.*got "dbfs:\/models"/,
        );
        assert.match(got[1], /only applies to a catalog this stack creates/);
    });

    it("legacy mode stays the default and reads no unity-catalog settings", () => {
        const ws = stackConfigOf({ workspaces: linkTrio(), ...LINK_SECRETS }).workspaces!;
        assert.deepStrictEqual([ws.modelRegistry, ws.unityCatalog], ["workspace", undefined]);
    });

    it("names every bad key at once: legacy-only settings, bad names, a shared catalog, a federation credential without the account", () => {
        const got = problemsOf({
            workspaces: ucTrio({
                tokenRotationDays: 30,
                tokenLifetimeSeconds: 864000,
                additionalTokenUsageGroups: ["users"],
                catalogs: {
                    dev: { name: "ML" },
                    staging: { name: "same", create: "yes" },
                    prod: { name: "same", owner: "x" },
                },
                modelSchema: "a.b",
                cicdCredentials: { prod: { method: "federation", subject: "s" }, qa: {} },
            }),
            ...LINK_SECRETS,
        });
        const keys = got.map((g) => g.split(":")[0]).sort();
        assert.deepStrictEqual(keys, [
            "workspaces.account",
            "workspaces.additionalTokenUsageGroups",
            "workspaces.catalogs.dev.name",
            "workspaces.catalogs.prod.name",
            "workspaces.catalogs.prod.owner",
            "workspaces.catalogs.staging.create",
            "workspaces.cicdCredentials.prod.issuer",
            "workspaces.cicdCredentials.qa",
            "workspaces.modelSchema",
            "workspaces.tokenLifetimeSeconds",
            "workspaces.tokenRotationDays",
        ]);
        assert.ok(
            got.some((g) =>
                /^workspaces\.tokenRotationDays: only applies to the legacy workspace model registry .* is unity-catalog, where no PAT exists/.test(
                    g,
                ),
            ),
            got.join("\n"),
        );
        assert.ok(
            got.some((g) =>
                /^workspaces\.catalogs\.prod\.name: is also the staging catalog/.test(g),
            ),
        );
    });

    it("refuses unity-catalog keys in the legacy mode and an unknown mode", () => {
        assert.deepStrictEqual(
            problemsOf({
                workspaces: { ...linkTrio(), catalogs: {}, modelReaders: "x" },
                ...LINK_SECRETS,
            }).map((g) => g.split(":")[0]),
            ["workspaces.catalogs", "workspaces.modelReaders"],
        );
        assert.match(
            problemsOf({ workspaces: ucTrio({ modelRegistry: "uc" }), ...LINK_SECRETS })[0],
            /^workspaces\.modelRegistry: must be workspace .* or unity-catalog/,
        );
    });

    it("refuses an account that no federation credential uses, and a bad account id", () => {
        assert.deepStrictEqual(
            problemsOf({
                workspaces: ucTrio({
                    account: { accountId: "00000000-0000-4000-8000-000000000001" },
                }),
                ...LINK_SECRETS,
            }),
            [
                "workspaces.account: is only used for CI/CD credentials with method federation, and none (of the trio or a project) has it; remove it",
            ],
        );
        const fed = {
            prod: {
                method: "federation",
                issuer: "https://token.actions.githubusercontent.com",
                subject: "s",
            },
        };
        assert.deepStrictEqual(
            problemsOf({
                workspaces: ucTrio({
                    cicdCredentials: fed,
                    account: { accountId: "acct", host: "https://x.example.com" },
                }),
                ...LINK_SECRETS,
            }).map((g) => g.split(":")[0]),
            ["workspaces.account.accountId", "workspaces.account.host"],
        );
    });

    it("needs the dev workspace id when the dev host does not carry it", () => {
        const trio = ucTrio();
        trio.dev = { host: "https://dev.example.azuredatabricks.net" };
        assert.deepStrictEqual(
            problemsOf({ workspaces: trio, ...LINK_SECRETS }).map((g) => g.split(":")[0]),
            ["workspaces.dev.workspaceId"],
        );
    });

    it("projects: modelSchema defaults from the name, must be unique and not the trio's, and servicePrincipalGroupName is legacy-only", () => {
        const read = (projects: unknown[]) =>
            stackConfigOf({ workspaces: ucTrio(), ...LINK_SECRETS, projects }).projects.map(
                (p) => p.modelSchema,
            );
        assert.deepStrictEqual(
            read([
                churn,
                {
                    ...churn,
                    name: "fraud",
                    projectDirectoryPath: "/Projects/fraud",
                    modelSchema: "fraud_models",
                },
            ]),
            ["churn_model", "fraud_models"],
        );
        const got = problemsOf({
            workspaces: ucTrio(),
            ...LINK_SECRETS,
            projects: [
                { ...churn, modelSchema: "models" },
                {
                    ...churn,
                    name: "b",
                    projectDirectoryPath: "/Projects/b",
                    modelSchema: "x",
                    servicePrincipalGroupName: "sps",
                },
                { ...churn, name: "c", projectDirectoryPath: "/Projects/c", modelSchema: "x" },
            ],
        });
        assert.deepStrictEqual(
            got.map((g) => g.split(":")[0]),
            [
                "projects[1].servicePrincipalGroupName",
                "projects[0].modelSchema",
                "projects[2].modelSchema",
            ],
        );
        assert.match(got[1], /also the schema of the trio's workspaces\.modelSchema \("models"\)/);
        assert.match(
            problemsOf({
                workspaces: linkTrio(),
                ...LINK_SECRETS,
                projects: [{ ...churn, modelSchema: "c" }],
            })[0],
            /^projects\[0\]\.modelSchema: only applies with workspaces\.modelRegistry unity-catalog/,
        );
    });

    it("projects: cicdCredentials are read in unity-catalog mode; federation needs workspaces.account; legacy mode refuses them", () => {
        const fed = {
            prod: {
                method: "federation",
                issuer: "https://token.actions.githubusercontent.com",
                subject: "repo:o/churn:environment:prod",
            },
        };
        const creds = stackConfigOf({
            workspaces: ucTrio({
                account: { accountId: "00000000-0000-4000-8000-000000000001" },
            }),
            ...LINK_SECRETS,
            projects: [{ ...churn, cicdCredentials: fed }],
        }).projects[0].cicdCredentials;
        assert.deepStrictEqual(creds, fed);
        assert.deepStrictEqual(
            problemsOf({
                workspaces: ucTrio(),
                ...LINK_SECRETS,
                projects: [{ ...churn, cicdCredentials: { ...fed, staging: { method: "pat" } } }],
            }).map((g) => g.split(":")[0]),
            ["projects[0].cicdCredentials.staging.method", "projects[0].cicdCredentials"],
        );
        assert.deepStrictEqual(
            problemsOf({
                workspaces: linkTrio(),
                ...LINK_SECRETS,
                projects: [{ ...churn, cicdCredentials: fed }],
            }).map((g) => g.split(":")[0]),
            ["projects[0].cicdCredentials"],
        );
    });
});

describe("root program (index.ts), unity-catalog stack", () => {
    let exported: Record<string, any>;
    before(async () => {
        ({ exported } = await runRootProgram(
            { workspaces: ucTrio(), ...LINK_SECRETS, projects: [churn] },
            Object.keys(LINK_SECRETS),
            () => answerLookups(),
        ));
    });

    it("creates catalogs, schemas, bindings and grants, no PAT or secret scope, and passes no legacy setting to the trio", () => {
        for (const t of LEGACY_TYPES) {
            // The project keeps its directory CAN_MANAGE Permissions; nothing else of the legacy mode exists.
            const n = mocks.byType(t).filter((r) => !/directory-permissions$/.test(r.name)).length;
            assert.strictEqual(n, 0, `${t} must not exist`);
        }
        assert.deepStrictEqual(
            mocks
                .byType(T.catalog)
                .map((c) => c.inputs.name)
                .sort(),
            ["ml_dev", "ml_staging"],
        );
        assert.strictEqual(mocks.byType(T.binding).length, 6);
        assert.deepStrictEqual(
            mocks
                .byType(T.schema)
                .map((s) => `${s.inputs.catalogName}.${s.inputs.name}`)
                .sort(),
            [
                "ml_dev.models",
                "ml_prod.churn_model",
                "ml_prod.models",
                "ml_staging.churn_model",
                "ml_staging.models",
            ],
        );
        const trio = mocks.one("pulumi:providers:databricks", "mlops-dev");
        assert.strictEqual(trio.inputs.authType, "azure-cli");
        assert.deepStrictEqual(
            mocks.one(T.binding, "mlops-uc-dev-binding-dev").inputs.workspaceId,
            "1000000000000001",
            "the dev id from its adb- host",
        );
    });

    it("grants the project's SPs USE CATALOG on the package's staging catalog only, not on the existing prod one", () => {
        const projectCatalogGrants = mocks
            .byType(T.grant)
            .filter((g) => g.name.startsWith("Churn-Model-uc-") && g.inputs.catalog !== undefined);
        assert.deepStrictEqual(
            projectCatalogGrants.map((g) => [g.name, g.inputs.catalog]),
            [["Churn-Model-uc-staging-catalog-grant-cicd", "ml_staging"]],
        );
    });

    it("exports catalog, schema and prefix per environment, the project prefixes, and the OAuth secrets as secrets", async () => {
        assert.deepStrictEqual(await settle(exported.unityCatalog), {
            value: {
                dev: {
                    catalogName: "ml_dev",
                    schemaName: "models",
                    modelNamePrefix: "ml_dev.models",
                },
                staging: {
                    catalogName: "ml_staging",
                    schemaName: "models",
                    modelNamePrefix: "ml_staging.models",
                },
                prod: {
                    catalogName: "ml_prod",
                    schemaName: "models",
                    modelNamePrefix: "ml_prod.models",
                },
            },
            secret: false,
        });
        const p = await settle(exported.projects);
        assert.deepStrictEqual(
            [
                p.value["Churn-Model"].stagingModelNamePrefix,
                p.value["Churn-Model"].prodModelNamePrefix,
            ],
            ["ml_staging.churn_model", "ml_prod.churn_model"],
        );
        const secrets = await settle(exported.servicePrincipalOAuthSecrets);
        assert.strictEqual(secrets.secret, true);
        const projectSecrets = await settle(exported.projectServicePrincipalOAuthSecrets);
        assert.strictEqual(projectSecrets.secret, true);
        assert.deepStrictEqual(Object.keys(projectSecrets.value), ["Churn-Model"]);
        assert.strictEqual(
            exported.projectServicePrincipalAadTokens,
            undefined,
            "no token output in unity-catalog mode",
        );
        assert.strictEqual(exported.devSecretScopeNameForStaging, undefined);
    });
});
