/**
 * Choices of the components' arguments, as `as const` objects plus their value types: the shape
 * Pulumi's schema inference turns into enums for every language (a TypeScript union of literals is
 * not accepted there). In TypeScript either the constant (`PrincipalMode.Link`) or the string
 * (`"link"`) works.
 */

/** Where a component's service principals come from. */
export const PrincipalMode = {
    /** Link existing Entra apps, by client id (one per workspace). */
    Link: "link",
    /** Create an Entra app, its service principal and a client secret per workspace. */
    Create: "create",
} as const;
export type PrincipalMode = (typeof PrincipalMode)[keyof typeof PrincipalMode];

/** How a component authenticates to a Databricks workspace (as a workspace admin). */
export const WorkspaceAuthMethod = {
    /** The Azure CLI login of whoever runs `pulumi up` (`az login`). */
    AzureCli: "azure-cli",
    /** An Entra app's client secret: `clientId`, `tenantId` and `clientSecret`. */
    ClientSecret: "client-secret",
    /** A ready Entra access token for the Azure Databricks resource: `aadToken` (expires within about an hour). */
    AadToken: "aad-token",
} as const;
export type WorkspaceAuthMethod = (typeof WorkspaceAuthMethod)[keyof typeof WorkspaceAuthMethod];

/** The kind of Entra principal a role is assigned to. */
export const PrincipalType = {
    User: "User",
    Group: "Group",
} as const;
export type PrincipalType = (typeof PrincipalType)[keyof typeof PrincipalType];
