/**
 * SCIM sync benchmark against the Graph and SCIM emulators with 20 ms latency per call:
 *   (a) the reference workload of the tool it replaces: 300 users, 100 groups, group i = users max(0, i−20)..i;
 *   (b) 10,000 users, 2,000 groups nested 3 deep;
 *   (c) an incremental run on (b) after 1% of the memberships changed;
 *   (d) the first sync of (b) against emulators that enforce the account's rate limits (429 +
 *       Retry-After above the rate), unpaced and paced with the same limits;
 *   (e) adaptive pacing against hidden limits (bench/scimPacing.ts);
 *   and the CPU time per call of the `scim-sync` CLI (a child process) doing the first sync of (b) unpaced.
 * (a)–(c) run unpaced against unlimited emulators: API calls by kind next to the lower bound, and
 * wall time next to calls × latency ÷ concurrency. (d): 429 answers, and wall time next to
 * writes ÷ allowed write rate. Not a test: figures are ratios measured in this run.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_RATE_LIMITS, RateLimits, runSync, SyncOptions, SyncState, UNPACED } from "../scim";
import { GraphEmulator } from "../emulators/graph";
import { ScimEmulator } from "../emulators/scim";

export const name = "scim-sync";

const LATENCY_MS = 20;
const CONCURRENCY = 10;
const BATCH = 20;
const MEMBER_PAGE = 999;
const SCIM_PAGE = 100;

interface Bound {
    graphReads: number;
    scimReads: number;
    writes: number;
}

interface Row {
    workload: string;
    /** Wall time of bare requests per call at the same concurrency, measured just before (ms). */
    effectiveLatencyMs: number;
    graphReads: number;
    scimReads: number;
    writes: number;
    bound: Bound;
    wallMs: number;
    byKind: string;
}

/** Lower bound of a full run: delta links, name lookups, member pages batched 20 a call per level, list pages, one POST per principal. */
function fullBound(g: GraphEmulator, listed: string[], depth: number, accountUsers: number): Bound {
    // three "from now" delta links (groups, users, service principals), then the name lookups
    let graphReads = 3 + Math.ceil(listed.length / BATCH);
    let level = listed.map((n) => g.groupByName(n).id);
    const seen = new Set(level);
    const principals = new Set<string>();
    let groups = 0;
    for (let l = 1; l <= depth && level.length > 0; l++) {
        const pages = level.reduce(
            (n, id) => n + Math.max(1, Math.ceil(g.groups.get(id)!.members.size / MEMBER_PAGE)),
            0,
        );
        graphReads += Math.ceil(pages / BATCH);
        groups += level.length;
        const next: string[] = [];
        for (const id of level) {
            for (const m of g.groups.get(id)!.members) {
                if (g.groups.has(m)) {
                    if (l < depth && !seen.has(m)) {
                        seen.add(m);
                        next.push(m);
                    }
                } else principals.add(m);
            }
        }
        level = next;
    }
    // Users and groups are listed (empty account: one empty page each); no SPs here, so they are only counted.
    const scimReads = Math.ceil(accountUsers / SCIM_PAGE) + 1 + 1 + 1;
    return { graphReads, scimReads, writes: principals.size + groups };
}

function counts(g: GraphEmulator, s: ScimEmulator) {
    const sum = (m: Map<string, number>, f: (k: string) => boolean) =>
        [...m].filter(([k]) => f(k)).reduce((n, [, v]) => n + v, 0);
    const gc = g.server.counters;
    const sc = s.server.counters;
    const byKind = [...gc, ...sc]
        .filter(([k]) => !k.startsWith("batch>"))
        .map(([k, v]) => `${k}=${v}`)
        .sort()
        .join(" ");
    const inner = [...gc]
        .filter(([k]) => k.startsWith("batch>"))
        .map(([k, v]) => `${k}=${v}`)
        .sort()
        .join(" ");
    return {
        graphReads: sum(gc, (k) => !k.startsWith("batch>")),
        scimReads: sum(sc, (k) => k.endsWith(":list") || k.endsWith(":get")),
        writes: sum(
            sc,
            (k) => k.endsWith(":post") || k.endsWith(":patch") || k.endsWith(":delete"),
        ),
        byKind: `${byKind}${inner ? ` (inside $batch: ${inner})` : ""}`,
    };
}

