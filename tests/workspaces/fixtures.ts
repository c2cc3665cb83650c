import * as pulumi from "@pulumi/pulumi";
import { MlopsWorkspaces } from "../../workspaces/mlopsWorkspaces";
import { MlopsWorkspacesArgs } from "../../workspaces/mlopsWorkspacesArgs";

export const STAGING_CLIENT = "11111111-1111-1111-1111-111111111111";
export const PROD_CLIENT = "33333333-3333-3333-3333-333333333333";
export const TENANT = "22222222-2222-2222-2222-222222222222";
export const HOSTS = {
    dev: "https://adb-1000000000000001.1.azuredatabricks.net",
    staging: "https://adb-2000000000000002.2.azuredatabricks.net",
    prod: "https://adb-3000000000000003.3.azuredatabricks.net",
};

/** Link-mode args (client secret for staging, AAD token for prod), overridable. */
export function linkArgs(over: Partial<MlopsWorkspacesArgs> = {}): MlopsWorkspacesArgs {
    return {
        dev: { host: HOSTS.dev },
        staging: { host: HOSTS.staging, workspaceId: "2000000000000002" },
        prod: { host: HOSTS.prod, workspaceId: "3000000000000003" },
        servicePrincipals: {
            mode: "link",
            staging: {
                clientId: STAGING_CLIENT,
                tenantId: TENANT,
                clientSecret: pulumi.secret("staging-s3cret"),
            },
            prod: { clientId: PROD_CLIENT, aadToken: pulumi.secret("prod-aad-token") },
        },
        additionalTokenUsageGroups: ["users", "data-scientists"],
        ...over,
    };
}

export function createArgs(over: Partial<MlopsWorkspacesArgs> = {}): MlopsWorkspacesArgs {
    return linkArgs({ servicePrincipals: { mode: "create", tenantId: TENANT }, ...over });
}

export function outputsOf(w: MlopsWorkspaces) {
    return {
        devSecretScopeNameForStaging: w.devSecretScopeNameForStaging,
        devSecretScopeNameForProd: w.devSecretScopeNameForProd,
        stagingSecretScopeNameForProd: w.stagingSecretScopeNameForProd,
        devSecretScopePrefixForStaging: w.devSecretScopePrefixForStaging,
        devSecretScopePrefixForProd: w.devSecretScopePrefixForProd,
        stagingSecretScopePrefixForProd: w.stagingSecretScopePrefixForProd,
        servicePrincipalGroupName: w.servicePrincipalGroupName,
        stagingServicePrincipalApplicationId: w.stagingServicePrincipalApplicationId,
        prodServicePrincipalApplicationId: w.prodServicePrincipalApplicationId,
    };
}
