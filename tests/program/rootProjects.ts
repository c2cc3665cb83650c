/** Projects as the root program's `projects` config lists them, and the stack's credentials of the linked one. */
import { TENANT } from "./workspacesConfigFixtures";

/** churn links apps of its own (an app can be one service principal per workspace): staging by client secret, prod by AAD token. */
export function churnProject(stagingApp: string, prodApp: string) {
    return {
        name: "churn",
        servicePrincipalName: "churn-cicd",
        projectDirectoryPath: "/Projects/churn",
        servicePrincipals: {
            mode: "link",
            staging: { clientId: stagingApp, tenantId: TENANT },
            prod: { clientId: prodApp },
        },
    };
}

/** churn with apps it creates in the tenant. */
export const CREATED_CHURN_PROJECT = {
    name: "churn",
    servicePrincipalName: "churn-cicd",
    projectDirectoryPath: "/Projects/churn",
    servicePrincipals: { mode: "create", tenantId: TENANT },
};

/** fraud creates its apps in the tenant. */
export const FRAUD_PROJECT = {
    name: "fraud",
    servicePrincipalName: "fraud-cicd",
    projectDirectoryPath: "/Shared/fraud",
    servicePrincipals: { mode: "create", tenantId: TENANT },
};

/** The `projectCredentials` secret config of churn's linked apps. */
export const PROJECT_CREDENTIALS = {
    churn: {
        staging: { clientSecret: "churn-staging-secret" },
        prod: { aadToken: "churn-prod-token" },
    },
};