/**
 * The baseline measured in the same run: SAMPLE bare GETs against the emulator (same latency, same
 * concurrency, no engine); gives the effective per-call time on this machine, load included.
 */
async function effectiveLatency(s: ScimEmulator): Promise<number> {
    const SAMPLE = 400;
    s.server.settings.latencyMs = LATENCY_MS;
    const url = `${s.host}/api/2.0/accounts/${s.accountId}/scim/v2/Groups?startIndex=1&count=1`;
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
            while (next++ < SAMPLE)
                await (await fetch(url, { headers: { Authorization: "Bearer bench" } })).text();
        }),
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return (ms * CONCURRENCY) / SAMPLE;
}

async function timed(
    g: GraphEmulator,
    s: ScimEmulator,
    options: SyncOptions,
): Promise<{ ms: number; state: SyncState }> {
    g.reset();
    s.reset();
    g.server.settings.latencyMs = LATENCY_MS;
    s.server.settings.latencyMs = LATENCY_MS;
    const started = process.hrtime.bigint();
    const r = await runSync(options);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.summary.errors > 0)
        throw new Error(`bench run failed: ${r.summary.errorMessages.slice(0, 3).join("; ")}`);
    return { ms, state: r.state };
}

function optionsFor(
    g: GraphEmulator,
    s: ScimEmulator,
    groups: string[],
    depth: number,
    state?: SyncState,
): SyncOptions {
    return {
        groups,
        groupSearchDepth: depth,
        concurrency: CONCURRENCY,
        state,
        graph: { url: g.url, token: async () => "bench" },
        account: { host: s.host, accountId: s.accountId, token: async () => "bench" },
        // (a)–(c) measure the engine's calls and concurrency, so nothing limits them; (d) is paced.
        rateLimits: UNPACED,
    };
}

/**
 * The documented limits × SCALE, so (d) takes under a minute per run instead of 40 minutes; the
 * ratio wall ÷ (writes ÷ rate) does not depend on the scale while the rates stay well below what
 * the concurrency and latency allow.
 */
const SCALE = 50;
/** In (d), enough requests in flight that the rate, not latency × concurrency, bounds the writes (20 ÷ 20 ms = 1,000 calls/s). */
const LIMITED_CONCURRENCY = 20;
const SCALED_LIMITS: RateLimits = {
    graphReads: DEFAULT_RATE_LIMITS.graphReads * SCALE,
    scimReads: DEFAULT_RATE_LIMITS.scimReads * SCALE,
    scimLists: DEFAULT_RATE_LIMITS.scimLists * SCALE,
    scimCreates: DEFAULT_RATE_LIMITS.scimCreates * SCALE,
    scimPatches: DEFAULT_RATE_LIMITS.scimPatches * SCALE,
};

interface PacedRow {
    run: string;
    throttled: number;
    errors: number;
    creates: number;
    patches: number;
    wallMs: number;
    /** creates ÷ create rate + patches ÷ patch rate. */
    modelMs: number;
}

