/** Public API of azure-databricks-mlops. */
export { AadToken, AadTokenArgs, AadTokenRetryArgs, DATABRICKS_SCOPE } from "../providers/aadToken";
export { ConfigError, loadStackConfig, StackConfig } from "../program/config";

// Workspace trio
export {
    WorkspaceServicePrincipal,
    WorkspaceServicePrincipalArgs,
    LinkedPrincipal,
    LinkPrincipalArgs,
    CreatePrincipalArgs,
    PrincipalSource,
    validatePrincipalSource,
} from "../principals";
export { MlopsWorkspaces, MlopsWorkspacesParts } from "../workspaces";
export { MlopsWorkspacesArgs, ModelCatalogsArgs, CicdCredentialsArgs } from "../workspaces";
// Connections and choices every language passes (multi-language, docs/multi-language.md)
export {
    WorkspaceConnectionArgs,
    ServicePrincipalsArgs,
    EntraConnectionArgs,
    AccountConnectionArgs,
} from "../connections";
export { PrincipalMode, WorkspaceAuthMethod, PrincipalType } from "../core";
export { ServicePrincipalGroup, ServicePrincipalGroupArgs } from "../workspaces";
export { ServicePrincipalToken, ServicePrincipalTokenArgs } from "../workspaces";
export { RemoteRegistryAccess, RemoteRegistryAccessArgs } from "../workspaces";
export { RegistryReadAccess, RegistryReadAccessArgs } from "../workspaces";
/**
 * @deprecated No longer used by ServicePrincipalToken (rotation is a program-computed period number,
 * principals/rotationPeriod.ts); kept exported so programs that import it still compile. Its provider
 * has no delete, so the clocks an upgraded stack drops are deleted as a no-op (docs/operations.md).
 */
export { TokenRotation, TokenRotationArgs } from "../providers/tokenRotation";
export { rotationPeriod, RotationPeriod } from "../principals";
export {
    workspaceProvider,
    workspaceProviderArgs,
    workspaceConnection,
    WorkspaceAuth,
} from "../connections";

// SCIM sync: the dynamic resource; the engine and CLI are under "azure-databricks-mlops/scim".
export { ScimSync, ScimSyncArgs, SCIM_SYNC_PROVIDER_VERSION } from "../providers/scimSync";

// Projects
export { MlopsProject, MlopsProjectArgs } from "../projects";

// ML registry: private-endpoint Azure ML registry.
export { MlRegistry, MlRegistryArgs, MlRegistryRoleAssignmentArgs } from "../mlRegistry";
export {
    MlRegistryNames,
    ROLES as ML_REGISTRY_ROLES,
    BUILT_IN_ROLES as ML_REGISTRY_BUILT_IN_ROLES,
    mlRegistryNames,
    roleAssignmentName,
} from "../mlRegistry";

// Models in Unity Catalog: MlopsWorkspaces / MlopsProject with modelRegistry "unity-catalog".
export { ModelRegistryMode, CicdCredentialMethod } from "../unityCatalog";
export { DEFAULT_MODEL_READERS, DEFAULT_MODEL_SCHEMA } from "../unityCatalog";
export {
    UnityCatalogSharing,
    UnityCatalogSharingArgs,
    UnityCatalogWorkspaceArgs,
    UnityCatalogDeployersArgs,
    ModelCatalogArgs,
} from "../unityCatalog";
export { CicdCredential, CicdCredentialArgs, CicdCredentialResourceArgs } from "../unityCatalog";
export {
    UnityCatalogProject,
    UnityCatalogProjectArgs,
    ProjectUnityCatalogArgs,
    ProjectCatalogArgs,
} from "../projects";
