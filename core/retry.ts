/**
 * Bounded retries for every outbound call of the package (AAD token endpoint, Graph, Databricks SCIM):
 * a decision per error (retry only what is safe and transient), exponential backoff with full jitter
 * (each wait drawn from 0..min(max, base·2^(n−1)), as in the AWS Architecture Blog's "Exponential
 * Backoff And Jitter"), Retry-After honoured as a floor, and a cap on total time. The wait is computed
 * here, so the hook that logs it reports the real one.
 */

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

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
    maxAttempts: 6,
    baseDelayMs: 500,
    maxDelayMs: 30_000,
    maxTotalMs: 120_000,
};

/** What to do with a failed attempt. `afterMs` is a server-requested wait (Retry-After). */
export interface RetryDecision {
    readonly retry: boolean;
    readonly afterMs?: number;
}

export interface RetryHooks {
    /** Called before each retry with the failed attempt's number and the wait about to start. Must not log secrets. */
    readonly onRetry?: (error: unknown, attempt: number, waitMs: number) => void;
    /** Replaceable sleep: for tests, and for callers whose waits must end when their run is aborted. */
    readonly sleep?: (ms: number) => Promise<void>;
    /** Replaceable jitter source in [0, 1), for tests. */
    readonly random?: () => number;
}

const realSleep = (ms: number) =>
    new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, MAX_TIMER_MS)));

/**
 * The wait before retry `attempt` (1 = after the first failure): full-jitter backoff, at least
 * `afterMs`. A Retry-After is never shortened (retrying before it only meets another 429); one that
 * does not fit in the retry budget ends the retries (see withRetry).
 */
export function retryWaitMs(
    policy: RetryPolicy,
    attempt: number,
    afterMs: number | undefined,
    random: () => number = Math.random,
): number {
    const backoff = random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(Math.max(backoff, afterMs ?? 0));
}

/** Node's timers take at most 2^31−1 ms; a longer delay fires at once (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

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
    for (let attempt = 1; ; attempt++) {
        try {
            return await fn(attempt);
        } catch (error) {
            if (attempt >= Math.max(1, policy.maxAttempts)) throw error;
            const decision = classify(error);
            if (!decision.retry) throw error;
            const waitMs = retryWaitMs(policy, attempt, decision.afterMs, hooks.random);
            if (Date.now() - started + waitMs > policy.maxTotalMs) throw error;
            hooks.onRetry?.(error, attempt, waitMs);
            if (waitMs > 0) await sleep(waitMs);
        }
    }
}

/** Parses a Retry-After header (delta-seconds or HTTP date) into ms; undefined when absent or bad. */
export function parseRetryAfter(
    value: string | null | undefined,
    now = Date.now(),
): number | undefined {
    if (value === null || value === undefined || value.trim() === "") return undefined;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Node/undici network errors that mean the request may not have been processed: safe to retry reads. */
export function isNetworkError(error: unknown): boolean {
    const codes = new Set([
        "ECONNRESET",
        "ECONNREFUSED",
        "EPIPE",
        "ETIMEDOUT",
        "UND_ERR_SOCKET",
        "UND_ERR_CONNECT_TIMEOUT",
        "EAI_AGAIN",
    ]);
    for (let e: any = error, depth = 0; e && depth < 5; e = e.cause, depth++) {
        if (typeof e.code === "string" && codes.has(e.code)) return true;
        if (e instanceof TypeError && /fetch failed|terminated|socket/i.test(e.message))
            return true;
    }
    return false;
}
