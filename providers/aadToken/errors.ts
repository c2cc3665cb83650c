/**
 * What a failed token request means and how to say it. Pure: the client records what it saw on the
 * wire (HTTP status, Retry-After, Entra's error body, transport error) and this decides whether to retry
 * and writes the message. Messages name the client id, tenant and AADSTS code and never the secret.
 *
 * Why not classify on @azure/identity's errors: tried with @azure/identity 4.13 / msal-node 5.6 against
 * emulators/token.ts, every token-endpoint failure (429, 5xx, 400, 401, dropped connection) comes
 * back as `AuthenticationRequiredError` with only a message (`invalid_client: Error(s): 7000215 - ...`,
 * `network_error: See https://aka.ms/msal.js.errors#network_error ...`), no HTTP status, no Retry-After
 * and no cause; a failed discovery call (unknown tenant) comes back as `CredentialUnavailableError:
 * endpoints_resolution_error` without the AADSTS code. So the client watches responses with a pipeline
 * policy, and the message parse below is only the fallback.
 */
import { isNetworkError } from "../../core/retry";

/** Entra's error body (`error`, `error_description: "AADSTSnnn: ..."`, `error_codes`, ids). */
export interface EntraErrorBody {
    readonly error?: string;
    readonly error_description?: string;
    readonly error_codes?: readonly number[];
    readonly trace_id?: string;
    readonly correlation_id?: string;
}

/** What one failed attempt looked like on the wire. */
export interface AttemptFailure {
    /** HTTP status of the last Entra response, when there was one. */
    readonly status?: number;
    /** Retry-After of that response, ms. */
    readonly retryAfterMs?: number;
    /** Entra's error body of that response, when it was one. */
    readonly body?: EntraErrorBody;
    /** Code of a transport failure (ECONNRESET, UNABLE_TO_VERIFY_LEAF_SIGNATURE, ...). */
    readonly transportCode?: string;
    /** The attempt passed its time limit. */
    readonly timedOut?: boolean;
    /** The error @azure/identity threw (fallback source of codes). */
    readonly error?: unknown;
}

/**
 * AADSTS codes that Entra's error-code reference (learn.microsoft.com/entra/identity-platform/
 * reference-error-codes; MicrosoftDocs/azure-docs articles/active-directory/develop/
 * reference-aadsts-error-codes.md) describes as transient or retryable, whatever HTTP status carries
 * them (Entra often answers them with 400):
 *   50033 RetryableError ("a transient error not related to the database operations"),
 *   90006 ExternalServerRetryableError ("the service is temporarily unavailable"),
 *   90024 RequestBudgetExceededError ("a transient error has occurred. Try again."),
 *   90033 MsodsServiceUnavailable ("the Microsoft Online Directory Service isn't available"; seen in the
 *         wild as `temporarily_unavailable` + 503, Azure/azure-sdk-for-python#14241),
 *   90090 GraphRetryableError ("the service is temporarily unavailable").
 * The same page says to retry on the OAuth error `temporarily_unavailable`. Deliberately NOT retried:
 * 50196 LoopDetected (the page: the app is "in a faulty state"; retrying is the loop), 500011 (resource
 * principal not in the tenant: a consent/setup problem), and every user-sign-in-only code (50087, ...).
 */
export const TRANSIENT_AADSTS_CODES: ReadonlySet<number> = new Set([
    50033, 90006, 90024, 90033, 90090,
]);

/** Bad credentials: fail on the first answer unless retry.badCredentialRetryMs allows waiting for a new app or secret to replicate. */
export const BAD_CREDENTIAL_HINTS: ReadonlyMap<number, string> = new Map([
    [7000215, "the client secret is wrong (give the secret's value, not its id)"],
    [7000222, "the client secret has expired; create a new one"],
    [
        700016,
        "no application with this client id exists in the tenant (wrong client id or wrong tenant)",
    ],
    [90002, "the tenant was not found (wrong tenant id, or an app of another cloud)"],
]);

const BAD_CREDENTIAL_ERRORS = new Set(["invalid_client", "unauthorized_client"]);

/** The error every AadToken failure is reported with. */
export class AadTokenError extends Error {
    constructor(
        message: string,
        readonly details: {
            readonly clientId: string;
            readonly tenantId: string;
            /** First AADSTS code, e.g. 7000215. */
            readonly aadsts?: number;
            readonly oauthError?: string;
            readonly status?: number;
            /** Worth another attempt. */
            readonly transient: boolean;
            /** Server-requested wait before the next attempt, ms. */
            readonly retryAfterMs?: number;
            readonly badCredentials: boolean;
            /** Attempts made when this error was final (set when giving up). */
            readonly attempts?: number;
        },
    ) {
        super(message);
        this.name = "AadTokenError";
    }
}

