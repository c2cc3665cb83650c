/**
 * How the components reach a Databricks workspace and where their service principals come from, as
 * plain settings every Pulumi language can pass (no provider objects, no unions): the components build
 * their providers from these (workspaceProvider.ts) and check them before anything is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { PrincipalMode, WorkspaceAuthMethod } from "../core";
import { LinkedPrincipal } from "../principals";

/** How a connection authenticates to Databricks, shared by workspace and account connections. */
export interface DatabricksAuthArgs {
    /** How to authenticate: `azure-cli`, `client-secret` or `aad-token`. Defaults to `azure-cli`. */
    readonly authMethod?: WorkspaceAuthMethod;
    /** Client (application) id of the Entra app, with `client-secret`. */
    readonly clientId?: pulumi.Input<string>;
    /** Tenant (directory) id of the Entra app, with `client-secret`. */
    readonly tenantId?: pulumi.Input<string>;
    /** Client secret of the Entra app, with `client-secret`. Stored as a Pulumi secret. */
    readonly clientSecret?: pulumi.Input<string>;
    /** Entra access token for the Azure Databricks resource, with `aad-token`. Stored as a Pulumi secret. */
    readonly aadToken?: pulumi.Input<string>;
}

/**
 * One Databricks workspace: its URL, its id and how to authenticate as a workspace admin. Give
 * `clientId`, `tenantId` and `clientSecret` with `authMethod: client-secret`, `aadToken` with
 * `aad-token`, nothing else with `azure-cli`.
 */
export interface WorkspaceConnectionArgs extends DatabricksAuthArgs {
    /** Workspace URL, `https://adb-<workspace id>.<n>.azuredatabricks.net`. */
    readonly host: pulumi.Input<string>;
    /**
     * Numeric workspace id, e.g. "1234567890123456". Required for the staging and prod workspaces of
     * MlopsWorkspaces (stored in the secret scopes), and for dev too in unity-catalog mode (catalogs
     * are bound to it); not read from the host. MlopsProject does not use it. (The root program's stack
     * config may leave it out for an `adb-<id>` host: it reads the id from the host and passes it.)
     */
    readonly workspaceId?: pulumi.Input<string>;
    /**
     * URNs this workspace's provider had in existing state, e.g. the `databricks.Provider` a TypeScript
     * program declared before 0.2 (`pulumi.createUrn("dev", "pulumi:providers:databricks")`), so that an
     * upgrade shows the provider as moved rather than replaced. Defaults to none.
     */
    readonly providerAliases?: pulumi.Input<string>[];
}

/** The Entra tenant connection for create mode, when not the default azuread provider. */
export interface EntraConnectionArgs {
    /** Tenant the apps are created in. Defaults to the service principals' `tenantId`. */
    readonly tenantId?: pulumi.Input<string>;
    /** Client id of an Entra app allowed to create applications; with `clientSecret`. Defaults to the ambient Azure login (`az login`, `ARM_*`). */
    readonly clientId?: pulumi.Input<string>;
    /** Client secret of that app. Stored as a Pulumi secret. */
    readonly clientSecret?: pulumi.Input<string>;
    /** URNs the azuread provider had in existing state (e.g. `pulumi.createUrn("entra", "pulumi:providers:azuread")`). Defaults to none. */
    readonly providerAliases?: pulumi.Input<string>[];
}

/**
 * The service principals of the staging and prod workspaces: `mode: link` with `staging` and `prod`
 * (existing Entra apps), or `mode: create` with `tenantId`.
 */
export interface ServicePrincipalsArgs {
    /** `link` existing Entra apps or `create` them. */
    readonly mode: PrincipalMode;
    /** Link mode: the staging Entra app. */
    readonly staging?: LinkedPrincipal;
    /** Link mode: the prod Entra app. */
    readonly prod?: LinkedPrincipal;
    /** Create mode: the Entra tenant (directory) id the apps are created in. */
    readonly tenantId?: pulumi.Input<string>;
    /** Create mode: an azuread provider the component builds for the tenant. Defaults to the program's default azuread provider. */
    readonly entra?: EntraConnectionArgs;
    /** Create mode: renew each created client secret on the first run of every new period of this many days (valid two periods). Defaults to 180; at most 365. */
    readonly clientSecretRotationDays?: number;
}

/**
 * The Databricks account (unity-catalog mode: federation policies are an account API): its id and how
 * to authenticate as an account admin, with the same `authMethod` and credentials as a workspace.
 */
export interface AccountConnectionArgs extends DatabricksAuthArgs {
    /** Account console URL. Defaults to `https://accounts.azuredatabricks.net`. */
    readonly host?: pulumi.Input<string>;
    /** Databricks account id (a GUID). */
    readonly accountId: pulumi.Input<string>;
    /** URNs the account provider had in existing state, e.g. `pulumi.createUrn("account", "pulumi:providers:databricks")` of a program before 0.2. Defaults to none. */
    readonly providerAliases?: pulumi.Input<string>[];
}
