/**
 * A folder outside the package that uses it by name, as a user's program would after
 * `npm install azure-databricks-mlops`: a package.json depending on it and
 * `node_modules/azure-databricks-mlops` linked to this package (as `npm link` would). Also runs a
 * serialized dynamic provider from such a folder the way the engine's provider host does.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The package root (this file runs from `dist/tests`). */
export const PACKAGE_ROOT = path.resolve(__dirname, "../..");

/** Writes the package.json and the node_modules link that make `dir` a consumer of the package. */
function linkPackage(dir: string, name: string): void {
    fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
    fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name, private: true, main: "index.js", dependencies: { "azure-databricks-mlops": `file:${path.relative(dir, PACKAGE_ROOT)}` } }, null, 2),
    );
    fs.symlinkSync(PACKAGE_ROOT, path.join(dir, "node_modules", "azure-databricks-mlops"), "dir");
}

/**
 * Creates (afresh) `tests/.tmp/<name>` with the package linked; returns its path. Modules other than
 * the package (`@pulumi/*`) resolve from the project's own node_modules further up.
 */
export function makeConsumerFolder(name: string): string {
    const dir = path.join(PACKAGE_ROOT, "tests", ".tmp", name);
    fs.rmSync(dir, { recursive: true, force: true });
    linkPackage(dir, name);
    return dir;
}

/**
 * Creates a fresh folder under the OS temp dir with the package linked; returns its path (the caller
 * removes it). Outside the project tree, so only the linked package resolves from it by name.
 */
export function makeTempConsumerFolder(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    linkPackage(dir, "consumer");
    return dir;
}

export interface ProviderHostRun {
    /** The program's folder: the host's working directory. */
    readonly cwd: string;
    /** A file holding the serialized provider text (the `__provider` input). */
    readonly providerFile: string;
    /** The inputs passed to `check`. */
    readonly news: Record<string, unknown>;
    /**
     * Statements run with `provider` (from `handler()`), `inputs` and `failures` (from `check`) in
     * scope; they write the result to stdout.
     */
    readonly body: string;
    readonly env?: NodeJS.ProcessEnv;
    readonly timeout?: number;
}

/**
 * What the engine's dynamic-provider host does, in a separate node process: `require-from-string`
 * with no file name on the provider text (so modules resolve from `cwd`), `handler()`, then `check`.
 * Resolves with the process's stdout; rejects with its stderr (the error message) on failure.
 */
export function runInProviderHost(run: ProviderHostRun): Promise<string> {
    const script = `
const requireFromString = require(process.argv[1]);
const text = require("fs").readFileSync(process.argv[2], "utf8");
const news = JSON.parse(process.argv[3]);
(async () => {
    const provider = requireFromString(text).handler();
    const { inputs, failures } = await provider.check({}, news);
    ${run.body}
})().catch((e) => { process.stderr.write(String(e && e.message)); process.exit(1); });
`;
    return new Promise<string>((resolve, reject) =>
        execFile(
            process.execPath,
            ["-e", script, require.resolve("require-from-string"), run.providerFile, JSON.stringify(run.news)],
            { cwd: run.cwd, env: run.env, timeout: run.timeout },
            (error, out, err) => (error ? reject(new Error(`provider host run failed: ${err}`)) : resolve(out)),
        ),
    );
}
