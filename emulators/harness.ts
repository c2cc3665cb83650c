/**
 * Shared base of the loopback emulators (Entra token endpoint, Microsoft Graph, Databricks SCIM and
 * workspace APIs): routing, per-kind call counters, latency and a count of requests in flight, and
 * fault injection. Faults are either queued ("the next 2 token calls answer 429") or drawn at a rate
 * from a seeded generator, so tests are repeatable. Rate limits as the real services enforce them:
 * above a configured rate per class of calls, 429 with Retry-After (see {@link RateLimit}).
 */
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as path from "path";
import { AddressInfo } from "net";

export type FaultKind =
    | "429" // Too Many Requests with Retry-After
    | "500"
    | "503"
    | "transient400" // the spurious HTTP 400 the Terraform script hit
    | "drop" // connection destroyed without an answer
    | "invalidClient"; // emulator-specific meaning: credentials rejected (token emulator)

export interface FaultSettings {
    /** Added before every answer, in ms. */
    latencyMs: number;
    /** Seconds sent in Retry-After with a 429. */
    retryAfterSeconds: number;
    /** Probability (0..1) per call of each fault kind, drawn from the seeded generator. */
    rates: Partial<Record<FaultKind, number>>;
    /** Only calls whose kind is listed here get rate-based faults; empty = every kind. */
    rateKinds: string[];
}

/**
 * A request budget the emulator enforces, like the services' rate limits: a token bucket of `perSecond`
 * holding at most one second's worth (at least one call), refilled continuously. A call whose cost the
 * bucket cannot pay is answered 429 with Retry-After (whole seconds until it could be paid, at least 1)
 * and counted in `throttled`.
 */
export interface RateLimit {
    /** Name of the class, e.g. "creates"; the key of `throttled`. */
    readonly name: string;
    /** Calls of this class, by counter kind (e.g. `kind.endsWith(":post")`). */
    readonly matches: (kind: string) => boolean;
    readonly perSecond: number;
    /** Cost of one call (e.g. the requests inside a $batch); 1 when absent. */
    readonly cost?: (req: { kind: string; body: string }) => number;
    /** Like Graph: once 80% of the bucket is used, answers carry `x-ms-throttle-limit-percentage` (used share, 0.8–1.8). */
    readonly reportUse?: boolean;
}

export interface EmulatorRequest {
    method: string;
    url: URL;
    headers: http.IncomingHttpHeaders;
    body: string;
    params: Record<string, string>;
    json<T = unknown>(): T;
    form(): URLSearchParams;
}

export interface EmulatorResponse {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
}

