/**
 * A linked consumer, as `npm link` makes one: `tests/.tmp/<name>` with a package.json depending on the
 * package and `node_modules/azure-databricks-mlops` a symlink to this repository. Other modules
 * (`@pulumi/*`) resolve from the project's own node_modules further up. Node sees the package at its
 * real path, outside node_modules, so Pulumi's serializer inlines what it would `require()` from an
 * installed copy: the main consumer tests use real installs (tests/install/installs.ts); this one is
 * for the linked path itself (the dynamic-provider host from a linked program, docs samples).
 */
import * as fs from "fs";
import * as path from "path";

/** The package root (this file runs from `dist/tests`). */
export const PACKAGE_ROOT = path.resolve(__dirname, "../../..");

/** Creates (afresh) `tests/.tmp/<name>` with the package linked; returns its path. */
export function makeConsumerFolder(name: string): string {
    const dir = path.join(PACKAGE_ROOT, "tests", ".tmp", name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
    fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify(
            {
                name,
                private: true,
                main: "index.js",
                dependencies: { "azure-databricks-mlops": "file:../../.." },
            },
            null,
            2,
        ),
    );
    fs.symlinkSync(PACKAGE_ROOT, path.join(dir, "node_modules", "azure-databricks-mlops"), "dir");
    return dir;
}
