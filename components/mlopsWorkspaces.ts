/**
 * MlopsWorkspaces: the dev → staging → prod workspace trio for MLOps with a remote model registry, as
 * the Terraform modules `mlops-azure-infrastructure-with-sp-linking` / `…-with-sp-creation` set it up:
 *
 * - an SP group (`mlops-service-principals`) in each workspace; token usage (`CAN_USE`) for it and
 *   `additionalTokenUsageGroups` in staging and prod, where SP tokens are created;
 * - a service principal in staging and in prod (linked Entra app or created one), in the group;
 * - a PAT of each SP, created as the SP, replaced after `tokenRotationDays`;
 * - READ on the staging and prod model registries for their SP (one authoritative resource each);
 * - secret scopes for dev → staging, dev → prod and staging → prod holding host, token and workspace id
 *   of the target, readable by `users` and the SP group.
 *
 * See docs/workspaces.md.
 */
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import { WorkspaceServicePrincipal } from "./servicePrincipal";
import { ServicePrincipalsArgs, WorkspaceConnectionArgs } from "./connectionArgs";
import { entraProviderFor, principalSourceFor, workspaceConnections } from "./connections";
import { ServicePrincipalGroup } from "./servicePrincipalGroup";
import { DEFAULT_TOKEN_LIFETIME_SECONDS, DEFAULT_TOKEN_ROTATION_DAYS, ServicePrincipalToken } from "./servicePrincipalToken";
import { RemoteRegistryAccess } from "./remoteRegistryAccess";
import { RegistryReadAccess } from "./registryRead";
import { validateMlopsWorkspacesArgs } from "./mlopsWorkspacesValidation";

export const MLOPS_WORKSPACES_TYPE = "azure-databricks-mlops:index:MlopsWorkspaces";
export const DEFAULT_SERVICE_PRINCIPAL_GROUP_NAME = "mlops-service-principals";
export const DEFAULT_SERVICE_PRINCIPAL_DISPLAY_NAME = "READ-only Model Registry Service Principal";

export interface MlopsWorkspacesArgs {
    /** The dev workspace (its host and workspaceId are not used: nothing points at dev). */
    readonly dev: WorkspaceConnectionArgs;
    /** The staging workspace; `workspaceId` required. */
    readonly staging: WorkspaceConnectionArgs;
    /** The prod workspace; `workspaceId` required. */
    readonly prod: WorkspaceConnectionArgs;
    /** Service principals of staging and prod: linked (`mode: link`, `staging`, `prod`) or created (`mode: create`, `tenantId`). */
    readonly servicePrincipals: ServicePrincipalsArgs;
    /** Groups given token usage (`CAN_USE`) in staging and prod besides the SP group. Defaults to none. Token usage is authoritative: groups not listed lose it. */
    readonly additionalTokenUsageGroups?: pulumi.Input<pulumi.Input<string>[]>;
    /** Name of the SP group created in each workspace. Defaults to `mlops-service-principals`. */
    readonly servicePrincipalGroupName?: pulumi.Input<string>;
    /** Display name of the SPs (and of created Entra apps). Defaults to `READ-only Model Registry Service Principal`. */
    readonly servicePrincipalDisplayName?: pulumi.Input<string>;
    /** Lifetime of the SP tokens in seconds. Defaults to 8640000 (100 days). */
    readonly tokenLifetimeSeconds?: pulumi.Input<number>;
    /** Replace the SP tokens (and the secrets holding them) on the first run after this many days. Defaults to 90; must be below the lifetime. */
    readonly tokenRotationDays?: pulumi.Input<number>;
}

type Target = "staging" | "prod";

/** The staging and prod parts of a trio, for TypeScript programs (not outputs: other languages reach them by URN). */
export interface MlopsWorkspacesParts {
    /** The staging and prod service principals (with their AAD tokens). */
    readonly servicePrincipals: Record<Target, WorkspaceServicePrincipal>;
    /** The staging and prod SP tokens. */
    readonly tokens: Record<Target, ServicePrincipalToken>;
    /** The admin providers the component built from the connections, for more resources in the same workspaces. */
    readonly workspaceProviders: Record<"dev" | Target, databricks.Provider>;
}
// Kept off the instance: every field of a component is an output in the multi-language schema.
const PARTS = new WeakMap<MlopsWorkspaces, MlopsWorkspacesParts>();

export class MlopsWorkspaces extends pulumi.ComponentResource {
    public readonly devSecretScopeNameForStaging: pulumi.Output<string>;
    public readonly devSecretScopeNameForProd: pulumi.Output<string>;
    public readonly stagingSecretScopeNameForProd: pulumi.Output<string>;
    public readonly devSecretScopePrefixForStaging: pulumi.Output<string>;
    public readonly devSecretScopePrefixForProd: pulumi.Output<string>;
    public readonly stagingSecretScopePrefixForProd: pulumi.Output<string>;
    public readonly servicePrincipalGroupName: pulumi.Output<string>;
    public readonly stagingServicePrincipalApplicationId: pulumi.Output<string>;
    public readonly prodServicePrincipalApplicationId: pulumi.Output<string>;
    /** The staging and prod service principals (with their AAD tokens). TypeScript only. */
    public get servicePrincipals(): Record<Target, WorkspaceServicePrincipal> {
        return PARTS.get(this)!.servicePrincipals;
    }
    /** The staging and prod SP tokens. TypeScript only. */
    public get tokens(): Record<Target, ServicePrincipalToken> {
        return PARTS.get(this)!.tokens;
    }
    /** The admin providers built from the connections (`<name>-dev`, …), for more resources in these workspaces. TypeScript only. */
    public get workspaceProviders(): Record<"dev" | Target, databricks.Provider> {
        return PARTS.get(this)!.workspaceProviders;
    }

