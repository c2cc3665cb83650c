/**
 * Proactive pacing: a request budget per API and operation class, so a large sync stays under the
 * services' rate limits instead of running into 429s and waiting out Retry-After.
 *
 * Defaults, in requests per second:
 * - Databricks account SCIM API (learn.microsoft.com/azure/databricks/resources/limits, "API rate
 *   limits"): GET 20/s, LIST 240/min, POST/PUT/DELETE 5/s, PATCH 2/s, per account. The rate table of
 *   that page could not be read here; these values are its transcription in API-NOTES B5 — check
 *   them against the page and override with `rateLimits` if your account differs.
 * - Microsoft Graph, identity and access (learn.microsoft.com/graph/throttling-limits): 3,500
 *   resource units per 10 s per app and tenant for the smallest tenants (5,000 / 8,000 for larger
 *   ones); a GET with $select costs 1 unit, and each request inside a $batch counts on its own. When
 *   Graph reports the app above 80% of its limit (`x-ms-throttle-limit-percentage`, 0.8–1.8), reads
 *   slow down for one 10-second window.
 * Requests of a class start evenly spaced (no burst); a 429 of a class holds back that whole class
 * for its Retry-After (a 429 of one request inside a Graph $batch too, see GraphClient.batchGet), and
 * each request still honours its own Retry-After on retry.
 */
import { parseRetryAfter } from "../common/retry";

/** Requests per second per operation class; 0 = unpaced. */
export interface RateLimits {
    /** Microsoft Graph reads (requests inside a $batch counted one by one). */
    readonly graphReads: number;
    /** SCIM GET of one principal. */
    readonly scimReads: number;
    /** SCIM list and filter lookups (GET of a collection). */
    readonly scimLists: number;
    /** SCIM POST (and PUT, DELETE: never sent by the sync). */
    readonly scimCreates: number;
    /** SCIM PATCH. */
    readonly scimPatches: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { graphReads: 350, scimReads: 20, scimLists: 4, scimCreates: 5, scimPatches: 2 };
/** Nothing paced (`off`): only 429 + Retry-After slow the sync down. */
export const UNPACED: RateLimits = { graphReads: 0, scimReads: 0, scimLists: 0, scimCreates: 0, scimPatches: 0 };

/** `--rate-limits` / `rateLimits` keys, by the RateLimits field they set. */
export const RATE_LIMIT_KEYS: Readonly<Record<string, keyof RateLimits>> = {
    "graph.reads": "graphReads",
    "scim.reads": "scimReads",
    "scim.lists": "scimLists",
    "scim.creates": "scimCreates",
    "scim.patches": "scimPatches",
};

const SPEC_EXAMPLE = "scim.creates=5,scim.patches=2,graph.reads=350 (requests per second; 0 = unpaced), or off";

/**
 * Parses `key=perSecond,...` (keys of {@link RATE_LIMIT_KEYS}) or `off` (nothing paced) over the
 * defaults. Returns the limits, or a message saying what is wrong and what would be valid.
 */
export function parseRateLimits(spec: string): RateLimits | { error: string } {
    const text = spec.trim();
    if (text === "off") return UNPACED;
    const limits: Record<string, number> = { ...DEFAULT_RATE_LIMITS };
    for (const part of text.split(",").map((p) => p.trim()).filter((p) => p !== "")) {
        const m = /^([a-z.]+)\s*=\s*(\d+(?:\.\d+)?)$/i.exec(part);
        const field = m ? RATE_LIMIT_KEYS[m[1].toLowerCase()] : undefined;
        if (!m || !field) {
            return { error: `${JSON.stringify(part.slice(0, 40))} is not a rate limit; expected e.g. ${SPEC_EXAMPLE}; keys: ${Object.keys(RATE_LIMIT_KEYS).join(", ")}` };
        }
        limits[field] = Number(m[2]);
    }
    return limits as unknown as RateLimits;
}

/** Problems of a `SyncOptions.rateLimits` object: unknown classes, values that are not numbers ≥ 0. */
export function rateLimitProblems(limits: Partial<RateLimits> | undefined): string[] {
    if (limits === undefined) return [];
    const known = Object.keys(DEFAULT_RATE_LIMITS);
    return Object.entries(limits).flatMap(([k, v]) => {
        if (!known.includes(k)) return [`rateLimits.${k}: not a class; the classes are ${known.join(", ")}`];
        if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0)) return [`rateLimits.${k}: must be requests per second, a number ≥ 0 (0 = unpaced), got ${JSON.stringify(v)}`];
        return [];
    });
}

/** How late a release may be and still be caught up (see Lane.pump). */
const CATCH_UP_MS = 50;

/** A waiting request: its cost, and how to let it go or refuse it. */
interface Waiter {
    readonly cost: number;
    readonly resolve: () => void;
    readonly reject: (e: unknown) => void;
}

/**
 * One class's budget: requests leave a FIFO queue one at a time, each `cost / rate` after the one
 * before. The spacing is decided when a request leaves (not when it queued), so a slowdown learnt
 * from an answer applies to everything still waiting.
 */
class Lane {
    private next = 0;
    private last?: { at: number; cost: number };
    private readonly queue: Waiter[] = [];
    private timer?: ReturnType<typeof setTimeout>;

    constructor(
        readonly perSecond: number,
        private readonly now: () => number,
        private readonly factor: () => number,
    ) {}

