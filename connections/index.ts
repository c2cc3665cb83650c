/** Workspace, account and Entra connections, their checks and the providers built from them. */
export {
    AccountConnectionArgs,
    EntraConnectionArgs,
    ServicePrincipalsArgs,
    WorkspaceConnectionArgs,
} from "./connectionArgs";
export {
    WorkspaceConnection,
    accountProviderFor,
    entraProviderFor,
    principalSourceFor,
    workspaceConnections,
} from "./connections";
export {
    ACCOUNTS_HOST,
    WorkspaceAuth,
    validateAccountConnection,
    validateConnection,
    validateEntra,
    workspaceConnection,
    workspaceProvider,
    workspaceProviderArgs,
} from "./workspaceProvider";
