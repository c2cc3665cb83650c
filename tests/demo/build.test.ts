/**
 * What `npm ci` (prepare) and `npm run demo` build: the package and the demo only, through
 * tsconfig.build.json, incrementally (`tsc -b`), so a demo with nothing changed starts at once and
 * neither compiles the tests, the benchmarks or the pipeline runner. `npm test` builds everything.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { PACKAGE_ROOT } from "../docs/markdown";
import { BUILD_INFO } from "../../program/buildCheck";

const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
    files: string[];
};
const BUILD_CONFIG = "tsconfig.build.json";
const TSC = path.join(PACKAGE_ROOT, "node_modules", "typescript", "bin", "tsc");

function tscBuild(): Promise<{ code: number; out: string }> {
    return new Promise((resolve) => {
        execFile(
            process.execPath,
            [TSC, "-b", BUILD_CONFIG, "--verbose"],
            { cwd: PACKAGE_ROOT },
            (err, stdout, stderr) =>
                resolve({
                    code: err ? ((err as { code?: number }).code ?? 1) : 0,
                    out: stdout + stderr,
                }),
        );
    });
}

/** Every file under `dir` with its modification time. */
function mtimes(dir: string): Map<string, number> {
    const out = new Map<string, number>();
    const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) walk(p);
            else out.set(p, fs.statSync(p).mtimeMs);
        }
    };
    walk(dir);
    return out;
}

describe("npm ci and npm run demo build only the package and the demo", function () {
    this.timeout(180_000);

    it("prepare and demo build through tsconfig.build.json with tsc -b; test builds everything", () => {
        assert.match(
            pkg.scripts.demo,
            /^tsc -b tsconfig\.build\.json && node dist\/demo\/run\.js$/,
        );
        assert.match(pkg.scripts.prepare, /\bbuild:package\b/);
        assert.match(pkg.scripts["build:package"], /^tsc -b tsconfig\.build\.json$/);
        assert.match(pkg.scripts.test, /^npm run build && /);
        // `files` is an allow-list of folders: no entry reaches the build info at the root of dist/.
        const shipsBuildInfo = (pkg.files as string[]).some((f) =>
            BUILD_INFO.split(path.sep).join("/").startsWith(f.replace(/\*+$/, "")),
        );
        assert.ok(!shipsBuildInfo, "the build info is not shipped");
    });

    it("tsconfig.build.json compiles the package, the root program and the demo, and no test, benchmark or pipeline file", () => {
        const parsed = ts.getParsedCommandLineOfConfigFile(
            path.join(PACKAGE_ROOT, BUILD_CONFIG),
            {},
            {
                ...ts.sys,
                onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(String(d.messageText)),
            },
        )!;
        const files = parsed.fileNames.map((f) => path.relative(PACKAGE_ROOT, f));
        for (const f of [
            "index.ts",
            "plugin.ts",
            "publicApi/index.ts",
            "providers/index.ts",
            "scim/cli/main.ts",
            "demo/run.ts",
        ])
            assert.ok(files.includes(f), `${f} is built`);
        assert.deepStrictEqual(
            files.filter((f) => /^(tests|bench|automation)\//.test(f)),
            [],
        );
        assert.ok(parsed.options.incremental, "incremental");
    });

    it("a second build with nothing changed writes nothing (the demo starts at once)", async () => {
        const first = await tscBuild();
        assert.strictEqual(first.code, 0, first.out);
        const before = mtimes(path.join(PACKAGE_ROOT, "dist"));
        const second = await tscBuild();
        assert.strictEqual(second.code, 0, second.out);
        assert.match(second.out, /is up to date/);
        const changed = [...mtimes(path.join(PACKAGE_ROOT, "dist"))]
            .filter(([f, t]) => before.get(f) !== t)
            .map(([f]) => f);
        assert.deepStrictEqual(changed, []);
    });
});
