/** The SCIM sync engine: Entra ID (Microsoft Graph) → Databricks account SCIM. No Pulumi here. */
export * from "./api";
export { runSync } from "./sync";
