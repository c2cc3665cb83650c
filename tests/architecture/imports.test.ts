/**
 * The import rules of docs/architecture.md, held against every source file of the package and of
 * emulators/, bench/, demo/ and automation/: no circle, no import against the table's directions,
 * nothing imports tests/, and every folder of the table exists with an index.ts.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PACKAGE_ROOT } from "../support/consumerFolder";
import { ImportGraph, importsOf, readImportGraph } from "./importGraph";
import {
    directionViolations,
    fileCircles,
    folderCircles,
    IMPORT_RULES,
    reachable,
    unitOf,
    unplacedFiles,
} from "./importRules";

/** The source files behind package.json `exports`, e.g. `scim/index.ts`. */
function entryFiles(): string[] {
    const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8"));
    return Object.values(pkg.exports as Record<string, string | { default: string }>)
        .map((e) => (typeof e === "string" ? e : e.default))
        .filter((e) => e.startsWith("./dist/"))
        .map((e) => e.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts"));
}

const OUTSIDE = IMPORT_RULES.filter((r) => r.outside).map((r) => r.unit);

describe("import rules (docs/architecture.md)", () => {
    const graph = readImportGraph(PACKAGE_ROOT);

    it("reads every source file and resolves every relative import", () => {
        assert.ok(graph.files.length > 100, `read the sources (${graph.files.length})`);
        assert.ok(graph.files.includes("scim/cli/main.ts") && graph.files.includes("bench/run.ts"));
        assert.ok(!graph.files.some((f) => f.startsWith("tests/") || f.includes("node_modules/")));
        assert.ok(graph.edges.length > 250, `read the imports (${graph.edges.length})`);
        assert.deepStrictEqual(graph.unresolved, []);
    });

    it("package.json `files` ships the build of every file the entries, the bin and the plugin load", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8"));
        const shipped = (pkg.files as string[]).map((p) => p.replace(/\*+$/, ""));
        const bin = Object.values(pkg.bin as Record<string, string>).map((b) =>
            b.replace(/^dist\//, "").replace(/\.js$/, ".ts"),
        );
        // plugin.js serves componentProvider/, which reads plugin.ts's components.
        const starts = [...entryFiles(), ...bin, "componentProvider/index.ts", "plugin.ts"];
        const loaded = reachable(graph, starts);
        assert.ok(loaded.length > 80, `followed the imports (${loaded.length})`);
        const missing = loaded
            .map((f) => `dist/${f.replace(/\.ts$/, ".js")}`)
            .filter((d) => !shipped.some((prefix) => d.startsWith(prefix)));
        assert.deepStrictEqual(missing, []);
    });

    it("no circle between files", () => {
        assert.deepStrictEqual(fileCircles(graph), []);
    });

    it("no circle between folders", () => {
        assert.deepStrictEqual(folderCircles(graph), []);
    });

    it("every import goes in a direction the table allows", () => {
        assert.deepStrictEqual(directionViolations(graph, entryFiles()), []);
    });

    it("nothing imports tests/; the package imports none of the folders outside it", () => {
        const wrong = graph.edges.filter(
            (e) =>
                e.to.startsWith("tests/") ||
                (!OUTSIDE.includes(unitOf(e.from) ?? "") && OUTSIDE.includes(unitOf(e.to) ?? "")),
        );
        assert.deepStrictEqual(wrong, []);
    });

    it("emulators/ imports nothing of the repository but the scim entry", () => {
        const wrong = graph.edges.filter(
            (e) =>
                e.from.startsWith("emulators/") &&
                !e.to.startsWith("emulators/") &&
                e.to !== "scim/index.ts",
        );
        assert.deepStrictEqual(wrong, []);
    });

    it("the SCIM engine and its CLI load no Pulumi module (scim-sync runs without Pulumi)", () => {
        const scim = graph.files.filter((f) => f.startsWith("scim/"));
        const loaded = reachable(graph, scim).flatMap((f) =>
            (graph.packages?.get(f) ?? [])
                .filter((p) => p.startsWith("@pulumi/"))
                .map((p) => `scim/ reaches ${f}, which imports ${p}`),
        );
        assert.ok(scim.length > 20, `read scim/ (${scim.length})`);
        assert.deepStrictEqual(loaded, []);
    });

    it("every folder of the table exists with an index.ts; every source file is in one", () => {
        const missing = IMPORT_RULES.flatMap(({ unit, outside }) => {
            if (unit.endsWith(".ts"))
                return fs.existsSync(path.join(PACKAGE_ROOT, unit)) ? [] : [unit];
            if (outside) return fs.existsSync(path.join(PACKAGE_ROOT, unit)) ? [] : [unit];
            return fs.existsSync(path.join(PACKAGE_ROOT, unit, "index.ts"))
                ? []
                : [`${unit}/index.ts`];
        });
        assert.deepStrictEqual(missing, []);
        assert.deepStrictEqual(unplacedFiles(graph), []);
        const units = IMPORT_RULES.map((r) => r.unit);
        const unknown = IMPORT_RULES.flatMap((r) =>
            r.mayImport.filter((u) => !units.includes(u)).map((u) => `${r.unit} → ${u}`),
        );
        assert.deepStrictEqual(unknown, [], "rows named in mayImport");
    });
});

describe("the import checks themselves", () => {
    const synthetic = (edges: [string, string][]): ImportGraph => ({
        files: [...new Set(edges.flat())].filter((f) => !f.startsWith("tests/")).sort(),
        edges: edges.map(([from, to]) => ({ from, to })),
        unresolved: [],
    });

    it("TypeScript's scanner reports every way a file loads another", () => {
        const text = [
            'import a from "./a";',
            'import type { B } from "./b";',
            'import "./c";',
            'export { D } from "./d";',
            'export * from "./e";',
            'export type { F } from "./f";',
            'import g = require("./g");',
            'const h = require("./h");',
            'function lazy() { return require("./i").i; }',
            'async function later() { return import("./j"); }',
            'let k: typeof import("./k");',
            'class L { m(): import("./l").L { return require(`./m`); } }',
        ].join("\n");
        assert.deepStrictEqual(importsOf(text), [
            "./a",
            "./b",
            "./c",
            "./d",
            "./e",
            "./f",
            "./g",
            "./h",
            "./i",
            "./j",
            "./k",
            "./l",
            "./m",
        ]);
    });

    it("reports a circle between files by its files", () => {
        const graph = synthetic([
            ["core/a.ts", "core/b.ts"],
            ["core/b.ts", "core/c.ts"],
            ["core/c.ts", "core/a.ts"],
            ["core/c.ts", "core/d.ts"],
        ]);
        assert.deepStrictEqual(fileCircles(graph), [
            "core/a.ts → core/b.ts → core/c.ts → core/a.ts",
        ]);
    });

    it("reports a circle between folders, and an upward import by file, file and rule", () => {
        const graph = synthetic([
            ["workspaces/mlopsWorkspaces.ts", "unityCatalog/plan.ts"],
            ["unityCatalog/plan.ts", "workspaces/validation.ts"],
        ]);
        assert.deepStrictEqual(fileCircles(graph), []);
        assert.deepStrictEqual(folderCircles(graph), ["unityCatalog → workspaces → unityCatalog"]);
        assert.deepStrictEqual(directionViolations(graph, []), [
            "unityCatalog/plan.ts imports workspaces/validation.ts: unityCatalog may import core, not workspaces",
        ]);
    });

    it("reports imports of tests/, of the engine's insides from outside, and unplaced files", () => {
        const graph = synthetic([
            ["bench/run.ts", "tests/support/mocks.ts"],
            ["emulators/scim.ts", "scim/contract/model.ts"],
            ["emulators/graph.ts", "scim/index.ts"],
            ["scim/contract/api.ts", "scim/engine/entra.ts"],
            ["core/problems.ts", "demo/run.ts"],
            ["newFolder/x.ts", "core/problems.ts"],
        ]);
        assert.deepStrictEqual(directionViolations(graph, ["scim/index.ts"]), [
            "bench/run.ts imports tests/support/mocks.ts: nothing outside tests/ imports tests/",
            "emulators/scim.ts imports scim/contract/model.ts: emulators may import scim, not scim/contract",
            "scim/contract/api.ts imports scim/engine/entra.ts: scim/contract may import core, not scim/engine",
            "core/problems.ts imports demo/run.ts: core may import nothing else, not demo",
        ]);
        assert.deepStrictEqual(unplacedFiles(graph), ["newFolder/x.ts"]);
        assert.deepStrictEqual(fileCircles(graph), [], "imports of files not read (tests/) count");
    });

    it("lets an outside folder reach the package through its entries only", () => {
        const graph = synthetic([
            ["bench/scim.ts", "scim/index.ts"],
            ["bench/scim.ts", "demo/stackConfig.ts"],
        ]);
        assert.deepStrictEqual(directionViolations(graph, ["scim/index.ts"]), []);
        assert.deepStrictEqual(directionViolations(graph, ["publicApi/index.ts"]), [
            "bench/scim.ts imports scim/index.ts: bench uses the package only through its entries (publicApi/index.ts)",
        ]);
    });
});
