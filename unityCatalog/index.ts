/** Unity Catalog: the pure plan (names, privileges, checks), UnityCatalogSharing and CicdCredential. */
export { CicdCredential, CicdCredentialArgs, CicdCredentialResourceArgs } from "./cicdCredential";
export { CicdCredentialMethod, MODEL_REGISTRY_MODES, ModelRegistryMode } from "./modes";
export {
    DEFAULT_MODEL_READERS,
    DEFAULT_MODEL_SCHEMA,
    DEPLOYER_SCHEMA_PRIVILEGES,
    READER_SCHEMA_PRIVILEGES,
    UcPrivilege,
    useCatalogStatements,
} from "./plan";
export {
    checkCatalogStorageRoot,
    checkDistinctCatalogs,
    checkUcName,
    defaultProjectSchema,
} from "./names";
export { checkCicdCredential } from "./cicdCredentialCheck";
export {
    ModelCatalogArgs,
    UnityCatalogDeployersArgs,
    UnityCatalogSharing,
    UnityCatalogSharingArgs,
    UnityCatalogWorkspaceArgs,
} from "./unityCatalogSharing";
