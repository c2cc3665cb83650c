/**
 * Day 2: a replaced `databricks.Secret` must be deleted before its replacement is created.
 * `string_value`, `scope` and `key` are ForceNew (terraform-provider-databricks secrets/resource_secret.go)
 * and Delete calls DeleteSecret(scope, key): with Pulumi's default create-before-delete, deleting the
 * old resource removes the key its replacement just wrote (pulumi/pulumi-databricks#642).
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { mocks } from "../support/mocks";
import { MlopsWorkspaces } from "../../workspaces/mlopsWorkspaces";
import { linkArgs } from "../workspaces/fixtures";

const SECRET = "databricks:index/secret:Secret";

describe("day 2: remote-registry secrets survive replacement (rotation, new host or workspace id)", () => {
    before(async () => {
        mocks.reset();
        await mocks.run(() => {
            new MlopsWorkspaces("mlops", linkArgs());
        });
    });

    it("registers every host/token/workspace-id secret with deleteBeforeReplace, so the new key is not deleted with the old resource", () => {
        const secrets = mocks.byType(SECRET);
        assert.strictEqual(secrets.length, 9);
        for (const s of secrets)
            assert.strictEqual(
                (s.opts as pulumi.CustomResourceOptions).deleteBeforeReplace,
                true,
                `${s.name} (${s.inputs.key}) replaces delete-first`,
            );
    });
});
