/**
 * Bounded retries for every outbound call of the package (AAD token endpoint, Graph, Databricks SCIM).
 * exponential-backoff does the backoff; this adds what it lacks: a decision per error (retry only what
 * is safe and transient), Retry-After honoured as a floor, and a cap on total time.
 */
import { backOff } from "exponential-backoff";

export interface RetryPolicy {
    /** Attempts in all, including the first. */
    readonly maxAttempts: number;
    /** First backoff delay, ms; doubles each attempt. */
    readonly baseDelayMs: number;
    /** Largest single backoff delay, ms. */
    readonly maxDelayMs: number;
    /** Give up once this much time has passed since the first attempt, ms. */
    readonly maxTotalMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, maxTotalMs: 120_000 };

/** What to do with a failed attempt. `afterMs` is a server-requested wait (Retry-After). */
export interface RetryDecision {
    readonly retry: boolean;
    readonly afterMs?: number;
}

export interface RetryHooks {
    /** Called before each retry: for logs and counters. Must not log secrets. */
    readonly onRetry?: (error: unknown, attempt: number, waitMs: number) => void;
    /** Replaceable sleep, for tests. */
    readonly sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` until it succeeds, `classify` says the error is not retryable, attempts run out, or the
 * next wait would pass `maxTotalMs`. Rejects with the last error.
 */
export async function withRetry<T>(
    fn: (attempt: number) => Promise<T>,
    classify: (error: unknown) => RetryDecision,
    policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    hooks: RetryHooks = {},
): Promise<T> {
    const started = Date.now();
    const sleep = hooks.sleep ?? realSleep;
    let attempt = 0;
    return backOff(() => fn(++attempt), {
        numOfAttempts: Math.max(1, policy.maxAttempts),
        startingDelay: policy.baseDelayMs,
        maxDelay: policy.maxDelayMs,
        timeMultiple: 2,
        jitter: "full",
        retry: async (error: unknown, next: number) => {
            const decision = classify(error);
            if (!decision.retry) return false;
            // Retry-After is a floor: wait out what the server asked, capped by the policy's max delay.
            const extra = Math.min(decision.afterMs ?? 0, policy.maxDelayMs);
            if (Date.now() - started + extra > policy.maxTotalMs) return false;
            hooks.onRetry?.(error, next, extra);
            if (extra > 0) await sleep(extra);
            return true;
        },
    });
}

/** Parses a Retry-After header (delta-seconds or HTTP date) into ms; undefined when absent or bad. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
    if (value === null || value === undefined || value.trim() === "") return undefined;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Node/undici network errors that mean the request may not have been processed: safe to retry reads. */
export function isNetworkError(error: unknown): boolean {
    const codes = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT", "EAI_AGAIN"]);
    for (let e: any = error, depth = 0; e && depth < 5; e = e.cause, depth++) {
        if (typeof e.code === "string" && codes.has(e.code)) return true;
        if (e instanceof TypeError && /fetch failed|terminated|socket/i.test(e.message)) return true;
    }
    return false;
}
