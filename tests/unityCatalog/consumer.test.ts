/**
 * A program in another folder uses unity-catalog mode by package name, as a user's program would:
 * type-checked against the published typings (the exported enums included) and run under mocks.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { makeConsumerFolder, PACKAGE_ROOT as ROOT } from "../support/consumerFolder";
import { mocks } from "../support/mocks";
import { LEGACY_TYPES, T } from "./fixtures";

const PROGRAM = `import { CicdCredentialMethod, MlopsProject, MlopsWorkspaces, ModelRegistryMode, PrincipalMode } from "azure-databricks-mlops";

export function program() {
    const p = (id: string) => ({ host: "https://adb-" + id + ".1.azuredatabricks.net", workspaceId: id });
    const sps = { mode: PrincipalMode.Create, tenantId: "00000000-0000-0000-0000-000000000001" };
    const trio = new MlopsWorkspaces("consumer", {
        dev: p("1"),
        staging: p("2"),
        prod: p("3"),
        servicePrincipals: sps,
        modelRegistry: ModelRegistryMode.UnityCatalog,
        catalogs: { dev: { name: "c_dev" }, staging: { name: "c_staging" }, prod: { name: "c_prod" } },
        cicdCredentials: { staging: { method: CicdCredentialMethod.OAuthSecret } },
    });
    const project = new MlopsProject("churn", {
        staging: { host: "https://adb-2.1.azuredatabricks.net" },
        prod: { host: "https://adb-3.1.azuredatabricks.net" },
        servicePrincipalName: "churn-cicd",
        projectDirectoryPath: "/Shared/churn",
        servicePrincipals: sps,
        modelRegistry: ModelRegistryMode.UnityCatalog,
        unityCatalog: { staging: { catalogName: trio.stagingCatalogName!, grantUseCatalog: true }, prod: { catalogName: trio.prodCatalogName!, grantUseCatalog: true }, schemaName: "churn" },
    });
    return { prefix: trio.prodModelNamePrefix, project: project.prodModelNamePrefix };
}
`;

describe("consumer program in another folder, unity-catalog mode", function () {
    this.timeout(60_000);
    let dir: string;

    before(() => {
        dir = makeConsumerFolder("consumer-uc");
        fs.writeFileSync(path.join(dir, "index.ts"), PROGRAM);
        fs.writeFileSync(
            path.join(dir, "tsconfig.json"),
            JSON.stringify({
                compilerOptions: {
                    target: "ES2022",
                    module: "commonjs",
                    moduleResolution: "node",
                    strict: true,
                    esModuleInterop: true,
                    skipLibCheck: true,
                    types: [],
                },
                files: ["index.ts"],
            }),
        );
        execFileSync(
            process.execPath,
            [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", dir],
            { cwd: dir, stdio: "pipe" },
        );
    });

    it("builds catalogs, schemas and grants through the package resolved by name, and no legacy resource", async () => {
        mocks.reset();
        const consumer = require(path.join(dir, "index.js")) as {
            program(): Record<string, unknown>;
        };
        const outs = await mocks.run(() => consumer.program());
        assert.deepStrictEqual(outs, { prefix: "c_prod.models", project: "c_prod.churn" });
        assert.strictEqual(mocks.byType(T.catalog).length, 3);
        assert.strictEqual(mocks.byType(T.schema).length, 5);
        assert.strictEqual(
            mocks.byType(T.oauth).length,
            4,
            "the trio's staging SP by choice; its prod SP and both project SPs by default",
        );
        for (const t of LEGACY_TYPES.filter(
            (x) => x !== "databricks:index/permissions:Permissions",
        ))
            assert.strictEqual(mocks.byType(t).length, 0, t);
        assert.deepStrictEqual(
            mocks
                .byType("databricks:index/permissions:Permissions")
                .map((x) => x.name)
                .sort(),
            ["churn-prod-directory-permissions", "churn-staging-directory-permissions"],
        );
    });
});
