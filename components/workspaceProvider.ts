/**
 * Builds the `databricks.Provider` of one workspace from its host and how to authenticate: Azure CLI
 * (`az login`), an Entra app's client secret, or a ready AAD token. Every variant sets `authType`
 * (names from databricks-sdk-go config/auth_*.go), so the provider never combines it with credentials
 * it finds in `ARM_*` / `DATABRICKS_*` variables. Used by the root program and ServicePrincipalToken;
 * public so other programs can build providers the same way.
 */
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";

export type WorkspaceAuth =
    | { readonly method: "azure-cli" }
    | { readonly method: "client-secret"; readonly clientId: pulumi.Input<string>; readonly tenantId: pulumi.Input<string>; readonly clientSecret: pulumi.Input<string> }
    | { readonly method: "aad-token"; readonly aadToken: pulumi.Input<string> };

/** Provider args for a workspace; credentials are always passed as secrets. */
export function workspaceProviderArgs(host: pulumi.Input<string>, auth: WorkspaceAuth): databricks.ProviderArgs {
    switch (auth.method) {
        case "azure-cli":
            return { host, authType: "azure-cli" };
        case "client-secret":
            return {
                host,
                authType: "azure-client-secret",
                azureClientId: auth.clientId,
                azureTenantId: auth.tenantId,
                azureClientSecret: pulumi.secret(auth.clientSecret),
            };
        case "aad-token":
            // An Entra access token for the Azure Databricks resource works as a bearer token: the SDK's
            // "pat" auth sends `token` as `Authorization: Bearer` (databricks-sdk-go config/auth_pat.go).
            // The explicit authType keeps ARM_CLIENT_* variables of a pipeline from adding a second
            // method ("more than one authorization method configured").
            return { host, authType: "pat", token: pulumi.secret(auth.aadToken) };
    }
}

/** A provider named `name` for the workspace at `host`. */
export function workspaceProvider(name: string, host: pulumi.Input<string>, auth: WorkspaceAuth, opts?: pulumi.CustomResourceOptions): databricks.Provider {
    return new databricks.Provider(name, workspaceProviderArgs(host, auth), opts);
}
