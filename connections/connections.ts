/**
 * The translation layer of the components: connection settings (connectionArgs.ts) → the providers and
 * principal sources their parts take. Providers are children of the component, named
 * `<component>-<workspace>` / `<component>-entra`, so two components never share a URN.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import * as databricks from "@pulumi/databricks";
import {
    AccountConnectionArgs,
    ServicePrincipalsArgs,
    WorkspaceConnectionArgs,
} from "./connectionArgs";
import { PrincipalSource } from "../principals";
import type { DeployTarget } from "../core";
import { accountConnectionProvider, connectionProvider, entraProvider } from "./workspaceProvider";

/** One workspace as the parts need it. */
export interface WorkspaceConnection {
    readonly provider: databricks.Provider;
    readonly host: pulumi.Input<string>;
    readonly workspaceId?: pulumi.Input<string>;
}

/** A provider per workspace (`<name>-<env>`), parented to `parent`. The connections must have been checked. */
export function workspaceConnections<E extends string>(
    parent: pulumi.ComponentResource,
    name: string,
    args: { readonly [K in E]: WorkspaceConnectionArgs },
    envs: readonly E[],
): Record<E, WorkspaceConnection> {
    const out = {} as Record<E, WorkspaceConnection>;
    for (const env of envs) {
        const c = args[env];
        out[env] = {
            provider: connectionProvider(`${name}-${env}`, c, { parent }),
            host: c.host,
            workspaceId: c.workspaceId,
        };
    }
    return out;
}

/** Create mode with `entra`: the azuread provider the component builds (`<name>-entra`); otherwise none (the default provider). */
export function entraProviderFor(
    parent: pulumi.ComponentResource,
    name: string,
    sps: ServicePrincipalsArgs,
): azuread.Provider | undefined {
    if (sps.mode !== "create" || sps.entra === undefined) return undefined;
    return entraProvider(`${name}-entra`, sps.tenantId!, sps.entra, { parent });
}

/** The link-or-create source of one workspace's service principal. */
export function principalSourceFor(
    sps: ServicePrincipalsArgs,
    env: DeployTarget,
    azureadProvider: azuread.Provider | undefined,
): PrincipalSource {
    return sps.mode === "create"
        ? {
              mode: "create",
              tenantId: sps.tenantId!,
              azureadProvider,
              clientSecretRotationDays: sps.clientSecretRotationDays,
          }
        : { mode: "link", ...sps[env]! };
}

/** The account provider (`<name>-account`) of a checked account connection, or none. */
export function accountProviderFor(
    parent: pulumi.ComponentResource,
    name: string,
    account: AccountConnectionArgs | undefined,
): databricks.Provider | undefined {
    return account === undefined
        ? undefined
        : accountConnectionProvider(`${name}-account`, account, { parent });
}
