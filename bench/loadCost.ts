/**
 * Load-cost benchmark: what it costs to load the package, and to run the root program under the mock
 * engine, as ratios to loading bare `@pulumi/pulumi` measured in the same run. Each figure is the
 * median over fresh child processes (bench/loadProbe.ts), interleaved so drift hits every case alike
 * (BENCH_REPS rounds, default 7, after one discarded warm-up round).
 * The top-level `@pulumi/azure-native` import is measured too, as the reference the submodule imports avoid.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { readStackConfigEnv } from "../demo/stackConfig";
import type { ProbeKind, ProbeResult } from "./loadProbe";

const DIST = path.resolve(__dirname, "..");
const ROOT = path.resolve(DIST, "..");
const PROBE = path.join(DIST, "bench", "loadProbe.js");

const CASES: readonly { kind: ProbeKind; label: string }[] = [
    { kind: "pulumi", label: "@pulumi/pulumi (baseline)" },
    { kind: "package", label: "azure-databricks-mlops package" },
    { kind: "program", label: "root program under mocks (Pulumi.dev.yaml)" },
    { kind: "azure-native", label: "@pulumi/azure-native top-level (reference)" },
];

/** The dev stack's config as the engine would pass it (the demo's reader: Pulumi.yaml defaults, then Pulumi.dev.yaml). */
export function devStackConfigEnv(): NodeJS.ProcessEnv {
    const env = readStackConfigEnv(ROOT, "dev");
    return {
        PULUMI_CONFIG: JSON.stringify(env.config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(env.secretKeys),
    };
}

/** Runs one probe in a fresh node process. */
export function runProbe(kind: ProbeKind, env: NodeJS.ProcessEnv = {}): ProbeResult {
    const child = spawnSync(process.execPath, [PROBE, kind], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        encoding: "utf8",
    });
    if (child.status !== 0)
        throw new Error(`probe ${kind} failed (exit ${child.status}):\n${child.stderr}`);
    return JSON.parse(child.stdout.trim().split("\n").pop()!) as ProbeResult;
}

function median(values: number[]): number {
    const s = [...values].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export async function run(reps = Number(process.env.BENCH_REPS ?? 7)): Promise<void> {
    const programEnv = devStackConfigEnv();
    const samples = new Map<ProbeKind, ProbeResult[]>(CASES.map((c) => [c.kind, []]));
    // One discarded warm-up round (cold file cache), then rounds in a rotating order so that position
    // in a round (CPU frequency, cache) does not favour one case.
    for (let round = -1; round < reps; round++) {
        for (let j = 0; j < CASES.length; j++) {
            const c = CASES[(j + Math.max(round, 0)) % CASES.length];
            const result = runProbe(c.kind, c.kind === "program" ? programEnv : {});
            if (round >= 0) samples.get(c.kind)!.push(result);
        }
    }
    const stats = CASES.map((c) => {
        const s = samples.get(c.kind)!;
        return {
            ...c,
            ms: median(s.map((r) => r.ms)),
            minMs: Math.min(...s.map((r) => r.ms)),
            rss: median(s.map((r) => r.rssBytes)),
            heap: median(s.map((r) => r.heapUsedBytes)),
            last: s[s.length - 1],
        };
    });
    const base = stats[0];
    const mb = (b: number) => (b / 1048576).toFixed(1);
    const x = (v: number, b: number) => `${(v / b).toFixed(2)}x`;
    console.log(
        `\nload cost — median (and fastest) of ${reps} fresh processes each; ratios to bare @pulumi/pulumi in this run`,
    );
    console.log(
        "times are wall-clock and move with machine load; the fastest run is the least disturbed, memory is stable",
    );
    console.log(
        `${"case".padEnd(46)}${"time ms".padStart(10)}${"ratio".padStart(8)}${"min ms".padStart(9)}${"ratio".padStart(8)}${"RSS MB".padStart(10)}${"ratio".padStart(8)}${"heap MB".padStart(10)}${"ratio".padStart(8)}`,
    );
    for (const s of stats) {
        console.log(
            `${s.label.padEnd(46)}${s.ms.toFixed(0).padStart(10)}${x(s.ms, base.ms).padStart(8)}${s.minMs.toFixed(0).padStart(9)}${x(s.minMs, base.minMs).padStart(8)}${mb(s.rss).padStart(10)}${x(s.rss, base.rss).padStart(8)}` +
                `${mb(s.heap).padStart(10)}${x(s.heap, base.heap).padStart(8)}`,
        );
    }
    for (const s of stats.filter((t) => t.kind === "package" || t.kind === "program")) {
        const a = s.last;
        const registered = a.resources === undefined ? "" : `; ${a.resources} resources registered`;
        console.log(
            `${s.label}: azure-native top-level index ${a.azureNativeIndexLoaded ? "LOADED" : "not loaded"}; submodules: ${a.azureNativeSubmodules.join(", ") || "none"}${registered}`,
        );
    }
}
