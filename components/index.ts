/** Public API of azure-databricks-mlops. */
export { AadToken, AadTokenArgs, AadTokenRetryArgs, DATABRICKS_SCOPE } from "../providers/aadToken";
export { ConfigError, loadStackConfig, StackConfig } from "../config";
// --- MlRegistry (private Azure ML registry)
export { MlRegistry, MlRegistryArgs } from "./mlRegistry";
export { MlRegistryNames, ROLES as ML_REGISTRY_ROLES, mlRegistryNames, roleAssignmentName } from "./mlRegistryNaming";
