/**
 * Root Pulumi program: reads and validates the stack config, then wires the components. No resource
 * logic lives here. Each section is a separate block; a section runs only when its config key is set.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config";
import { MlopsWorkspaces } from "./components/mlopsWorkspaces";
import { workspaceConnection } from "./components/workspaceProvider";
import { ServicePrincipalsArgs } from "./components/connectionArgs";
import { MlopsProject } from "./components/mlopsProject";
import { ScimSync } from "./providers/scimSync";
import { MlRegistry } from "./components/mlRegistry";
import { mlRegistryArgs } from "./config/mlRegistry";

// Throws one ConfigError naming every bad key before any resource is registered.
const config = loadStackConfig();

/** The config sections this stack sets (workspaces, projects, mlRegistry, scimSync): what `pulumi up` manages. */
export const configuredSections = Object.entries(config)
    .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k]) => k);

// ---- Workspace trio (issue 4): config key `workspaces` ----------------------------------------------
const ws = config.workspaces;

/**
 * Up to 0.1 this program declared the admin providers itself (`dev`, `staging`, `prod`, and `entra` for
 * create mode); the components build them now. Their old URNs become aliases of the trio's providers,
 * so existing stacks see the same providers (docs/migration-0.2.md).
 */
const rootProviderUrn = (name: string, type: string) => pulumi.createUrn(name, `pulumi:providers:${type}`);
const connection = (env: "dev" | "staging" | "prod", aliased: boolean) =>
    ws && workspaceConnection(ws[env].host, ws[env].auth, { workspaceId: ws[env].workspaceId, providerAliases: aliased ? [rootProviderUrn(env, "databricks")] : [] });

/** Service principals from config; create mode with an azuread provider for the configured tenant, with the ambient Azure login. */
function servicePrincipals(sps: NonNullable<typeof ws>["servicePrincipals"], entraAlias: pulumi.Input<string> | undefined): ServicePrincipalsArgs {
    return sps.mode === "link" ? sps : { mode: "create", tenantId: sps.tenantId, entra: { providerAliases: entraAlias ? [entraAlias] : [] } };
}

const trio =
    ws &&
    new MlopsWorkspaces("mlops", {
        dev: connection("dev", true)!,
        staging: connection("staging", true)!,
        prod: connection("prod", true)!,
        servicePrincipals: servicePrincipals(ws.servicePrincipals, rootProviderUrn("entra", "azuread")),
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

// ---- Projects (issue 5): config keys `projects`, `projectCredentials` (docs/projects.md) ------------
// One MlopsProject per entry, keyed by its name (never its list position), after the trio: each gets
// the trio's group name and `dependsOn: [trio]`, so its group lookups wait for the trio's groups.
// Config validation guarantees the trio is configured whenever projects are.
// Up to 0.1 create-mode projects shared one azuread provider per tenant (`projects-entra-<tenantId>`); the
// first project of each tenant takes over its URN, the others build their own with the same settings.
const projectEntraAliased = new Set<string>();
function projectEntraAlias(tenantId: string): pulumi.Input<string> | undefined {
    if (projectEntraAliased.has(tenantId)) return undefined;
    projectEntraAliased.add(tenantId);
    return rootProviderUrn(`projects-entra-${tenantId}`, "azuread");
}

const mlopsProjects: Record<string, MlopsProject> = {};
for (const p of config.projects) {
    if (!trio || !ws) break;
    const sps = p.servicePrincipals;
    mlopsProjects[p.name] = new MlopsProject(
        p.name,
        {
            staging: connection("staging", false)!,
            prod: connection("prod", false)!,
            servicePrincipalName: p.servicePrincipalName,
            projectDirectoryPath: p.projectDirectoryPath,
            servicePrincipals: sps.mode === "link" ? sps : servicePrincipals(sps, projectEntraAlias(sps.tenantId)),
            servicePrincipalGroupName: p.servicePrincipalGroupName ?? trio.servicePrincipalGroupName,
            createParentDirectories: p.createParentDirectories,
        },
        { dependsOn: [trio] },
    );
}

/** Per project (by name): its directory and the application ids of its SPs. */
export const projects = Object.fromEntries(
    Object.entries(mlopsProjects).map(([name, p]) => [
        name,
        {
            projectDirectoryPath: p.projectDirectoryPath,
            stagingServicePrincipalApplicationId: p.stagingServicePrincipalApplicationId,
            prodServicePrincipalApplicationId: p.prodServicePrincipalApplicationId,
        },
    ]),
);
/** Per project (by name): the AAD tokens of its SPs. A separate output so the one above stays readable. Secret. */
export const projectServicePrincipalAadTokens = Object.fromEntries(
    Object.entries(mlopsProjects).map(([name, p]) => [
        name,
        { stagingServicePrincipalAadToken: p.stagingServicePrincipalAadToken, prodServicePrincipalAadToken: p.prodServicePrincipalAadToken },
    ]),
);
// ---- end projects -----------------------------------------------------------------------------------
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
const mlRegistryResource = config.mlRegistry ? new MlRegistry("ml-registry", mlRegistryArgs(config.mlRegistry)) : undefined;

/** The private Azure ML registry: names, ids and the registry's identity. Undefined without `mlRegistry`. */
export const mlRegistry = mlRegistryResource && {
    registryName: mlRegistryResource.registryName,
    registryId: mlRegistryResource.registryId,
    resourceGroupName: mlRegistryResource.resourceGroupName,
    logAnalyticsWorkspaceName: mlRegistryResource.logAnalyticsWorkspaceName,
    registryIdentityPrincipalId: mlRegistryResource.registryIdentityPrincipalId,
    privateEndpointId: mlRegistryResource.privateEndpointId,
};

