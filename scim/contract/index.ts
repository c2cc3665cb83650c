/** The engine's contract: the types and limits the engine, the CLI and the ScimSync provider share. */
export * from "./api";
export {
    AccountPrincipal,
    ActualState,
    DesiredPrincipal,
    DesiredState,
    GonePrincipal,
    GroupTree,
    Operation,
    PrincipalKind,
    matchKey,
} from "./model";
