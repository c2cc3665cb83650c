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
 * These are only where a class starts: its rate then adapts to the answers (scim/adaptiveRate: it
 * rises while requests succeed and is cut by a 429), and the rate learnt is kept in the sync state
 * for the next run. An explicit `rateLimits` value is a hard ceiling the rate never passes; `off` (0)
 * leaves a class unpaced.
 * Requests of a class start evenly spaced (no burst); a 429 of a class holds back that whole class
 * for its Retry-After, at most the retry budget (a 429 of one request inside a Graph $batch too, see
 * GraphClient.batchGet), and each request still honours its own Retry-After on retry.
 */
import { MAX_TIMER_MS, parseRetryAfter } from "../../core/retry";
import type { LanePace, LearnedRate, RateLimits } from "../contract";
import { AdaptiveRate } from "./adaptiveRate";

export const DEFAULT_RATE_LIMITS: RateLimits = {
    graphReads: 350,
    scimReads: 20,
    scimLists: 4,
    scimCreates: 5,
    scimPatches: 2,
};
/** Nothing paced (`off`): only 429 + Retry-After slow the sync down. */
export const UNPACED: RateLimits = {
    graphReads: 0,
    scimReads: 0,
    scimLists: 0,
    scimCreates: 0,
    scimPatches: 0,
};

/** `--rate-limits` / `rateLimits` keys, by the RateLimits field they set. */
export const RATE_LIMIT_KEYS: Readonly<Record<string, keyof RateLimits>> = {
    "graph.reads": "graphReads",
    "scim.reads": "scimReads",
    "scim.lists": "scimLists",
    "scim.creates": "scimCreates",
    "scim.patches": "scimPatches",
};

const SPEC_EXAMPLE =
    "scim.creates=5,scim.patches=2,graph.reads=350 (requests per second; 0 = unpaced), or off";

/**
 * Parses `key=perSecond,...` (keys of {@link RATE_LIMIT_KEYS}) or `off` (nothing paced). Returns the
 * classes named (the engine fills the others from the defaults), or a message saying what is wrong
 * and what would be valid.
 */
export function parseRateLimits(spec: string): Partial<RateLimits> | { error: string } {
    const text = spec.trim();
    if (text === "off") return UNPACED;
    // Only the classes named: they are hard ceilings; the others start at the defaults and adapt.
    const limits: Record<string, number> = {};
    for (const part of text
        .split(",")
        .map((p) => p.trim())
        .filter((p) => p !== "")) {
        const m = /^([a-z.]+)\s*=\s*(\d+(?:\.\d+)?)$/i.exec(part);
        // Own keys only: `constructor=5` must not find Object's constructor.
        const field =
            m && Object.prototype.hasOwnProperty.call(RATE_LIMIT_KEYS, m[1].toLowerCase())
                ? RATE_LIMIT_KEYS[m[1].toLowerCase()]
                : undefined;
        if (!m || !field) {
            return {
                error: `${JSON.stringify(part.slice(0, 40))} is not a rate limit; expected e.g. ${SPEC_EXAMPLE}; keys: ${Object.keys(RATE_LIMIT_KEYS).join(", ")}`,
            };
        }
        limits[field] = Number(m[2]);
    }
    return limits as Partial<RateLimits>;
}

/** Problems of a `SyncOptions.rateLimits` object: unknown classes, values that are not numbers ≥ 0. */
export function rateLimitProblems(limits: Partial<RateLimits> | undefined): string[] {
    if (limits === undefined) return [];
    const known = Object.keys(DEFAULT_RATE_LIMITS);
    return Object.entries(limits).flatMap(([k, v]) => {
        if (!known.includes(k))
            return [`rateLimits.${k}: not a class; the classes are ${known.join(", ")}`];
        if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0))
            return [
                `rateLimits.${k}: must be requests per second, a number ≥ 0 (0 = unpaced), got ${JSON.stringify(v)}`,
            ];
        return [];
    });
}

/** How late a release may be and still be caught up (see Lane.pump). */
const CATCH_UP_MS = 50;
/**
 * Lateness always caught up, whatever the interval: Node's timers fire about a millisecond late, which
 * at a few milliseconds per request (100/s and more) would cost 10–25% of the rate if lost, while a
 * bucket of that many requests a second does not mind one request 2 ms early.
 */
const MIN_CATCH_UP_MS = 2;

/** A waiting request: its cost, and how to let it go (saying whether it waited) or refuse it. */
interface Waiter {
    readonly cost: number;
    readonly arrived: number;
    readonly resolve: (paced: boolean) => void;
    readonly reject: (e: unknown) => void;
}

/** A request let go by its class: what its answer teaches the class's rate (see Pacer.observe). */
export interface Ticket {
    readonly lane: string;
    /** The class's rate when it was sent, and the decreases made before. */
    readonly rate: number;
    readonly cuts: number;
    /** It waited for its slot (the class was the bound, not latency or concurrency). */
    readonly paced: boolean;
}

