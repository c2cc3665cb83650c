/**
 * JSON over HTTP for the Graph and SCIM clients: base-URL check (https, or http on loopback only),
 * bearer token per attempt, a semaphore that really bounds requests in flight, and retries through
 * common/retry (429 with Retry-After, 5xx, dropped connections). Errors carry status, API code and
 * detail, never the token or the query string.
 */
import { DEFAULT_RETRY_POLICY, RetryDecision, RetryPolicy, isNetworkError, parseRetryAfter, withRetry } from "../common/retry";
import { SyncLogger, TokenProvider } from "./api";
import { Semaphore } from "./pool";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);
/** One attempt may take this long before it is abandoned (and retried as a dropped connection). */
const ATTEMPT_TIMEOUT_MS = 120_000;

/** Validates a base URL; `setting` names the flag/variable in the message. Returns it without trailing slash. */
export function checkBaseUrl(value: string, setting: string): string {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        throw new Error(`${setting}: "${value}" is not a URL; expected e.g. https://host.example.com`);
    }
    if (url.protocol === "http:" && !LOOPBACK.has(url.hostname)) {
        throw new Error(`${setting}: plain http:// is allowed only for loopback hosts (127.0.0.1, localhost, ::1); use https://`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`${setting}: expected an https:// URL`);
    if (url.username || url.password) throw new Error(`${setting}: credentials in the URL are not allowed`);
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
        super(`${api} ${method} ${path} failed: HTTP ${status}${code ? ` ${code}` : ""}${detail ? `: ${detail}` : ""}`);
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
        if (error instanceof SyncAbortedError) return { retry: false };
        if (error instanceof ApiError) {
            if (error.status === 429) return { retry: true, afterMs: error.retryAfterMs ?? default429Ms };
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
}

export class JsonClient {
    readonly inFlight: Semaphore;
    /** Requests sent, attempts included (for the summary and the bench). */
    requests = 0;
    retries = 0;

    constructor(readonly opts: JsonClientOptions) {
        this.inFlight = new Semaphore(Math.max(1, opts.concurrency));
    }

    /** Absolute URL for a path relative to the base (`/groups`) or an absolute URL (nextLink). */
    url(pathOrUrl: string): string {
        return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : this.opts.baseUrl + pathOrUrl;
    }

    /**
     * Sends one request with retries. `okStatuses` lists non-2xx statuses returned instead of thrown
     * (e.g. 409 for a create that adopts, 410 for an expired delta link).
     */
    async request<T = any>(method: string, pathOrUrl: string, body?: unknown, okStatuses: readonly number[] = []): Promise<JsonResponse<T>> {
        const url = this.url(pathOrUrl);
        const path = new URL(url).pathname;
        return withRetry(
            () => this.inFlight.run(() => this.attempt<T>(method, url, path, body, okStatuses)),
            classifyHttpError(this.opts.default429Ms ?? 1000),
            this.opts.retryPolicy ?? DEFAULT_RETRY_POLICY,
            {
                onRetry: (error, attempt, waitMs) => {
                    this.retries++;
                    const why = error instanceof ApiError ? `HTTP ${error.status}` : error instanceof Error ? error.name : "error";
                    this.opts.logger?.debug(`${this.opts.api} ${method} ${path}: ${why}, retry ${attempt} after ${waitMs} ms`);
                },
            },
        );
    }

    private async attempt<T>(method: string, url: string, path: string, body: unknown, okStatuses: readonly number[]): Promise<JsonResponse<T>> {
        const signal = this.opts.signal;
        if (signal?.aborted) throw new SyncAbortedError();
        const token = await this.opts.token();
        this.requests++;
        // One controller per attempt: aborted by the run's signal or by the attempt timeout, both removed after.
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(new DOMException("attempt timed out", "TimeoutError")), ATTEMPT_TIMEOUT_MS);
        const onAbort = () => controller.abort();
        signal?.addEventListener("abort", onAbort, { once: true });
        let response: Response;
        let text: string;
        try {
            response = await fetch(url, {
                method,
                headers: {
                    Authorization: `Bearer ${token}`,
                    Accept: "application/json",
                    ...(body === undefined ? {} : { "Content-Type": "application/json" }),
                },
                body: body === undefined ? undefined : JSON.stringify(body),
                signal: controller.signal,
            });
            text = await response.text();
        } catch (e) {
            if (signal?.aborted) throw new SyncAbortedError();
            if (controller.signal.aborted) throw controller.signal.reason;
            throw e;
        } finally {
            clearTimeout(timer);
            signal?.removeEventListener("abort", onAbort);
        }
        let parsed: unknown = undefined;
        if (text !== "") {
            try {
                parsed = JSON.parse(text);
            } catch {
                parsed = text;
            }
        }
        if (response.ok || okStatuses.includes(response.status)) return { status: response.status, body: parsed as T };
        const { code, detail } = this.opts.parseError(parsed);
        throw new ApiError(this.opts.api, method, path, response.status, code, detail, parseRetryAfter(response.headers.get("retry-after")));
    }
}
