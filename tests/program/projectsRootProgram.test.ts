import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { mocks, settle } from "../support/mocks";
import { LINK_SECRETS, linkTrio, runRootProgram, TENANT } from "./workspacesConfigFixtures";
import { churnProject, FRAUD_PROJECT, PROJECT_CREDENTIALS } from "./rootProjects";

const PROJECT = "azure-databricks-mlops:index:MlopsProject";
const MEMBER = "databricks:index/groupMember:GroupMember";
const DIR = "databricks:index/directory:Directory";
const TOKEN = "pulumi-nodejs:dynamic/aad:Token";
const GET_GROUP = "databricks:index/getGroup:getGroup";

const CHURN_STAGING = "aaaaaaaa-0000-0000-0000-000000000001";
const CHURN_PROD = "aaaaaaaa-0000-0000-0000-000000000002";

const churn = churnProject(CHURN_STAGING, CHURN_PROD);
const fraud = FRAUD_PROJECT;
const forecast = {
    ...fraud,
    name: "forecast",
    servicePrincipalName: "forecast-cicd",
    projectDirectoryPath: "/Shared/forecast",
    servicePrincipalGroupName: "forecast-sps",
};
const projectCredentials = PROJECT_CREDENTIALS;

interface Run {
    exported: Record<string, any>;
    /** GroupMember groupId inputs as registered (Outputs), by resource name. */
    groupIds: Record<string, pulumi.Input<string>>;
}

/** Runs the root program (fresh) under mocks with the trio plus these projects. */
async function runRoot(
    projects: unknown[],
    extra: Record<string, unknown> = { projectCredentials },
    secretKeys = ["projectCredentials"],
): Promise<Run> {
    const groupIds: Record<string, pulumi.Input<string>> = {};
    const { exported } = await runRootProgram(
        { workspaces: linkTrio(), ...LINK_SECRETS, projects, ...extra },
        [...Object.keys(LINK_SECRETS), ...secretKeys],
        () => {
            mocks.onCall(GET_GROUP, (a) => ({
                id: `group:${a.inputs.displayName}@${/staging/.test(a.provider ?? "") ? "staging" : "prod"}`,
                displayName: a.inputs.displayName,
            }));
            pulumi.runtime.registerStackTransformation((a) => {
                if (a.type === MEMBER) groupIds[a.name] = a.props.groupId;
                return undefined;
            });
        },
    );
    return { exported, groupIds };
}

const names = (type: string) =>
    mocks
        .byType(type)
        .map((r) => r.name)
        .sort();

