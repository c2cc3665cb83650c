import { AccountConnectionArgs } from "../../connections/connectionArgs";
import { MlopsWorkspacesArgs } from "../../workspaces/mlopsWorkspacesArgs";
import { mocks } from "../support/mocks";
import { linkArgs } from "../workspaces/fixtures";

export const T = {
    catalog: "databricks:index/catalog:Catalog",
    schema: "databricks:index/schema:Schema",
    binding: "databricks:index/workspaceBinding:WorkspaceBinding",
    grant: "databricks:index/grant:Grant",
    grants: "databricks:index/grants:Grants",
    oauth: "databricks:index/servicePrincipalSecret:ServicePrincipalSecret",
    federation:
        "databricks:index/servicePrincipalFederationPolicy:ServicePrincipalFederationPolicy",
    sp: "databricks:index/servicePrincipal:ServicePrincipal",
    sharing: "azure-databricks-mlops:index:UnityCatalogSharing",
    getCatalog: "databricks:index/getCatalog:getCatalog",
    getSp: "databricks:index/getServicePrincipal:getServicePrincipal",
};

/** What the legacy mode creates and unity-catalog mode must not. */
export const LEGACY_TYPES = [
    "databricks:index/token:Token",
    "databricks:index/secretScope:SecretScope",
    "databricks:index/secret:Secret",
    "databricks:index/secretAcl:SecretAcl",
    "databricks:index/permissions:Permissions",
    "databricks:index/group:Group",
    "databricks:index/groupMember:GroupMember",
    "pulumi-nodejs:dynamic/rotation:Clock",
    "azure-databricks-mlops:index:ServicePrincipalToken",
    "azure-databricks-mlops:index:RemoteRegistryAccess",
    "azure-databricks-mlops:index:RegistryReadAccess",
    "azure-databricks-mlops:index:ServicePrincipalGroup",
];

export const WORKSPACE_IDS = {
    dev: "1000000000000001",
    staging: "2000000000000002",
    prod: "3000000000000003",
};
export const ACCOUNT_SP_ID = "4000000000000042";

/** The trio's link-mode args in unity-catalog mode (no legacy settings), overridable. */
export function ucArgs(over: Partial<MlopsWorkspacesArgs> = {}): MlopsWorkspacesArgs {
    const base = linkArgs();
    return {
        ...base,
        additionalTokenUsageGroups: undefined,
        dev: { ...base.dev, workspaceId: WORKSPACE_IDS.dev },
        modelRegistry: "unity-catalog",
        catalogs: {
            dev: { name: "ml_dev" },
            staging: { name: "ml_staging" },
            prod: { name: "ml_prod" },
        },
        ...over,
    };
}

export const ACCOUNT_ID = "00000000-0000-4000-8000-000000000001";

/** The account connection (az login, default host) the components build their account provider from. */
export function account(): AccountConnectionArgs {
    return { accountId: ACCOUNT_ID };
}

/** Answers the catalog and account-SP lookups; `isolation` is what an existing catalog reports. */
export function answerLookups(isolation = "ISOLATED"): void {
    mocks.onCall(T.getCatalog, (a) => ({
        id: a.inputs.name,
        name: a.inputs.name,
        catalogInfo: { name: a.inputs.name, isolationMode: isolation },
    }));
    mocks.onCall(T.getSp, (a) => ({
        id: ACCOUNT_SP_ID,
        scimId: ACCOUNT_SP_ID,
        applicationId: a.inputs.applicationId,
    }));
}
