/**
 * The import rules of docs/architecture.md as data, and the checks that hold an import graph to them.
 * The checks are pure (a graph in, problems out) so that tests can feed them a graph that breaks the
 * rules.
 */
import { ImportEdge, ImportGraph } from "./importGraph";

/** One row of the table: a folder (or a file at the root) and the folders its files may import. */
export interface ImportRule {
    /** A folder, e.g. `scim/engine`, or a root file, e.g. `index.ts`. */
    readonly unit: string;
    /** Rows its files may import from; importing within the same row is always allowed. */
    readonly mayImport: readonly string[];
    /** Not part of the published package: demo, bench, emulators, the pipeline runner. */
    readonly outside?: true;
    /** Reaches the package only through its entries (package.json `exports`), as a user would. */
    readonly entriesOnly?: true;
}

const PROVIDERS = ["providers", "providers/aadToken", "providers/scimSync"];
/** Everything the root program, its config readers and the public API may build from. */
const COMPONENTS = [
    "projects",
    "workspaces",
    "mlRegistry",
    "unityCatalog",
    "connections",
    "principals",
    ...PROVIDERS,
    "scim",
    "core",
];

/**
 * The table, lowest row first. A file belongs to the row of its deepest folder that has one (so
 * `scim/index.ts` is `scim`, `program/config/workspaces.ts` is `program/config`).
 */
export const IMPORT_RULES: readonly ImportRule[] = [
    { unit: "core", mayImport: [] },
    { unit: "scim/contract", mayImport: ["core"] },
    { unit: "scim/clients", mayImport: ["scim/contract", "core"] },
    { unit: "scim/engine", mayImport: ["scim/clients", "scim/contract", "core"] },
    { unit: "scim/cli", mayImport: ["scim/engine", "scim/clients", "scim/contract", "core"] },
    { unit: "scim", mayImport: ["scim/engine", "scim/clients", "scim/contract", "core"] },
    { unit: "providers/aadToken", mayImport: ["core"] },
    // The engine only through the `scim` entry (loaded when a method runs); inputs use the clients.
    { unit: "providers/scimSync", mayImport: ["scim", "scim/clients", "scim/contract", "core"] },
    { unit: "providers", mayImport: ["providers/aadToken", "providers/scimSync", "core"] },
    { unit: "principals", mayImport: [...PROVIDERS, "core"] },
    { unit: "connections", mayImport: ["principals", "core"] },
    { unit: "unityCatalog", mayImport: ["core"] },
    { unit: "mlRegistry", mayImport: ["core"] },
    {
        unit: "workspaces",
        mayImport: ["unityCatalog", "connections", "principals", ...PROVIDERS, "core"],
    },
    {
        unit: "projects",
        mayImport: ["workspaces", "unityCatalog", "connections", "principals", "core"],
    },
    // The plugin's three components; plugin.js serves componentProvider/, which reads this file.
    { unit: "plugin.ts", mayImport: ["projects", "workspaces", "mlRegistry"] },
    {
        unit: "componentProvider",
        mayImport: ["plugin.ts", "projects", "workspaces", "mlRegistry", "core"],
    },
    { unit: "program/config", mayImport: COMPONENTS },
    { unit: "program", mayImport: ["program/config", ...COMPONENTS] },
    // The package's `.` entry also exports the stack config reader (loadStackConfig).
    { unit: "publicApi", mayImport: ["program/config", ...COMPONENTS] },
    // The Pulumi program (Pulumi.yaml main).
    { unit: "index.ts", mayImport: ["program", "program/config", ...COMPONENTS] },
    { unit: "emulators", mayImport: ["scim"], outside: true, entriesOnly: true },
    { unit: "demo", mayImport: [], outside: true, entriesOnly: true },
    { unit: "automation", mayImport: ["core"], outside: true },
    { unit: "bench", mayImport: ["demo", "emulators", "scim"], outside: true, entriesOnly: true },
];

/** The package's top-level source folders (what a copy of the sources must hold), from the table. */
export const PACKAGE_FOLDERS: readonly string[] = [
    ...new Set(
        IMPORT_RULES.filter((r) => !r.outside && !r.unit.endsWith(".ts")).map(
            (r) => r.unit.split("/")[0],
        ),
    ),
];

/** The row a file belongs to, if any. */
export function unitOf(
    file: string,
    rules: readonly ImportRule[] = IMPORT_RULES,
): string | undefined {
    let best: string | undefined;
    for (const { unit } of rules) {
        const holds = unit.endsWith(".ts") ? file === unit : file.startsWith(`${unit}/`);
        if (holds && (best === undefined || unit.length > best.length)) best = unit;
    }
    return best;
}

