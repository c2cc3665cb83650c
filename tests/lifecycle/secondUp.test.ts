/**
 * Day 2: what a second `pulumi up` right after the first shows. The engine diffs each resource's
 * inputs (and replacementTrigger) against the last run's; a program that registers the same values
 * again has nothing to change. Run the trio and a project twice, an hour apart within one rotation
 * period, and compare everything the engine would receive.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { mocks, settle } from "../mocks";
import { MlopsWorkspaces } from "../../components/mlopsWorkspaces";
import { MlopsProject } from "../../components/mlopsProject";
import { rotationPeriod } from "../../components/rotationPeriod";
import { createArgs, linkArgs, HOSTS, TENANT } from "../workspaces/fixtures";

const HOUR = 3_600_000;

async function registered(nowMs: number, mode: "link" | "create"): Promise<string[]> {
    mocks.reset();
    mocks.onCall("databricks:index/getGroup:getGroup", (a) => ({ id: `group-${a.inputs.displayName}`, displayName: a.inputs.displayName }));
    const realNow = Date.now;
    Date.now = () => nowMs;
    try {
        await mocks.run(() => {
            const trio = new MlopsWorkspaces("mlops", mode === "link" ? linkArgs() : createArgs());
            new MlopsProject(
                "churn",
                { staging: { host: HOSTS.staging }, prod: { host: HOSTS.prod }, servicePrincipalName: "churn-cicd", projectDirectoryPath: "/Projects/churn", servicePrincipals: { mode: "create", tenantId: TENANT } },
                { dependsOn: [trio] },
            );
        });
        const rows: string[] = [];
        for (const r of mocks.resources) {
            const trigger = (r.opts as pulumi.CustomResourceOptions).replacementTrigger;
            rows.push(JSON.stringify([r.type, r.name, r.inputs, trigger === undefined ? null : (await settle(trigger)).value]));
        }
        return rows.sort();
    } finally {
        Date.now = realNow;
    }
}

describe("day 2: a second up right after the first", () => {
    for (const mode of ["link", "create"] as const) {
        it(`${mode} mode: registers exactly the same resources, inputs and replacement triggers (no changes)`, async () => {
            const t0 = Date.parse(rotationPeriod(90).start) + 5 * HOUR;
            const first = await registered(t0, mode);
            const second = await registered(t0 + HOUR, mode);
            assert.ok(first.length > 30, `${first.length} resources`);
            assert.deepStrictEqual(second, first);
        });
    }
});
