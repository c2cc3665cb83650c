/** Ids and hosts that the Construct tests send as a consumer's program would. */

export const PKG = "azure-databricks-mlops";
export const TENANT = "22222222-2222-2222-2222-222222222222";
export const STAGING_APP = "11111111-1111-1111-1111-111111111111";
export const PROD_APP = "33333333-3333-3333-3333-333333333333";
/** The prod workspace of the consumer's program: its id arrives as an output value with this dependency. */
export const WORKSPACE_URN = "urn:pulumi:dev::consumer::azure-native:databricks:Workspace::prod";
export const HOSTS = {
    dev: "https://adb-1000000000000001.1.azuredatabricks.net",
    staging: "https://adb-2000000000000002.2.azuredatabricks.net",
    prod: "https://adb-3000000000000003.3.azuredatabricks.net",
};

/** MlopsProject inputs of the churn project in the staging and prod workspaces; `over` adds or replaces keys. */
export function churnProjectInputs(over: Record<string, unknown>): Record<string, any> {
    return {
        staging: { host: HOSTS.staging },
        prod: { host: HOSTS.prod },
        servicePrincipalName: "churn-cicd",
        projectDirectoryPath: "/Projects/churn",
        ...over,
    };
}
