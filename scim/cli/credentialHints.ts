/**
 * What to do when the `scim-sync` CLI cannot get a token for, be accepted by, or reach one of its two
 * APIs. @azure/identity says what broke ("ChainedTokenCredential authentication failed" and one line
 * per credential tried, or `network_error` for a secret it could not even send); these messages name
 * the API (Microsoft Graph or the Databricks account), its host, the variable or flag to set and the
 * runbook section. Pure: no I/O, never a token or secret in the text.
 */
import type { TokenProvider } from "../contract";
import { ApiError, NetworkError, TransportError } from "../clients";

export type HintedApi = "graph" | "databricks";

/** One API as this run reaches it. */
export interface ApiEndpoint {
    readonly api: HintedApi;
    /** Base URL (the host is shown, never a path or query). */
    readonly url: string;
    /** The token came from GRAPH_TOKEN / DATABRICKS_TOKEN rather than DefaultAzureCredential. */
    readonly explicitToken: boolean;
}

export const RUNBOOK_SECTION = "docs/runbook.md#6-credential-and-host-errors";

const NAME: Record<HintedApi, string> = {
    graph: "Microsoft Graph",
    databricks: "the Databricks account API",
};
const TOKEN_VARIABLE: Record<HintedApi, string> = {
    graph: "GRAPH_TOKEN",
    databricks: "DATABRICKS_TOKEN",
};
const HOST_SETTING: Record<HintedApi, string> = {
    graph: "--graph-url / GRAPH_URL",
    databricks: "--account-host / DATABRICKS_HOST",
};
/** `az account get-access-token --resource` of each API (the Azure Databricks first-party app id for the account). */
const RESOURCE: Record<HintedApi, string> = {
    graph: "https://graph.microsoft.com",
    databricks: "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d",
};
const RIGHTS: Record<HintedApi, string> = {
    graph: "the application permissions GroupMember.Read.All, User.Read.All and Application.Read.All, with admin consent",
    databricks: "account admin in this Databricks account",
};

/** A token could not be obtained for one API; the message says what to set. */
export class CredentialError extends Error {
    constructor(
        message: string,
        readonly api: HintedApi,
        cause: unknown,
    ) {
        // The cause is kept so a dropped connection to the token endpoint is still retried as one.
        super(message, { cause });
        this.name = "CredentialError";
    }
}

