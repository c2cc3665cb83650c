/** Public API of azure-databricks-mlops. */
export { AadToken, AadTokenArgs, AadTokenRetryArgs, DATABRICKS_SCOPE } from "../providers/aadToken";
export { ConfigError, loadStackConfig, StackConfig } from "../config";

// Workspace trio (issue 4)
export {
    WorkspaceServicePrincipal,
    WorkspaceServicePrincipalArgs,
    LinkedPrincipal,
    LinkPrincipalArgs,
    CreatePrincipalArgs,
    PrincipalSource,
    validatePrincipalSource,
} from "./servicePrincipal";
