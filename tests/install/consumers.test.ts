/**
 * The package where users stand: installed from an `npm pack` tarball (as a real copy, next to the
 * lowest supported `@pulumi/*`), from git (npm builds it with `prepare`), and used from the repository
 * itself. In each, the consumer program of tests/install/fixture — every public component and dynamic
 * resource the docs show — type-checks, runs under mocks with the consumer's own SDK, and every
 * dynamic provider serializes without capturing a module of this package; the `scim-sync` bin runs.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { preparedConsumer, ProgramRun, Resolution, RESOLUTIONS } from "./consumerProgram";
import {
    Consumer,
    CONSUMERS,
    INSTALL_ROOT,
    InstallKind,
    installedCopies,
    packTarball,
    peerDevVersions,
    peerLowerBounds,
    run,
    startInstalls,
} from "./installs";

/** The component and dynamic-resource types the fixture program builds (docs: README, docs/*.md). */
const EXPECTED_TYPES = [
    "azure-databricks-mlops:index:MlopsWorkspaces",
    "azure-databricks-mlops:index:MlopsProject",
    "azure-databricks-mlops:index:MlRegistry",
    "pulumi-nodejs:dynamic/aad:Token",
    "pulumi-nodejs:dynamic/scim:Sync",
    "pulumi-nodejs:dynamic/rotation:Clock",
];

const PEERS = Object.keys(peerLowerBounds());