/** (d) One first sync of the large tenant on an empty account with the emulators enforcing SCALED_LIMITS. */
async function limitedRun(
    g: GraphEmulator,
    s: ScimEmulator,
    listed: string[],
    run: string,
    rateLimits: RateLimits,
): Promise<PacedRow> {
    s.clear();
    g.reset();
    g.server.settings.latencyMs = LATENCY_MS;
    s.server.settings.latencyMs = LATENCY_MS;
    s.enforceRateLimits(SCALED_LIMITS);
    g.enforceRateLimit(SCALED_LIMITS.graphReads);
    const started = process.hrtime.bigint();
    const r = await runSync({
        ...optionsFor(g, s, listed, 3),
        rateLimits,
        concurrency: LIMITED_CONCURRENCY,
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const sum = (suffix: RegExp) =>
        [...s.server.counters].filter(([k]) => suffix.test(k)).reduce((n, [, v]) => n + v, 0);
    // Writes the account accepted (arrivals answered 429 are counted apart, in `throttled`).
    const creates = sum(/:(post|put|delete)$/) - (s.server.throttled.get("scimCreates") ?? 0);
    const patches = sum(/:patch$/) - (s.server.throttled.get("scimPatches") ?? 0);
    const throttled = [...s.server.throttled.values(), ...g.server.throttled.values()].reduce(
        (a, b) => a + b,
        0,
    );
    const modelMs =
        (creates * 1000) / SCALED_LIMITS.scimCreates + (patches * 1000) / SCALED_LIMITS.scimPatches;
    return { run, throttled, errors: r.summary.errors, creates, patches, wallMs, modelMs };
}

function printPaced(rows: PacedRow[]): void {
    const l = SCALED_LIMITS;
    console.log(
        `(d) first sync of (b) with the account's rate limits enforced by the emulators: the documented limits × ${SCALE} ` +
            `(SCIM creates ${l.scimCreates}/s, patches ${l.scimPatches}/s, reads ${l.scimReads}/s, lists ${l.scimLists}/s; Graph ${l.graphReads} requests/s); ` +
            `concurrency ${LIMITED_CONCURRENCY}, latency ${LATENCY_MS} ms; creates and patches accepted by the account; model = creates ÷ create rate + patches ÷ patch rate`,
    );
    const header = [
        "run",
        "429 answers",
        "errors",
        "creates",
        "patches",
        "wall ms",
        "model ms",
        "wall/model",
    ];
    const table = rows.map((r) => [
        r.run,
        String(r.throttled),
        String(r.errors),
        String(r.creates),
        String(r.patches),
        r.wallMs.toFixed(0),
        r.modelMs.toFixed(0),
        (r.wallMs / r.modelMs).toFixed(2),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(" | ");
    console.log(line(header));
    console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
    for (const row of table) console.log(line(row));
}

/** (a) 300 users, 100 groups; group i holds users max(0, i−20)..i. */
function seedReference(g: GraphEmulator): string[] {
    const users = Array.from({ length: 300 }, (_, i) =>
        g.addUser({ userPrincipalName: `user${i}@contoso.com` }),
    );
    const names: string[] = [];
    for (let i = 0; i < 100; i++) {
        const group = g.addGroup(`ref-group-${i}`);
        names.push(group.displayName);
        for (let u = Math.max(0, i - 20); u <= i; u++) g.addMember(group.id, users[u].id);
    }
    return names;
}

/** (b) 10,000 users; 20 listed groups ⊃ 9 groups each ⊃ 10 groups each = 2,000 groups, 3 levels. */
export function seedLarge(g: GraphEmulator): {
    listed: string[];
    leaves: string[];
    users: string[];
} {
    const users = Array.from(
        { length: 10_000 },
        (_, i) =>
            g.addUser({ userPrincipalName: `u${i}@contoso.com`, displayName: `User ${i}` }).id,
    );
    const listed: string[] = [];
    const mids: string[] = [];
    const leaves: string[] = [];
    for (let a = 0; a < 20; a++) {
        const top = g.addGroup(`top-${a}`);
        listed.push(top.displayName);
        for (let b = 0; b < 9; b++) {
            const mid = g.addGroup(`mid-${a}-${b}`);
            g.addMember(top.id, mid.id);
            mids.push(mid.id);
            for (let c = 0; c < 10; c++) {
                const leaf = g.addGroup(`leaf-${a}-${b}-${c}`);
                g.addMember(mid.id, leaf.id);
                leaves.push(leaf.id);
            }
        }
    }
    users.forEach((u, i) => {
        g.addMember(leaves[i % leaves.length], u);
        g.addMember(leaves[(i * 7 + 3) % leaves.length], u);
        if (i < mids.length * 10) g.addMember(mids[i % mids.length], u);
        if (i < 200) g.addMember(g.groupByName(listed[i % 20]).id, u);
    });
    return { listed, leaves, users };
}

/**
 * The first sync of (b) by the `scim-sync` CLI in a child process, unpaced, against these emulators:
 * the child's own CPU time (user + system) per API call, the emulators' not included.
 */
async function cliCpuPerCall(
    g: GraphEmulator,
    s: ScimEmulator,
    listed: string[],
): Promise<{ cpuMs: number; calls: number; wallMs: number }> {
    s.clear();
    g.reset();
    g.server.settings.latencyMs = LATENCY_MS;
    s.server.settings.latencyMs = LATENCY_MS;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scim-bench-"));
    try {
        fs.writeFileSync(path.join(dir, "groups.json"), JSON.stringify(listed));
        const cpuFile = path.join(dir, "cpu.json");
        const args = [
            "--require",
            path.join(__dirname, "cpuReport.js"),
            path.join(__dirname, "../scim/cli/main.js"),
            "--groups-json-file",
            path.join(dir, "groups.json"),
            "--group-search-depth",
            "3",
            "--state-file",
            path.join(dir, "state.json"),
            "--json",
        ];
        const env = {
            ...process.env,
            GRAPH_TOKEN: "bench",
            DATABRICKS_TOKEN: "bench",
            GRAPH_URL: g.url,
            DATABRICKS_HOST: s.host,
            DATABRICKS_ACCOUNT_ID: s.accountId,
            SCIM_SYNC_RATE_LIMITS: "off",
            CPU_REPORT_FILE: cpuFile,
        };
        const started = Date.now();
        const child = spawn(process.execPath, args, { env, stdio: ["ignore", "ignore", "ignore"] });
        const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
        if (code !== 0) throw new Error(`scim-sync CLI exited with ${code}`);
        const cpu = JSON.parse(fs.readFileSync(cpuFile, "utf8"));
        const calls = [...g.server.counters, ...s.server.counters]
            .filter(([k]) => !k.startsWith("batch>"))
            .reduce((n, [, v]) => n + v, 0);
        return { cpuMs: cpu.userMs + cpu.systemMs, calls, wallMs: Date.now() - started };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

export async function run(): Promise<void> {
    const g = new GraphEmulator();
    const s = new ScimEmulator();
    await Promise.all([g.start(), s.start()]);
    const rows: Row[] = [];
    const paced: PacedRow[] = [];
    try {
        // Warm-up (not measured): the same run once without latency, so JIT and connection setup are not timed.
        await runSync(optionsFor(g, s, seedReference(g), 1));
        g.clear();
        s.clear();

        // (a) is short, so one load spike skews it: the median of three runs (each on an empty account).
        const runsA: {
            ms: number;
            effective: number;
            calls: ReturnType<typeof counts>;
            bound: Bound;
        }[] = [];
        for (let i = 0; i < 3; i++) {
            g.clear();
            s.clear();
            const refNames = seedReference(g);
            const bound = fullBound(g, refNames, 1, 0);
            const effective = await effectiveLatency(s);
            const a = await timed(g, s, optionsFor(g, s, refNames, 1));
            runsA.push({ ms: a.ms, effective, calls: counts(g, s), bound });
        }
        const medianA = [...runsA].sort((x, y) => x.ms / x.effective - y.ms / y.effective)[1];
        rows.push({
            workload: "(a) 300 users, 100 groups (median of 3)",
            effectiveLatencyMs: medianA.effective,
            ...medianA.calls,
            bound: medianA.bound,
            wallMs: medianA.ms,
        });
        let effective: number;

        // (b)
        g.clear();
        s.clear();
        const large = seedLarge(g);
        const bLarge = fullBound(g, large.listed, 3, 0);
        effective = await effectiveLatency(s);
        const b = await timed(g, s, optionsFor(g, s, large.listed, 3));
        rows.push({
            workload: "(b) 10,000 users, 2,000 groups, depth 3",
            effectiveLatencyMs: effective,
            ...counts(g, s),
            bound: bLarge,
            wallMs: b.ms,
        });

        // (c) 1% of the memberships change: half removals, half additions, in leaf groups.
        const memberships = [...g.groups.values()].reduce((n, x) => n + x.members.size, 0);
        const changes = Math.round(memberships / 100);
        const changed = new Set<string>();
        for (let k = 0; k < changes; k++) {
            const leaf = g.groups.get(large.leaves[(k * 37) % large.leaves.length])!;
            if (k % 2 === 0) {
                const victim = [...leaf.members].find((m) => g.users.has(m));
                if (victim) g.removeMember(leaf.id, victim);
            } else g.addMember(leaf.id, large.users[(k * 7919) % large.users.length]);
            changed.add(leaf.id);
        }
        const pagesPerDelta = (n: number) => Math.max(1, Math.ceil(n / g.deltaPageSize));
        const bInc: Bound = {
            // delta rounds (groups: pages of changed groups; users and SPs: one empty page each) + changed groups' members batched
            graphReads: pagesPerDelta(changed.size) + 2 + Math.ceil(changed.size / BATCH),
            // GET each changed group (current members); every member already exists
            scimReads: changed.size,
            writes: changed.size,
        };
        effective = await effectiveLatency(s);
        const c = await timed(g, s, optionsFor(g, s, large.listed, 3, b.state));
        rows.push({
            workload: `(c) incremental, ${changes} of ${memberships} memberships changed`,
            effectiveLatencyMs: effective,
            ...counts(g, s),
            bound: bInc,
            wallMs: c.ms,
        });
        const cpu = await cliCpuPerCall(g, s, large.listed);
        console.log(
            `CLI CPU per call, first sync of (b) unpaced in a child process: ${((cpu.cpuMs * 1000) / cpu.calls).toFixed(0)} µs (${(cpu.cpuMs / 1000).toFixed(1)} s of CPU for ${cpu.calls} calls, wall ${(cpu.wallMs / 1000).toFixed(1)} s; load average ${os.loadavg()[0].toFixed(2)})`,
        );
        // (d) the same first sync, unpaced then paced, against the rate-limited emulators.
        paced.push(
            await limitedRun(g, s, large.listed, "unpaced (429 + Retry-After only)", UNPACED),
        );
        paced.push(
            await limitedRun(g, s, large.listed, "paced with the same limits", SCALED_LIMITS),
        );
    } finally {
        await Promise.all([g.stop(), s.stop()]);
    }
    print(rows);
    printPaced(paced);
}

function print(rows: Row[]): void {
    const ratio = (a: number, b: number) =>
        b === 0 ? (a === 0 ? "1.00" : "∞") : (a / b).toFixed(2);
    const header = [
        "workload",
        "graph reads (bound)",
        "scim reads (bound)",
        "writes (bound)",
        "reads ratio",
        "writes ratio",
        "wall ms",
        "model ms",
        "wall/model",
        "per-call ms",
        "wall/baseline",
    ];
    const table = rows.map((r) => {
        const calls = r.graphReads + r.scimReads + r.writes;
        const model = (calls * LATENCY_MS) / CONCURRENCY;
        return [
            r.workload,
            `${r.graphReads} (${r.bound.graphReads})`,
            `${r.scimReads} (${r.bound.scimReads})`,
            `${r.writes} (${r.bound.writes})`,
            ratio(r.graphReads + r.scimReads, r.bound.graphReads + r.bound.scimReads),
            ratio(r.writes, r.bound.writes),
            r.wallMs.toFixed(0),
            model.toFixed(0),
            ratio(r.wallMs, model),
            r.effectiveLatencyMs.toFixed(1),
            ratio(r.wallMs, (calls * r.effectiveLatencyMs) / CONCURRENCY),
        ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(" | ");
    console.log(
        `SCIM sync: latency ${LATENCY_MS} ms per call, concurrency ${CONCURRENCY}; model = calls × latency ÷ concurrency; after one unmeasured warm-up run`,
    );
    console.log(
        `baseline = calls × per-call ms ÷ concurrency, per-call ms measured just before each workload with bare requests (same emulator, latency, concurrency; machine load included)`,
    );
    console.log(line(header));
    console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
    for (const row of table) console.log(line(row));
    for (const r of rows) console.log(`  ${r.workload}: ${r.byKind}`);
    const [full, inc] = [rows[1], rows[2]];
    if (full && inc) {
        const total = (r: Row) => r.graphReads + r.scimReads + r.writes;
        console.log(
            `  incremental cost: ${total(inc)} calls = ${ratio(total(inc), total(full))} × the full run's ${total(full)}`,
        );
    }
}
