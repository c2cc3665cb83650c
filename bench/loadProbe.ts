/**
 * Child-process probe for the load-cost benchmark: loads one thing in this fresh process and prints
 * what it cost as one JSON line. Nothing is imported at the top, so the baseline is really bare.
 *
 *   node dist/bench/loadProbe.js pulumi|package|azure-native|program
 *
 * `program` runs the root program under the offline mock engine; the parent sets PULUMI_CONFIG.
 */
const started = process.hrtime.bigint();

export interface ProbeResult {
    readonly kind: string;
    /** Milliseconds from the probe's start to loaded (and, for `program`, fully registered). */
    readonly ms: number;
    readonly rssBytes: number;
    readonly heapUsedBytes: number;
    /** Whether the top-level @pulumi/azure-native index (every submodule) was loaded. */
    readonly azureNativeIndexLoaded: boolean;
    /** The azure-native submodules (folders) whose code was loaded. */
    readonly azureNativeSubmodules: readonly string[];
    /** For `program`: the resources the root program registered (proof that it ran). */
    readonly resources?: number;
}

export const PROBE_KINDS = ["pulumi", "package", "azure-native", "program"] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

async function probe(kind: string): Promise<ProbeResult> {
    const path = require("path") as typeof import("path");
    const dist = path.resolve(__dirname, "..");
    let resources: number | undefined;
    switch (kind) {
        case "pulumi":
            require("@pulumi/pulumi");
            break;
        case "package":
            require(path.join(dist, "publicApi", "index.js"));
            break;
        case "azure-native":
            require("@pulumi/azure-native");
            break;
        case "program": {
            const { mocks } = require(path.join(dist, "demo", "mockEngine.js"));
            const { answerDemoInvokes } = require(path.join(dist, "demo", "invokes.js"));
            answerDemoInvokes(mocks);
            await mocks.run(() => require(path.join(dist, "index.js")));
            resources = mocks.resources.length;
            break;
        }
        default:
            throw new Error(
                `unknown probe ${JSON.stringify(kind)}; one of ${PROBE_KINDS.join(", ")}`,
            );
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const mem = process.memoryUsage();
    const marker = `${path.sep}@pulumi${path.sep}azure-native${path.sep}`;
    const files = Object.keys(require.cache)
        .filter((f) => f.includes(marker))
        .map((f) => f.slice(f.indexOf(marker) + marker.length));
    return {
        kind,
        ms,
        rssBytes: mem.rss,
        heapUsedBytes: mem.heapUsed,
        azureNativeIndexLoaded: files.includes("index.js"),
        azureNativeSubmodules: [
            ...new Set(
                files
                    .filter((f) => f.includes(path.sep) && !f.startsWith("types"))
                    .map((f) => f.split(path.sep)[0]),
            ),
        ].sort(),
        resources,
    };
}

if (require.main === module) {
    probe(process.argv[2] ?? "").then(
        (result) => process.stdout.write(JSON.stringify(result) + "\n"),
        (err) => {
            process.stderr.write(
                `${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
            );
            process.exit(1);
        },
    );
}
