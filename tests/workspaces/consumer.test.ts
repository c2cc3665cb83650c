/**
 * A program in another folder uses the package by name, as a user's program would after
 * `npm install azure-databricks-mlops`: tests/.tmp/consumer gets a package.json depending on it, a
 * node_modules/azure-databricks-mlops link to this package, and a TypeScript program importing
 * `MlopsWorkspaces`; the program is type-checked against the published typings and run under mocks.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { makeConsumerFolder, PACKAGE_ROOT as ROOT } from "../consumerFolder";
import { mocks } from "../mocks";

let DIR: string;

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { MlopsWorkspaces, MlopsWorkspacesArgs, PrincipalMode, WorkspaceAuthMethod } from "azure-databricks-mlops";

export function program() {
    const args: MlopsWorkspacesArgs = {
        dev: { host: "https://adb-1.1.azuredatabricks.net" },
        staging: { host: "https://adb-2.2.azuredatabricks.net", workspaceId: "2", authMethod: WorkspaceAuthMethod.AadToken, aadToken: pulumi.secret("t") },
        prod: { host: "https://adb-3.3.azuredatabricks.net", workspaceId: "3" },
        servicePrincipals: { mode: PrincipalMode.Create, tenantId: "00000000-0000-0000-0000-000000000001" },
    };
    const trio = new MlopsWorkspaces("consumer", args);
    return { group: trio.servicePrincipalGroupName, scope: trio.devSecretScopeNameForProd as pulumi.Output<string> };
}
`;

describe("consumer program in another folder", function () {
    this.timeout(60_000);

    before(() => {
        DIR = makeConsumerFolder("consumer");
        fs.writeFileSync(path.join(DIR, "index.ts"), PROGRAM);
        fs.writeFileSync(
            path.join(DIR, "tsconfig.json"),
            JSON.stringify({ compilerOptions: { target: "ES2022", module: "commonjs", moduleResolution: "node", strict: true, esModuleInterop: true, skipLibCheck: true, types: [] }, files: ["index.ts"] }),
        );
    });

    it("type-checks `import { MlopsWorkspaces } from \"azure-databricks-mlops\"` against the package's typings", () => {
        execFileSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", DIR], { cwd: DIR, stdio: "pipe" });
        assert.ok(fs.existsSync(path.join(DIR, "index.js")));
    });

    it("runs: the package resolves by name from that folder and MlopsWorkspaces builds the trio", async () => {
        const entry = require.resolve("azure-databricks-mlops", { paths: [DIR] });
        assert.strictEqual(fs.realpathSync(entry), path.join(ROOT, "dist", "components", "index.js"));
        mocks.reset();
        const consumer = require(path.join(DIR, "index.js")) as { program(): Record<string, unknown> };
        const outs = await mocks.run(() => consumer.program());
        assert.deepStrictEqual(outs, { group: "mlops-service-principals", scope: "remote-mr-prod" });
        assert.strictEqual(mocks.one("azure-databricks-mlops:index:MlopsWorkspaces").name, "consumer");
        assert.strictEqual(mocks.byType("azuread:index/application:Application").length, 2);
        assert.strictEqual(mocks.byType("databricks:index/permissions:Permissions").filter((p) => p.inputs.registeredModelId === "root").length, 2);
    });
});
