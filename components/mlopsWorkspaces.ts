/**
 * MlopsWorkspaces: the dev → staging → prod workspace trio for MLOps with a remote model registry, as
 * the Terraform modules `mlops-azure-infrastructure-with-sp-linking` / `…-with-sp-creation` set it up:
 *
 * - an SP group (`mlops-service-principals`) in each workspace; token usage (`CAN_USE`) for it and
 *   `additionalTokenUsageGroups` in staging and prod, where SP tokens are created;
 * - a service principal in staging and in prod (linked Entra app or created one), in the group;
 * - a PAT of each SP, created as the SP (with its client secret where it has one), replaced on the
 *   first run of each new `tokenRotationDays` period;
 * - READ on the staging and prod model registries for their SP (one authoritative resource each);
 * - secret scopes for dev → staging, dev → prod and staging → prod holding host, token and workspace id
 *   of the target, readable by `users` and the SP group.
 *
 * With `modelRegistry: "unity-catalog"` none of that exists (no PAT, secret scope, token usage or
 * registry permission): catalogs, schemas, bindings and grants instead, and the SPs authenticate with
 * OAuth or federation (components/unityCatalogTrio.ts, docs/unity-catalog.md).
 *
 * See docs/workspaces.md.
 */
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import * as azuread from "@pulumi/azuread";
import { LinkedPrincipal, WorkspaceServicePrincipal } from "./servicePrincipal";
import { ServicePrincipalGroup } from "./servicePrincipalGroup";
import { DEFAULT_TOKEN_LIFETIME_SECONDS, DEFAULT_TOKEN_ROTATION_DAYS, ServicePrincipalToken } from "./servicePrincipalToken";
import { RemoteRegistryAccess } from "./remoteRegistryAccess";
import { RegistryReadAccess } from "./registryRead";
import { validateMlopsWorkspacesArgs } from "./mlopsWorkspacesValidation";
import { buildUnityCatalogTrio, checkModelRegistryArgs, CicdCredentialsArgs, LEGACY_ONLY_ARGS, ModelCatalogsArgs, principalFor } from "./unityCatalogTrio";
import { ModelRegistryMode } from "./unityCatalogPlan";

export const MLOPS_WORKSPACES_TYPE = "azure-databricks-mlops:index:MlopsWorkspaces";
export const DEFAULT_SERVICE_PRINCIPAL_GROUP_NAME = "mlops-service-principals";
export const DEFAULT_SERVICE_PRINCIPAL_DISPLAY_NAME = "READ-only Model Registry Service Principal";

/** One workspace of the trio. */
export interface MlopsWorkspaceArgs {
    /** Provider of the workspace, authenticated as a workspace admin. */
    readonly provider: databricks.Provider;
    /** Workspace URL. Defaults to the provider's current-user workspace URL (one invoke per workspace). */
    readonly host?: pulumi.Input<string>;
    /** Numeric workspace id, e.g. "1234567890123456". Required for staging and prod (stored in the secret scopes); unused for dev. */
    readonly workspaceId?: pulumi.Input<string>;
}

/** Link existing Entra apps (one per target workspace) as the trio's service principals. */
export interface LinkedServicePrincipals {
    readonly mode: "link";
    readonly staging: LinkedPrincipal;
    readonly prod: LinkedPrincipal;
}

/** Create an Entra app + SP + client secret per target workspace. */
export interface CreatedServicePrincipals {
    readonly mode: "create";
    /** Entra tenant id; must be the azuread provider's tenant. */
    readonly tenantId: pulumi.Input<string>;
    /** azuread provider for the Entra resources. Defaults to the default azuread provider. */
    readonly azureadProvider?: azuread.Provider;
    /** Renew each created client secret on the first run of every new period of this many days (valid two periods). Defaults to 180; at most 365. */
    readonly clientSecretRotationDays?: number;
}

