export { AadToken, AadTokenArgs, DATABRICKS_SCOPE } from "./aadToken";
