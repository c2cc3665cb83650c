/**
 * Token usage (`databricks.Permissions` with `authorization: "tokens"`) is authoritative: whoever loses
 * CAN_USE has their active tokens deleted at once (terraform-provider-databricks
 * docs/resources/permissions.md, "Token usage"). By default nobody may lose it, and a set that narrows
 * it is named in a warning before anything is applied.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { mocks } from "../support/mocks";
import { MlopsWorkspaces } from "../../workspaces/mlopsWorkspaces";
import { MlopsWorkspacesArgs } from "../../workspaces/mlopsWorkspacesArgs";
import { tokenUsageRevocationWarning } from "../../workspaces/servicePrincipalGroup";
import { linkArgs } from "./fixtures";

const PERMS = "databricks:index/permissions:Permissions";

async function build(args: MlopsWorkspacesArgs): Promise<string[]> {
    const warnings: string[] = [];
    const realWarn = pulumi.log.warn;
    (pulumi.log as { warn: typeof pulumi.log.warn }).warn = async (msg: string) =>
        void warnings.push(msg);
    mocks.reset();
    try {
        await mocks.run(() => {
            new MlopsWorkspaces("mlops", args);
        });
    } finally {
        (pulumi.log as { warn: typeof pulumi.log.warn }).warn = realWarn;
    }
    return warnings;
}

const tokenUsage = (env: "staging" | "prod") =>
    mocks.one(PERMS, `mlops-${env}-sp-group-token-usage`).inputs;

describe("token usage: nobody's tokens are revoked silently", () => {
    it("by default the SP group and every workspace user (`users`, who hold it before token permissions are set) keep CAN_USE, with no warning", async () => {
        const warnings = await build(linkArgs({ additionalTokenUsageGroups: undefined }));
        for (const env of ["staging", "prod"] as const) {
            assert.deepStrictEqual(tokenUsage(env), {
                authorization: "tokens",
                accessControls: [
                    { groupName: "mlops-service-principals", permissionLevel: "CAN_USE" },
                    { groupName: "users", permissionLevel: "CAN_USE" },
                ],
            });
        }
        assert.deepStrictEqual(
            warnings.filter((w) => /token usage/.test(w)),
            [],
        );
    });

    it("a set without `users` warns, per workspace, naming who keeps CAN_USE and that everyone else's active tokens are revoked", async () => {
        const warnings = (
            await build(linkArgs({ additionalTokenUsageGroups: ["data-scientists"] }))
        ).filter((w) => /token usage/.test(w));
        assert.strictEqual(warnings.length, 2, JSON.stringify(warnings));
        for (const w of warnings) {
            assert.match(
                w,
                /only workspace admins and the groups "mlops-service-principals", "data-scientists" keep CAN_USE/,
            );
            assert.match(
                w,
                /Every other user and service principal loses it, and Databricks revokes \(deletes\) their active personal access tokens at once/,
            );
            assert.match(w, /Add "users" to additionalTokenUsageGroups/);
        }
        assert.deepStrictEqual(tokenUsage("prod").accessControls, [
            { groupName: "mlops-service-principals", permissionLevel: "CAN_USE" },
            { groupName: "data-scientists", permissionLevel: "CAN_USE" },
        ]);
    });

    it("an explicitly empty list (only the SP group) warns too; a list with `users` does not", async () => {
        assert.match(
            tokenUsageRevocationWarning("sps", [])!,
            /only workspace admins and the groups "sps" keep CAN_USE/,
        );
        assert.strictEqual(
            tokenUsageRevocationWarning("sps", ["data-scientists", "users"]),
            undefined,
        );
        const warnings = await build(
            linkArgs({ additionalTokenUsageGroups: pulumi.output(["users"]) }),
        );
        assert.deepStrictEqual(
            warnings.filter((w) => /token usage/.test(w)),
            [],
        );
    });
});