describe("root program (index.ts), projects", () => {
    it("builds one MlopsProject per configured project, after the trio, in the trio's staging and prod workspaces", async () => {
        const { exported, groupIds } = await runRoot([churn, fraud]);
        assert.deepStrictEqual(names(PROJECT), ["churn", "fraud"]);
        const trio = mocks.one("azure-databricks-mlops:index:MlopsWorkspaces", "mlops");
        for (const p of mocks.byType(PROJECT)) {
            assert.deepStrictEqual(
                ((p.opts.dependsOn ?? []) as pulumi.Resource[]).map((r) => (r as any).__name),
                [trio.name],
                `${p.name} depends on the trio`,
            );
        }
        assert.deepStrictEqual(
            mocks
                .byType(DIR)
                .map((d) => `${d.name} ${d.provider} ${d.inputs.path}`)
                .sort(),
            [
                "churn-prod-directory churn-prod /Projects/churn",
                "churn-staging-directory churn-staging /Projects/churn",
                "fraud-prod-directory fraud-prod /Shared/fraud",
                "fraud-staging-directory fraud-staging /Shared/fraud",
            ],
        );
        // Group lookups by the trio's group name; each membership waits for the trio.
        const lookups = mocks.callLog.filter((c) => c.token === GET_GROUP);
        assert.deepStrictEqual(
            lookups.map((c) => c.inputs.displayName),
            Array(4).fill("mlops-service-principals"),
        );
        assert.strictEqual(
            mocks.one(MEMBER, "fraud-staging-group-member").inputs.groupId,
            "group:mlops-service-principals@staging",
        );
        for (const n of [
            "churn-staging-group-member",
            "churn-prod-group-member",
            "fraud-staging-group-member",
            "fraud-prod-group-member",
        ]) {
            const deps = await (
                pulumi.output(groupIds[n]) as unknown as {
                    allResources(): Promise<Set<pulumi.Resource>>;
                }
            ).allResources();
            assert.ok(
                [...deps].some(
                    (r) =>
                        (r as any).__name === "mlops" &&
                        (r as any).__pulumiType === "azure-databricks-mlops:index:MlopsWorkspaces",
                ),
                `${n} waits for the trio`,
            );
        }

        // Linked credentials come from projectCredentials, as secrets; created apps use a provider for their tenant.
        const churnToken = mocks.one(TOKEN, "churn-staging-aad-token");
        assert.deepStrictEqual(
            [churnToken.inputs.clientId, churnToken.inputs.clientSecret],
            [CHURN_STAGING, "churn-staging-secret"],
        );
        assert.ok(churnToken.secretInputs.has("clientSecret"));
        assert.strictEqual(
            mocks.byType(TOKEN).filter((t) => t.name.startsWith("churn-prod")).length,
            0,
            "prod was given a token",
        );
        assert.deepStrictEqual(
            mocks
                .byType("azuread:index/application:Application")
                .map((a) => `${a.name} ${a.provider}`)
                .sort(),
            ["fraud-prod-app fraud-entra", "fraud-staging-app fraud-entra"],
        );

        // Stack outputs per project: readable ids, secret tokens.
        assert.deepStrictEqual((await settle(exported.projects)).value, {
            churn: {
                projectDirectoryPath: "/Projects/churn",
                stagingServicePrincipalApplicationId: CHURN_STAGING,
                prodServicePrincipalApplicationId: CHURN_PROD,
            },
            fraud: {
                projectDirectoryPath: "/Shared/fraud",
                stagingServicePrincipalApplicationId: "client-id-of-fraud-staging-app",
                prodServicePrincipalApplicationId: "client-id-of-fraud-prod-app",
            },
        });
        assert.strictEqual((await settle(exported.projects)).secret, false);
        const tokens = exported.projectServicePrincipalAadTokens;
        assert.deepStrictEqual(await settle(tokens.churn.prodServicePrincipalAadToken), {
            value: "churn-prod-token",
            secret: true,
        });
        assert.deepStrictEqual(await settle(tokens.churn.stagingServicePrincipalAadToken), {
            value: "aad-token-of-churn-staging-aad-token",
            secret: true,
        });
        assert.deepStrictEqual(await settle(tokens.fraud.prodServicePrincipalAadToken), {
            value: "aad-token-of-fraud-prod-aad-token",
            secret: true,
        });
    });

    it("builds an azuread provider per create-mode project; the first of each tenant takes over 0.1's shared provider URN; honours a project's own group name", async () => {
        await runRoot([fraud, forecast], {}, []);
        assert.deepStrictEqual(names("pulumi:providers:azuread"), [
            "forecast-entra",
            "fraud-entra",
        ]);
        const aliases = await Promise.all(
            ["fraud-entra", "forecast-entra"].map((n) =>
                settle(pulumi.output(mocks.one("pulumi:providers:azuread", n).opts.aliases ?? [])),
            ),
        );
        assert.deepStrictEqual(
            aliases.map((a) => a.value),
            [
                [
                    `urn:pulumi:test::azure-databricks-mlops::pulumi:providers:azuread::projects-entra-${TENANT}`,
                ],
                [],
            ],
        );
        for (const n of ["fraud-entra", "forecast-entra"])
            assert.strictEqual(mocks.one("pulumi:providers:azuread", n).inputs.tenantId, TENANT);
        assert.strictEqual(
            mocks.one(MEMBER, "forecast-prod-group-member").inputs.groupId,
            "group:forecast-sps@prod",
        );
        assert.strictEqual(
            mocks.one(MEMBER, "fraud-prod-group-member").inputs.groupId,
            "group:mlops-service-principals@prod",
        );
    });

    it("keys resources by project name: reordering the list changes nothing", async () => {
        const snapshot = () =>
            mocks.resources
                .filter((r) => r.type !== "pulumi:pulumi:Stack")
                .map((r) => `${r.type} ${r.name} ${JSON.stringify(r.inputs)}`)
                .sort();
        await runRoot([churn, fraud]);
        const first = snapshot();
        await runRoot([fraud, churn]);
        assert.deepStrictEqual(snapshot(), first);
    });

    it("no projects configured: no project resources and empty project outputs", async () => {
        const { exported } = await runRoot([], {}, []);
        assert.strictEqual(mocks.byType(PROJECT).length, 0);
        assert.deepStrictEqual(exported.projects, {});
    });

    it("bad project config: one ConfigError naming each bad key, and no resource registered", async () => {
        const bad = [
            { ...churn, projectDirectoryPath: "/Projects/churn/" },
            { ...fraud, name: "churn", servicePrincipalName: "" },
        ];
        await assert.rejects(runRoot(bad), (e: Error) => {
            assert.strictEqual(e.name, "ConfigError");
            assert.match(
                e.message,
                /azure-databricks-mlops:projects\[0\]\.projectDirectoryPath: must not end with '\/'/,
            );
            assert.match(
                e.message,
                /azure-databricks-mlops:projects\[1\]\.servicePrincipalName: must be a non-empty display name/,
            );
            assert.match(
                e.message,
                /azure-databricks-mlops:projects\[1\]\.name: duplicates the name of azure-databricks-mlops:projects\[0\]/,
            );
            assert.doesNotMatch(e.message, /churn-staging-secret|churn-prod-token/);
            return true;
        });
        assert.deepStrictEqual(
            mocks.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.name),
            [],
        );
    });
});
