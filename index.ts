/**
 * Root Pulumi program: reads and validates the stack config, then wires the components. No resource
 * logic lives here. Each section is a separate block; a section runs only when its config key is set.
 */
import * as azuread from "@pulumi/azuread";
import { loadStackConfig } from "./config";
import { MlopsWorkspaces } from "./components/mlopsWorkspaces";
import { workspaceProvider } from "./components/workspaceProvider";
import { ScimSync } from "./providers/scimSync";
import { MlRegistry } from "./components/mlRegistry";

// Throws one ConfigError naming every bad key before any resource is registered.
const config = loadStackConfig();

export const configuredSections = Object.entries(config)
    .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k]) => k);

// ---- Workspace trio (issue 4): config key `workspaces` ----------------------------------------------
const ws = config.workspaces;

/** The dev, staging and prod workspace providers (admin), for the other sections to reuse. Not exported: a
 * provider as a stack output would dump its state. */
const workspaceProviders = ws && {
    dev: workspaceProvider("dev", ws.dev.host, ws.dev.auth),
    staging: workspaceProvider("staging", ws.staging.host, ws.staging.auth),
    prod: workspaceProvider("prod", ws.prod.host, ws.prod.auth),
};

const trio =
    ws &&
    workspaceProviders &&
    new MlopsWorkspaces("mlops", {
        dev: { provider: workspaceProviders.dev, host: ws.dev.host, workspaceId: ws.dev.workspaceId },
        staging: { provider: workspaceProviders.staging, host: ws.staging.host, workspaceId: ws.staging.workspaceId },
        prod: { provider: workspaceProviders.prod, host: ws.prod.host, workspaceId: ws.prod.workspaceId },
        servicePrincipals:
            ws.servicePrincipals.mode === "link"
                ? ws.servicePrincipals
                : {
                      mode: "create",
                      tenantId: ws.servicePrincipals.tenantId,
                      // Entra resources go to the tenant named in config, with the ambient Azure login.
                      azureadProvider: new azuread.Provider("entra", { tenantId: ws.servicePrincipals.tenantId }),
                  },
        additionalTokenUsageGroups: [...ws.additionalTokenUsageGroups],
        servicePrincipalGroupName: ws.servicePrincipalGroupName,
        servicePrincipalDisplayName: ws.servicePrincipalDisplayName,
        tokenLifetimeSeconds: ws.tokenLifetimeSeconds,
        tokenRotationDays: ws.tokenRotationDays,
    });

// The Terraform modules' outputs, in camelCase.
export const devSecretScopeNameForStaging = trio?.devSecretScopeNameForStaging;
export const devSecretScopeNameForProd = trio?.devSecretScopeNameForProd;
export const stagingSecretScopeNameForProd = trio?.stagingSecretScopeNameForProd;
export const devSecretScopePrefixForStaging = trio?.devSecretScopePrefixForStaging;
export const devSecretScopePrefixForProd = trio?.devSecretScopePrefixForProd;
export const stagingSecretScopePrefixForProd = trio?.stagingSecretScopePrefixForProd;
export const servicePrincipalGroupName = trio?.servicePrincipalGroupName;
export const stagingServicePrincipalApplicationId = trio?.stagingServicePrincipalApplicationId;
export const prodServicePrincipalApplicationId = trio?.prodServicePrincipalApplicationId;
// ---- end workspace trio -----------------------------------------------------------------------------

// ---- SCIM sync (issue 8): config `scimSync` → ScimSync; its last run's summary as a stack output. ----

const scimSyncResource = config.scimSync ? new ScimSync("scim-sync", { ...config.scimSync, groups: [...config.scimSync.groups] }) : undefined;

/** Last SCIM sync: when, counts, errors, and in a dry run the planned changes. Undefined without `scimSync`. */
export const scimSync = scimSyncResource && {
    lastRunAt: scimSyncResource.lastRunAt,
    lastError: scimSyncResource.lastError,
    created: scimSyncResource.created,
    updated: scimSyncResource.updated,
    membersAdded: scimSyncResource.membersAdded,
    membersRemoved: scimSyncResource.membersRemoved,
    errors: scimSyncResource.errors,
    plannedChangeCount: scimSyncResource.plannedChangeCount,
    plannedChanges: scimSyncResource.plannedChanges,
};

// ---- ML registry (issue 6): config `mlRegistry` → MlRegistry; the Terraform module's outputs. ----
const mlRegistryResource = config.mlRegistry ? new MlRegistry("ml-registry", config.mlRegistry) : undefined;

/** The private Azure ML registry: names, ids and the registry's identity. Undefined without `mlRegistry`. */
export const mlRegistry = mlRegistryResource && {
    registryName: mlRegistryResource.registryName,
    registryId: mlRegistryResource.registryId,
    resourceGroupName: mlRegistryResource.resourceGroupName,
    logAnalyticsWorkspaceName: mlRegistryResource.logAnalyticsWorkspaceName,
    registryIdentityPrincipalId: mlRegistryResource.registryIdentityPrincipalId,
    privateEndpointId: mlRegistryResource.privateEndpointId,
};

