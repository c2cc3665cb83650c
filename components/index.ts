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

// Projects (issue 5)
export {
    MlopsProject,
    MlopsProjectArgs,
    ProjectWorkspace,
    ProjectServicePrincipals,
    DEFAULT_PROJECT_SP_GROUP_NAME,
} from "./mlopsProject";
