/**
 * What the root program's sections build from the workspace config: the connections (admin providers)
 * of the trio's workspaces and of the Databricks account, and the service principals' args.
 */
import * as pulumi from "@pulumi/pulumi";
import { workspaceConnection, AccountConnectionArgs, ServicePrincipalsArgs } from "../connections";
import type { EnvName } from "../core";
import type { WorkspacesConfig } from "./config";

/**
 * The URN of a provider the root program used to declare itself (`dev`, `staging`, `prod`, `account`,
 * and `entra` for create mode); the components build them now and take these URNs as aliases, so
 * existing stacks keep the same providers (docs/migration-0.2.md).
 */
export const rootProviderUrn = (name: string, type: string) =>
    pulumi.createUrn(name, `pulumi:providers:${type}`);

/** The connection to one workspace of the trio; the trio's own (`aliased`) takes over the root provider's URN. */
export const connection = (ws: WorkspacesConfig, env: EnvName, aliased: boolean) =>
    workspaceConnection(ws[env].host, ws[env].auth, {
        workspaceId: ws[env].workspaceId,
        providerAliases: aliased ? [rootProviderUrn(env, "databricks")] : [],
    });

/** Service principals from config; create mode with an azuread provider for the configured tenant, with the ambient Azure login. */
export function servicePrincipals(
    sps: WorkspacesConfig["servicePrincipals"],
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

/** The account connection (az login) of unity-catalog mode; the trio's (`aliased`) takes over the root provider `account`. */
export function accountConnection(
    ws: WorkspacesConfig,
    aliased: boolean,
): AccountConnectionArgs | undefined {
    const a = ws.unityCatalog?.account;
    return (
        a && {
            host: a.host,
            accountId: a.accountId,
            authMethod: "azure-cli",
            providerAliases: aliased ? [rootProviderUrn("account", "databricks")] : [],
        }
    );
}
