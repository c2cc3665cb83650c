/**
 * Root Pulumi program: reads and validates the stack config, then wires the components. No resource
 * logic lives here. Each section is a separate block; a section runs only when its config key is set.
 */
import * as pulumi from "@pulumi/pulumi";
import { assertFreshBuild } from "./program/buildCheck";
import { loadStackConfig } from "./program/config";
import { MlopsWorkspaces } from "./workspaces/mlopsWorkspaces";
import { workspaceConnection } from "./connections/workspaceProvider";
import { AccountConnectionArgs, ServicePrincipalsArgs } from "./connections/connectionArgs";
import { MlopsProject } from "./projects/mlopsProject";
import { ScimSync } from "./providers/scimSync/scimSync";
import { MlRegistry } from "./mlRegistry/mlRegistry";
import { mlRegistryArgs } from "./program/config/mlRegistry";
import type { EnvName } from "./core/environments";

// `pulumi up` runs this file from source (ts-node); the dynamic providers run dist/: refuse a
// missing or stale build before anything is registered. (The built copy, dist/index.js, is its own build.)
if (__filename.endsWith(".ts")) assertFreshBuild(__dirname);

/**
 * Adds stack outputs of a configured section. A section that is not configured, or an output its mode
 * does not have, exports nothing rather than `undefined`, which the SDK warns about on every run
 * ("Undefined value … will not show as a stack output").
 */
function exportOutputs(outputs: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(outputs)) if (v !== undefined) module.exports[k] = v;
}

// Throws one ConfigError naming every bad key before any resource is registered.
const config = loadStackConfig();

/** The config sections this stack sets (workspaces, projects, mlRegistry, scimSync): what `pulumi up` manages. */
export const configuredSections = Object.entries(config)
    .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k]) => k);

// ---- Workspace trio: config key `workspaces` ----------------------------------------------
const ws = config.workspaces;

/**
 * Up to 0.1 this program declared the admin providers itself (`dev`, `staging`, `prod`, and `entra` for
 * create mode); the components build them now. Their old URNs become aliases of the trio's providers,
 * so existing stacks see the same providers (docs/migration-0.2.md).
 */
const rootProviderUrn = (name: string, type: string) =>
    pulumi.createUrn(name, `pulumi:providers:${type}`);
const connection = (env: EnvName, aliased: boolean) =>
    ws &&
    workspaceConnection(ws[env].host, ws[env].auth, {
        workspaceId: ws[env].workspaceId,
        providerAliases: aliased ? [rootProviderUrn(env, "databricks")] : [],
    });

/** Service principals from config; create mode with an azuread provider for the configured tenant, with the ambient Azure login. */
function servicePrincipals(
    sps: NonNullable<typeof ws>["servicePrincipals"],
    entraAlias: pulumi.Input<string> | undefined,
): ServicePrincipalsArgs {
    return sps.mode === "link"
        ? sps
        : {
              mode: "create",
              tenantId: sps.tenantId,
              entra: { providerAliases: entraAlias ? [entraAlias] : [] },
          };
}

/** `workspaces.modelRegistry: unity-catalog` (docs/unity-catalog.md): the catalog settings instead of the legacy token ones. */
const uc = ws?.unityCatalog;
const ucArgs = uc && {
    modelRegistry: ws.modelRegistry,
    catalogs: uc.catalogs,
    modelSchema: uc.modelSchema,
    modelReaders: uc.modelReaders,
    cicdCredentials: uc.cicdCredentials,
    // Federation policies live in the account console; the deployer's az login must be an account admin.
    account: uc.account && accountConnection(true),
};

/** The account connection (az login); up to 0.1 this program declared the provider `account` itself, which the trio's takes over. */
function accountConnection(aliased: boolean): AccountConnectionArgs | undefined {
    const a = uc?.account;
    return (
        a && {
            host: a.host,
            accountId: a.accountId,
            authMethod: "azure-cli",
            providerAliases: aliased ? [rootProviderUrn("account", "databricks")] : [],
        }
    );
}

