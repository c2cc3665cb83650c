/**
 * The choices of the `unity-catalog` model-registry mode: where models live, and how a CI/CD service
 * principal authenticates. See docs/unity-catalog.md.
 */

/** Where models live: the workspace model registry (legacy, PATs in secret scopes) or Unity Catalog. */
export const ModelRegistryMode = { Workspace: "workspace", UnityCatalog: "unity-catalog" } as const;
export type ModelRegistryMode = (typeof ModelRegistryMode)[keyof typeof ModelRegistryMode];
export const MODEL_REGISTRY_MODES: string[] = Object.values(ModelRegistryMode);

/** How a CI/CD service principal authenticates to Databricks without a PAT. */
export const CicdCredentialMethod = {
    /** A Databricks OAuth client secret (`databricks.ServicePrincipalSecret`), exposed as a secret output. */
    OAuthSecret: "oauth-secret",
    /** A workload identity federation policy (GitHub Actions, Azure DevOps, …): no secret at all. */
    Federation: "federation",
    /** No Databricks credential (the pipeline logs in as the Entra app, e.g. with its client secret). */
    None: "none",
} as const;
export type CicdCredentialMethod = (typeof CicdCredentialMethod)[keyof typeof CicdCredentialMethod];
export const CICD_CREDENTIAL_METHODS: string[] = Object.values(CicdCredentialMethod);
