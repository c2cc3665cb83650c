/** The SCIM sync engine: Entra ID (Microsoft Graph) → Databricks account SCIM. No Pulumi here. */
export * from "./api";
export { runSync } from "./sync";
export { tokenProviderFor, tokenProviderFromCredential, CredentialSpec, GRAPH_SCOPE, DATABRICKS_SCOPE } from "./auth";
export { emptyState, parseState, readStateFile, writeStateFile } from "./state";