export interface MlopsWorkspacesArgs {
    readonly dev: MlopsWorkspaceArgs;
    /** The staging workspace; `workspaceId` required. */
    readonly staging: MlopsWorkspaceArgs & { readonly workspaceId: pulumi.Input<string> };
    /** The prod workspace; `workspaceId` required. */
    readonly prod: MlopsWorkspaceArgs & { readonly workspaceId: pulumi.Input<string> };
    /** Service principals of staging and prod: linked or created. */
    readonly servicePrincipals: LinkedServicePrincipals | CreatedServicePrincipals;
    /** Groups given token usage (`CAN_USE`) in staging and prod besides the SP group. Defaults to none. Token usage is authoritative: groups not listed lose it. */
    readonly additionalTokenUsageGroups?: pulumi.Input<pulumi.Input<string>[]>;
    /** Name of the SP group created in each workspace. Defaults to `mlops-service-principals`. */
    readonly servicePrincipalGroupName?: pulumi.Input<string>;
    /** Display name of the SPs (and of created Entra apps). Defaults to `READ-only Model Registry Service Principal`. */
    readonly servicePrincipalDisplayName?: pulumi.Input<string>;
    /** Lifetime of the SP tokens in seconds. Defaults to 8640000 (100 days). */
    readonly tokenLifetimeSeconds?: pulumi.Input<number>;
    /**
     * Let the staging and prod SPs create clusters. Defaults to false: they only read the model registry,
     * and their PAT is readable by every workspace user through the secret scopes. (The Terraform
     * modules set true; see docs/migration-from-terraform.md.)
     */
    readonly allowClusterCreate?: pulumi.Input<boolean>;
    /** Replace the SP tokens (and the secrets holding them) on the first run after this many days. Defaults to 90; must be below the lifetime. */
    readonly tokenRotationDays?: pulumi.Input<number>;
    /**
     * Where models live: `workspace` (the legacy workspace registries reached with PATs; the default) or
     * `unity-catalog` (catalogs bound to the workspaces, grants, no PAT). The legacy-only settings above
     * (token usage groups, group name, token lifetime and rotation) are errors in `unity-catalog` mode.
     */
    readonly modelRegistry?: ModelRegistryMode;
    /** unity-catalog mode (required there): the dev, staging and prod catalogs, each `{ name, create? }`. */
    readonly catalogs?: ModelCatalogsArgs;
    /** unity-catalog mode: the schema for the trio's models in each catalog. Defaults to `models`. */
    readonly modelSchema?: pulumi.Input<string>;
    /** unity-catalog mode: the account-level group that reads staging and prod models (and develops in dev). Defaults to `account users`. */
    readonly modelReaders?: pulumi.Input<string>;
    /** unity-catalog mode: CI/CD credentials of the staging and prod SPs. Each defaults to an OAuth secret. */
    readonly cicdCredentials?: CicdCredentialsArgs;
    /** unity-catalog mode: an account-level provider (`https://accounts.azuredatabricks.net`, accountId); required for federation policies. */
    readonly accountProvider?: databricks.Provider;
}

type Target = "staging" | "prod";
const withoutLegacySettings = Object.fromEntries(LEGACY_ONLY_ARGS.map((k) => [k, undefined]));

/**
 * How the token provider acts as the SP: with its client secret wherever one exists (created, or
 * linked with clientSecret + tenantId), so nothing short-lived sits in the provider's state; with the
 * given AAD token otherwise (refresh/destroy then need a fresh token, docs/operations.md).
 */
function actAs(
    sp: LinkedServicePrincipals | CreatedServicePrincipals,
    env: Target,
    created: WorkspaceServicePrincipal,
): { clientSecret: pulumi.Input<string>; tenantId: pulumi.Input<string> } | { aadToken: pulumi.Input<string> } {
    if (sp.mode === "create") return { clientSecret: created.clientSecret!, tenantId: sp.tenantId };
    const linked = sp[env];
    return linked.aadToken !== undefined ? { aadToken: linked.aadToken } : { clientSecret: linked.clientSecret!, tenantId: linked.tenantId! };
}

