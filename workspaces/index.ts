/** MlopsWorkspaces (the trio), its args and checks, and the legacy PAT-based parts. */
export { checkDistinctWorkspaces, workspaceIdFromHost } from "./distinctWorkspaces";
export {
    DEFAULT_SERVICE_PRINCIPAL_GROUP_NAME,
    MlopsWorkspaces,
    MlopsWorkspacesParts,
    mlopsWorkspacesProblems,
} from "./mlopsWorkspaces";
export { CicdCredentialsArgs, MlopsWorkspacesArgs, ModelCatalogsArgs } from "./mlopsWorkspacesArgs";
export { RegistryReadAccess, RegistryReadAccessArgs } from "./registryRead";
export { RemoteRegistryAccess, RemoteRegistryAccessArgs } from "./remoteRegistryAccess";
export { ServicePrincipalGroup, ServicePrincipalGroupArgs } from "./servicePrincipalGroup";
export {
    DEFAULT_TOKEN_LIFETIME_SECONDS,
    DEFAULT_TOKEN_ROTATION_DAYS,
    ServicePrincipalToken,
    ServicePrincipalTokenArgs,
} from "./servicePrincipalToken";
export { checkAccountArgs } from "./unityCatalogTrio";
export { WORKSPACE_ID, checkTokenTiming } from "./validation";
