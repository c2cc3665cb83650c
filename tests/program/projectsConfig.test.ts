import * as assert from "assert";
import { ConfigError, Problems } from "../../core/problems";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { readProjects } from "../../program/config/projects";
import { plaintextCredentials } from "../../program/config/stackFile";
import { settle } from "../support/mocks";
import { withConfig } from "./workspacesConfigFixtures";

const NS = "azure-databricks-mlops";
const TENANT = "11111111-2222-3333-4444-555555555555";
const STAGING_APP = "aaaaaaaa-0000-0000-0000-000000000001";
const PROD_APP = "aaaaaaaa-0000-0000-0000-000000000002";

function read(values: Record<string, unknown>, secretKeys: string[] = ["projectCredentials"]) {
    return withConfig(values, secretKeys, (c) => {
        const problems = new Problems();
        const projects = readProjects(c, problems);
        return { projects, problems: problems.items };
    });
}

const workspaces = { staging: { host: "https://adb-2.2.azuredatabricks.net" } };
const linked = {
    name: "churn",
    servicePrincipalName: "churn-cicd",
    projectDirectoryPath: "/Projects/churn",
    servicePrincipals: {
        mode: "link",
        staging: { clientId: STAGING_APP, tenantId: TENANT },
        prod: { clientId: PROD_APP, tenantId: TENANT },
    },
};
const created = {
    name: "fraud",
    servicePrincipalName: "fraud-cicd",
    projectDirectoryPath: "/Projects/team/fraud",
    createParentDirectories: true,
    servicePrincipalGroupName: "team-sps",
    servicePrincipals: { mode: "create", tenantId: TENANT },
};
const creds = {
    churn: {
        staging: { clientSecret: "staging-secret-value" },
        prod: { aadToken: "prod-token-value" },
    },
};

function keysOf(problems: readonly { key: string }[]): string[] {
    return problems.map((p) => p.key.replace(`${NS}:`, ""));
}