    constructor(name: string, args: MlopsWorkspacesArgs, opts?: pulumi.ComponentResourceOptions) {
        // Bad arguments fail before anything, the component included, is registered.
        validateMlopsWorkspacesArgs(args, DEFAULT_TOKEN_LIFETIME_SECONDS, DEFAULT_TOKEN_ROTATION_DAYS).throwAsInputErrors(MLOPS_WORKSPACES_TYPE, name);
        super(MLOPS_WORKSPACES_TYPE, name, {}, opts);
        // Connections → what the rest needs: a provider (and host, workspace id) per workspace.
        const ws = workspaceConnections(this, name, args, ["dev", "staging", "prod"]);
        const sp = args.servicePrincipals;
        const azureadProvider = entraProviderFor(this, name, sp);

        const groupName = args.servicePrincipalGroupName ?? DEFAULT_SERVICE_PRINCIPAL_GROUP_NAME;
        const displayName = args.servicePrincipalDisplayName ?? DEFAULT_SERVICE_PRINCIPAL_DISPLAY_NAME;
        const tokenUsageGroups = args.additionalTokenUsageGroups ?? [];

        const groups = {
            dev: new ServicePrincipalGroup(`${name}-dev-sp-group`, { provider: ws.dev.provider, groupName }, { parent: this }),
            staging: new ServicePrincipalGroup(`${name}-staging-sp-group`, { provider: ws.staging.provider, groupName, tokenUsageGroups }, { parent: this }),
            prod: new ServicePrincipalGroup(`${name}-prod-sp-group`, { provider: ws.prod.provider, groupName, tokenUsageGroups }, { parent: this }),
        };

        const sps = {} as Record<Target, WorkspaceServicePrincipal>;
        const tokens = {} as Record<Target, ServicePrincipalToken>;
        const targetHosts = {} as Record<Target, pulumi.Input<string>>;
        for (const env of ["staging", "prod"] as const) {
            sps[env] = new WorkspaceServicePrincipal(
                `${name}-${env}`,
                {
                    provider: ws[env].provider,
                    displayName,
                    principal: principalSourceFor(sp, env, azureadProvider),
                    groupId: groups[env].groupId,
                },
                // As the Terraform modules: the SP joins after token usage is set for its group.
                { parent: this, dependsOn: groups[env].tokenUsage ? [groups[env].tokenUsage!] : [] },
            );
            targetHosts[env] = ws[env].host;
            tokens[env] = new ServicePrincipalToken(
                `${name}-${env}-token`,
                {
                    host: targetHosts[env],
                    aadToken: sps[env].aadToken,
                    applicationId: sps[env].applicationId,
                    lifetimeSeconds: args.tokenLifetimeSeconds,
                    rotationDays: args.tokenRotationDays,
                },
                // The SP may create tokens only once it is in the group that has token usage.
                { parent: this, dependsOn: [sps[env], groups[env]] },
            );
            new RegistryReadAccess(
                `${name}-${env}-registry-read`,
                { provider: ws[env].provider, servicePrincipalApplicationIds: [sps[env].applicationId] },
                { parent: this },
            );
        }

        const access = (source: "dev" | "staging", target: Target) =>
            new RemoteRegistryAccess(
                `${name}-${source}-to-${target}`,
                {
                    provider: ws[source].provider,
                    target,
                    targetHost: targetHosts[target],
                    targetWorkspaceId: args[target].workspaceId!,
                    targetToken: tokens[target].tokenValue,
                    readers: { users: "users", "sp-group": groups[source].groupName },
                },
                { parent: this },
            );
        const devToStaging = access("dev", "staging");
        const devToProd = access("dev", "prod");
        const stagingToProd = access("staging", "prod");

        this.devSecretScopeNameForStaging = devToStaging.scopeName;
        this.devSecretScopeNameForProd = devToProd.scopeName;
        this.stagingSecretScopeNameForProd = stagingToProd.scopeName;
        this.devSecretScopePrefixForStaging = devToStaging.prefix;
        this.devSecretScopePrefixForProd = devToProd.prefix;
        this.stagingSecretScopePrefixForProd = stagingToProd.prefix;
        this.servicePrincipalGroupName = groups.prod.groupName;
        this.stagingServicePrincipalApplicationId = sps.staging.applicationId;
        this.prodServicePrincipalApplicationId = sps.prod.applicationId;
        PARTS.set(this, { servicePrincipals: sps, tokens, workspaceProviders: { dev: ws.dev.provider, staging: ws.staging.provider, prod: ws.prod.provider } });

        this.registerOutputs({
            devSecretScopeNameForStaging: this.devSecretScopeNameForStaging,
            devSecretScopeNameForProd: this.devSecretScopeNameForProd,
            stagingSecretScopeNameForProd: this.stagingSecretScopeNameForProd,
            devSecretScopePrefixForStaging: this.devSecretScopePrefixForStaging,
            devSecretScopePrefixForProd: this.devSecretScopePrefixForProd,
            stagingSecretScopePrefixForProd: this.stagingSecretScopePrefixForProd,
            servicePrincipalGroupName: this.servicePrincipalGroupName,
            stagingServicePrincipalApplicationId: this.stagingServicePrincipalApplicationId,
            prodServicePrincipalApplicationId: this.prodServicePrincipalApplicationId,
        });
    }
}
