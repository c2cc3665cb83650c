/**
 * The inputs of {@link MlopsWorkspaces}: its public argument types, apart from the component so that
 * its Unity Catalog part (unityCatalogTrio.ts) can take them without importing the component.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    AccountConnectionArgs,
    ServicePrincipalsArgs,
    WorkspaceConnectionArgs,
} from "../connections";
import type { CicdCredentialArgs, ModelCatalogArgs, ModelRegistryMode } from "../unityCatalog";

/** The dev, staging and prod workspaces, their service principals and how they reach the model registries. */
export interface MlopsWorkspacesArgs {
    /** The dev workspace (its host and workspaceId are not used: nothing points at dev). */
    readonly dev: WorkspaceConnectionArgs;
    /** The staging workspace; `workspaceId` required. */
    readonly staging: WorkspaceConnectionArgs;
    /** The prod workspace; `workspaceId` required. */
    readonly prod: WorkspaceConnectionArgs;
    /** Service principals of staging and prod: linked (`mode: link`, `staging`, `prod`) or created (`mode: create`, `tenantId`). */
    readonly servicePrincipals: ServicePrincipalsArgs;
    /**
     * Groups given token usage (`CAN_USE`) in staging and prod besides the SP group. Defaults to
     * `["users"]` (every workspace user, as in a workspace that never set token permissions), so nobody
     * loses it. Token usage is authoritative: whoever is left out loses CAN_USE and has their active
     * personal access tokens revoked; a list without `users` is warned about on every preview.
     */
    readonly additionalTokenUsageGroups?: pulumi.Input<pulumi.Input<string>[]>;
    /** Name of the SP group created in each workspace. Defaults to `mlops-service-principals`. */
    readonly servicePrincipalGroupName?: pulumi.Input<string>;
    /** Display name of the SPs (and of created Entra apps). Defaults to `READ-only Model Registry Service Principal`. */
    readonly servicePrincipalDisplayName?: pulumi.Input<string>;
    /** Lifetime of the SP tokens in seconds. Defaults to 8640000 (100 days). */
    readonly tokenLifetimeSeconds?: pulumi.Input<number>;
    /**
     * Let the staging and prod SPs create clusters. Defaults to false: they only read the model registry,
     * and their PAT is readable by every workspace user through the secret scopes. (The Terraform
     * modules set true; see docs/migration-from-terraform.md.)
     */
    readonly allowClusterCreate?: pulumi.Input<boolean>;
    /** Replace the SP tokens (and the secrets holding them) on the first run after this many days. Defaults to 90; must be below the lifetime. */
    readonly tokenRotationDays?: pulumi.Input<number>;
    /**
     * Where models live: `workspace` (the legacy workspace registries reached with PATs; the default) or
     * `unity-catalog` (catalogs bound to the workspaces, grants, no PAT). The legacy-only settings above
     * (token usage groups, group name, token lifetime and rotation) are errors in `unity-catalog` mode.
     */
    readonly modelRegistry?: ModelRegistryMode;
    /** unity-catalog mode (required there): the dev, staging and prod catalogs, each `{ name, create? }`. */
    readonly catalogs?: ModelCatalogsArgs;
    /** unity-catalog mode: the schema for the trio's models in each catalog. Defaults to `models`. */
    readonly modelSchema?: pulumi.Input<string>;
    /** unity-catalog mode: the account-level group that reads staging and prod models (and develops in dev). Defaults to `account users`. */
    readonly modelReaders?: pulumi.Input<string>;
    /** unity-catalog mode: CI/CD credentials of the staging and prod SPs. Each defaults to an OAuth secret. */
    readonly cicdCredentials?: CicdCredentialsArgs;
    /** unity-catalog mode: the Databricks account (accountId, how to authenticate); the component builds its account provider (`<name>-account`) from it. Required for federation policies. */
    readonly account?: AccountConnectionArgs;
}

/** The catalogs of the three environments. */
export interface ModelCatalogsArgs {
    readonly dev: ModelCatalogArgs;
    readonly staging: ModelCatalogArgs;
    readonly prod: ModelCatalogArgs;
}

/** CI/CD credentials of the staging and prod service principals. Each defaults to `{ method: "oauth-secret" }`. */
export interface CicdCredentialsArgs {
    readonly staging?: CicdCredentialArgs;
    readonly prod?: CicdCredentialArgs;
}
