/**
 * What the other folders use of core/. It loads @pulumi/pulumi (problems, deferred checks): the SCIM
 * engine and the providers' pure modules, which must load without it, import core's files directly.
 */
export {
    DEFERRED,
    DeferredArgsCheck,
    WHOLE_OBJECT_DEFERRED,
    checkWhenKnown,
    isDeferred,
    resolveKnown,
} from "./deferredCheck";
export { PrincipalMode, PrincipalType, WorkspaceAuthMethod } from "./enums";
export * from "./environments";
export { HostRole, LOOPBACK, isHostList, isHostName, untrustedHost } from "./hosts";
export { INTERVAL_FORMATS, isDue, parseInterval } from "./interval";
export {
    ConfigError,
    Problem,
    Problems,
    checkDatabricksHost,
    checkGuid,
    checkNonEmptyString,
    describe,
    isGuid,
    isObject,
} from "./problems";
export {
    DEFAULT_RETRY_POLICY,
    MAX_TIMER_MS,
    RetryDecision,
    RetryHooks,
    RetryPolicy,
    isNetworkError,
    parseRetryAfter,
    withRetry,
} from "./retry";
export { describeValue, scrubSecrets, scrubberFor } from "./scrub";
export { UNKNOWN } from "./unknown";
