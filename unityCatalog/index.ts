/** Unity Catalog: the pure plan (names, privileges, checks), UnityCatalogSharing and CicdCredential. */
export { CicdCredential, CicdCredentialArgs, CicdCredentialResourceArgs } from "./cicdCredential";
export {
    CicdCredentialMethod,
    DEFAULT_MODEL_READERS,
    DEFAULT_MODEL_SCHEMA,
    DEPLOYER_SCHEMA_PRIVILEGES,
    MODEL_REGISTRY_MODES,
    ModelRegistryMode,
    READER_SCHEMA_PRIVILEGES,
    UC_ENVS,
    UcEnv,
    UcPrivilege,
    checkCatalogStorageRoot,
    checkCicdCredential,
    checkDistinctCatalogs,
    checkUcName,
    defaultProjectSchema,
    useCatalogStatements,
} from "./plan";
export {
    ModelCatalogArgs,
    UnityCatalogDeployersArgs,
    UnityCatalogSharing,
    UnityCatalogSharingArgs,
    UnityCatalogWorkspaceArgs,
} from "./unityCatalogSharing";
