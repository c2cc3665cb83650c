/** Public API of azure-databricks-mlops. */
export { AadToken, AadTokenArgs, AadTokenRetryArgs, DATABRICKS_SCOPE } from "../providers/aadToken";
export { ConfigError, loadStackConfig, StackConfig } from "../config";
