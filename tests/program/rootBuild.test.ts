/**
 * `pulumi up` from the repository is safe: the root program, run from source as Pulumi runs it
 * (index.ts through a TypeScript require hook, as ts-node does), refuses to start with a missing or
 * stale dist/ — which the dynamic providers would otherwise load, or fail to — and names the command
 * that fixes it.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { assertFreshBuild, BUILD_INFO, staleBuildFiles } from "../../program/buildCheck";
import { PACKAGE_ROOT } from "../support/consumerFolder";
import { PACKAGE_FOLDERS } from "../architecture/importRules";

const TMP = path.join(PACKAGE_ROOT, "tests", ".tmp", "root-build");

/** Runs `<dir>/index.ts` from source in a child process with a transpile-only `.ts` hook. */
function runRootFromSource(dir: string) {
    const hook = `
const ts = require(${JSON.stringify(require.resolve("typescript"))});
require.extensions[".ts"] = (m, file) => m._compile(ts.transpileModule(require("fs").readFileSync(file, "utf8"), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText, file);
require(${JSON.stringify(path.join(dir, "index.ts"))});`;
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, PULUMI_CONFIG: "{}" };
    return spawnSync(process.execPath, ["-e", hook], {
        cwd: dir,
        env,
        encoding: "utf8",
        timeout: 60_000,
    });
}

/** A copy of the root program's sources (no dist/), with the repository's node_modules linked. */
function sourceCopy(name: string): string {
    const dir = path.join(TMP, name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const entry of ["index.ts", "package.json", ...PACKAGE_FOLDERS]) {
        fs.cpSync(path.join(PACKAGE_ROOT, entry), path.join(dir, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(PACKAGE_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

describe("root program from source (pulumi up in the repository)", function () {
    this.timeout(120_000);
    after(() => fs.rmSync(TMP, { recursive: true, force: true }));

    it("without a build: refuses before registering anything and names `npm run build`", () => {
        const dir = sourceCopy("unbuilt");
        const r = runRootFromSource(dir);
        assert.notStrictEqual(r.status, 0);
        assert.match(
            r.stderr,
            /This repository has not been built: dist\/ is missing\. The dynamic providers run the built code, so run `npm run build`/,
        );
    });

    it("with a build older than a provider source: refuses, naming the file and the command", () => {
        const dir = sourceCopy("stale");
        fs.cpSync(path.join(PACKAGE_ROOT, "dist"), path.join(dir, "dist"), { recursive: true });
        assert.deepStrictEqual(staleBuildFiles(dir), [], "a copied fresh build passes");
        const later = new Date(Date.now() + 60_000);
        fs.utimesSync(path.join(dir, "providers", "aadToken", "client.ts"), later, later);
        assert.deepStrictEqual(staleBuildFiles(dir), [
            path.join("providers", "aadToken", "client.ts"),
        ]);
        const r = runRootFromSource(dir);
        assert.notStrictEqual(r.status, 0);
        assert.match(
            r.stderr,
            /The build in dist\/ is older than its sources \(providers\/aadToken\/client\.ts\)\. .*run `npm run build`/,
        );
    });

    it("after an incremental build that found nothing to rebuild (a source only touched): passes; a source touched after it does not", () => {
        const dir = sourceCopy("incremental");
        fs.cpSync(path.join(PACKAGE_ROOT, "dist"), path.join(dir, "dist"), { recursive: true });
        const later = (s: number) => new Date(Date.now() + s * 1000);
        fs.utimesSync(path.join(dir, "core", "hosts.ts"), later(60), later(60));
        // What `tsc -b` does when the content is unchanged: rewrites its build info, not the .js.
        fs.writeFileSync(path.join(dir, BUILD_INFO), "{}");
        fs.utimesSync(path.join(dir, BUILD_INFO), later(120), later(120));
        assert.deepStrictEqual(staleBuildFiles(dir), []);
        fs.utimesSync(path.join(dir, "core", "hosts.ts"), later(180), later(180));
        assert.deepStrictEqual(staleBuildFiles(dir), [path.join("core", "hosts.ts")]);
    });

    it("with a fresh build: passes the check and runs (an empty stack config configures nothing)", () => {
        assert.doesNotThrow(() => assertFreshBuild(PACKAGE_ROOT));
        const r = runRootFromSource(PACKAGE_ROOT);
        assert.strictEqual(r.status, 0, r.stderr);
        assert.doesNotMatch(r.stderr, /npm run build/);
    });
});