/**
 * One class's budget: requests leave a FIFO queue one at a time, each `cost / rate` after the one
 * before. The spacing is decided when a request leaves (not when it queued), so a slowdown learnt
 * from an answer applies to everything still waiting.
 */
class Lane {
    private next = 0;
    /** No start before this (a 429's Retry-After). */
    private hold = 0;
    private last?: { at: number; cost: number };
    private readonly queue: Waiter[] = [];
    private timer?: ReturnType<typeof setTimeout>;
    /** Time requests spent waiting for their slot, ms. */
    waitedMs = 0;

    constructor(
        readonly control: AdaptiveRate,
        private readonly now: () => number,
        private readonly factor: () => number,
    ) {}

    wait(cost: number): Promise<boolean> {
        return new Promise((resolve, reject) => {
            this.queue.push({ cost, arrived: this.now(), resolve, reject });
            this.pump();
        });
    }

    /** No start before `t` (after a 429's Retry-After). */
    holdUntil(t: number): void {
        this.hold = Math.max(this.hold, t);
        this.next = Math.max(this.next, t);
        this.pump();
    }

    /** The rate changed: the next start follows from the last one at the new rate (sooner, if it rose). */
    respace(): void {
        if (this.last)
            this.next = Math.max(this.hold, this.last.at + this.interval(this.last.cost));
        if (this.queue.length > 0) this.pump();
    }

    /** Refuses every waiting request (the run was aborted). */
    cancel(error: unknown): void {
        clearTimeout(this.timer);
        this.timer = undefined;
        for (const w of this.queue.splice(0)) w.reject(error);
    }

    private interval(cost: number): number {
        return (1000 * cost) / (this.control.rate * this.factor());
    }

    private pump(): void {
        clearTimeout(this.timer);
        this.timer = undefined;
        while (this.queue.length > 0) {
            const now = this.now();
            if (now < this.next) {
                this.timer = setTimeout(
                    () => this.pump(),
                    Math.min(MAX_TIMER_MS, Math.ceil(this.next - now)),
                );
                return;
            }
            const w = this.queue.shift()!;
            // Spaced from the planned start, not from when the timer fired: timers fire late under
            // load, and that lateness would otherwise add up. Lateness up to CATCH_UP_MS, and at most
            // a fiftieth of the interval (but MIN_CATCH_UP_MS always), is caught up: a bucket of one
            // request (a limit of 1/s) refuses a request sent even a little early. After a longer pause the lane starts
            // afresh, so no burst is saved up while idle; the rate adapts to the lateness left.
            const interval = this.interval(w.cost);
            const onTime =
                now - this.next < Math.min(CATCH_UP_MS, Math.max(interval / 50, MIN_CATCH_UP_MS));
            const start = onTime ? this.next : now;
            // Paced: its slot, not its arrival, decided when it left (the class is the bound).
            const paced = start > w.arrived;
            this.last = { at: start, cost: w.cost };
            this.next = start + interval;
            this.control.sent(now, w.cost);
            w.resolve(paced);
        }
    }
}

/** What a request is, for the budget: its class and its cost in requests. */
export type Classifier = (
    method: string,
    path: string,
    body: unknown,
) => { lane: string; cost: number };

/** SCIM: GET of a collection = list, GET of one = read, PATCH = patch, anything else = create. */
export const scimClassifier: Classifier = (method, path) => {
    if (method === "GET")
        return {
            lane: /\/(Users|Groups|ServicePrincipals)\/?$/.test(path) ? "scimLists" : "scimReads",
            cost: 1,
        };
    return { lane: method === "PATCH" ? "scimPatches" : "scimCreates", cost: 1 };
};

/** Graph: every call is a read; a $batch costs one per request inside. */
export const graphClassifier: Classifier = (_method, path, body) => {
    const inner = (body as { requests?: unknown[] } | undefined)?.requests;
    return {
        lane: "graphReads",
        cost: path.endsWith("/$batch") && Array.isArray(inner) ? Math.max(1, inner.length) : 1,
    };
};

/** Graph's throttling window, over which `x-ms-throttle-limit-percentage` is measured. */
const GRAPH_WINDOW_MS = 10_000;

export interface PacerOptions {
    /** Hard ceilings by class (the explicit `rateLimits`). */
    readonly max?: Readonly<Record<string, number>>;
    /** Rates learnt by an earlier run, by class (from the sync state). */
    readonly learned?: Readonly<Record<string, LearnedRate>>;
    /** Longest hold of a class for one Retry-After: the retry budget (no request waits longer). */
    readonly maxHoldMs?: number;
}

export class Pacer {
    private readonly lanes = new Map<string, Lane>();
    /** Rate factor (≤ 1) while Graph reports high use, and until when. */
    private slow = { factor: 1, until: 0 };