export type Handler = (req: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>;

interface Route {
    method: string;
    pattern: RegExp;
    keys: string[];
    kind: string;
    handler: Handler;
}

/** Writes a fault answer. Each emulator can override the body to match its API's error envelope. */
export type FaultResponder = (
    fault: Exclude<FaultKind, "drop">,
    kind: string,
    retryAfterSeconds: number,
) => EmulatorResponse;

const CERT_DIR = path.resolve(__dirname, "../../emulators/certs");

export class EmulatorServer {
    readonly counters = new Map<string, number>();
    /** Faults (by kind) injected so far, e.g. `token:429`. */
    readonly faultCounters = new Map<string, number>();
    readonly settings: FaultSettings = {
        latencyMs: 0,
        retryAfterSeconds: 1,
        rates: {},
        rateKinds: [],
    };
    /** Requests being answered now (from arrival to the answer, latency included), and the most at once since reset. */
    inFlight = 0;
    peakInFlight = 0;
    /** 429s answered by the rate limits, by class name. */
    readonly throttled = new Map<string, number>();
    private limits: { limit: RateLimit; tokens: number; at: number }[] = [];
    private readonly routes: Route[] = [];
    private readonly queued: { kind: string; fault: FaultKind }[] = [];
    private server?: http.Server;
    private random = seededRandom(42);
    baseUrl = "";

    constructor(private readonly opts: { https?: boolean; faultResponder?: FaultResponder } = {}) {}

    /** Registers `METHOD /path/:param` under a counter kind. First matching route wins. */
    route(method: string, pathPattern: string, kind: string, handler: Handler): this {
        const keys: string[] = [];
        const source = pathPattern
            .replace(/[.+?^${}()|[\]\\]/g, (c) => (c === "$" ? "\\$" : `\\${c}`))
            .replace(/:(\w+)/g, (_m, k: string) => {
                keys.push(k);
                return "([^/]+)";
            });
        this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), keys, kind, handler });
        return this;
    }

    /** Queue `count` faults for the next calls of `kind` ("*" = any kind). */
    failNext(kind: string, fault: FaultKind, count = 1): this {
        for (let i = 0; i < count; i++) this.queued.push({ kind, fault });
        return this;
    }

    /** Enforces these rate limits from now on (replacing earlier ones); [] = none. */
    setRateLimits(limits: readonly RateLimit[]): this {
        const now = performance.now();
        this.limits = limits.map((limit) => ({
            limit,
            tokens: Math.max(1, limit.perSecond),
            at: now,
        }));
        return this;
    }

    /**
     * The first rate limit this call exceeds (paying its cost from every bucket it fits), or
     * undefined; `used` is the highest share used of a bucket that reports its use.
     */
    private overLimit(
        kind: string,
        body: string,
    ): { over?: { name: string; retryAfterSeconds: number }; used?: number } {
        const now = performance.now();
        let used: number | undefined;
        for (const b of this.limits) {
            if (!b.limit.matches(kind)) continue;
            const capacity = Math.max(1, b.limit.perSecond);
            b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * b.limit.perSecond);
            b.at = now;
            const cost = b.limit.cost?.({ kind, body }) ?? 1;
            if (b.tokens + 1e-9 < cost) {
                this.throttled.set(b.limit.name, (this.throttled.get(b.limit.name) ?? 0) + 1);
                return {
                    over: {
                        name: b.limit.name,
                        retryAfterSeconds: Math.max(
                            1,
                            Math.ceil((cost - b.tokens) / b.limit.perSecond),
                        ),
                    },
                    used,
                };
            }
            b.tokens -= cost;
            if (b.limit.reportUse) used = Math.max(used ?? 0, 1 - b.tokens / capacity);
        }
        return { used };
    }

    /** Reset counters, faults and the random seed (call in beforeEach). */
    reset(seed = 42): void {
        this.counters.clear();
        this.faultCounters.clear();
        this.queued.length = 0;
        this.settings.latencyMs = 0;
        this.settings.retryAfterSeconds = 1;
        this.settings.rates = {};
        this.settings.rateKinds = [];
        this.peakInFlight = this.inFlight;
        this.random = seededRandom(seed);
        this.throttled.clear();
        this.limits = [];
    }

    count(kind: string): number {
        return this.counters.get(kind) ?? 0;
    }

    total(prefix = ""): number {
        let n = 0;
        for (const [k, v] of this.counters) if (k.startsWith(prefix)) n += v;
        return n;
    }

    async start(): Promise<string> {
        const listener = (req: http.IncomingMessage, res: http.ServerResponse) =>
            void this.handle(req, res);
        this.server = this.opts.https
            ? https.createServer(
                  {
                      key: fs.readFileSync(path.join(CERT_DIR, "server.key")),
                      cert: fs.readFileSync(path.join(CERT_DIR, "server.pem")),
                  },
                  listener,
              )
            : http.createServer(listener);
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        const port = (this.server.address() as AddressInfo).port;
        // https uses "localhost" so the certificate's name matches.
        this.baseUrl = `${this.opts.https ? "https" : "http"}://${this.opts.https ? "localhost" : "127.0.0.1"}:${port}`;
        return this.baseUrl;
    }

    async stop(): Promise<void> {
        if (!this.server) return;
        this.server.closeAllConnections();
        await new Promise<void>((resolve) => this.server!.close(() => resolve()));
        this.server = undefined;
    }

    private pickFault(kind: string): FaultKind | undefined {
        const i = this.queued.findIndex((q) => q.kind === kind || q.kind === "*");
        if (i >= 0) return this.queued.splice(i, 1)[0].fault;
        const { rates, rateKinds } = this.settings;
        if (rateKinds.length > 0 && !rateKinds.some((k) => kind === k || kind.startsWith(k)))
            return undefined;
        for (const [fault, rate] of Object.entries(rates) as [FaultKind, number][]) {
            if (rate > 0 && this.random() < rate) return fault;
        }
        return undefined;
    }

    private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        this.inFlight++;
        this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
        try {
            await this.answer(req, res);
        } finally {
            this.inFlight--;
        }
    }

    private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const body = Buffer.concat(chunks).toString("utf8");
        const url = new URL(req.url ?? "/", this.baseUrl);
        const method = req.method ?? "GET";
        let match: { route: Route; params: Record<string, string> } | undefined;
        for (const route of this.routes) {
            if (route.method !== method) continue;
            const m = route.pattern.exec(url.pathname);
            if (!m) continue;
            const params: Record<string, string> = {};
            route.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])));
            match = { route, params };
            break;
        }
        const kind = match?.route.kind ?? "unrouted";
        this.counters.set(kind, (this.counters.get(kind) ?? 0) + 1);
        // Rate limits are measured on arrival, as a service's front door would.
        const limited = match ? this.overLimit(kind, body) : {};
        const over = limited.over;
        const useHeader: Record<string, string> =
            limited.used !== undefined && limited.used >= 0.8
                ? { "x-ms-throttle-limit-percentage": limited.used.toFixed(2) }
                : {};
        if (this.settings.latencyMs > 0)
            await new Promise((r) => setTimeout(r, this.settings.latencyMs));
        // A client that gave up during the latency (its timeout) must not consume a fault or a random
        // draw, or the next test's seeded sequence shifts.
        if (req.socket.destroyed) return;
        if (over)
            return send(
                res,
                (this.opts.faultResponder ?? defaultFaultResponder)(
                    "429",
                    kind,
                    over.retryAfterSeconds,
                ),
            );

        const fault = match ? this.pickFault(kind) : undefined;
        if (fault) {
            this.faultCounters.set(
                `${kind}:${fault}`,
                (this.faultCounters.get(`${kind}:${fault}`) ?? 0) + 1,
            );
            if (fault === "drop") {
                req.socket.destroy();
                return;
            }
            const responder = this.opts.faultResponder ?? defaultFaultResponder;
            return send(res, responder(fault, kind, this.settings.retryAfterSeconds));
        }
        if (!match)
            return send(res, {
                status: 404,
                body: { error: `no route for ${method} ${url.pathname}` },
            });
        const request: EmulatorRequest = {
            method,
            url,
            headers: req.headers,
            body,
            params: match.params,
            json: <T>() => JSON.parse(body || "null") as T,
            form: () => new URLSearchParams(body),
        };
        try {
            const answer = await match.route.handler(request);
            send(res, { ...answer, headers: { ...answer.headers, ...useHeader } });
        } catch (e) {
            send(res, { status: 500, body: { error: String(e) } });
        }
    }
}

