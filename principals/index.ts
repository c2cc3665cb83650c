/** Service principals: linked or created Entra apps in the workspaces, and their rotation periods. */
export { RotationPeriod, rotationPeriod } from "./rotationPeriod";
export {
    CreatePrincipalArgs,
    LinkPrincipalArgs,
    LinkedPrincipal,
    PrincipalSource,
    WorkspaceServicePrincipal,
    WorkspaceServicePrincipalArgs,
    checkPrincipalIds,
    validatePrincipalSource,
} from "./servicePrincipal";
