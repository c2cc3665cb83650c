/**
 * Adaptive pacing against a limit the client does not know: the SCIM emulator enforces a hidden
 * token bucket of L requests/s on creates and on patches (429 + Retry-After above it); the sync runs
 * with default settings (pacing starts from the defaults, 5 creates/s and 2 patches/s) on a first
 * sync of USERS users and GROUPS nested groups, then again on an empty account from the rates the
 * first run learnt (its state's `rates`). Per run: wall ÷ (writes ÷ L) and 429 answers ÷ writes,
 * writes being the creates and patches the account accepted.
 * Targets: wall within 1.15× writes ÷ L, 429s under 2% of writes on the first run and under 0.5% on
 * the second. The limits run side by side (each against its own emulators): the runs are paced, so
 * they leave the CPU mostly idle; the machine's load is printed with the table.
 */
import * as os from "os";
import { runSync, SyncOptions, SyncState } from "../scim";
import { GraphEmulator } from "../emulators/graph";
import { ScimEmulator } from "../emulators/scim";

const LATENCY_MS = 20;
export const HIDDEN_LIMITS = [1, 5, 25, 100];
const USERS = 1_000;

export interface PacingRow {
    limit: number;
    run: "first" | "second";
    wallMs: number;
    writes: number;
    throttled: number;
    errors: number;
    startRates: string;
    endRates: string;
}

/** 1,000 users; 8 listed groups ⊃ 4 groups each ⊃ 5 groups each = 200 groups, 3 levels; each user in two leaves. */
function seed(g: GraphEmulator, users: number): string[] {
    const ids = Array.from(
        { length: users },
        (_, i) => g.addUser({ userPrincipalName: `p${i}@contoso.com`, displayName: `P ${i}` }).id,
    );
    const listed: string[] = [];
    const leaves: string[] = [];
    for (let a = 0; a < 8; a++) {
        const top = g.addGroup(`ptop-${a}`);
        listed.push(top.displayName);
        for (let b = 0; b < 4; b++) {
            const mid = g.addGroup(`pmid-${a}-${b}`);
            g.addMember(top.id, mid.id);
            for (let c = 0; c < 5; c++) {
                const leaf = g.addGroup(`pleaf-${a}-${b}-${c}`);
                g.addMember(mid.id, leaf.id);
                leaves.push(leaf.id);
            }
        }
    }
    ids.forEach((u, i) => {
        g.addMember(leaves[i % leaves.length], u);
        g.addMember(leaves[(i * 7 + 3) % leaves.length], u);
    });
    return listed;
}

const rates = (
    p: Record<string, { startRate: number; rate: number }> | undefined,
    k: "startRate" | "rate",
) =>
    ["scimCreates", "scimPatches"]
        .map((c) =>
            p?.[c]
                ? `${c.slice(4).toLowerCase()} ${p[c][k] >= 10 ? p[c][k].toFixed(0) : p[c][k].toFixed(2)}`
                : "",
        )
        .filter(Boolean)
        .join(", ");

/** One first sync on an empty account against the hidden limit `limit`. */
async function oneRun(
    g: GraphEmulator,
    s: ScimEmulator,
    listed: string[],
    limit: number,
    run: PacingRow["run"],
    state?: SyncState,
): Promise<{ row: PacingRow; state: SyncState }> {
    s.clear();
    g.reset();
    g.server.settings.latencyMs = LATENCY_MS;
    s.server.settings.latencyMs = LATENCY_MS;
    s.enforceRateLimits({ scimCreates: limit, scimPatches: limit });
    const options: SyncOptions = {
        groups: listed,
        groupSearchDepth: 3,
        state,
        graph: { url: g.url, token: async () => "bench" },
        account: { host: s.host, accountId: s.accountId, token: async () => "bench" },
    };
    const started = process.hrtime.bigint();
    const r = await runSync(options);
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const sum = (re: RegExp) =>
        [...s.server.counters].filter(([k]) => re.test(k)).reduce((n, [, v]) => n + v, 0);
    const throttled = [...s.server.throttled.values()].reduce((a, b) => a + b, 0);
    const writes = sum(/:(post|put|delete|patch)$/) - throttled;
    return {
        row: {
            limit,
            run,
            wallMs,
            writes,
            throttled,
            errors: r.summary.errors,
            startRates: rates(r.summary.pacing, "startRate"),
            endRates: rates(r.summary.pacing, "rate"),
        },
        state: r.state,
    };
}

/** Both runs for one hidden limit, on emulators of its own. */
async function forLimit(limit: number, users: number): Promise<PacingRow[]> {
    const g = new GraphEmulator();
    const s = new ScimEmulator();
    await Promise.all([g.start(), s.start()]);
    try {
        const listed = seed(g, users);
        const first = await oneRun(g, s, listed, limit, "first");
        // A fresh account again, from the rates the first run learnt (nothing else of its state).
        const second = await oneRun(g, s, listed, limit, "second", {
            version: 1,
            ids: {},
            syncedGroups: [],
            listedGroups: [],
            rates: first.state.rates,
        });
        return [first.row, second.row];
    } finally {
        await Promise.all([g.stop(), s.stop()]);
    }
}

export async function runPacing(limits = HIDDEN_LIMITS, users = USERS): Promise<void> {
    const load = () => os.loadavg()[0].toFixed(2);
    const loadBefore = load();
    const started = Date.now();
    const rows = (await Promise.all(limits.map((l) => forLimit(l, users)))).flat();
    console.log(
        `(e) adaptive pacing: first sync of ${users} users and 200 nested groups (3 levels) with default settings, against a hidden limit L on SCIM creates and patches ` +
            `(token bucket of 1 s, 429 + Retry-After above it); latency ${LATENCY_MS} ms; limits run side by side; load average ${loadBefore} before, ${load()} after, ${os.cpus().length} cores, ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    console.log(
        "   targets: wall ÷ (writes ÷ L) ≤ 1.15; 429 ÷ writes < 2% (first run), < 0.5% (second run, from the learnt rate)",
    );
    const header = [
        "L req/s",
        "run",
        "writes",
        "wall s",
        "writes÷L s",
        "wall ratio",
        "429s",
        "429÷writes",
        "errors",
        "rate start → end (req/s)",
        "targets",
    ];
    const table = rows.map((r) => {
        const ideal = (r.writes / r.limit) * 1000;
        const ratio = r.wallMs / ideal;
        const share = r.throttled / r.writes;
        const met = ratio <= 1.15 && share < (r.run === "first" ? 0.02 : 0.005) && r.errors === 0;
        return [
            String(r.limit),
            r.run,
            String(r.writes),
            (r.wallMs / 1000).toFixed(1),
            (ideal / 1000).toFixed(1),
            ratio.toFixed(3),
            String(r.throttled),
            `${(share * 100).toFixed(2)}%`,
            String(r.errors),
            `${r.startRates} → ${r.endRates}`,
            met ? "met" : "MISSED",
        ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(" | ");
    console.log(line(header));
    console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
    for (const row of table) console.log(line(row));
}

export const run = () => runPacing();

// Quick look at other sizes: node dist/bench/scimPacing.js USERS L1,L2,...
if (require.main === module) {
    const users = Number(process.argv[2] ?? USERS);
    const limits = process.argv[3] ? process.argv[3].split(",").map(Number) : HIDDEN_LIMITS;
    runPacing(limits, users).catch((e) => {
        console.error(e);
        process.exit(1);
    });
}