/** A repeatable generator of numbers in [0, 1) (mulberry32: small, seeded, good enough for fault draws). */
export function seededRandom(seed: number): () => number {
    let state = seed;
    return () => {
        let t = (state += 0x6d2b79f5);
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** True when the request carries `Authorization: Bearer <token>` (any bearer token when `token` is undefined). */
export function hasBearer(req: EmulatorRequest, token: string | undefined): boolean {
    const auth = req.headers.authorization;
    return !!auth?.startsWith("Bearer ") && (token === undefined || auth === `Bearer ${token}`);
}

export function defaultFaultResponder(
    fault: Exclude<FaultKind, "drop">,
    _kind: string,
    retryAfter: number,
): EmulatorResponse {
    switch (fault) {
        case "429":
            return {
                status: 429,
                headers: { "Retry-After": String(retryAfter) },
                body: { error: "Too Many Requests" },
            };
        case "500":
            return { status: 500, body: { error: "Internal Server Error" } };
        case "503":
            return { status: 503, body: { error: "Service Unavailable" } };
        case "transient400":
            return { status: 400, body: { error: "Bad Request" } };
        case "invalidClient":
            return { status: 401, body: { error: "invalid_client" } };
    }
}

function send(res: http.ServerResponse, r: EmulatorResponse): void {
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    let payload = "";
    if (r.body !== undefined) {
        payload = typeof r.body === "string" ? r.body : JSON.stringify(r.body);
        if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
            headers["Content-Type"] = "application/json";
    }
    res.writeHead(r.status, headers);
    res.end(payload);
}