    wait(cost: number): Promise<void> {
        return new Promise((resolve, reject) => {
            this.queue.push({ cost, resolve, reject });
            this.pump();
        });
    }

    /** No start before `t` (after a 429's Retry-After). */
    holdUntil(t: number): void {
        this.next = Math.max(this.next, t);
        this.pump();
    }

    /** The rate changed: the next start follows from the last one at the new rate. */
    respace(): void {
        if (this.last) this.next = Math.max(this.next, this.last.at + this.interval(this.last.cost));
        this.pump();
    }

    /** Refuses every waiting request (the run was aborted). */
    cancel(error: unknown): void {
        clearTimeout(this.timer);
        this.timer = undefined;
        for (const w of this.queue.splice(0)) w.reject(error);
    }

    private interval(cost: number): number {
        return (1000 * cost) / (this.perSecond * this.factor());
    }

    private pump(): void {
        clearTimeout(this.timer);
        this.timer = undefined;
        while (this.queue.length > 0) {
            const now = this.now();
            if (now < this.next) {
                this.timer = setTimeout(() => this.pump(), Math.ceil(this.next - now));
                return;
            }
            const w = this.queue.shift()!;
            // Spaced from the planned start, not from when the timer fired: timers fire late under
            // load, and that lateness would otherwise add up. Lateness up to CATCH_UP_MS (or one
            // interval, if longer) is caught up; after a longer pause the lane starts afresh, so no
            // burst is saved up while idle. At the documented rates (intervals of 50 ms and more)
            // that is at most two requests back to back.
            const interval = this.interval(w.cost);
            const start = now - this.next < Math.max(interval, CATCH_UP_MS) ? this.next : now;
            this.last = { at: start, cost: w.cost };
            this.next = start + interval;
            w.resolve();
        }
    }
}

/** What a request is, for the budget: its class and its cost in requests. */
export type Classifier = (method: string, path: string, body: unknown) => { lane: string; cost: number };

/** SCIM: GET of a collection = list, GET of one = read, PATCH = patch, anything else = create. */
export const scimClassifier: Classifier = (method, path) => {
    if (method === "GET") return { lane: /\/(Users|Groups|ServicePrincipals)\/?$/.test(path) ? "scimLists" : "scimReads", cost: 1 };
    return { lane: method === "PATCH" ? "scimPatches" : "scimCreates", cost: 1 };
};

/** Graph: every call is a read; a $batch costs one per request inside. */
export const graphClassifier: Classifier = (_method, path, body) => {
    const inner = (body as { requests?: unknown[] } | undefined)?.requests;
    return { lane: "graphReads", cost: path.endsWith("/$batch") && Array.isArray(inner) ? Math.max(1, inner.length) : 1 };
};

/** Graph's throttling window, over which `x-ms-throttle-limit-percentage` is measured. */
const GRAPH_WINDOW_MS = 10_000;

export class Pacer {
    private readonly lanes = new Map<string, Lane>();
    /** Rate factor (≤ 1) while Graph reports high use, and until when. */
    private slow = { factor: 1, until: 0 };
    /** Time requests spent waiting for their slot, ms (for the summary and the bench). */
    waitedMs = 0;

    constructor(
        limits: Partial<RateLimits>,
        private readonly classify: Classifier,
        private readonly now: () => number = () => performance.now(),
    ) {
        for (const [lane, perSecond] of Object.entries(limits)) {
            if (typeof perSecond === "number" && perSecond > 0) this.lanes.set(lane, new Lane(perSecond, now, () => this.factor()));
        }
    }

    /** Waits for this request's turn in its class's budget (at once when the class is unpaced). */
    async take(method: string, path: string, body: unknown): Promise<void> {
        const { lane, cost } = this.classify(method, path, body);
        const l = this.lanes.get(lane);
        if (!l) return;
        const started = this.now();
        await l.wait(cost);
        this.waitedMs += this.now() - started;
    }

    /** Refuses every request still waiting (the run was aborted or failed). */
    cancel(error: unknown): void {
        for (const l of this.lanes.values()) l.cancel(error);
    }

    /**
     * Learns from an answer: a 429 holds back its class; Graph's use percentage slows reads.
     * Returns a line for the log when the pace changes (entering or deepening a slowdown).
     */
    observe(method: string, path: string, body: unknown, status: number, headers: Headers): string | undefined {
        const { lane } = this.classify(method, path, body);
        if (status === 429) {
            const after = parseRetryAfter(headers.get("retry-after")) ?? 1000;
            this.lanes.get(lane)?.holdUntil(this.now() + after);
        }
        const used = Number(headers.get("x-ms-throttle-limit-percentage"));
        if (Number.isFinite(used) && used >= 0.8) {
            // At 0.8 of the limit: half speed; the more over, the slower (down to a tenth).
            const before = this.factor();
            this.slow = { factor: Math.max(0.1, 0.4 / used), until: this.now() + GRAPH_WINDOW_MS };
            for (const l of this.lanes.values()) l.respace();
            if (this.slow.factor < before) {
                return `the service reports ${Math.round(used * 100)}% of this app's rate limit used (x-ms-throttle-limit-percentage): requests slowed to ${Math.round(this.slow.factor * 100)}% of the budget for ${GRAPH_WINDOW_MS / 1000} s`;
            }
        }
        return undefined;
    }

    /** The current rate factor (1 = the configured budget). */
    factor(): number {
        return this.now() < this.slow.until ? this.slow.factor : 1;
    }
}
