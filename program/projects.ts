/**
 * The projects section of the root program (config keys `projects`, `projectCredentials`; docs/projects.md):
 * one MlopsProject per entry, keyed by its name (never its list position), and their stack outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { MlopsProject, MlopsProjectArgs } from "../projects";
import type { StackConfig } from "./config";
import { accountConnection, connection, rootProviderUrn, servicePrincipals } from "./connections";
import { settingsOf } from "./settings";
import type { WorkspacesSection } from "./workspaces";

/** Per project (by name): its directory and the application ids of its SPs. */
export type ProjectsOutput = Record<
    string,
    {
        projectDirectoryPath: pulumi.Output<string>;
        stagingServicePrincipalApplicationId: pulumi.Output<string>;
        prodServicePrincipalApplicationId: pulumi.Output<string>;
        stagingModelNamePrefix?: pulumi.Output<string>;
        prodModelNamePrefix?: pulumi.Output<string>;
    }
>;

export interface ProjectsSection {
    /** The stack output `projects`, set in every stack (empty without projects). */
    readonly projects: ProjectsOutput;
    /** The projects' secret stack outputs; an `undefined` one is not exported. */
    readonly outputs: Record<string, unknown>;
}

/**
 * The projects, after the trio: each gets the trio's group name and `dependsOn: [trio]`, so its group
 * lookups wait for the trio's groups. Config validation guarantees the trio is configured whenever
 * projects are.
 */
export function projectsSection(
    config: StackConfig,
    workspaces: WorkspacesSection | undefined,
): ProjectsSection {
    const ws = workspaces?.config;
    const trio = workspaces?.trio;
    const uc = ws?.unityCatalog;

    // Create-mode projects used to share one azuread provider per tenant (`projects-entra-<tenantId>`):
    // the first project of each tenant takes over its URN, the others build their own with the same settings.
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
        // Every other setting of an entry is the project's argument of the same name.
        const settings = settingsOf(p, [
            "name",
            "servicePrincipals",
            "servicePrincipalGroupName",
            "modelSchema",
            "cicdCredentials",
        ]);
        const projectSettings: Pick<MlopsProjectArgs, keyof typeof settings> = settings;
        mlopsProjects[p.name] = new MlopsProject(
            p.name,
            {
                ...projectSettings,
                staging: connection(ws, "staging", false),
                prod: connection(ws, "prod", false),
                servicePrincipals:
                    sps.mode === "link"
                        ? sps
                        : servicePrincipals(sps, projectEntraAlias(sps.tenantId)),
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
                              account: accountConnection(ws, false),
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

    const projects: ProjectsOutput = Object.fromEntries(
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
    return { projects, outputs: projectsOutputs(mlopsProjects, uc !== undefined) };
}

/** The projects' secret outputs; those of the other registry mode are undefined, so not exported. */
function projectsOutputs(
    mlopsProjects: Record<string, MlopsProject>,
    unityCatalog: boolean,
): Record<string, unknown> {
    return {
        /** Legacy mode, per project (by name): the AAD tokens of its SPs. A separate output so `projects` stays readable. Secret as a whole. */
        projectServicePrincipalAadTokens: unityCatalog
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
                            stagingServicePrincipalClientSecret:
                                p.stagingServicePrincipalClientSecret,
                            prodServicePrincipalClientSecret: p.prodServicePrincipalClientSecret,
                        },
                    ]),
            ),
        ),
        /** Unity-catalog mode, per project (by name): the OAuth secrets of its SPs (CI/CD method oauth-secret). Secret as a whole. */
        projectServicePrincipalOAuthSecrets: unityCatalog
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
    };
}