describe("projects: stack config", () => {
    it("reads nothing and complains about nothing when `projects` is not set", () => {
        const r = read({});
        assert.deepStrictEqual(r.projects, []);
        assert.deepStrictEqual(r.problems, []);
    });

    it("reads linked and created projects, with credentials from projectCredentials as Pulumi secrets", async () => {
        const r = read({ workspaces, projects: [linked, created], projectCredentials: creds });
        assert.deepStrictEqual(r.problems, []);
        assert.strictEqual(r.projects.length, 2);
        const [churn, fraud] = r.projects;
        assert.strictEqual(churn.name, "churn");
        assert.strictEqual(churn.servicePrincipalName, "churn-cicd");
        assert.strictEqual(churn.projectDirectoryPath, "/Projects/churn");
        assert.strictEqual(churn.createParentDirectories, false);
        assert.strictEqual(churn.servicePrincipalGroupName, undefined);
        assert.strictEqual(churn.servicePrincipals.mode, "link");
        if (churn.servicePrincipals.mode !== "link") return;
        assert.strictEqual(churn.servicePrincipals.staging.clientId, STAGING_APP);
        assert.strictEqual(churn.servicePrincipals.staging.tenantId, TENANT);
        assert.deepStrictEqual(await settle(churn.servicePrincipals.staging.clientSecret!), {
            value: "staging-secret-value",
            secret: true,
        });
        assert.strictEqual(churn.servicePrincipals.staging.aadToken, undefined);
        assert.deepStrictEqual(await settle(churn.servicePrincipals.prod.aadToken!), {
            value: "prod-token-value",
            secret: true,
        });
        // Every field of the created project is given, so it reads back exactly as written.
        assert.deepStrictEqual(fraud, created);
    });

    it("refuses credentials that are not stored as a secret, without echoing them", () => {
        const r = read({ workspaces, projects: [linked], projectCredentials: creds }, []);
        assert.ok(keysOf(r.problems).includes("projectCredentials"));
        const msg = new ConfigError(r.problems).message;
        assert.match(msg, /projectCredentials: must be set as a secret/);
        assert.doesNotMatch(msg, /staging-secret-value|prod-token-value/);
    });

    it("refuses secrets inside the projects list and points to the secret key to use instead", () => {
        const withSecret = {
            ...linked,
            servicePrincipals: {
                ...linked.servicePrincipals,
                staging: { clientId: STAGING_APP, tenantId: TENANT, clientSecret: "leaked-value" },
            },
        };
        const r = read({ workspaces, projects: [withSecret], projectCredentials: creds });
        const msg = new ConfigError(r.problems).message;
        assert.deepStrictEqual(keysOf(r.problems), [
            "projects[0].servicePrincipals.staging.clientSecret",
        ]);
        assert.match(
            msg,
            /pulumi config set --secret --path 'projectCredentials\.churn\.staging\.clientSecret'/,
        );
        assert.doesNotMatch(msg, /leaked-value/);
    });

    it("requires a credential per linked environment, and a tenant with a client secret", () => {
        const noTenant = {
            ...linked,
            servicePrincipals: { ...linked.servicePrincipals, staging: { clientId: STAGING_APP } },
        };
        const r = read({
            workspaces,
            projects: [noTenant],
            projectCredentials: { churn: { staging: { clientSecret: "s" } } },
        });
        assert.deepStrictEqual(keysOf(r.problems), [
            "projects[0].servicePrincipals.staging.tenantId",
            "projectCredentials.churn.prod.clientSecret",
        ]);
        assert.match(
            r.problems[1].reason,
            /required for a linked prod principal.*unless azure-databricks-mlops:projectCredentials\.churn\.prod\.aadToken is given/,
        );
    });

    it("rejects both a client secret and an AAD token for one environment", () => {
        const r = read({
            workspaces,
            projects: [linked],
            projectCredentials: {
                churn: { staging: { clientSecret: "s", aadToken: "t" }, prod: { aadToken: "t" } },
            },
        });
        assert.deepStrictEqual(keysOf(r.problems), ["projectCredentials.churn.staging.aadToken"]);
        assert.match(r.problems[0].reason, /either aadToken or clientSecret for staging, not both/);
    });

    it("a plaintext clientSecret next to secure: siblings in the stack file is refused, naming its path", () => {
        const stackYaml = [
            "config:",
            `  ${NS}:projectCredentials:`,
            "    churn:",
            "      staging:",
            "        clientSecret:",
            "          secure: v1:abc",
            "      prod:",
            "        clientSecret: pasted-in-plain-text",
        ].join("\n");
        assert.deepStrictEqual(plaintextCredentials(stackYaml, NS), ["churn.prod.clientSecret"]);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-file-"));
        const cwd = process.cwd();
        try {
            fs.writeFileSync(path.join(dir, `Pulumi.${pulumi.getStack()}.yaml`), stackYaml);
            process.chdir(dir);
            const r = read({
                workspaces,
                projects: [linked],
                projectCredentials: {
                    churn: {
                        staging: { clientSecret: "s" },
                        prod: { clientSecret: "pasted-in-plain-text" },
                    },
                },
            });
            assert.deepStrictEqual(keysOf(r.problems), [
                "projectCredentials.churn.prod.clientSecret",
            ]);
            assert.match(
                r.problems[0].reason,
                /is plain text in Pulumi\..*\.yaml .*pulumi config set --secret --path 'projectCredentials\.churn\.prod\.clientSecret'/,
            );
            assert.ok(!r.problems[0].reason.includes("pasted-in-plain-text"));
        } finally {
            process.chdir(cwd);
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("allowClusterCreate: read when a boolean (absent = the component's default, false), refused otherwise", () => {
        const r = read({
            workspaces,
            projects: [{ ...created, allowClusterCreate: true }],
            projectCredentials: undefined,
        });
        assert.deepStrictEqual(r.problems, []);
        assert.strictEqual(r.projects[0].allowClusterCreate, true);
        assert.strictEqual(
            read({ workspaces, projects: [created] }).projects[0].allowClusterCreate,
            undefined,
        );
        const bad = read({ workspaces, projects: [{ ...created, allowClusterCreate: "yes" }] });
        assert.deepStrictEqual(keysOf(bad.problems), ["projects[0].allowClusterCreate"]);
        assert.match(bad.problems[0].reason, /must be true or false \(default false/);
    });

    it("collects every bad key of every project in one pass, by config key", () => {
        const bad = [
            {
                name: "churn model",
                servicePrincipalName: "",
                projectDirectoryPath: "Projects/x/",
                servicePrincipals: { mode: "create", tenantId: "nope" },
                createParentDirectories: "yes",
                projectDir: "/x",
            },
            {
                name: "b",
                servicePrincipalName: "b",
                projectDirectoryPath: "/Projects/../b",
                servicePrincipals: { mode: "borrow" },
            },
            "not an object",
        ];
        const r = read({ workspaces, projects: bad });
        assert.deepStrictEqual(keysOf(r.problems), [
            "projects[0].projectDir",
            "projects[0].name",
            "projects[0].servicePrincipalName",
            "projects[0].projectDirectoryPath",
            "projects[0].createParentDirectories",
            "projects[0].servicePrincipals.tenantId",
            "projects[1].projectDirectoryPath",
            "projects[1].servicePrincipals.mode",
            "projects[2]",
        ]);
        assert.deepStrictEqual(r.projects, []);
        assert.throws(() => {
            const p = new Problems();
            for (const i of r.problems) p.add(i.key, i.reason);
            p.throwIfAny();
        }, /Invalid stack configuration \(9 problems\)[\s\S]*azure-databricks-mlops:projects\[0\]\.projectDirectoryPath: must be absolute/);
    });

    it("rejects two projects with the same name or the same directory", () => {
        const twin = { ...created, name: "churn", projectDirectoryPath: "/Projects/churn" };
        const r = read({ workspaces, projects: [linked, twin], projectCredentials: creds });
        assert.deepStrictEqual(keysOf(r.problems), [
            "projects[1].name",
            "projects[1].projectDirectoryPath",
        ]);
    });

    it("flags credentials for unknown or create-mode projects (typos would otherwise be ignored)", () => {
        const r = read({
            workspaces,
            projects: [linked, created],
            projectCredentials: {
                ...creds,
                chrun: { staging: { aadToken: "t" } },
                fraud: { prod: { aadToken: "t" } },
            },
        });
        assert.deepStrictEqual(keysOf(r.problems), [
            "projectCredentials.chrun",
            "projectCredentials.fraud",
        ]);
        assert.match(r.problems[0].reason, /names no project.*known: churn, fraud/);
        assert.match(r.problems[1].reason, /not used: this project creates its Entra apps/);
    });

    it("needs the workspace trio, which hosts the projects", () => {
        const r = read({ projects: [created] });
        assert.deepStrictEqual(keysOf(r.problems), ["projects"]);
        assert.match(r.problems[0].reason, /needs azure-databricks-mlops:workspaces/);
    });

    it("rejects a projects value that is not a list", () => {
        const r = read({ workspaces, projects: { churn: linked } });
        assert.deepStrictEqual(keysOf(r.problems), ["projects"]);
        assert.match(r.problems[0].reason, /must be a list of projects/);
    });
});
