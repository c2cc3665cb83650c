import * as assert from "assert";
import { Problems } from "../../core/problems";
import { readWorkspaces, workspaceIdFromHost } from "../../program/config/workspaces";
import { loadStackConfig, ConfigError } from "../../program/config";
import { settle } from "../support/mocks";
import {
    DEPLOYER,
    LINK_SECRETS,
    linkTrio,
    NS,
    PROD_APP,
    STAGING_APP,
    TENANT,
    withConfig,
} from "./workspacesConfigFixtures";

function read(values: Record<string, unknown>, secretKeys: string[] = Object.keys(LINK_SECRETS)) {
    return withConfig(values, secretKeys, (c) => {
        const problems = new Problems();
        const ws = readWorkspaces(c, problems);
        return {
            ws,
            problems: problems.items,
            keys: problems.items.map((p) => p.key.replace(`${NS}:`, "")),
        };
    });
}
const valid = () => ({ workspaces: linkTrio(), ...LINK_SECRETS });

describe("workspaces config", () => {
    it("reads a valid link-mode trio: hosts, ids (from adb- hosts or given), auth methods, principals", async () => {
        const { ws, problems } = read(valid());
        assert.deepStrictEqual(problems, []);
        assert.ok(ws);
        assert.deepStrictEqual(
            [ws.dev.host, ws.dev.auth],
            ["https://adb-1000000000000001.1.azuredatabricks.net", { method: "azure-cli" }],
        );
        assert.strictEqual(ws.staging.workspaceId, "2000000000000002", "read from the adb- host");
        assert.strictEqual(ws.prod.workspaceId, "3000000000000003");
        assert.strictEqual(ws.staging.auth.method, "client-secret");
        if (ws.staging.auth.method === "client-secret") {
            assert.deepStrictEqual(
                [ws.staging.auth.clientId, ws.staging.auth.tenantId],
                [DEPLOYER, TENANT],
            );
            assert.deepStrictEqual(await settle(ws.staging.auth.clientSecret), {
                value: "deployer-secret",
                secret: true,
            });
        }
        if (ws.prod.auth.method === "aad-token")
            assert.deepStrictEqual(await settle(ws.prod.auth.aadToken), {
                value: "deployer-token",
                secret: true,
            });
        assert.strictEqual(ws.servicePrincipals.mode, "link");
        if (ws.servicePrincipals.mode === "link") {
            const { staging, prod } = ws.servicePrincipals;
            assert.deepStrictEqual(
                [staging.clientId, staging.tenantId, prod.clientId, prod.clientSecret],
                [STAGING_APP, TENANT, PROD_APP, undefined],
            );
            assert.deepStrictEqual(await settle(staging.clientSecret!), {
                value: "staging-sp-secret",
                secret: true,
            });
            assert.deepStrictEqual(await settle(prod.aadToken!), {
                value: "prod-sp-token",
                secret: true,
            });
        }
        assert.deepStrictEqual(ws.additionalTokenUsageGroups, ["users"]);
    });

    it("reads create mode, group name, lifetime and rotation", () => {
        const { ws, problems } = read(
            {
                workspaces: {
                    ...linkTrio(),
                    servicePrincipals: { mode: "create", tenantId: TENANT },
                    servicePrincipalGroupName: "sps",
                    tokenLifetimeSeconds: 864000,
                    tokenRotationDays: 7,
                },
                stagingWorkspaceClientSecret: "x",
                prodWorkspaceAadToken: "y",
            },
            ["stagingWorkspaceClientSecret", "prodWorkspaceAadToken"],
        );
        assert.deepStrictEqual(problems, []);
        assert.deepStrictEqual(ws!.servicePrincipals, { mode: "create", tenantId: TENANT });
        assert.deepStrictEqual(
            [ws!.servicePrincipalGroupName, ws!.tokenLifetimeSeconds, ws!.tokenRotationDays],
            ["sps", 864000, 7],
        );
    });

    it("no workspaces key: nothing configured, no problem", () => {
        assert.deepStrictEqual(read({}), { ws: undefined, problems: [], keys: [] });
    });

    it("names every bad key at once, by its full config key, saying what is valid", () => {
        const w = linkTrio();
        w.dev.host = "http://adb-1.1.azuredatabricks.net";
        w.staging.workspaceId = "adb-12";
        w.prod = { host: "https://prod.example.azuredatabricks.net", auth: { method: "password" } };
        w.servicePrincipals.staging.clientId = "not-a-guid";
        w.additionalTokenUsageGroups = ["users", "", "users"];
        w.tokenRotationDays = 120;
        w.extra = true;
        const { ws, problems, keys } = read(
            {
                workspaces: w,
                stagingClientSecret: "s",
                prodAadToken: "t",
                stagingWorkspaceClientSecret: "d",
            },
            ["stagingClientSecret", "prodAadToken", "stagingWorkspaceClientSecret"],
        );
        assert.strictEqual(ws, undefined);
        assert.deepStrictEqual(keys.sort(), [
            "workspaces.additionalTokenUsageGroups[1]",
            "workspaces.additionalTokenUsageGroups[2]",
            "workspaces.dev.host",
            "workspaces.extra",
            "workspaces.prod.auth.method",
            "workspaces.prod.workspaceId",
            "workspaces.servicePrincipals.staging.clientId",
            "workspaces.staging.workspaceId",
            "workspaces.tokenRotationDays",
        ]);
        const reason = (k: string) => problems.find((p) => p.key === `${NS}:${k}`)!.reason;
        assert.match(reason("workspaces.dev.host"), /https:\/\/ Azure Databricks workspace URL/);
        assert.match(reason("workspaces.prod.auth.method"), /azure-cli, client-secret, aad-token/);
        assert.match(reason("workspaces.prod.workspaceId"), /adb-<workspace id>/);
        assert.match(reason("workspaces.servicePrincipals.staging.clientId"), /GUID/);
        assert.match(
            reason("workspaces.tokenRotationDays"),
            /less than the token lifetime \(100 days/,
        );
        assert.match(reason("workspaces.staging.workspaceId"), /numeric workspace id/);
    });

    it("a workspace id that contradicts its adb- host is refused; an unquoted safe number is accepted", () => {
        const w = linkTrio();
        w.staging.workspaceId = "999";
        assert.deepStrictEqual(read({ workspaces: w, ...LINK_SECRETS }).keys, [
            "workspaces.staging.workspaceId",
        ]);
        w.staging.workspaceId = 2000000000000002;
        assert.deepStrictEqual(
            read({ workspaces: w, ...LINK_SECRETS }).ws!.staging.workspaceId,
            "2000000000000002",
        );
    });

    it("missing sections and principals are named", () => {
        assert.deepStrictEqual(read({ workspaces: {} }, []).keys, [
            "workspaces.dev",
            "workspaces.staging",
            "workspaces.prod",
            "workspaces.servicePrincipals",
        ]);
        assert.deepStrictEqual(read({ workspaces: "x" }, []).keys, ["workspaces"]);
        const w = linkTrio();
        w.servicePrincipals = {
            mode: "link",
            staging: { clientId: STAGING_APP, tenantId: TENANT },
        };
        assert.deepStrictEqual(
            read(
                {
                    workspaces: w,
                    stagingClientSecret: "s",
                    stagingWorkspaceClientSecret: "d",
                    prodWorkspaceAadToken: "t",
                },
                ["stagingClientSecret", "stagingWorkspaceClientSecret", "prodWorkspaceAadToken"],
            ).keys,
            ["workspaces.servicePrincipals.prod"],
        );
        w.servicePrincipals = { mode: "create" };
        assert.deepStrictEqual(
            read({ workspaces: w, stagingWorkspaceClientSecret: "d", prodWorkspaceAadToken: "t" }, [
                "stagingWorkspaceClientSecret",
                "prodWorkspaceAadToken",
            ]).keys,
            ["workspaces.servicePrincipals.tenantId"],
        );
    });

    it("a linked principal needs an AAD token, or a client secret with a tenant id; not both", () => {
        const only = (secrets: Record<string, string>, prodTenant?: string) => {
            const w = linkTrio();
            if (prodTenant) w.servicePrincipals.prod.tenantId = prodTenant;
            const all = {
                stagingClientSecret: "s",
                stagingWorkspaceClientSecret: "d",
                prodWorkspaceAadToken: "t",
                ...secrets,
            };
            return read({ workspaces: w, ...all }, Object.keys(all)).keys;
        };
        assert.deepStrictEqual(only({}), ["prodClientSecret"]);
        assert.deepStrictEqual(only({ prodClientSecret: "s" }), [
            "workspaces.servicePrincipals.prod.tenantId",
        ]);
        assert.deepStrictEqual(only({ prodClientSecret: "s" }, TENANT), []);
        assert.deepStrictEqual(only({ prodClientSecret: "s", prodAadToken: "t" }, TENANT), [
            "prodAadToken",
        ]);
    });

    it("secrets must be set as secrets, never inside the workspaces object, and unused ones are flagged", () => {
        const plain = read({ workspaces: linkTrio(), ...LINK_SECRETS }, [
            "prodAadToken",
            "stagingWorkspaceClientSecret",
            "prodWorkspaceAadToken",
        ]);
        assert.deepStrictEqual(plain.keys, ["stagingClientSecret"]);
        assert.match(plain.problems[0].reason, /pulumi config set --secret stagingClientSecret/);
        assert.ok(
            !plain.problems[0].reason.includes("staging-sp-secret"),
            "never echoes the value",
        );

        const w = linkTrio();
        w.servicePrincipals.staging.clientSecret = "inline";
        w.dev.auth = { method: "azure-cli", aadToken: "inline" };
        assert.deepStrictEqual(read({ workspaces: w, ...LINK_SECRETS }).keys.sort(), [
            "workspaces.dev.auth.aadToken",
            "workspaces.servicePrincipals.staging.clientSecret",
        ]);

        const extra = read(
            { workspaces: linkTrio(), ...LINK_SECRETS, devWorkspaceClientSecret: "x" },
            [...Object.keys(LINK_SECRETS), "devWorkspaceClientSecret"],
        );
        assert.deepStrictEqual(extra.keys, ["devWorkspaceClientSecret"]);
        assert.match(extra.problems[0].reason, /workspaces\.dev\.auth\.method client-secret/);

        assert.deepStrictEqual(read({ stagingClientSecret: "x" }, ["stagingClientSecret"]).keys, [
            "stagingClientSecret",
        ]);
    });

    it("an auth method's secret is required", () => {
        const { keys, problems } = read(
            { workspaces: linkTrio(), stagingClientSecret: "s", prodAadToken: "t" },
            ["stagingClientSecret", "prodAadToken"],
        );
        assert.deepStrictEqual(keys, ["stagingWorkspaceClientSecret", "prodWorkspaceAadToken"]);
        assert.match(problems[0].reason, /--secret stagingWorkspaceClientSecret/);
    });

    it("loadStackConfig throws one ConfigError listing every problem by full key", () => {
        const w = linkTrio();
        w.dev.host = "nope";
        w.tokenLifetimeSeconds = -1;
        withConfig({ workspaces: w, ...LINK_SECRETS }, Object.keys(LINK_SECRETS), (c) => {
            assert.throws(
                () => loadStackConfig(c),
                (e: unknown) => {
                    assert.ok(e instanceof ConfigError);
                    assert.match(e.message, /^Invalid stack configuration \(2 problems\)/);
                    assert.match(e.message, /- azure-databricks-mlops:workspaces\.dev\.host: /);
                    assert.match(
                        e.message,
                        /- azure-databricks-mlops:workspaces\.tokenLifetimeSeconds: must be a positive whole number/,
                    );
                    return true;
                },
            );
        });
    });

    it("checks the remaining rules: auth shape and ids, principal tenant, unknown nested keys, groups, names, unsafe ids, bad JSON", () => {
        const w = linkTrio();
        w.dev.auth = "cli";
        w.staging.auth = { method: "client-secret", clientId: "x", tenantId: "y", extra: 1 };
        // eslint-disable-next-line no-loss-of-precision -- a YAML number too large for a JS number, as users write ids
        w.prod.workspaceId = 99999999999999999999;
        w.servicePrincipals.staging.tenantId = "tenant";
        w.servicePrincipals.prod.color = "blue";
        w.additionalTokenUsageGroups = "users";
        w.servicePrincipalGroupName = "";
        w.servicePrincipalDisplayName = 7;
        const { keys, problems } = read({ workspaces: w, ...LINK_SECRETS });
        assert.deepStrictEqual(keys.sort(), [
            "workspaces.additionalTokenUsageGroups",
            "workspaces.dev.auth",
            "workspaces.prod.workspaceId",
            "workspaces.servicePrincipalDisplayName",
            "workspaces.servicePrincipalGroupName",
            "workspaces.servicePrincipals.prod.color",
            "workspaces.servicePrincipals.staging.tenantId",
            "workspaces.staging.auth.clientId",
            "workspaces.staging.auth.extra",
            "workspaces.staging.auth.tenantId",
        ]);
        assert.match(
            problems.find((p) => p.key.endsWith("prod.color"))!.reason,
            /valid ones: clientId, tenantId$/,
        );
        assert.deepStrictEqual(read({ workspaces: "{not json" }, []).keys, ["workspaces"]);
    });

    it("workspaceIdFromHost reads adb-<id> hosts only", () => {
        assert.strictEqual(workspaceIdFromHost("https://adb-123.4.azuredatabricks.net/"), "123");
        assert.strictEqual(workspaceIdFromHost("https://myws.azuredatabricks.net"), undefined);
    });
});
