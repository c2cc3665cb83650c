/**
 * A just-created Entra app and client secret take a while to replicate: until then Entra answers the
 * client-credentials grant with AADSTS700016 (unknown app) or AADSTS7000215 (wrong secret). The
 * Databricks providers that act as a created SP (`azure-client-secret`) would fail the first
 * `pulumi up` with those, so a fresh secret reaches them only once Entra accepts it: one token is
 * minted here, in the program (no dynamic resource), retrying those answers for a bounded time.
 * An older secret passes straight through: later runs make no call.
 */
import {
    AadTokenError,
    mintAadToken,
    AAD_TOKEN_PROVIDER_VERSION,
    DATABRICKS_SCOPE,
    DEFAULT_AAD_TOKEN_RETRY,
    DEFAULT_AUTHORITY_HOST,
} from "../providers/aadToken";
import { untrustedHost } from "../core";

/** How long a created app's answers "unknown app" / "wrong secret" are retried, ms. */
export const CREATED_APP_REPLICATION_MS = 120_000;
/** A secret whose start date is younger than this is probed before use, ms. */
export const FRESH_SECRET_MS = 10 * 60_000;

export interface ReplicationProbe {
    readonly tenantId: string;
    readonly clientId: string;
    readonly clientSecret: string;
    /** The password's `startDate` (ISO 8601), as azuread reports it; no probe without one. */
    readonly startDate?: string;
    /** Defaults to `https://login.microsoftonline.com`. */
    readonly authorityHost?: string;
    /** Hosts outside the Azure clouds' authorities that `authorityHost` may name (the secret is sent there). */
    readonly allowHosts?: readonly string[];
    /** Overrides of the retry policy (tests). */
    readonly retry?: Partial<typeof DEFAULT_AAD_TOKEN_RETRY>;
}

/**
 * Resolves to the client secret once Entra accepts it (at once for a secret older than
 * {@link FRESH_SECRET_MS}); rejects naming the client id and AADSTS code when Entra still refuses it
 * after {@link CREATED_APP_REPLICATION_MS}, with the advice to run `pulumi up` again.
 */
export async function afterEntraAccepts(p: ReplicationProbe, now = Date.now()): Promise<string> {
    const start = p.startDate ? Date.parse(p.startDate) : NaN;
    if (!(now - start < FRESH_SECRET_MS)) return p.clientSecret;
    const authorityHost = p.authorityHost ?? DEFAULT_AUTHORITY_HOST;
    const untrusted = untrustedHost(authorityHost, "authority", p.allowHosts, "allowHosts");
    if (untrusted) throw new Error(`authorityHost: ${untrusted}`);
    try {
        await mintAadToken({
            tenantId: p.tenantId,
            clientId: p.clientId,
            clientSecret: p.clientSecret,
            scope: DATABRICKS_SCOPE,
            authorityHost,
            retry: {
                ...DEFAULT_AAD_TOKEN_RETRY,
                maxAttempts: 12,
                maxTotalMs: CREATED_APP_REPLICATION_MS,
                badCredentialRetryMs: CREATED_APP_REPLICATION_MS,
                ...p.retry,
            },
            version: AAD_TOKEN_PROVIDER_VERSION,
        });
    } catch (e) {
        // AadTokenError messages name the client id and code and never the secret; the cause is left out
        // so nothing else about the request can reach a log.
        const why = e instanceof AadTokenError ? e.message : String(e);
        // eslint-disable-next-line preserve-caught-error
        throw new Error(
            `the new Entra app ${p.clientId} and its client secret were not usable yet (${why}); Entra may still be replicating them: run pulumi up again`,
        );
    }
    return p.clientSecret;
}
