/**
 * JSON over HTTP for the Graph and SCIM clients: base-URL check (https, or http on loopback only),
 * bearer token per attempt, a semaphore that really bounds requests in flight, a request budget
 * (clients/pacing) and retries through core/retry (429 with Retry-After, 5xx, dropped connections).
 * A bad certificate, an unknown host or a refused connection fails at once (scim/transport). Errors
 * and `--debug` lines carry method, path, status and cause, never the token or the query string.
 */
import {
    DEFAULT_RETRY_POLICY,
    MAX_TIMER_MS,
    RetryDecision,
    RetryPolicy,
    isNetworkError,
    parseRetryAfter,
    withRetry,
} from "../../core/retry";
import { SyncLogger, TokenProvider } from "../contract";
import { BoundError, MAX_BODY_BYTES } from "./bounds";
import { Pacer, Ticket } from "./pacing";
import { Semaphore } from "./pool";
import { LOOPBACK } from "../../core/hosts";
import { describeValue } from "../../core/scrub";
import { NetworkError, TransportError, hostOf, permanentCause } from "./transport";
import { WireResponse, send } from "./wire";

/** One attempt may take this long before it is abandoned (and retried as a dropped connection). */
const ATTEMPT_TIMEOUT_MS = 120_000;

/** Validates a base URL; `setting` names the flag/variable in the message. Returns it without trailing slash. */
export function checkBaseUrl(value: string, setting: string): string {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        throw new Error(
            `${setting}: ${describeValue(value)} is not a URL; expected e.g. https://host.example.com`,
        );
    }
    if (url.protocol === "http:" && !LOOPBACK.has(url.hostname)) {
        throw new Error(
            `${setting}: plain http:// is allowed only for loopback hosts (127.0.0.1, localhost, ::1); use https://`,
        );
    }
    if (url.protocol !== "https:" && url.protocol !== "http:")
        throw new Error(`${setting}: expected an https:// URL`);
    if (url.username || url.password)
        throw new Error(`${setting}: credentials in the URL are not allowed`);
    return url.toString().replace(/\/+$/, "");
}

/** A failed API call: status, the API's error code (Graph `error.code`, SCIM `scimType`) and detail. */
export class ApiError extends Error {
    constructor(
        readonly api: string,
        readonly method: string,
        /** Path only, without the query (which may carry delta tokens). */
        readonly path: string,
        readonly status: number,
        readonly code: string | undefined,
        readonly detail: string,
        readonly retryAfterMs?: number,
    ) {
        super(
            `${api} ${method} ${path} failed: HTTP ${status}${code ? ` ${code}` : ""}${detail ? `: ${detail}` : ""}`,
        );
        this.name = "ApiError";
    }
}

/** The run was stopped through SyncOptions.signal. */
export class SyncAbortedError extends Error {
    constructor() {
        super("The sync was aborted; rerun it to converge (nothing is left inconsistent).");
        this.name = "SyncAbortedError";
    }
}

/** Retry 429 (after Retry-After; `default429Ms` when absent), 5xx, resets and timeouts; nothing else. */
export function classifyHttpError(default429Ms: number) {
    return (error: unknown): RetryDecision => {
        if (error instanceof SyncAbortedError || error instanceof TransportError)
            return { retry: false };
        if (error instanceof NetworkError) return { retry: error.transient };
        if (error instanceof ApiError) {
            if (error.status === 429)
                return { retry: true, afterMs: error.retryAfterMs ?? default429Ms };
            if (error.status >= 500) return { retry: true, afterMs: error.retryAfterMs };
            return { retry: false };
        }
        if ((error as { name?: unknown } | null)?.name === "TimeoutError") return { retry: true };
        return { retry: isNetworkError(error) };
    };
}

export interface JsonResponse<T> {
    readonly status: number;
    readonly body: T;
}

export interface JsonClientOptions {
    /** "graph" or "scim": prefix of error messages and logs. */
    readonly api: string;
    readonly baseUrl: string;
    readonly token: TokenProvider;
    readonly concurrency: number;
    readonly retryPolicy?: RetryPolicy;
    readonly signal?: AbortSignal;
    readonly logger?: SyncLogger;
    /** Parses the API's error envelope into code and detail. */
    readonly parseError: (body: unknown) => { code?: string; detail: string };
    /** Wait on a 429 without Retry-After. */
    readonly default429Ms?: number;
    /** Request budget per operation class; absent = unpaced. */
    readonly pacer?: Pacer;
    /** Called with a permanent transport error (the run ends: see scim/transport RunScope). */
    readonly onFatal?: (error: Error) => void;
}

