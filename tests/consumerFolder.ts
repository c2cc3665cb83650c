/**
 * A folder outside the package that uses it by name, as a user's program would after
 * `npm install azure-databricks-mlops`: `tests/.tmp/<name>` with a package.json depending on it and
 * `node_modules/azure-databricks-mlops` linked to this package (as `npm link` would). Other modules
 * (`@pulumi/*`) resolve from the project's own node_modules further up.
 */
import * as fs from "fs";
import * as path from "path";

/** The package root (this file runs from `dist/tests`). */
export const PACKAGE_ROOT = path.resolve(__dirname, "../..");

/** Creates (afresh) `tests/.tmp/<name>` with the package linked; returns its path. */
export function makeConsumerFolder(name: string): string {
    const dir = path.join(PACKAGE_ROOT, "tests", ".tmp", name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
    fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name, private: true, main: "index.js", dependencies: { "azure-databricks-mlops": "file:../../.." } }, null, 2),
    );
    fs.symlinkSync(PACKAGE_ROOT, path.join(dir, "node_modules", "azure-databricks-mlops"), "dir");
    return dir;
}
