/** The SCIM sync engine: Entra ID (Microsoft Graph) → Databricks account SCIM. No Pulumi here. */
export * from "./api";
export {
    runSync,
    DEFAULT_GRAPH_URL,
    DEFAULT_ACCOUNT_HOST,
    DEFAULT_CONCURRENCY,
    MAX_GROUP_SEARCH_DEPTH,
} from "./sync";
export { SyncAbortedError, checkBaseUrl } from "./http";
export { ACCOUNT_LIMITS } from "./limits";
export {
    tokenProviderFor,
    tokenProviderFromCredential,
    CredentialSpec,
    GRAPH_SCOPE,
    DATABRICKS_SCOPE,
} from "./auth";
export { emptyState, parseState, readStateFile, writeStateFile } from "./state";
export { DEFAULT_RATE_LIMITS, UNPACED, RateLimits, LanePace, parseRateLimits } from "./pacing";
export { LearnedRate } from "./adaptiveRate";
export { TransportError } from "./transport";
