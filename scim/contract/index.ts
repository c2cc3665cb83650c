/** The engine's contract: the types and limits the engine, the CLI and the ScimSync provider share. */
export * from "./api";
export {
    AccountPrincipal,
    ActualState,
    AttributeValues,
    DesiredPrincipal,
    DesiredState,
    GonePrincipal,
    GroupTree,
    Operation,
    PrincipalKind,
    matchKey,
} from "./model";
export {
    GraphFields,
    PRINCIPAL_KEYS,
    SYNCED,
    SyncedAttributes,
    accountValue,
    desiredValue,
} from "./attributes";