function hostOf(url: string): string {
    try {
        return new URL(url).host;
    } catch {
        return url;
    }
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

const ENTRA_CODES: Record<string, string> = {
    "7000215": "the client secret is wrong",
    "7000222": "the client secret has expired",
    "700016": "no application with this client id in the tenant",
    "90002": "no such tenant",
    "900023": "the tenant id is not a valid tenant",
};

/** Why @azure/identity failed, in a few words. */
function whyTokenFailed(error: unknown): string {
    const text = messageOf(error);
    const aadsts = /AADSTS(\d+)/.exec(text);
    if (aadsts)
        return `Entra ID refused the credential (AADSTS${aadsts[1]}${ENTRA_CODES[aadsts[1]] ? `: ${ENTRA_CODES[aadsts[1]]}` : ""})`;
    // DefaultAzureCredential tried each credential and none was configured (one of them may mention the
    // network: managed identity probes it), as opposed to one configured credential that failed.
    const inner = (error as { errors?: unknown[] } | null)?.errors;
    const unavailable = (e: unknown) =>
        (e as { name?: string } | null)?.name === "CredentialUnavailableError";
    const noneFound =
        "no credential was found (AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET not all set, no workload or managed identity, no az login)";
    if (Array.isArray(inner) && inner.length > 0 && inner.every(unavailable)) return noneFound;
    // MSAL's network_error / endpoints_resolution_error: the secret was never sent, so it says nothing about it.
    if (
        /network_error|endpoints_resolution_error|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|Network unreachable|fetch failed/i.test(
            text,
        )
    ) {
        return "the Entra token endpoint (login.microsoftonline.com, or AZURE_AUTHORITY_HOST) could not be reached, so the credential itself was not checked: a network or proxy problem, not a wrong secret";
    }
    if (unavailable(error)) return noneFound;
    const first = text.split("\n")[0].trim();
    return first.length > 200 ? `${first.slice(0, 200)}…` : first;
}

/** The message for a token that could not be obtained for `endpoint`. */
export function tokenFailureMessage(endpoint: ApiEndpoint, error: unknown): string {
    const { api } = endpoint;
    return (
        `could not get a token for ${NAME[api]} (${hostOf(endpoint.url)}): ${whyTokenFailed(error)}. ` +
        `Set ${TOKEN_VARIABLE[api]} to a token (az account get-access-token --resource ${RESOURCE[api]} --query accessToken -o tsv), ` +
        `or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET for an app with ${RIGHTS[api]}, or run az login. See ${RUNBOOK_SECTION}.`
    );
}

/** `provider`, whose failures become a {@link CredentialError} naming the API and what to set. */
export function withCredentialHint(provider: TokenProvider, endpoint: ApiEndpoint): TokenProvider {
    return async () => {
        try {
            return await provider();
        } catch (e) {
            throw new CredentialError(tokenFailureMessage(endpoint, e), endpoint.api, e);
        }
    };
}

/** The engine's name of an API in its errors ("graph", "scim") → ours. */
function apiOf(name: string): HintedApi | undefined {
    return name === "graph"
        ? "graph"
        : name === "scim" || name === "account"
          ? "databricks"
          : undefined;
}

/**
 * What to do about a failed run whose error came from an API (refused token, missing rights, unknown
 * account, unreachable host), or undefined when the error says enough by itself.
 */
export function failureHint(error: unknown, endpoints: readonly ApiEndpoint[]): string | undefined {
    if (error instanceof CredentialError) return undefined;
    const api =
        error instanceof ApiError ||
        error instanceof TransportError ||
        error instanceof NetworkError
            ? apiOf(error.api)
            : undefined;
    const endpoint = endpoints.find((e) => e.api === api);
    if (!api || !endpoint) return undefined;
    const name = NAME[api];
    if (error instanceof TransportError || error instanceof NetworkError) {
        return `${name} at ${error.host} could not be reached: check ${HOST_SETTING[api]} and the network or proxy. See ${RUNBOOK_SECTION}.`;
    }
    const e = error as ApiError;
    const host = hostOf(endpoint.url);
    const source = endpoint.explicitToken
        ? `the token in ${TOKEN_VARIABLE[api]}`
        : "the token of DefaultAzureCredential (AZURE_CLIENT_ID / az login)";
    if (e.status === 401) {
        return (
            `${name} (${host}) refused ${source} (HTTP 401): it has expired or is for another resource. ` +
            `${endpoint.explicitToken ? `Set ${TOKEN_VARIABLE[api]} to a fresh one (az account get-access-token --resource ${RESOURCE[api]} --query accessToken -o tsv), or unset it to use DefaultAzureCredential` : `Log in again, or set ${TOKEN_VARIABLE[api]}`}. See ${RUNBOOK_SECTION}.`
        );
    }
    if (e.status === 403) {
        return `${name} (${host}) accepted ${source} but refused the call (HTTP 403): the identity needs ${RIGHTS[api]}. See ${RUNBOOK_SECTION}.`;
    }
    // A 404 on a collection (…/scim/v2/Users) means the account itself is unknown.
    if (
        e.status === 404 &&
        api === "databricks" &&
        /\/scim\/v2\/(Users|Groups|ServicePrincipals)$/.test(e.path)
    ) {
        return `${name} (${host}) knows no such account (HTTP 404): check --account-id / DATABRICKS_ACCOUNT_ID and ${HOST_SETTING[api]}. See ${RUNBOOK_SECTION}.`;
    }
    return undefined;
}
