export { AadToken, AadTokenArgs, AadTokenRetryArgs, DATABRICKS_SCOPE } from "./aadToken";
export { AadTokenError } from "./aadTokenErrors";