export class MlopsWorkspaces extends pulumi.ComponentResource {
    // Legacy (workspace) mode only: undefined in unity-catalog mode.
    public readonly devSecretScopeNameForStaging!: pulumi.Output<string>;
    public readonly devSecretScopeNameForProd!: pulumi.Output<string>;
    public readonly stagingSecretScopeNameForProd!: pulumi.Output<string>;
    public readonly devSecretScopePrefixForStaging!: pulumi.Output<string>;
    public readonly devSecretScopePrefixForProd!: pulumi.Output<string>;
    public readonly stagingSecretScopePrefixForProd!: pulumi.Output<string>;
    public readonly servicePrincipalGroupName!: pulumi.Output<string>;
    public readonly stagingServicePrincipalApplicationId: pulumi.Output<string>;
    public readonly prodServicePrincipalApplicationId: pulumi.Output<string>;
    /** The staging and prod service principals (`aadToken` only where one was given: the providers act with client secrets). */
    public readonly servicePrincipals: Record<Target, WorkspaceServicePrincipal>;
    /** The staging and prod SP tokens. Legacy mode only: undefined in unity-catalog mode. */
    public readonly tokens!: Record<Target, ServicePrincipalToken>;
    // unity-catalog mode only: undefined in the legacy mode.
    public readonly devCatalogName?: pulumi.Output<string>;
    public readonly stagingCatalogName?: pulumi.Output<string>;
    public readonly prodCatalogName?: pulumi.Output<string>;
    public readonly devModelSchemaName?: pulumi.Output<string>;
    public readonly stagingModelSchemaName?: pulumi.Output<string>;
    public readonly prodModelSchemaName?: pulumi.Output<string>;
    /** `<catalog>.<schema>` of each environment: register models as `<prefix>.<model>`. */
    public readonly devModelNamePrefix?: pulumi.Output<string>;
    public readonly stagingModelNamePrefix?: pulumi.Output<string>;
    public readonly prodModelNamePrefix?: pulumi.Output<string>;
    /** OAuth client secrets of the staging and prod SPs (CI/CD method oauth-secret). Secret. */
    public readonly stagingServicePrincipalOAuthSecret?: pulumi.Output<string>;
    public readonly prodServicePrincipalOAuthSecret?: pulumi.Output<string>;

