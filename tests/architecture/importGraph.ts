/**
 * The import graph of the repository's own TypeScript: every relative import of every source file,
 * resolved to the file it loads. Imports are read with the TypeScript compiler's own scanner
 * (`ts.preProcessFile`), which reports `import`, `import type`, `export … from`, `import x = require`,
 * `require(…)` anywhere (also inside functions), `import(…)` and `typeof import(…)`.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/** One import: `from` loads `to` (both relative to the repository root, `/`-separated). */
export interface ImportEdge {
    readonly from: string;
    readonly to: string;
}

/** Files and their imports; `unresolved` lists imports that name no file. */
export interface ImportGraph {
    readonly files: readonly string[];
    readonly edges: readonly ImportEdge[];
    readonly unresolved: readonly string[];
    /** Imports of packages (`@pulumi/pulumi`, `fs`), by file. */
    readonly packages?: ReadonlyMap<string, readonly string[]>;
}

/** Top-level folders that are not the package or its tools (tests may import anything). */
const SKIPPED = new Set(["node_modules", "dist", "tests", ".git"]);

/** The module names a TypeScript source imports, in the order they appear. */
export function importsOf(text: string): string[] {
    const info = ts.preProcessFile(text, true, true);
    return info.importedFiles.map((f) => f.fileName);
}

/** Every `.ts` source under `root` outside the skipped folders, sorted, `/`-separated. */
export function sourceFiles(root: string): string[] {
    const files: string[] = [];
    const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
            const rel = dir ? `${dir}/${entry.name}` : entry.name;
            if (entry.isDirectory()) {
                if (entry.name === "node_modules" || (!dir && SKIPPED.has(entry.name))) continue;
                walk(rel);
            } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
                files.push(rel);
            }
        }
    };
    walk("");
    return files.sort();
}

/** The file a relative module name loads from `from`, as Node and tsc resolve it, if any. */
function resolve(root: string, from: string, name: string): string | undefined {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), name));
    for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) {
        const full = path.join(root, candidate);
        if (fs.existsSync(full) && fs.statSync(full).isFile()) return candidate;
    }
    return undefined;
}

/** Reads every source file under `root` and resolves its relative imports. */
export function readImportGraph(root: string): ImportGraph {
    const files = sourceFiles(root);
    const edges: ImportEdge[] = [];
    const unresolved: string[] = [];
    const packages = new Map<string, string[]>();
    for (const from of files) {
        const text = fs.readFileSync(path.join(root, from), "utf8");
        const names = importsOf(text);
        packages.set(
            from,
            names.filter((n) => !n.startsWith(".")),
        );
        for (const name of names) {
            if (!name.startsWith(".")) continue;
            const to = resolve(root, from, name);
            if (to === undefined) unresolved.push(`${from} imports "${name}", which is no file`);
            else edges.push({ from, to });
        }
    }
    return { files, edges, unresolved, packages };
}
