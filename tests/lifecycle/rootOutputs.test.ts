/**
 * Day 2: the root program exports no `undefined` output (the SDK warns about each on every
 * run), refuses one Entra app linked twice in one workspace at validation, and exports the created
 * projects' client secrets (secret).
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { mocks, settle } from "../support/mocks";
import {
    LINK_SECRETS,
    linkTrio,
    runRootProgram,
    STAGING_APP,
    TENANT,
} from "../program/workspacesConfigFixtures";

const GET_GROUP = "databricks:index/getGroup:getGroup";
const OTHER_APP = "aaaaaaaa-0000-0000-0000-000000000009";
const answerGroups = () =>
    mocks.onCall(GET_GROUP, (a) => ({
        id: `group-${a.inputs.displayName}`,
        displayName: a.inputs.displayName,
    }));

/** Runs the root program, collecting the SDK's warnings. */
async function run(values: Record<string, unknown>, secretKeys: string[]) {
    const warnings: string[] = [];
    const warn = pulumi.log.warn;
    (pulumi.log as { warn: typeof warn }).warn = async (msg: string, ...rest: any[]) => {
        warnings.push(msg);
        return warn.call(pulumi.log, msg, ...rest);
    };
    try {
        const r = await runRootProgram(values, secretKeys, answerGroups);
        return { ...r, warnings };
    } finally {
        (pulumi.log as { warn: typeof warn }).warn = warn;
    }
}

describe("day 2: root program outputs", () => {
    it("a stack with only the trio exports no undefined value (no 'Undefined value' warning); scimSync and mlRegistry are absent", async () => {
        const { exported, warnings } = await run(
            { workspaces: linkTrio(), ...LINK_SECRETS },
            Object.keys(LINK_SECRETS),
        );
        assert.deepStrictEqual(
            Object.entries(exported)
                .filter(([, v]) => v === undefined)
                .map(([k]) => k),
            [],
        );
        assert.deepStrictEqual(
            warnings.filter((w) => /Undefined value/.test(w)),
            [],
        );
        assert.ok(!("scimSync" in exported) && !("mlRegistry" in exported));
        assert.strictEqual(
            (await settle(exported.devSecretScopeNameForProd)).value,
            "remote-mr-prod",
        );
    });

    it("exports the created projects' client secrets per project, as one secret; linked projects have none", async () => {
        const projects = [
            {
                name: "fraud",
                servicePrincipalName: "fraud-cicd",
                projectDirectoryPath: "/Projects/fraud",
                servicePrincipals: { mode: "create", tenantId: TENANT },
            },
            {
                name: "churn",
                servicePrincipalName: "churn-cicd",
                projectDirectoryPath: "/Projects/churn",
                servicePrincipals: {
                    mode: "link",
                    staging: { clientId: OTHER_APP, tenantId: TENANT },
                    prod: { clientId: "aaaaaaaa-0000-0000-0000-00000000000a", tenantId: TENANT },
                },
            },
        ];
        const projectCredentials = {
            churn: { staging: { clientSecret: "s" }, prod: { clientSecret: "p" } },
        };
        const { exported } = await run(
            { workspaces: linkTrio(), ...LINK_SECRETS, projects, projectCredentials },
            [...Object.keys(LINK_SECRETS), "projectCredentials"],
        );
        const secrets = await settle(exported.projectServicePrincipalClientSecrets);
        assert.strictEqual(
            secrets.secret,
            true,
            "the whole output is secret, so every client flags it",
        );
        assert.deepStrictEqual(secrets.value, {
            fraud: {
                stagingServicePrincipalClientSecret: "password-of-fraud-staging-password",
                prodServicePrincipalClientSecret: "password-of-fraud-prod-password",
            },
        });
        assert.strictEqual((await settle(exported.projectServicePrincipalAadTokens)).secret, true);
    });
});

describe("day 2: one Entra app linked twice in one workspace is a config error", () => {
    const project = (name: string, stagingClientId: string) => ({
        name,
        servicePrincipalName: `${name}-cicd`,
        projectDirectoryPath: `/Projects/${name}`,
        servicePrincipals: {
            mode: "link",
            staging: { clientId: stagingClientId, tenantId: TENANT },
            prod: {
                clientId: `aaaaaaaa-0000-0000-0000-0000000000${name === "a" ? "0a" : "0b"}`,
                tenantId: TENANT,
            },
        },
    });
    const creds = {
        a: { staging: { clientSecret: "s" }, prod: { clientSecret: "p" } },
        b: { staging: { clientSecret: "s" }, prod: { clientSecret: "p" } },
    };
    const keys = [...Object.keys(LINK_SECRETS), "projectCredentials"];

    it("the trio's staging app reused by a project: names both keys, before any resource", async () => {
        await assert.rejects(
            run(
                {
                    workspaces: linkTrio(),
                    ...LINK_SECRETS,
                    projects: [project("a", STAGING_APP.toUpperCase())],
                    projectCredentials: { a: creds.a },
                },
                keys,
            ),
            (e: Error) => {
                assert.strictEqual(e.name, "ConfigError");
                assert.match(
                    e.message,
                    /projects\[0\]\.servicePrincipals\.staging\.clientId: is the same Entra app as azure-databricks-mlops:workspaces\.servicePrincipals\.staging\.clientId .*only one service principal in the staging workspace/,
                );
                return true;
            },
        );
        assert.deepStrictEqual(
            mocks.resources.map((r) => r.type).filter((t) => t !== "pulumi:pulumi:Stack"),
            [],
        );
    });

    it("two projects with one staging app", async () => {
        await assert.rejects(
            run(
                {
                    workspaces: linkTrio(),
                    ...LINK_SECRETS,
                    projects: [project("a", OTHER_APP), project("b", OTHER_APP)],
                    projectCredentials: creds,
                },
                keys,
            ),
            /projects\[1\]\.servicePrincipals\.staging\.clientId: is the same Entra app as azure-databricks-mlops:projects\[0\]\.servicePrincipals\.staging\.clientId/,
        );
    });

    it("the same app in staging and in prod (different workspaces) is fine", async () => {
        const p = project("a", OTHER_APP);
        (p.servicePrincipals.prod as { clientId: string }).clientId = OTHER_APP;
        await run(
            {
                workspaces: linkTrio(),
                ...LINK_SECRETS,
                projects: [p],
                projectCredentials: { a: creds.a },
            },
            keys,
        );
    });
});
