/**
 * Token providers for the two audiences of the sync (Microsoft Graph, the Databricks account): an
 * explicit bearer token, a client secret (ClientSecretCredential) or DefaultAzureCredential. Tokens
 * are cached until shortly before they expire; they never appear in an error or log line.
 */
import type { TokenCredential } from "@azure/identity";
import { TokenProvider } from "../contract";

/** Scope of Microsoft Graph. */
export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";
/** Scope of the Azure Databricks resource (first-party application id), used for the account API. */
export const DATABRICKS_SCOPE = "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default";

export type CredentialSpec =
    /** A bearer token given as is (e.g. GRAPH_TOKEN / DATABRICKS_TOKEN); never refreshed. */
    | { readonly kind: "token"; readonly token: string }
    /** Client-credentials grant of an Entra app. `authorityHost` defaults to https://login.microsoftonline.com. */
    | {
          readonly kind: "clientSecret";
          readonly tenantId: string;
          readonly clientId: string;
          readonly clientSecret: string;
          readonly authorityHost?: string;
      }
    /** DefaultAzureCredential: environment, workload identity, managed identity, Azure CLI, ... */
    | { readonly kind: "default"; readonly tenantId?: string };

/** Refresh a token this long before it expires, so a request never starts with a dying token. */
const REFRESH_MARGIN_MS = 2 * 60_000;

/** Returns a TokenProvider for `scope` from a credential description. */
export function tokenProviderFor(spec: CredentialSpec, scope: string): TokenProvider {
    switch (spec.kind) {
        case "token": {
            const token = spec.token.trim();
            if (token === "") throw new Error("The bearer token is empty.");
            return async () => token;
        }
        case "clientSecret": {
            // Required here, not at the top, so that a plain-token run never loads MSAL.
            const { ClientSecretCredential } =
                require("@azure/identity") as typeof import("@azure/identity");
            const credential = new ClientSecretCredential(
                spec.tenantId,
                spec.clientId,
                spec.clientSecret,
                {
                    ...(spec.authorityHost
                        ? { authorityHost: spec.authorityHost, disableInstanceDiscovery: true }
                        : {}),
                },
            );
            return tokenProviderFromCredential(credential, scope);
        }
        case "default": {
            const { DefaultAzureCredential } =
                require("@azure/identity") as typeof import("@azure/identity");
            return tokenProviderFromCredential(
                new DefaultAzureCredential(spec.tenantId ? { tenantId: spec.tenantId } : {}),
                scope,
            );
        }
    }
}

/** Wraps any TokenCredential: caches the token until REFRESH_MARGIN_MS before expiry, one fetch at a time. */
export function tokenProviderFromCredential(
    credential: TokenCredential,
    scope: string,
    now: () => number = Date.now,
): TokenProvider {
    let cached: { token: string; expiresOn: number } | undefined;
    let pending: Promise<string> | undefined;
    return async () => {
        if (cached && cached.expiresOn - REFRESH_MARGIN_MS > now()) return cached.token;
        pending ??= (async () => {
            try {
                const result = await credential.getToken(scope);
                if (!result) throw new Error(`No token was returned for scope ${scope}.`);
                cached = { token: result.token, expiresOn: result.expiresOnTimestamp };
                return result.token;
            } finally {
                pending = undefined;
            }
        })();
        return pending;
    };
}
