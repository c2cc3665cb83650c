/** The SCIM sync engine: Entra ID (Microsoft Graph) → Databricks account SCIM. No Pulumi here. */
export * from "./contract/api";
export {
    runSync,
    DEFAULT_GRAPH_URL,
    DEFAULT_ACCOUNT_HOST,
    DEFAULT_CONCURRENCY,
    MAX_GROUP_SEARCH_DEPTH,
} from "./engine/sync";
export { SyncAbortedError, checkBaseUrl } from "./clients/http";
export {
    tokenProviderFor,
    tokenProviderFromCredential,
    CredentialSpec,
    GRAPH_SCOPE,
    DATABRICKS_SCOPE,
} from "./clients/auth";
export { emptyState, parseState, readStateFile, writeStateFile } from "./engine/state";
export { DEFAULT_RATE_LIMITS, UNPACED, parseRateLimits } from "./clients/pacing";
export { TransportError } from "./clients/transport";
