/**
 * dev, staging and prod must be three workspaces (a project's staging and prod two): one workspace
 * twice would get two SP groups and two authoritative token-usage and registry permissions
 * (terraform-provider-databricks docs/resources/permissions.md: one `authorization = "tokens"` per
 * workspace, else permanent drift). Refused with both settings named, up front for plain values, at
 * deployment for Outputs, and by the stack config reader.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { mocks } from "../support/mocks";
import { Problems } from "../../core/problems";
import { readWorkspaces } from "../../program/config/workspaces";
import {
    checkDistinctWorkspaces,
    normalizeWorkspaceHost,
} from "../../workspaces/distinctWorkspaces";
import { DeferredArgsCheck } from "../../core/deferredCheck";
import {
    MLOPS_WORKSPACES_TYPE,
    MlopsWorkspaces,
    mlopsWorkspacesProblems,
} from "../../workspaces/mlopsWorkspaces";
import { MlopsWorkspacesArgs } from "../../workspaces/mlopsWorkspacesArgs";
import {
    MLOPS_PROJECT_TYPE,
    MlopsProject,
    MlopsProjectArgs,
    validateProjectArgs,
} from "../../projects/mlopsProject";
import { HOSTS, linkArgs, TENANT } from "./fixtures";
import { LINK_SECRETS, linkTrio, NS, withConfig } from "../program/workspacesConfigFixtures";

const shout = (host: string) => `${host.toUpperCase().replace("HTTPS://", "https://")}/`;

function refusedWith(...expected: RegExp[]) {
    return (e: Error) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(e), `an InputPropertiesError, got ${e}`);
        for (const re of expected) assert.match(e.message, re);
        return true;
    };
}

async function trio(args: MlopsWorkspacesArgs): Promise<void> {
    mocks.reset();
    await mocks.run(() => {
        new MlopsWorkspaces("mlops", args);
    });
}

const projectArgs = (over: Partial<MlopsProjectArgs> = {}): MlopsProjectArgs => ({
    staging: { host: HOSTS.staging },
    prod: { host: HOSTS.prod },
    servicePrincipalName: "churn-cicd",
    projectDirectoryPath: "/Projects/churn",
    servicePrincipals: { mode: "create", tenantId: TENANT },
    ...over,
});

async function project(args: MlopsProjectArgs): Promise<void> {
    mocks.reset();
    mocks.onCall("databricks:index/getGroup:getGroup", (a) => ({
        id: `group-${a.inputs.displayName}`,
        displayName: a.inputs.displayName,
    }));
    await mocks.run(() => {
        new MlopsProject("churn", args);
    });
}

describe("three different workspaces", () => {
    it("hosts are compared without scheme, letter case or trailing slashes; ids given or read from adb- hosts", () => {
        assert.strictEqual(
            normalizeWorkspaceHost("HTTPS://ADB-1.1.AzureDatabricks.net//"),
            "adb-1.1.azuredatabricks.net",
        );
        const problems = checkDistinctWorkspaces(
            new Problems(),
            {
                dev: {
                    host: "https://custom-dev.azuredatabricks.net",
                    workspaceId: "2000000000000002",
                },
                staging: { host: HOSTS.staging },
                prod: { host: shout(HOSTS.staging), workspaceId: "2000000000000002" },
            },
            ["dev", "staging", "prod"],
        );
        assert.deepStrictEqual(
            problems.items.map((p) => p.key),
            ["staging.host", "prod.workspaceId"],
        );
        assert.match(
            problems.items[0].reason,
            /is workspace 2000000000000002, the same workspace as dev\.workspaceId; dev, staging, prod must be 3 different workspaces/,
        );
        assert.match(
            problems.items[1].reason,
            /is workspace 2000000000000002, the same workspace as dev\.workspaceId/,
        );
        const hosts = checkDistinctWorkspaces(
            new Problems(),
            { staging: { host: HOSTS.staging }, prod: { host: shout(HOSTS.staging) } },
            ["staging", "prod"],
        );
        assert.deepStrictEqual(
            hosts.items.map((p) => [p.key, p.reason]),
            [
                [
                    "prod.host",
                    `is the same workspace as staging.host (${HOSTS.staging}); staging, prod must be 2 different workspaces`,
                ],
            ],
        );
    });

    it("trio: staging = prod (another spelling of the host) is refused before anything is registered, naming both settings", async () => {
        await assert.rejects(
            trio(
                linkArgs({ prod: { host: shout(HOSTS.staging), workspaceId: "2000000000000002" } }),
            ),
            refusedWith(
                /prod\.host: is the same workspace as staging\.host \(https:\/\/adb-2000000000000002\.2\.azuredatabricks\.net\); dev, staging, prod must be 3 different workspaces/,
            ),
        );
        assert.deepStrictEqual(
            mocks.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.name),
            [],
        );
    });

    it("trio: equal workspace ids under different hosts, and dev = staging, are refused", async () => {
        await assert.rejects(
            trio(
                linkArgs({
                    prod: {
                        host: "https://prod-alias.azuredatabricks.net",
                        workspaceId: "2000000000000002",
                    },
                }),
            ),
            refusedWith(
                /prod\.workspaceId: is workspace 2000000000000002, the same workspace as staging\.workspaceId/,
            ),
        );
        await assert.rejects(
            trio(linkArgs({ dev: { host: HOSTS.staging } })),
            refusedWith(/staging\.host: is the same workspace as dev\.host/),
        );
    });

    it("Outputs are compared once known: every host the providers get fails with the same error; distinct ones pass unchanged", async () => {
        const promiseOf = (o: pulumi.Input<string>) =>
            (pulumi.output(o) as unknown as { promise(): Promise<string> }).promise();
        const args = linkArgs({
            prod: {
                host: pulumi.output(HOSTS.staging),
                workspaceId: pulumi.output("2000000000000002"),
            },
        });
        // What the component does with its args: children get the gated values.
        const gated = new DeferredArgsCheck(
            args,
            mlopsWorkspacesProblems,
            MLOPS_WORKSPACES_TYPE,
            "mlops",
        ).gateAll(args);
        for (const env of ["prod"] as const) {
            await assert.rejects(
                promiseOf(gated[env].host),
                refusedWith(
                    /Invalid arguments for azure-databricks-mlops:index:MlopsWorkspaces "mlops":\n  - prod\.host: is the same workspace as staging\.host/,
                ),
            );
        }
        // All plain: checked up front instead, the connections are passed through untouched.
        const plain = linkArgs();
        assert.deepStrictEqual(
            new DeferredArgsCheck(
                plain,
                mlopsWorkspacesProblems,
                MLOPS_WORKSPACES_TYPE,
                "mlops",
            ).gateAll(plain).dev,
            plain.dev,
        );
        // The trio's providers get the checked hosts.
        await trio(
            linkArgs({
                prod: { host: pulumi.output(HOSTS.prod), workspaceId: "3000000000000003" },
            }),
        );
        assert.strictEqual(
            mocks.one("pulumi:providers:databricks", "mlops-prod").inputs.host,
            HOSTS.prod,
        );
    });

    it("project: staging = prod is refused, for plain values up front and for Outputs once known", async () => {
        await assert.rejects(
            project(projectArgs({ prod: { host: `${HOSTS.staging}/` } })),
            refusedWith(
                /prod\.host: is the same workspace as staging\.host \(https:\/\/adb-2000000000000002\.2\.azuredatabricks\.net\); staging, prod must be 2 different workspaces/,
            ),
        );
        assert.deepStrictEqual(
            mocks.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.name),
            [],
        );
        const promiseOf = (o: pulumi.Input<string>) =>
            (pulumi.output(o) as unknown as { promise(): Promise<string> }).promise();
        const bad = projectArgs({ prod: { host: pulumi.output(HOSTS.staging) } });
        const gated = new DeferredArgsCheck(
            bad,
            validateProjectArgs,
            MLOPS_PROJECT_TYPE,
            "churn",
        ).gateAll(bad);
        await assert.rejects(
            promiseOf(gated.prod.host),
            refusedWith(
                /MlopsProject "churn":\n  - prod\.host: is the same workspace as staging\.host .*staging, prod must be 2 different workspaces/,
            ),
        );
    });

    it("stack config: workspaces.prod naming the staging workspace is a problem on its full key, naming the other setting", () => {
        const w = linkTrio();
        w.prod.host = shout(w.staging.host);
        const items = withConfig(
            { workspaces: w, ...LINK_SECRETS },
            Object.keys(LINK_SECRETS),
            (c) => {
                const problems = new Problems();
                assert.strictEqual(readWorkspaces(c, problems), undefined);
                return problems.items;
            },
        );
        const p = items.find((x) => x.key === `${NS}:workspaces.prod.host`);
        assert.ok(p, JSON.stringify(items));
        assert.match(
            p!.reason,
            new RegExp(`is the same workspace as ${NS}:workspaces\\.staging\\.host`),
        );
    });
});