for (const kind of ["tarball", "git", "repo"] as InstallKind[]) {
    describe(`installed consumer: ${kind}`, function () {
        this.timeout(600_000);
        let consumer: Consumer;
        let result: ProgramRun;
        let diagnostics: Map<Resolution, string[]>;

        before(async () => {
            startInstalls();
            ({ consumer, diagnostics, result } = await preparedConsumer(kind, CONSUMERS[kind]));
        });

        for (const resolution of RESOLUTIONS[kind]) {
            it(`the program importing ".", "/providers" and "/scim" type-checks under moduleResolution ${resolution}`, () => {
                assert.deepStrictEqual(diagnostics.get(resolution), []);
            });
        }

        it("runs under mocks with the package from its install path and builds every documented component and dynamic resource", () => {
            const expectedPackageDir = fs.realpathSync(consumer.packageDir);
            assert.ok(
                fs.realpathSync(result.packageFile).startsWith(expectedPackageDir + path.sep),
                `${result.packageFile} is not under ${expectedPackageDir}`,
            );
            for (const type of EXPECTED_TYPES)
                assert.ok(
                    result.resources.some((r) => r.type === type),
                    `no ${type} registered`,
                );
            assert.deepStrictEqual(result.outputs, {
                scope: "remote-mr-staging",
                linkedGroup: "mlops-service-principals",
                churnDirectory: "/Projects/churn",
                registryName: result.outputs.registryName,
                tokenExpiresOn: "2030-01-01T00:00:00.000Z",
                syncErrors: 0,
                rotateAfter: "2026-01-31T00:00:00.000Z",
                emptyStateVersion: 1,
            });
            assert.match(String(result.outputs.registryName), /x7k2/);
            // Secrets stay secrets through the installed copy.
            const sync = result.resources.find(
                (r) => r.type === "pulumi-nodejs:dynamic/scim:Sync",
            )!;
            assert.ok(sync.secretInputs.includes("graphClientSecret"));
        });

        it("every dynamic resource class the package exports is built by the program (so the checks below cover it)", () => {
            const classes = [...new Set(result.dynamicClasses.map((c) => c.name))].sort();
            assert.ok(classes.length >= 3, `dynamic classes found: ${classes.join(", ")}`);
            assert.deepStrictEqual(
                result.dynamicClasses.filter((c) => !c.built),
                [],
            );
        });

        it("every dynamic provider serializes without capturing a module of this package", () => {
            assert.ok(result.providers.length >= 3);
            const packageDir = fs.realpathSync(consumer.packageDir);
            const problems: string[] = [];
            for (const p of result.providers) {
                // A captured module of an installed package becomes require("<package>/<its path>");
                // one outside node_modules is inlined with its file name.
                if (
                    /require\(\s*["']azure-databricks-mlops\/(dist|components|providers|scim|config|common)\//.test(
                        p.text,
                    )
                )
                    problems.push(`${p.type} ${p.name} requires a module of the package by path`);
                if (p.text.includes(packageDir) || p.text.includes(consumer.packageDir))
                    problems.push(`${p.type} ${p.name} embeds the package's path`);
            }
            assert.deepStrictEqual(problems, []);
        });

        it("every serialized provider loads in a fresh process from the consumer folder and exposes its methods", () => {
            const texts = path.join(consumer.dir, "provider-texts.json");
            fs.writeFileSync(texts, JSON.stringify(result.providers.map((p) => p.text)));
            const script = `
const rfs = require(require.resolve("require-from-string", { paths: [require.resolve("@pulumi/pulumi")] }));
const texts = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
process.stdout.write(JSON.stringify(texts.map((t) => Object.keys(rfs(t).handler()).filter((k) => typeof rfs(t).handler()[k] === "function").sort())));`;
            const out = execFileSync(process.execPath, ["-e", script, texts], {
                cwd: consumer.dir,
                encoding: "utf8",
            });
            const methods = JSON.parse(out) as string[][];
            methods.forEach((m, i) =>
                assert.ok(
                    ["check", "create", "diff", "update"].every((x) => m.includes(x)),
                    `${result.providers[i].type}: ${m.join(",")}`,
                ),
            );
        });

        it("the scim-sync bin runs: --help and --version", () => {
            // Installed: the executable link npm made; in the repository: `node <bin>` (tsc does not chmod).
            const [cmd, ...pre] =
                kind === "repo"
                    ? [
                          process.execPath,
                          path.join(
                              consumer.packageDir,
                              JSON.parse(
                                  fs.readFileSync(
                                      path.join(consumer.packageDir, "package.json"),
                                      "utf8",
                                  ),
                              ).bin["scim-sync"],
                          ),
                      ]
                    : [path.join(consumer.dir, "node_modules", ".bin", "scim-sync")];
            const help = execFileSync(cmd, [...pre, "--help"], {
                cwd: consumer.dir,
                encoding: "utf8",
            });
            assert.match(help, /Usage: scim-sync/);
            assert.match(help, /--groups-json-file/);
            const version = execFileSync(cmd, [...pre, "--version"], {
                cwd: consumer.dir,
                encoding: "utf8",
            });
            assert.strictEqual(
                version,
                JSON.parse(fs.readFileSync(path.join(consumer.packageDir, "package.json"), "utf8"))
                    .version + "\n",
            );
        });

        if (kind !== "repo") {
            it("leaves exactly one copy of @pulumi/pulumi and of each provider SDK: the consumer's", () => {
                const wanted = kind === "tarball" ? peerLowerBounds() : peerDevVersions();
                for (const name of PEERS) {
                    const copies = installedCopies(consumer.dir, name);
                    assert.deepStrictEqual(
                        copies.map((c) => path.relative(consumer.dir, c)),
                        [path.join("node_modules", name, "package.json")],
                        `${name} copies`,
                    );
                    assert.strictEqual(
                        JSON.parse(fs.readFileSync(copies[0], "utf8")).version,
                        wanted[name],
                        `${name} version`,
                    );
                }
                assert.strictEqual(result.pulumiVersion, wanted["@pulumi/pulumi"]);
            });

            it("installs the built package: dist/ with the entry points, the bin and LICENSE", () => {
                for (const f of [
                    "dist/publicApi/index.js",
                    "dist/publicApi/index.d.ts",
                    "dist/providers/index.js",
                    "dist/scim/index.js",
                    "dist/scim/cli/main.js",
                    "LICENSE",
                    "README.md",
                ]) {
                    assert.ok(
                        fs.existsSync(path.join(consumer.packageDir, f)),
                        `${kind} install lacks ${f}`,
                    );
                }
            });
        }
    });
}

describe("a consumer whose @pulumi/pulumi is older than the supported range", function () {
    this.timeout(120_000);

    it("is refused at install with the peer range named (no second, nested SDK copy)", async () => {
        const { tarball } = await packTarball();
        const dir = path.join(INSTALL_ROOT, "old-sdk-consumer");
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(
            path.join(dir, "package.json"),
            JSON.stringify({
                name: "old-sdk",
                version: "1.0.0",
                private: true,
                dependencies: {
                    "@pulumi/pulumi": "3.200.0",
                    "azure-databricks-mlops": `file:${tarball}`,
                },
            }),
        );
        // --dry-run: npm resolves the whole tree (where a peer conflict shows) and writes nothing.
        const err = await run(
            "npm",
            ["install", "--dry-run", "--prefer-offline", "--no-audit", "--no-fund"],
            dir,
            60_000,
        ).then(
            () => assert.fail("npm accepted an SDK below the peer range"),
            (e: Error) => e,
        );
        assert.match(err.message, /ERESOLVE/);
        assert.match(
            err.message,
            new RegExp(
                `peer @pulumi/pulumi@"\\${JSON.parse(fs.readFileSync(path.join(__dirname, "../../../package.json"), "utf8")).peerDependencies["@pulumi/pulumi"]}" from azure-databricks-mlops`,
            ),
        );
    });
});

describe("npm pack tarball contents", function () {
    this.timeout(120_000);
    let files: string[];
    before(async () => {
        ({ files } = await packTarball());
    });

    it("ships the built code, typings, bin, docs and the Apache-2.0 LICENSE", () => {
        for (const f of [
            "package.json",
            "LICENSE",
            "README.md",
            "dist/publicApi/index.js",
            "dist/publicApi/index.d.ts",
            "dist/providers/index.d.ts",
            "dist/scim/index.d.ts",
            "dist/scim/cli/main.js",
        ]) {
            assert.ok(files.includes(f), `tarball lacks ${f}`);
        }
        assert.match(
            fs.readFileSync(path.join(__dirname, "../../../LICENSE"), "utf8"),
            /Apache License\s+Version 2\.0, January 2004[\s\S]*END OF TERMS AND CONDITIONS/,
        );
    });

    it("ships no tests, certificates, sources, emulators, demo, bench, pipeline runner, root program or build info", () => {
        const unwanted = files.filter(
            (f) =>
                /^dist\/(tests|bench|demo|automation|emulators)\//.test(f) ||
                /^dist\/index\./.test(f) ||
                /^dist\/program\/[^/]+$/.test(f) ||
                /\.(pem|key|crt|tsbuildinfo)$/.test(f) ||
                (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)) ||
                /^tests\//.test(f),
        );
        assert.deepStrictEqual(unwanted, []);
    });

    it("every source map it ships carries its sources (no map points at a file that is not there)", () => {
        const maps = files.filter((f) => f.endsWith(".js.map"));
        assert.ok(maps.length > 10);
        const dangling: string[] = [];
        for (const m of maps) {
            const map = JSON.parse(
                fs.readFileSync(path.join(__dirname, "../../..", m), "utf8"),
            ) as { sources: string[]; sourcesContent?: (string | null)[] };
            map.sources.forEach((s, i) => {
                if (
                    typeof map.sourcesContent?.[i] !== "string" &&
                    !files.includes(path.posix.join(path.posix.dirname(m), s))
                )
                    dangling.push(`${m} -> ${s}`);
            });
        }
        assert.deepStrictEqual(dangling, []);
    });
});