const trio =
    ws &&
    new MlopsWorkspaces("mlops", {
        dev: {
            ...connection("dev", true)!,
            workspaceId: uc?.workspaceIds.dev ?? ws.dev.workspaceId,
        },
        staging: connection("staging", true)!,
        prod: connection("prod", true)!,
        servicePrincipals: servicePrincipals(
            ws.servicePrincipals,
            rootProviderUrn("entra", "azuread"),
        ),
        servicePrincipalDisplayName: ws.servicePrincipalDisplayName,
        ...(ucArgs ?? {
            additionalTokenUsageGroups: ws.additionalTokenUsageGroups && [
                ...ws.additionalTokenUsageGroups,
            ],
            servicePrincipalGroupName: ws.servicePrincipalGroupName,
            tokenLifetimeSeconds: ws.tokenLifetimeSeconds,
            tokenRotationDays: ws.tokenRotationDays,
        }),
        allowClusterCreate: ws.allowClusterCreate,
    });

// The Terraform modules' outputs, in camelCase (legacy mode), or the catalogs (unity-catalog mode); set
// only with a trio (Pulumi warns about every undefined output on every run).
if (trio) {
    exportOutputs({
        devSecretScopeNameForStaging: trio.devSecretScopeNameForStaging,
        devSecretScopeNameForProd: trio.devSecretScopeNameForProd,
        stagingSecretScopeNameForProd: trio.stagingSecretScopeNameForProd,
        devSecretScopePrefixForStaging: trio.devSecretScopePrefixForStaging,
        devSecretScopePrefixForProd: trio.devSecretScopePrefixForProd,
        stagingSecretScopePrefixForProd: trio.stagingSecretScopePrefixForProd,
        servicePrincipalGroupName: trio.servicePrincipalGroupName,
        stagingServicePrincipalApplicationId: trio.stagingServicePrincipalApplicationId,
        prodServicePrincipalApplicationId: trio.prodServicePrincipalApplicationId,
        /** unity-catalog mode: per environment, its catalog, models schema and the `<catalog>.<schema>` prefix of model names. */
        unityCatalog: trio.devCatalogName && {
            dev: {
                catalogName: trio.devCatalogName,
                schemaName: trio.devModelSchemaName,
                modelNamePrefix: trio.devModelNamePrefix,
            },
            staging: {
                catalogName: trio.stagingCatalogName,
                schemaName: trio.stagingModelSchemaName,
                modelNamePrefix: trio.stagingModelNamePrefix,
            },
            prod: {
                catalogName: trio.prodCatalogName,
                schemaName: trio.prodModelSchemaName,
                modelNamePrefix: trio.prodModelNamePrefix,
            },
        },
        /** unity-catalog mode: OAuth client secrets of the staging and prod SPs (CI/CD method oauth-secret). Secret. */
        servicePrincipalOAuthSecrets: trio.devCatalogName && {
            staging: trio.stagingServicePrincipalOAuthSecret,
            prod: trio.prodServicePrincipalOAuthSecret,
        },
    });
}
// ---- end workspace trio -----------------------------------------------------------------------------