/** Reads `error` and AADSTS codes from @azure/identity's message (`invalid_client: Error(s): 7000215 - ...`). */
export function parseIdentityMessage(message: string): { oauthError?: string; codes: number[] } {
    const m = /^\s*([a-z_]+):\s*Error\(s\):\s*([\d ]+?)\s*-/.exec(message);
    if (m) return { oauthError: m[1], codes: m[2].trim().split(/\s+/).map(Number) };
    const code = /AADSTS(\d+)/.exec(message);
    const oauth = /^\s*([a-z_]+):/.exec(message);
    return { oauthError: oauth?.[1], codes: code ? [Number(code[1])] : [] };
}

/** Entra's description without the trailing trace/correlation/timestamp lines. */
function describeEntra(body: EntraErrorBody | undefined): string | undefined {
    const text = body?.error_description?.split(/\s*(?:\r?\n)?\s*Trace ID:/)[0]?.trim();
    if (!text) return undefined;
    return text.replace(/^AADSTS\d+:\s*/, "");
}

export interface ClassifyContext {
    readonly clientId: string;
    readonly tenantId: string;
    readonly authorityHost: string;
    /** Scrubbed from every message, just in case. */
    readonly secret: string;
}

/** Turns one failed attempt into an {@link AadTokenError} that says whether to retry. */
export function classifyFailure(f: AttemptFailure, ctx: ClassifyContext): AadTokenError {
    const rawMessage =
        f.error instanceof Error ? f.error.message : f.error === undefined ? "" : String(f.error);
    const parsed = parseIdentityMessage(rawMessage);
    const codes = f.body?.error_codes?.length ? [...f.body.error_codes] : parsed.codes;
    const oauthError = f.body?.error ?? parsed.oauthError;
    const aadsts = codes[0];
    const status = f.status !== undefined && f.status >= 400 ? f.status : undefined;

    const hint = codes.map((c) => BAD_CREDENTIAL_HINTS.get(c)).find((h) => h !== undefined);
    const badCredentials =
        hint !== undefined || (oauthError !== undefined && BAD_CREDENTIAL_ERRORS.has(oauthError));
    const network =
        f.transportCode !== undefined
            ? isNetworkError({ code: f.transportCode })
            : /^network_error\b/.test(rawMessage);
    const transient =
        !badCredentials &&
        (status === 429 ||
            (status !== undefined && status >= 500) ||
            oauthError === "temporarily_unavailable" ||
            codes.some((c) => TRANSIENT_AADSTS_CODES.has(c)) ||
            f.timedOut === true ||
            network);

    const what: string[] = [];
    if (aadsts !== undefined) what.push(`AADSTS${aadsts}`);
    if (oauthError) what.push(oauthError);
    if (status !== undefined) what.push(`HTTP ${status}`);
    let reason: string;
    if (f.timedOut) reason = "the request timed out";
    else if (f.transportCode) reason = `the connection failed (${f.transportCode})`;
    else if (network) reason = "the connection failed";
    else
        reason =
            hint ??
            (badCredentials
                ? "the client credentials were rejected"
                : transient
                  ? "Entra reported a temporary failure"
                  : "Entra refused the request");
    const entra = describeEntra(f.body);
    const ids = [
        f.body?.trace_id && `trace id ${f.body.trace_id}`,
        f.body?.correlation_id && `correlation id ${f.body.correlation_id}`,
    ].filter(Boolean);

    let message =
        `AadToken: could not get a token for client ${ctx.clientId} in tenant ${ctx.tenantId} from ${ctx.authorityHost}` +
        `${what.length ? ` (${what.join(", ")})` : ""}: ${reason}.` +
        (entra ? ` Entra says: "${entra}"` : "") +
        (ids.length ? ` [${ids.join(", ")}]` : "");
    if (!entra && !f.transportCode && !f.timedOut && rawMessage && aadsts === undefined) {
        // Nothing better seen on the wire: keep the library's first line for diagnosis.
        message += ` (${rawMessage.split("\n")[0].slice(0, 300)})`;
    }
    return new AadTokenError(scrub(message, ctx.secret), {
        clientId: ctx.clientId,
        tenantId: ctx.tenantId,
        aadsts,
        oauthError,
        status,
        transient,
        retryAfterMs: transient ? f.retryAfterMs : undefined,
        badCredentials,
    });
}

/** Final error once retries are spent: says how many attempts over how long. */
export function gaveUp(last: AadTokenError, attempts: number, elapsedMs: number): AadTokenError {
    if (!last.details.transient && attempts <= 1) return last;
    const seconds = (elapsedMs / 1000).toFixed(1);
    const hint = last.details.badCredentials
        ? "if the app or its secret was just created, Entra may need longer to replicate it: raise retry.badCredentialRetryMs (and retry.maxTotalMs)"
        : "raise retry.maxAttempts / retry.maxTotalMs if Entra is having a longer outage";
    return new AadTokenError(
        `${last.message} Gave up after ${attempts} attempt${attempts === 1 ? "" : "s"} over ${seconds}s; ${hint}.`,
        { ...last.details, attempts },
    );
}

/** Removes every occurrence of the secret from text. */
export function scrub(text: string, secret: string): string {
    return secret ? text.split(secret).join("[secret]") : text;
}
