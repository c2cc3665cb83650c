/** What the engine and the CLI use of the clients: Graph, account SCIM, HTTP, pacing, tokens. */
export { AccountClient, FirstPage, parseScimError, scimBaseUrl } from "./account";
export {
    CredentialSpec,
    DATABRICKS_SCOPE,
    GRAPH_SCOPE,
    tokenProviderFor,
    tokenProviderFromCredential,
} from "./auth";
export {
    DeltaExpiredError,
    GraphClient,
    GraphObject,
    missingReadPermission,
    parseGraphError,
    groupPrincipal,
    principalOf,
    toPrincipal,
} from "./graph";
export { ApiError, JsonClient, SyncAbortedError, checkBaseUrl } from "./http";
export {
    DEFAULT_RATE_LIMITS,
    Pacer,
    UNPACED,
    graphClassifier,
    parseRateLimits,
    rateLimitProblems,
    scimClassifier,
} from "./pacing";
export { mapPool } from "./pool";
export { NetworkError, RunScope, TransportError } from "./transport";