// ---- Projects: config keys `projects`, `projectCredentials` (docs/projects.md) ------------
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
            servicePrincipals:
                sps.mode === "link" ? sps : servicePrincipals(sps, projectEntraAlias(sps.tenantId)),
            createParentDirectories: p.createParentDirectories,
            allowClusterCreate: p.allowClusterCreate,
            ...(uc
                ? {
                      modelRegistry: ws.modelRegistry,
                      unityCatalog: {
                          // USE CATALOG for the project's SPs only on catalogs this stack creates.
                          staging: {
                              catalogName: trio.stagingCatalogName!,
                              grantUseCatalog: uc.catalogs.staging.create,
                          },
                          prod: {
                              catalogName: trio.prodCatalogName!,
                              grantUseCatalog: uc.catalogs.prod.create,
                          },
                          schemaName: p.modelSchema!,
                          readers: uc.modelReaders,
                          cicdCredentials: p.cicdCredentials,
                          account: accountConnection(false),
                      },
                  }
                : {
                      servicePrincipalGroupName:
                          p.servicePrincipalGroupName ?? trio.servicePrincipalGroupName,
                  }),
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
            ...(p.stagingModelNamePrefix && {
                stagingModelNamePrefix: p.stagingModelNamePrefix,
                prodModelNamePrefix: p.prodModelNamePrefix,
            }),
        },
    ]),
);
exportOutputs({
    /** Legacy mode, per project (by name): the AAD tokens of its SPs. A separate output so the one above stays readable. Secret as a whole. */
    projectServicePrincipalAadTokens: uc
        ? undefined
        : pulumi.secret(
              Object.fromEntries(
                  Object.entries(mlopsProjects).map(([name, p]) => [
                      name,
                      {
                          stagingServicePrincipalAadToken: p.stagingServicePrincipalAadToken,
                          prodServicePrincipalAadToken: p.prodServicePrincipalAadToken,
                      },
                  ]),
              ),
          ),
    /** Per create-mode project (by name): the client secrets of its created Entra apps, as the creation module output them. Secret as a whole. */
    projectServicePrincipalClientSecrets: pulumi.secret(
        Object.fromEntries(
            Object.entries(mlopsProjects)
                .filter(([, p]) => p.stagingServicePrincipalClientSecret !== undefined)
                .map(([name, p]) => [
                    name,
                    {
                        stagingServicePrincipalClientSecret: p.stagingServicePrincipalClientSecret,
                        prodServicePrincipalClientSecret: p.prodServicePrincipalClientSecret,
                    },
                ]),
        ),
    ),
    /** Unity-catalog mode, per project (by name): the OAuth secrets of its SPs (CI/CD method oauth-secret). Secret as a whole. */
    projectServicePrincipalOAuthSecrets: uc
        ? pulumi.secret(
              Object.fromEntries(
                  Object.entries(mlopsProjects).map(([name, p]) => [
                      name,
                      {
                          staging: p.stagingServicePrincipalOAuthSecret,
                          prod: p.prodServicePrincipalOAuthSecret,
                      },
                  ]),
              ),
          )
        : undefined,
});
// ---- end projects -----------------------------------------------------------------------------------
// ---- SCIM sync: config `scimSync` → ScimSync; its last run's summary as a stack output. ----

const scimSyncResource = config.scimSync
    ? new ScimSync("scim-sync", { ...config.scimSync, groups: [...config.scimSync.groups] })
    : undefined;

/**
 * Last SCIM sync: when, counts and errors (`scimSync`, plain), and the change lists, which name people
 * (`scimSyncChanges`: the change report and, in a dry run, the planned changes; secret, so `stack output`
 * and the pipeline runner mask them). Not set without `scimSync`.
 */
if (scimSyncResource) {
    exportOutputs({
        scimSync: {
            lastRunAt: scimSyncResource.lastRunAt,
            lastError: scimSyncResource.lastError,
            created: scimSyncResource.created,
            updated: scimSyncResource.updated,
            membersAdded: scimSyncResource.membersAdded,
            membersRemoved: scimSyncResource.membersRemoved,
            errors: scimSyncResource.errors,
            plannedChangeCount: scimSyncResource.plannedChangeCount,
            deactivated: scimSyncResource.deactivated,
            changeCount: scimSyncResource.changeCount,
        },
        scimSyncChanges: pulumi.secret({
            changes: scimSyncResource.changes,
            plannedChanges: scimSyncResource.plannedChanges,
        }),
    });
}

// ---- ML registry: config `mlRegistry` → MlRegistry; the Terraform module's outputs. ----
const mlRegistryResource = config.mlRegistry
    ? new MlRegistry("ml-registry", mlRegistryArgs(config.mlRegistry))
    : undefined;

/** The private Azure ML registry: names, ids and the registry's identity. Not set without `mlRegistry`. */
if (mlRegistryResource) {
    exportOutputs({
        mlRegistry: {
            registryName: mlRegistryResource.registryName,
            registryId: mlRegistryResource.registryId,
            resourceGroupName: mlRegistryResource.resourceGroupName,
            logAnalyticsWorkspaceName: mlRegistryResource.logAnalyticsWorkspaceName,
            registryIdentityPrincipalId: mlRegistryResource.registryIdentityPrincipalId,
            privateEndpointId: mlRegistryResource.privateEndpointId,
            discoveryUrl: mlRegistryResource.discoveryUrl,
            mlflowRegistryUri: mlRegistryResource.mlflowRegistryUri,
            storagePrivateEndpointIds: mlRegistryResource.storagePrivateEndpointIds,
            acrPrivateEndpointIds: mlRegistryResource.acrPrivateEndpointIds,
        },
    });
}
