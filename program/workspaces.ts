/**
 * The workspace trio section of the root program (config key `workspaces`): one MlopsWorkspaces and its
 * stack outputs.
 */
import { MlopsWorkspaces, type MlopsWorkspacesArgs } from "../workspaces";
import type { StackConfig, WorkspacesConfig } from "./config";
import { accountConnection, connection, rootProviderUrn, servicePrincipals } from "./connections";
import { settingsOf } from "./settings";

export interface WorkspacesSection {
    readonly config: WorkspacesConfig;
    readonly trio: MlopsWorkspaces;
    /** Stack outputs; an `undefined` one is not exported. */
    readonly outputs: Record<string, unknown>;
}

/** The trio; undefined when the stack sets no `workspaces`. */
export function workspacesSection(config: StackConfig): WorkspacesSection | undefined {
    const ws = config.workspaces;
    if (!ws) return undefined;
    // Every other setting of the section is the trio's argument of the same name: a new config key
    // reaches the trio without a change here (the type below refuses one the trio has no argument for).
    const settings = settingsOf(ws, [
        "dev",
        "staging",
        "prod",
        "servicePrincipals",
        "unityCatalog",
        "additionalTokenUsageGroups",
    ]);
    const trioSettings: Pick<MlopsWorkspacesArgs, keyof typeof settings> = settings;
    const uc = ws.unityCatalog;
    const trio = new MlopsWorkspaces("mlops", {
        ...trioSettings,
        // The config's list is readonly (StackConfig is public); the trio's argument is a mutable Input.
        additionalTokenUsageGroups: ws.additionalTokenUsageGroups && [
            ...ws.additionalTokenUsageGroups,
        ],
        dev: {
            ...connection(ws, "dev", true),
            workspaceId: uc?.workspaceIds.dev ?? ws.dev.workspaceId,
        },
        staging: connection(ws, "staging", true),
        prod: connection(ws, "prod", true),
        servicePrincipals: servicePrincipals(
            ws.servicePrincipals,
            rootProviderUrn("entra", "azuread"),
        ),
        ...(uc && unityCatalogArgs(ws, uc)),
    });
    return { config: ws, trio, outputs: trioOutputs(trio) };
}

/**
 * `workspaces.modelRegistry: unity-catalog` (docs/unity-catalog.md): the catalog settings, each the
 * trio's argument of the same name, and the account connection built from `account`.
 */
function unityCatalogArgs(
    ws: WorkspacesConfig,
    uc: NonNullable<WorkspacesConfig["unityCatalog"]>,
): Partial<MlopsWorkspacesArgs> {
    // workspaceIds go to the connections of the workspaces not deployed to (dev).
    const settings = settingsOf(uc, ["workspaceIds", "devWorkspaceId", "account"]);
    const ucSettings: Pick<MlopsWorkspacesArgs, keyof typeof settings> = settings;
    return {
        ...ucSettings,
        // Federation policies live in the account console; the deployer's az login must be an account admin.
        account: uc.account && accountConnection(ws, true),
    };
}

/**
 * The Terraform modules' outputs, in camelCase (legacy mode), or the catalogs (unity-catalog mode); an
 * output the mode does not have is undefined, so not exported.
 */
function trioOutputs(trio: MlopsWorkspaces): Record<string, unknown> {
    return {
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
    };
}