export class JsonClient {
    readonly inFlight: Semaphore;
    /** Requests sent, attempts included (for the summary and the bench). */
    requests = 0;
    retries = 0;

    /**
     * Cancels of the attempts and waits in progress. One listener on the run's signal serves them
     * all: a listener per request would pass Node's limit of 10 at the default concurrency and print
     * MaxListenersExceededWarning.
     */
    private readonly cancels = new Set<() => void>();

    constructor(readonly opts: JsonClientOptions) {
        this.inFlight = new Semaphore(Math.max(1, opts.concurrency));
        opts.signal?.addEventListener(
            "abort",
            () => {
                opts.pacer?.cancel(new SyncAbortedError());
                [...this.cancels].forEach((cancel) => cancel());
            },
            { once: true },
        );
    }

    /** Registers `cancel` until the returned function is called; runs it at once if the run is already aborted. */
    private onCancel(cancel: () => void): () => void {
        if (this.opts.signal?.aborted) cancel();
        this.cancels.add(cancel);
        return () => this.cancels.delete(cancel);
    }

    /** A retry wait that ends early (rejecting) when the run is aborted. */
    private sleep(ms: number): Promise<void> {
        return new Promise((resolve, reject) => {
            const timer = setTimeout(
                () => {
                    done();
                    resolve();
                },
                Math.min(ms, MAX_TIMER_MS),
            );
            const done = this.onCancel(() => {
                clearTimeout(timer);
                done();
                reject(new SyncAbortedError());
            });
        });
    }

    /** Absolute URL for a path relative to the base (`/groups`) or an absolute URL (nextLink). */
    url(pathOrUrl: string): string {
        return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : this.opts.baseUrl + pathOrUrl;
    }

    /**
     * Sends one request with retries. `okStatuses` lists non-2xx statuses returned instead of thrown
     * (e.g. 409 for a create that adopts, 410 for an expired delta link).
     */
    async request<T = any>(
        method: string,
        pathOrUrl: string,
        body?: unknown,
        okStatuses: readonly number[] = [],
    ): Promise<JsonResponse<T>> {
        const url = this.url(pathOrUrl);
        const path = new URL(url).pathname;
        const policy = this.opts.retryPolicy ?? DEFAULT_RETRY_POLICY;
        const started = Date.now();
        return withRetry(
            async (attempt) => {
                if (this.opts.signal?.aborted) throw new SyncAbortedError();
                const ticket = await this.opts.pacer?.take(method, path, body);
                if (this.opts.signal?.aborted) throw new SyncAbortedError();
                return this.inFlight.run(() =>
                    this.attempt<T>(method, url, path, body, okStatuses, attempt - 1, ticket),
                );
            },
            classifyHttpError(this.opts.default429Ms ?? 1000),
            policy,
            {
                onRetry: (error, attempt, waitMs) => {
                    this.retries++;
                    const why =
                        error instanceof ApiError
                            ? `HTTP ${error.status}`
                            : error instanceof NetworkError
                              ? error.code
                              : transportCode(error);
                    this.opts.logger?.debug(
                        `${this.opts.api} ${method} ${path}: ${why}, retry ${attempt} in ${waitMs} ms`,
                    );
                },
                sleep: (ms) => this.sleep(ms),
            },
        ).catch((e) => {
            throw beyondBudget(e, policy, Date.now() - started);
        });
    }

    /**
     * Tells the pacer about an answer: that of a call, or of one request inside a Graph $batch, whose
     * 429 + Retry-After must hold back its class just as a 429 of the call does.
     */
    observe(
        method: string,
        path: string,
        body: unknown,
        status: number,
        headers: Headers,
        ticket?: Ticket,
    ): void {
        const pace = this.opts.pacer?.observe(method, path, body, status, headers, ticket);
        if (pace?.info) this.opts.logger?.info(`${this.opts.api}: ${pace.info}`);
        if (pace?.debug) this.opts.logger?.debug(`${this.opts.api}: ${pace.debug}`);
    }

