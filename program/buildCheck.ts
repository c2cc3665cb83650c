/**
 * `pulumi up` in this repository runs index.ts from source, but the dynamic providers load the
 * package's built code by its own name (`azure-databricks-mlops/providers`, resolved through
 * package.json `exports` to dist/): without a build the host fails Check with "Cannot find module
 * …/dist/providers/…", and with a stale one it silently runs old provider code. The root program
 * therefore refuses to start unless dist/ holds a build at least as new as every source the providers
 * load.
 */
import * as fs from "fs";
import * as path from "path";

/** Source folders whose built code the dynamic providers load at run time. */
export const PROVIDER_SOURCE_DIRS = ["providers", "scim", "core"];

export const BUILD_COMMAND = "npm run build";

/**
 * Written by the incremental build (`tsc -b tsconfig.build.json`: `npm ci`, `npm run demo`), which
 * leaves a source's .js as it was when only its timestamp moved (a checkout, a rebase): the .js is then
 * older than its source, yet up to date as of this file.
 */
export const BUILD_INFO = path.join("dist", "package.tsbuildinfo");

/** Sources (relative to `root`) whose dist/ output is missing or older than the source and than the last incremental build. */
export function staleBuildFiles(root: string): string[] {
    const stale: string[] = [];
    const info = path.join(root, BUILD_INFO);
    const checkedAt = fs.existsSync(info) ? fs.statSync(info).mtimeMs : 0;
    const walk = (rel: string) => {
        for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
            const file = path.join(rel, entry.name);
            if (entry.isDirectory()) walk(file);
            else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
                const built = path.join(root, "dist", file.replace(/\.ts$/, ".js"));
                const source = fs.statSync(path.join(root, file)).mtimeMs;
                if (
                    !fs.existsSync(built) ||
                    Math.max(fs.statSync(built).mtimeMs, checkedAt) < source
                )
                    stale.push(file);
            }
        }
    };
    for (const dir of PROVIDER_SOURCE_DIRS) if (fs.existsSync(path.join(root, dir))) walk(dir);
    return stale;
}

/** Throws, naming the fix, when the build under `root` is missing or older than its sources. */
export function assertFreshBuild(root: string): void {
    const stale = staleBuildFiles(root);
    if (stale.length === 0) return;
    const missing = !fs.existsSync(path.join(root, "dist", "providers"));
    const shown =
        stale.slice(0, 5).join(", ") + (stale.length > 5 ? `, … (${stale.length} files)` : "");
    throw new Error(
        (missing
            ? "This repository has not been built: dist/ is missing"
            : `The build in dist/ is older than its sources (${shown})`) +
            `. The dynamic providers run the built code, so run \`${BUILD_COMMAND}\` and then \`pulumi up\` again.`,
    );
}