    constructor(
        limits: Partial<RateLimits>,
        private readonly classify: Classifier,
        private readonly now: () => number = () => performance.now(),
        private readonly opts: PacerOptions = {},
    ) {
        for (const [lane, perSecond] of Object.entries(limits)) {
            if (typeof perSecond !== "number" || perSecond <= 0) continue;
            const control = new AdaptiveRate(
                perSecond,
                opts.max?.[lane] ?? Infinity,
                opts.learned?.[lane],
            );
            this.lanes.set(lane, new Lane(control, now, () => this.factor()));
        }
    }

    /** Time requests spent waiting for their slot, ms (for the summary and the bench). */
    get waitedMs(): number {
        return [...this.lanes.values()].reduce((n, l) => n + l.waitedMs, 0);
    }

    /** Waits for this request's turn in its class's budget (at once when the class is unpaced). */
    async take(method: string, path: string, body: unknown): Promise<Ticket | undefined> {
        const { lane, cost } = this.classify(method, path, body);
        const l = this.lanes.get(lane);
        if (!l) return undefined;
        const started = this.now();
        const paced = await l.wait(cost);
        l.waitedMs += this.now() - started;
        return { lane, rate: l.control.rate, cuts: l.control.cuts, paced };
    }

    /** Refuses every request still waiting (the run was aborted or failed). */
    cancel(error: unknown): void {
        for (const l of this.lanes.values()) l.cancel(error);
    }

    /**
     * Learns from an answer: a success of a paced request raises its class's rate, a 429 cuts it and
     * holds the class back for its Retry-After (at most `maxHoldMs`); Graph's use percentage slows
     * reads. `ticket` is the request's (absent for a request inside a Graph $batch: the call's).
     * Returns lines for the log: a capped hold, a slowdown entered or deepened.
     */
    observe(
        method: string,
        path: string,
        body: unknown,
        status: number,
        headers: Headers,
        ticket?: Ticket,
    ): { info?: string; debug?: string } {
        const { lane } = this.classify(method, path, body);
        const l = this.lanes.get(lane);
        const out: { info?: string; debug?: string } = {};
        if (l && status === 429) {
            const asked = parseRetryAfter(headers.get("retry-after")) ?? 1000;
            const cap = this.opts.maxHoldMs ?? Infinity;
            const before = l.control.rate;
            const cut = l.control.throttle(
                ticket?.rate ?? before,
                ticket?.cuts ?? l.control.cuts,
                this.now(),
            );
            l.holdUntil(this.now() + Math.min(asked, cap));
            if (cut)
                out.debug = `${lane}: 429, rate ${fmt(before)} → ${fmt(l.control.rate)}/s (throttled at ${fmt(l.control.ceiling!)}/s)`;
            if (asked > cap) {
                out.info = `${method} ${path}: HTTP 429 with Retry-After ${asked / 1000} s: ${lane} held for ${cap / 1000} s (the retry budget), not the ${asked / 1000} s the server asked`;
            }
        } else if (l && status < 400) {
            l.control.accepted();
            if (ticket?.paced) {
                l.control.success();
                l.respace();
            }
        }
        const used = Number(headers.get("x-ms-throttle-limit-percentage"));
        if (Number.isFinite(used) && used >= 0.8) {
            // At 0.8 of the limit: half speed; the more over, the slower (down to a tenth).
            const before = this.factor();
            this.slow = { factor: Math.max(0.1, 0.4 / used), until: this.now() + GRAPH_WINDOW_MS };
            for (const x of this.lanes.values()) x.respace();
            if (this.slow.factor < before) {
                out.info = `the service reports ${Math.round(used * 100)}% of this app's rate limit used (x-ms-throttle-limit-percentage): requests slowed to ${Math.round(this.slow.factor * 100)}% of the budget for ${GRAPH_WINDOW_MS / 1000} s`;
            }
        }
        return out;
    }

    /** The current rate factor (1 = the configured budget). */
    factor(): number {
        return this.now() < this.slow.until ? this.slow.factor : 1;
    }

    /** Each paced class's pace this run. */
    report(): Record<string, LanePace> {
        const out: Record<string, LanePace> = {};
        for (const [name, l] of this.lanes) {
            const c = l.control;
            const round = (x: number) => Math.round(x * 1000) / 1000;
            out[name] = {
                startRate: round(c.startRate),
                rate: round(c.rate),
                ...(c.ceiling === undefined ? {} : { ceiling: round(c.ceiling) }),
                ...(Number.isFinite(c.max) ? { max: c.max } : {}),
                throttled: c.throttled,
                waitedMs: Math.round(l.waitedMs),
            };
        }
        return out;
    }

    /** What each paced class learnt, for the sync state. */
    learned(): Record<string, LearnedRate> {
        return Object.fromEntries([...this.lanes].map(([name, l]) => [name, l.control.learned()]));
    }
}

function fmt(rate: number): string {
    return rate >= 10 ? rate.toFixed(0) : rate.toFixed(2);
}