    private async attempt<T>(
        method: string,
        url: string,
        path: string,
        body: unknown,
        okStatuses: readonly number[],
        retry: number,
        ticket?: Ticket,
    ): Promise<JsonResponse<T>> {
        const signal = this.opts.signal;
        if (signal?.aborted) throw new SyncAbortedError();
        const token = await this.opts.token();
        if (signal?.aborted) throw new SyncAbortedError();
        this.requests++;
        // One controller per attempt: aborted by the run's signal or by the attempt timeout, both removed after.
        const controller = new AbortController();
        const timer = setTimeout(
            () => controller.abort(new DOMException("attempt timed out", "TimeoutError")),
            ATTEMPT_TIMEOUT_MS,
        );
        const removeCancel = this.onCancel(() => controller.abort());
        const started = Date.now();
        const logCall = (status: string | number) =>
            this.opts.logger?.debug(
                `${this.opts.api} ${method} ${hostOf(url)}${path} ${status} ${Date.now() - started} ms retry ${retry}`,
            );
        let response: WireResponse;
        let text: string;
        try {
            response = await send(url, {
                method,
                headers: {
                    Authorization: `Bearer ${token}`,
                    Accept: "application/json",
                    ...(body === undefined ? {} : { "Content-Type": "application/json" }),
                },
                body: body === undefined ? undefined : JSON.stringify(body),
                signal: controller.signal,
                // Never followed by send(): a redirect would re-send the body (names, UPNs, Entra ids) to another
                // host, so a 3xx is an error below.
                maxBodyBytes: MAX_BODY_BYTES,
                tooLarge: () =>
                    new BoundError(
                        `${this.opts.api} ${method} ${hostOf(url)}${path}: the response body is larger than ${MAX_BODY_BYTES} bytes, more than any real answer; refused`,
                    ),
            });
            text = await response.text();
        } catch (e) {
            if (e instanceof BoundError) throw e;
            if (signal?.aborted) throw new SyncAbortedError();
            if (controller.signal.aborted) {
                logCall("timeout");
                throw new NetworkError(
                    this.opts.api,
                    method,
                    path,
                    hostOf(url),
                    `timed out after ${ATTEMPT_TIMEOUT_MS / 1000} s`,
                    true,
                    controller.signal.reason,
                );
            }
            const permanent = permanentCause(e);
            logCall(permanent?.code ?? transportCode(e));
            if (permanent) {
                const fatal = new TransportError(
                    this.opts.api,
                    hostOf(url),
                    permanent.cause,
                    permanent.code,
                );
                this.opts.onFatal?.(fatal);
                throw fatal;
            }
            throw new NetworkError(
                this.opts.api,
                method,
                path,
                hostOf(url),
                transportCode(e),
                isNetworkError(e),
                e,
            );
        } finally {
            clearTimeout(timer);
            removeCancel();
        }
        logCall(response.status);
        this.observe(method, path, body, response.status, response.headers, ticket);
        let parsed: unknown = undefined;
        if (text !== "") {
            try {
                parsed = JSON.parse(text);
            } catch {
                parsed = text;
            }
        }
        if (response.status >= 300 && response.status < 400)
            throw redirectRefused(this.opts.api, method, url, path, response);
        if (response.ok || okStatuses.includes(response.status))
            return { status: response.status, body: parsed as T };
        const { code, detail } = this.opts.parseError(parsed);
        throw new ApiError(
            this.opts.api,
            method,
            path,
            response.status,
            code,
            detail,
            parseRetryAfter(response.headers.get("retry-after")),
        );
    }
}

/** A 3xx answer: not followed, never retried; the message names both hosts (not the target's path or query). */
function redirectRefused(
    api: string,
    method: string,
    url: string,
    path: string,
    response: WireResponse,
): ApiError {
    const location = response.headers.get("location");
    let target = "nowhere";
    try {
        if (location) target = new URL(location, url).host;
    } catch {
        target = "(bad URL)";
    }
    const detail = `${hostOf(url)} redirects to ${target}; redirects are not followed (set the URL of the host that answers)`;
    return new ApiError(api, method, path, response.status, "redirect", detail);
}

/** A 429 whose Retry-After does not fit in what is left of the retry budget: says so, instead of waiting past it. */
function beyondBudget(error: unknown, policy: RetryPolicy, elapsedMs: number): unknown {
    if (!(error instanceof ApiError) || error.status !== 429 || error.retryAfterMs === undefined)
        return error;
    if (elapsedMs + error.retryAfterMs <= policy.maxTotalMs) return error;
    const why = `its Retry-After of ${error.retryAfterMs / 1000} s is beyond the retry budget (${policy.maxTotalMs / 1000} s); not retried`;
    return new ApiError(
        error.api,
        error.method,
        error.path,
        error.status,
        error.code,
        error.detail ? `${error.detail}; ${why}` : why,
        error.retryAfterMs,
    );
}

/** A short name for a failed attempt's cause in logs: the innermost error code, else the error's name. */
function transportCode(error: unknown): string {
    for (let e: any = error, depth = 0; e && depth < 5; e = e.cause, depth++)
        if (typeof e.code === "string") return e.code;
    return error instanceof Error ? error.name : "error";
}
