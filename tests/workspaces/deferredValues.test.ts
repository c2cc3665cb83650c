/**
 * Values a TypeScript program passes as Outputs (a workspace id from another resource): the component
 * runs its own validation again once they are known, its children get them only if they pass, and
 * every output it returns waits for that verdict (over gRPC, what Construct returns).
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { DeferredArgsCheck } from "../../core/deferredCheck";
import { MLOPS_WORKSPACES_TYPE, mlopsWorkspacesProblems } from "../../workspaces/mlopsWorkspaces";
import { MlopsWorkspacesArgs } from "../../workspaces/mlopsWorkspacesArgs";
import { linkArgs, HOSTS } from "./fixtures";

const promiseOf = <T>(o: pulumi.Input<T> | undefined) =>
    (pulumi.output(o) as unknown as { promise(): Promise<T> }).promise();

/** The component's deferred check of `args` (named "mlops") and the args as its children get them. */
function checkedAtDeployment(args: MlopsWorkspacesArgs) {
    const checks = new DeferredArgsCheck(
        args,
        mlopsWorkspacesProblems,
        MLOPS_WORKSPACES_TYPE,
        "mlops",
    );
    return { checks, gated: checks.gateAll(args) };
}

describe("MlopsWorkspaces: values only known at deployment", () => {
    it("a non-numeric prod.workspaceId Output fails the values given to children and every output, with the component's error", async () => {
        const args = linkArgs({
            prod: { host: HOSTS.prod, workspaceId: pulumi.output("prod-ws") },
            tokenRotationDays: pulumi.output(200) as any,
        });
        const { checks, gated } = checkedAtDeployment(args);
        const refused = (e: Error) => {
            assert.ok(
                pulumi.InputPropertiesError.isInstance(e),
                `an InputPropertiesError, got ${e}`,
            );
            assert.deepStrictEqual(
                (e as pulumi.InputPropertiesError).errors.map((x) => x.propertyPath),
                ["prod.workspaceId", "tokenRotationDays"],
            );
            assert.match(
                e.message,
                /MlopsWorkspaces "mlops":\n  - prod\.workspaceId: must be a numeric workspace id/,
            );
            return true;
        };
        // What RemoteRegistryAccess would write into the secret scopes.
        await assert.rejects(promiseOf(gated.prod.workspaceId), refused);
        // An output of the component that does not depend on the bad value at all.
        await assert.rejects(promiseOf(checks.output(pulumi.output("remote-mr-prod"))), refused);
        assert.strictEqual(gated.dev.host, HOSTS.dev, "plain values pass through as they are");
    });

    it("good Outputs reach children unchanged, secrets still secret", async () => {
        const args = linkArgs({
            prod: { host: HOSTS.prod, workspaceId: pulumi.output("3000000000000003") },
        });
        const { checks, gated } = checkedAtDeployment(args);
        assert.strictEqual(await promiseOf(gated.prod.workspaceId), "3000000000000003");
        const secret = gated.servicePrincipals.staging!.clientSecret as pulumi.Output<string>;
        assert.ok(await pulumi.isSecret(secret));
        assert.strictEqual(await promiseOf(secret), "staging-s3cret");
        assert.strictEqual(await promiseOf(checks.output(pulumi.output("x"))), "x");
    });
});