    constructor(name: string, args: MlopsWorkspacesArgs, opts?: pulumi.ComponentResourceOptions) {
        // Bad arguments fail before anything, the component included, is registered.
        // In unity-catalog mode the legacy-only settings are errors by themselves (checkModelRegistryArgs), not checked twice.
        const legacyChecked = args.modelRegistry === ModelRegistryMode.UnityCatalog ? { ...args, ...withoutLegacySettings } : args;
        const problems = validateMlopsWorkspacesArgs(legacyChecked, DEFAULT_TOKEN_LIFETIME_SECONDS, DEFAULT_TOKEN_ROTATION_DAYS);
        checkModelRegistryArgs(args, problems);
        problems.throwAsInputErrors(MLOPS_WORKSPACES_TYPE, name);
        super(MLOPS_WORKSPACES_TYPE, name, {}, opts);
        if (args.modelRegistry === ModelRegistryMode.UnityCatalog) {
            const uc = buildUnityCatalogTrio(this, name, args);
            this.servicePrincipals = uc.servicePrincipals;
            this.stagingServicePrincipalApplicationId = uc.servicePrincipals.staging.applicationId;
            this.prodServicePrincipalApplicationId = uc.servicePrincipals.prod.applicationId;
            const s = uc.sharing;
            this.devCatalogName = s.devCatalogName;
            this.stagingCatalogName = s.stagingCatalogName;
            this.prodCatalogName = s.prodCatalogName;
            this.devModelSchemaName = s.devModelSchemaName;
            this.stagingModelSchemaName = s.stagingModelSchemaName;
            this.prodModelSchemaName = s.prodModelSchemaName;
            this.devModelNamePrefix = s.devModelNamePrefix;
            this.stagingModelNamePrefix = s.stagingModelNamePrefix;
            this.prodModelNamePrefix = s.prodModelNamePrefix;
            this.stagingServicePrincipalOAuthSecret = uc.credentials.staging.oauthSecret;
            this.prodServicePrincipalOAuthSecret = uc.credentials.prod.oauthSecret;
            this.registerOutputs({
                devCatalogName: this.devCatalogName,
                stagingCatalogName: this.stagingCatalogName,
                prodCatalogName: this.prodCatalogName,
                devModelSchemaName: this.devModelSchemaName,
                stagingModelSchemaName: this.stagingModelSchemaName,
                prodModelSchemaName: this.prodModelSchemaName,
                devModelNamePrefix: this.devModelNamePrefix,
                stagingModelNamePrefix: this.stagingModelNamePrefix,
                prodModelNamePrefix: this.prodModelNamePrefix,
                stagingServicePrincipalApplicationId: this.stagingServicePrincipalApplicationId,
                prodServicePrincipalApplicationId: this.prodServicePrincipalApplicationId,
                stagingServicePrincipalOAuthSecret: this.stagingServicePrincipalOAuthSecret,
                prodServicePrincipalOAuthSecret: this.prodServicePrincipalOAuthSecret,
            });
            return;
        }

        const groupName = args.servicePrincipalGroupName ?? DEFAULT_SERVICE_PRINCIPAL_GROUP_NAME;
        const displayName = args.servicePrincipalDisplayName ?? DEFAULT_SERVICE_PRINCIPAL_DISPLAY_NAME;
        const tokenUsageGroups = args.additionalTokenUsageGroups ?? [];
        const host = (env: "dev" | Target): pulumi.Input<string> =>
            args[env].host ?? databricks.getCurrentUserOutput({}, { parent: this, provider: args[env].provider }).workspaceUrl;

        const groups = {
            dev: new ServicePrincipalGroup(`${name}-dev-sp-group`, { provider: args.dev.provider, groupName }, { parent: this }),
            staging: new ServicePrincipalGroup(`${name}-staging-sp-group`, { provider: args.staging.provider, groupName, tokenUsageGroups }, { parent: this }),
            prod: new ServicePrincipalGroup(`${name}-prod-sp-group`, { provider: args.prod.provider, groupName, tokenUsageGroups }, { parent: this }),
        };

        const sps = {} as Record<Target, WorkspaceServicePrincipal>;
        const tokens = {} as Record<Target, ServicePrincipalToken>;
        const targetHosts = {} as Record<Target, pulumi.Input<string>>;
        for (const env of ["staging", "prod"] as const) {
            const sp = args.servicePrincipals;
            sps[env] = new WorkspaceServicePrincipal(
                `${name}-${env}`,
                {
                    provider: args[env].provider,
                    displayName,
                    principal: principalFor(sp, env),
                    // Staging and prod apps live in one tenant: tell them apart by name.
                    entraDisplayName: pulumi.interpolate`${displayName} (${env})`,
                    groupId: groups[env].groupId,
                    // The token provider below acts as the SP with its client secret: no AadToken here.
                    mintAadToken: false,
                    allowClusterCreate: args.allowClusterCreate ?? false,
                },
                // As the Terraform modules: the SP joins after token usage is set for its group.
                { parent: this, dependsOn: groups[env].tokenUsage ? [groups[env].tokenUsage!] : [] },
            );
            targetHosts[env] = host(env);
            tokens[env] = new ServicePrincipalToken(
                `${name}-${env}-token`,
                {
                    host: targetHosts[env],
                    ...actAs(sp, env, sps[env]),
                    applicationId: sps[env].applicationId,
                    lifetimeSeconds: args.tokenLifetimeSeconds,
                    rotationDays: args.tokenRotationDays,
                },
                // The SP may create tokens only once it is in the group that has token usage.
                { parent: this, dependsOn: [sps[env], groups[env]] },
            );
            new RegistryReadAccess(
                `${name}-${env}-registry-read`,
                { provider: args[env].provider, servicePrincipalApplicationIds: [sps[env].applicationId] },
                { parent: this },
            );
        }

        const access = (source: "dev" | "staging", target: Target) =>
            new RemoteRegistryAccess(
                `${name}-${source}-to-${target}`,
                {
                    provider: args[source].provider,
                    target,
                    targetHost: targetHosts[target],
                    targetWorkspaceId: args[target].workspaceId,
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
        this.servicePrincipals = sps;
        this.tokens = tokens;

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
