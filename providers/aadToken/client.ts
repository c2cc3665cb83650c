/**
 * Mints an Entra ID token with the client-credentials grant (@azure/identity `ClientSecretCredential`),
 * with bounded retries of transient failures only. This module is what the AadToken provider `require`s
 * at run time by the package's own name (`azure-databricks-mlops/providers/aadTokenClient`), so the
 * serialized provider stays small and captures nothing.
 */
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { parseRetryAfter, RetryHooks, withRetry } from "../../core/retry";
import {
    AadTokenError,
    AttemptFailure,
    classifyFailure,
    ClassifyContext,
    EntraErrorBody,
    gaveUp,
} from "./errors";
import {
    AadTokenInputs,
    AadTokenOutputs,
    AAD_TOKEN_PROVIDER_VERSION,
    checkAadTokenInputs,
    DEFAULT_AAD_TOKEN_RETRY,
    diffAadToken,
    needsRefresh,
} from "./inputs";

export {
    AadTokenError,
    checkAadTokenInputs,
    diffAadToken,
    needsRefresh,
    AAD_TOKEN_PROVIDER_VERSION,
};

export interface MintedToken {
    readonly accessToken: string;
    /** ISO 8601. */
    readonly expiresOn: string;
}

export interface MintHooks extends RetryHooks {
    /** Called once per attempt (1-based), before it starts. */
    readonly onAttempt?: (attempt: number) => void;
}

type Credential = {
    getToken(
        scope: string,
        options?: { abortSignal?: AbortSignal },
    ): Promise<{ token: string; expiresOnTimestamp: number } | null>;
};

/** What the pipeline saw during one attempt: the last Entra response or transport failure. */
interface WireRecord {
    status?: number;
    retryAfterMs?: number;
    body?: EntraErrorBody;
    transportCode?: string;
}

/**
 * Records each Entra response (status, Retry-After, error body) or transport failure of one attempt, and
 * puts the attempt's time limit on every request (@azure/identity passes `getToken`'s abortSignal on
 * only in some flows, not this one).
 */
function observer(record: WireRecord, signal: AbortSignal): PipelinePolicy {
    return {
        name: "aadTokenWireObserver",
        async sendRequest(request, next) {
            request.abortSignal ??= signal;
            try {
                const response = await next(request);
                record.status = response.status;
                record.transportCode = undefined;
                record.retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
                record.body = undefined;
                if (response.status >= 400 && response.bodyAsText) {
                    try {
                        const parsed = JSON.parse(response.bodyAsText) as EntraErrorBody;
                        if (parsed && typeof parsed === "object") record.body = parsed;
                    } catch {
                        // Not JSON (a proxy's HTML page): the status alone decides.
                    }
                }
                return response;
            } catch (e) {
                const code = (e as { code?: unknown }).code;
                record.status = undefined;
                record.body = undefined;
                record.transportCode = typeof code === "string" ? code : "NETWORK_ERROR";
                throw e;
            }
        },
    };
}

/**
 * One token, retried on transient failures per `inputs.retry`. Rejects with an {@link AadTokenError}
 * naming the client id and AADSTS code; bad credentials reject after the first answer.
 */
export async function mintAadToken(
    inputs: AadTokenInputs,
    hooks: MintHooks = {},
): Promise<MintedToken> {
    // Loaded here, not at the top: the provider process pays for @azure/identity only when it mints.

    const identity = require("@azure/identity") as typeof import("@azure/identity");
    const retry = { ...DEFAULT_AAD_TOKEN_RETRY, ...(inputs.retry ?? {}) };
    const ctx: ClassifyContext = {
        clientId: inputs.clientId,
        tenantId: inputs.tenantId,
        authorityHost: inputs.authorityHost,
        secret: inputs.clientSecret,
    };
    const started = Date.now();
    let attempts = 0;

    const attempt = async (n: number): Promise<MintedToken> => {
        attempts = n;
        hooks.onAttempt?.(n);
        const wire: WireRecord = {};
        const signal = AbortSignal.timeout(retry.attemptTimeoutMs);
        // A fresh credential per attempt: MSAL caches tokens, and after a 429/5xx it "throttles" (fails
        // without sending) the same request until Retry-After, or 60 s without one, has passed.
        const credential: Credential = new identity.ClientSecretCredential(
            inputs.tenantId,
            inputs.clientId,
            inputs.clientSecret,
            {
                authorityHost: inputs.authorityHost,
                disableInstanceDiscovery: true,
                retryOptions: { maxRetries: 0 },
                additionalPolicies: [{ policy: observer(wire, signal), position: "perCall" }],
            },
        );
        let token: { token: string; expiresOnTimestamp: number } | null;
        try {
            token = await withTimeout(
                credential.getToken(inputs.scope, { abortSignal: signal }),
                signal,
            );
        } catch (error) {
            throw classifyFailure(
                { ...wire, error, timedOut: signal.aborted } satisfies AttemptFailure,
                ctx,
            );
        }
        if (!token?.token)
            throw classifyFailure(
                { ...wire, error: new Error("Entra returned no access token") },
                ctx,
            );
        return {
            accessToken: token.token,
            expiresOn: new Date(token.expiresOnTimestamp).toISOString(),
        };
    };

    try {
        return await withRetry(
            attempt,
            (e) => {
                if (!(e instanceof AadTokenError)) return { retry: false };
                if (e.details.transient) return { retry: true, afterMs: e.details.retryAfterMs };
                // A just-created app or secret: Entra answers "unknown app" / "wrong secret" until it has replicated.
                return {
                    retry:
                        e.details.badCredentials &&
                        Date.now() - started < retry.badCredentialRetryMs,
                };
            },
            retry,
            hooks,
        );
    } catch (e) {
        if (e instanceof AadTokenError) throw gaveUp(e, attempts, Date.now() - started);
        // Anything else (a bug, a library change): never let the library's text carry the secret.
        throw classifyFailure({ error: e }, ctx);
    }
}

/** Rejects when `signal` aborts, even if `work` never settles (its late result is dropped). */
function withTimeout<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
    work.catch(() => undefined);
    return new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(new Error("attempt timed out"));
        if (signal.aborted) return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
}

/** `create`: mint and return the full state. */
export async function createAadToken(
    inputs: AadTokenInputs,
    hooks?: MintHooks,
): Promise<{ id: string; outs: AadTokenOutputs }> {
    const minted = await mintAadToken(inputs, hooks);
    return { id: `${inputs.tenantId}/${inputs.clientId}`, outs: { ...inputs, ...minted } };
}