/** Strongly connected components with more than one member (or a member importing itself). */
function circles(nodes: readonly string[], edges: readonly ImportEdge[]): string[][] {
    const next = new Map<string, Set<string>>();
    for (const n of [...nodes, ...edges.flatMap((e) => [e.from, e.to])]) {
        if (!next.has(n)) next.set(n, new Set<string>());
    }
    for (const e of edges) next.get(e.from)!.add(e.to);
    // Tarjan's algorithm.
    let counter = 0;
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const found: string[][] = [];
    const visit = (v: string): void => {
        index.set(v, counter);
        low.set(v, counter++);
        stack.push(v);
        onStack.add(v);
        for (const w of next.get(v) ?? []) {
            if (!index.has(w)) {
                visit(w);
                low.set(v, Math.min(low.get(v)!, low.get(w)!));
            } else if (onStack.has(w)) {
                low.set(v, Math.min(low.get(v)!, index.get(w)!));
            }
        }
        if (low.get(v) !== index.get(v)) return;
        const scc: string[] = [];
        let w: string;
        do {
            w = stack.pop()!;
            onStack.delete(w);
            scc.push(w);
        } while (w !== v);
        if (scc.length > 1 || next.get(v)!.has(v)) found.push(cyclePath(scc, next));
    };
    for (const n of [...next.keys()].sort()) if (!index.has(n)) visit(n);
    return found;
}

/** One circle through the component's first member (by name), as `a → b → … → a`'s members. */
function cyclePath(scc: string[], next: Map<string, Set<string>>): string[] {
    const members = new Set(scc);
    const start = [...scc].sort()[0];
    // Breadth-first from start's successors back to start, inside the component.
    const cameFrom = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
        const v = queue.shift()!;
        for (const w of [...(next.get(v) ?? [])].sort()) {
            if (!members.has(w) || cameFrom.has(w)) continue;
            cameFrom.set(w, v);
            if (w === start) queue.length = 0;
            else queue.push(w);
        }
    }
    const back: string[] = [];
    for (let v = cameFrom.get(start)!; v !== start; v = cameFrom.get(v)!) back.push(v);
    return [start, ...back.reverse()];
}

/** Each circle between files, as `a.ts → b.ts → a.ts`. */
export function fileCircles(graph: ImportGraph): string[] {
    return circles(graph.files, graph.edges).map((c) => [...c, c[0]].join(" → "));
}

/** Each circle between rows of the table (files of one row importing each other is no circle). */
export function folderCircles(graph: ImportGraph, rules = IMPORT_RULES): string[] {
    const edges: ImportEdge[] = [];
    for (const e of graph.edges) {
        const from = unitOf(e.from, rules);
        const to = unitOf(e.to, rules);
        if (from && to && from !== to) edges.push({ from, to });
    }
    const units = rules.map((r) => r.unit);
    return circles(units, edges).map((c) => [...c, c[0]].join(" → "));
}

/**
 * Each import the table does not allow, naming the importing file, the imported file and the rule.
 * `entries` are the package's entry files (package.json `exports`).
 */
export function directionViolations(
    graph: ImportGraph,
    entries: readonly string[],
    rules = IMPORT_RULES,
): string[] {
    const byUnit = new Map(rules.map((r) => [r.unit, r]));
    const found: string[] = [];
    for (const { from, to } of graph.edges) {
        const fromUnit = unitOf(from, rules);
        const toUnit = unitOf(to, rules);
        if (fromUnit === undefined || fromUnit === toUnit) continue;
        const rule = byUnit.get(fromUnit)!;
        const may = rule.mayImport.length > 0 ? rule.mayImport.join(", ") : "nothing else";
        if (to.startsWith("tests/")) {
            found.push(`${from} imports ${to}: nothing outside tests/ imports tests/`);
        } else if (toUnit === undefined) {
            found.push(`${from} imports ${to}, which is in no folder of the table`);
        } else if (!rule.mayImport.includes(toUnit)) {
            found.push(`${from} imports ${to}: ${fromUnit} may import ${may}, not ${toUnit}`);
        } else if (rule.entriesOnly && !byUnit.get(toUnit)!.outside && !entries.includes(to)) {
            found.push(
                `${from} imports ${to}: ${fromUnit} uses the package only through its entries (${entries.join(", ")})`,
            );
        }
    }
    return found;
}

/** Each source file that belongs to no row of the table. */
export function unplacedFiles(graph: ImportGraph, rules = IMPORT_RULES): string[] {
    return graph.files.filter((f) => unitOf(f, rules) === undefined);
}

/** The files `starts` load, directly or through other files (`starts` included). */
export function reachable(graph: ImportGraph, starts: readonly string[]): string[] {
    const seen = new Set(starts);
    const queue = [...starts];
    while (queue.length > 0) {
        const file = queue.shift()!;
        for (const e of graph.edges) {
            if (e.from === file && !seen.has(e.to)) {
                seen.add(e.to);
                queue.push(e.to);
            }
        }
    }
    return [...seen].sort();
}
