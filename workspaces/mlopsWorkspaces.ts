/**
 * MlopsWorkspaces: the dev → staging → prod workspace trio for MLOps with a remote model registry, as
 * the Terraform modules `mlops-azure-infrastructure-with-sp-linking` / `…-with-sp-creation` set it up:
 *
 * - an SP group (`mlops-service-principals`) in each workspace; token usage (`CAN_USE`) for it and
 *   `additionalTokenUsageGroups` (default `users`) in staging and prod, where SP tokens are created;
 * - a service principal in staging and in prod (linked Entra app or created one), in the group;
 * - a PAT of each SP, created as the SP (with its client secret where it has one), replaced on the
 *   first run of each new `tokenRotationDays` period;
 * - READ on the staging and prod model registries for their SP (one authoritative resource each);
 * - secret scopes for dev → staging, dev → prod and staging → prod holding host, token and workspace id
 *   of the target, readable by `users` and the SP group.
 *
 * With `modelRegistry: "unity-catalog"` none of that exists (no PAT, secret scope, token usage or
 * registry permission): catalogs, schemas, bindings and grants instead, and the SPs authenticate with
 * OAuth or federation (workspaces/unityCatalogTrio.ts, docs/unity-catalog.md).
 *
 * See docs/workspaces.md.
 */
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import {
    Problems,
    DeferredArgsCheck,
    DeployTarget,
    deployTargets,
    EnvName,
    envNames,
    flatPerEnv,
    isDeployTarget,
    perEnv,
    DefaultScopePair,
    ScopePair,
    scopePairs,
} from "../core";
import { WorkspaceServicePrincipal } from "../principals";
import {
    ServicePrincipalsArgs,
    WorkspaceConnection,
    entraProviderFor,
    principalSourceFor,
    workspaceConnections,
} from "../connections";
import { ALL_USERS_GROUP, ServicePrincipalGroup } from "./servicePrincipalGroup";
import {
    DEFAULT_TOKEN_LIFETIME_SECONDS,
    DEFAULT_TOKEN_ROTATION_DAYS,
    ServicePrincipalToken,
} from "./servicePrincipalToken";
import { RemoteRegistryAccess } from "./remoteRegistryAccess";
import { RegistryReadAccess } from "./registryRead";
import { validateMlopsWorkspacesArgs } from "./validation";
import {
    buildUnityCatalogTrio,
    checkModelRegistryArgs,
    LEGACY_ONLY_ARGS,
} from "./unityCatalogTrio";
import { MlopsWorkspacesArgs } from "./mlopsWorkspacesArgs";
import { ModelRegistryMode } from "../unityCatalog";

export const MLOPS_WORKSPACES_TYPE = "azure-databricks-mlops:index:MlopsWorkspaces";
export const DEFAULT_SERVICE_PRINCIPAL_GROUP_NAME = "mlops-service-principals";
export const DEFAULT_SERVICE_PRINCIPAL_DISPLAY_NAME = "READ-only Model Registry Service Principal";
/** Token usage besides the SP group: every workspace user, who holds it before token permissions are set, so none is revoked. */
export const DEFAULT_ADDITIONAL_TOKEN_USAGE_GROUPS: readonly string[] = [ALL_USERS_GROUP];

const withoutLegacySettings = Object.fromEntries(LEGACY_ONLY_ARGS.map((k) => [k, undefined]));

/** Every problem of the args that can be seen now (Outputs inside them are checked once known). */
export function mlopsWorkspacesProblems(args: MlopsWorkspacesArgs): Problems {
    // In unity-catalog mode the legacy-only settings are errors by themselves (checkModelRegistryArgs), not checked twice.
    const legacyChecked =
        args?.modelRegistry === ModelRegistryMode.UnityCatalog
            ? { ...args, ...withoutLegacySettings }
            : (args ?? {});
    const problems = validateMlopsWorkspacesArgs(
        legacyChecked,
        DEFAULT_TOKEN_LIFETIME_SECONDS,
        DEFAULT_TOKEN_ROTATION_DAYS,
    );
    checkModelRegistryArgs(args ?? {}, problems);
    return problems;
}

/**
 * How the token provider acts as the SP: with its client secret wherever one exists (created, or
 * linked with clientSecret + tenantId), so nothing short-lived sits in the provider's state; with the
 * given AAD token otherwise (refresh/destroy then need a fresh token, docs/operations.md).
 */
function actAs(
    sp: ServicePrincipalsArgs,
    env: DeployTarget,
    created: WorkspaceServicePrincipal,
):
    | { clientSecret: pulumi.Input<string>; tenantId: pulumi.Input<string> }
    | { aadToken: pulumi.Input<string> } {
    if (sp.mode === "create")
        return { clientSecret: created.clientSecret!, tenantId: sp.tenantId! };
    const linked = sp[env]!;
    return linked.aadToken !== undefined
        ? { aadToken: linked.aadToken }
        : { clientSecret: linked.clientSecret!, tenantId: linked.tenantId! };
}

/** The staging and prod parts of a trio, for TypeScript programs (not outputs: other languages reach them by URN). */
export interface MlopsWorkspacesParts {
    /** The staging and prod service principals (`aadToken` only where one was given). */
    readonly servicePrincipals: Record<DeployTarget, WorkspaceServicePrincipal>;
    /** The staging and prod SP tokens (legacy mode only). */
    readonly tokens?: Record<DeployTarget, ServicePrincipalToken>;
    /** The admin providers the component built from the connections, for more resources in the same workspaces. */
    readonly workspaceProviders: Record<EnvName, databricks.Provider>;
}

const providersOf = (ws: Record<EnvName, WorkspaceConnection>) =>
    perEnv(envNames(), (env) => ws[env].provider);

/** The flat output names of the default table's secret scopes, e.g. `devSecretScopeNameForStaging`. */
type ScopeOutputName<P extends DefaultScopePair = DefaultScopePair> = P extends DefaultScopePair
    ? | `${P["source"]}SecretScopeNameFor${Capitalize<P["target"]>}`
      | `${P["source"]}SecretScopePrefixFor${Capitalize<P["target"]>}`
    : never;

/** The output names of a legacy secret scope, e.g. `devSecretScopeNameForStaging`. */
export function secretScopeOutputNames<N extends string>({
    source,
    target,
}: ScopePair<N>): { name: string; prefix: string } {
    const t = target[0].toUpperCase() + target.slice(1);
    return { name: `${source}SecretScopeNameFor${t}`, prefix: `${source}SecretScopePrefixFor${t}` };
}

// Kept off the instance: every field of a component is an output in the multi-language schema.
const PARTS = new WeakMap<MlopsWorkspaces, MlopsWorkspacesParts>();

/**
 * The dev → staging → prod Azure Databricks workspace trio for MLOps: a service principal in staging and
 * prod (linked Entra apps or created ones) in a service-principal group, and either the legacy remote
 * model registry (SP tokens in secret scopes of dev and staging, READ on the registries) or, with
 * `modelRegistry: "unity-catalog"`, Unity Catalog catalogs, schemas, bindings and grants with OAuth or
 * federated CI/CD credentials. See docs/workspaces.md and docs/unity-catalog.md.
 */
export class MlopsWorkspaces extends pulumi.ComponentResource {
    // The flat per-environment outputs are set from records keyed by the table of environments
    // (core/environments.ts); their declarations stay, as they are the served schema.
    // Legacy (workspace) mode only: undefined in unity-catalog mode, so optional in the type and the schema.
    /** Legacy mode: the secret scope in dev holding host, token and workspace id of staging (`remote-mr-staging`). */
    public readonly devSecretScopeNameForStaging?: pulumi.Output<string>;
    /** Legacy mode: the secret scope in dev holding host, token and workspace id of prod. */
    public readonly devSecretScopeNameForProd?: pulumi.Output<string>;
    /** Legacy mode: the secret scope in staging holding host, token and workspace id of prod. */
    public readonly stagingSecretScopeNameForProd?: pulumi.Output<string>;
    /** Legacy mode: the prefix of the keys in `devSecretScopeNameForStaging` (`<prefix>-host`, `-token`, `-workspace-id`). */
    public readonly devSecretScopePrefixForStaging?: pulumi.Output<string>;
    /** Legacy mode: the prefix of the keys in `devSecretScopeNameForProd`. */
    public readonly devSecretScopePrefixForProd?: pulumi.Output<string>;
    /** Legacy mode: the prefix of the keys in `stagingSecretScopeNameForProd`. */
    public readonly stagingSecretScopePrefixForProd?: pulumi.Output<string>;
    /** Legacy mode: the SP group created in each workspace (pass it to MlopsProject). */
    public readonly servicePrincipalGroupName?: pulumi.Output<string>;
    /** Application id of the staging SP, equal to its Entra app's client id. */
    public readonly stagingServicePrincipalApplicationId!: pulumi.Output<string>;
    /** Application id of the prod SP, equal to its Entra app's client id. */
    public readonly prodServicePrincipalApplicationId!: pulumi.Output<string>;
    /** The staging and prod service principals (`aadToken` only where one was given: the providers act with client secrets). TypeScript only. */
    public get servicePrincipals(): Record<DeployTarget, WorkspaceServicePrincipal> {
        return PARTS.get(this)!.servicePrincipals;
    }
    /** The staging and prod SP tokens. Legacy mode only: undefined in unity-catalog mode. TypeScript only. */
    public get tokens(): Record<DeployTarget, ServicePrincipalToken> | undefined {
        return PARTS.get(this)!.tokens;
    }
    /** The admin providers built from the connections (`<name>-dev`, …), for more resources in these workspaces. TypeScript only. */
    public get workspaceProviders(): Record<EnvName, databricks.Provider> {
        return PARTS.get(this)!.workspaceProviders;
    }
    // unity-catalog mode only: undefined in the legacy mode.
    /** unity-catalog mode: the dev catalog's name. */
    public readonly devCatalogName?: pulumi.Output<string>;
    /** unity-catalog mode: the staging catalog's name. */
    public readonly stagingCatalogName?: pulumi.Output<string>;
    /** unity-catalog mode: the prod catalog's name. */
    public readonly prodCatalogName?: pulumi.Output<string>;
    /** unity-catalog mode: the models schema in the dev catalog. */
    public readonly devModelSchemaName?: pulumi.Output<string>;
    /** unity-catalog mode: the models schema in the staging catalog. */
    public readonly stagingModelSchemaName?: pulumi.Output<string>;
    /** unity-catalog mode: the models schema in the prod catalog. */
    public readonly prodModelSchemaName?: pulumi.Output<string>;
    /** unity-catalog mode: `<catalog>.<schema>` of dev: register models as `<prefix>.<model>`. */
    public readonly devModelNamePrefix?: pulumi.Output<string>;
    /** unity-catalog mode: `<catalog>.<schema>` of staging. */
    public readonly stagingModelNamePrefix?: pulumi.Output<string>;
    /** unity-catalog mode: `<catalog>.<schema>` of prod. */
    public readonly prodModelNamePrefix?: pulumi.Output<string>;
    /** unity-catalog mode: OAuth client secret of the staging SP (CI/CD method oauth-secret). Secret. */
    public readonly stagingServicePrincipalOAuthSecret?: pulumi.Output<string>;
    /** unity-catalog mode: OAuth client secret of the prod SP (CI/CD method oauth-secret). Secret. */
    public readonly prodServicePrincipalOAuthSecret?: pulumi.Output<string>;

    constructor(name: string, args: MlopsWorkspacesArgs, opts?: pulumi.ComponentResourceOptions) {
        // Bad arguments fail before anything, the component included, is registered.
        mlopsWorkspacesProblems(args).throwAsInputErrors(MLOPS_WORKSPACES_TYPE, name);
        super(MLOPS_WORKSPACES_TYPE, name, {}, opts);
        // Values only known at deployment (a workspace id from another resource) are checked by the same
        // rules once known: children get them, and the outputs resolve, only if they pass.
        const checks = new DeferredArgsCheck(
            args,
            mlopsWorkspacesProblems,
            MLOPS_WORKSPACES_TYPE,
            name,
        );
        args = checks.gateAll(args);
        // Connections → what the rest needs: a provider (and host, workspace id) per workspace.
        const envs = envNames();
        const targets = deployTargets();
        const ws = workspaceConnections(this, name, args, envs);
        const sp = args.servicePrincipals;
        const azureadProvider = entraProviderFor(this, name, sp);
        if (args.modelRegistry === ModelRegistryMode.UnityCatalog) {
            const uc = buildUnityCatalogTrio(this, name, args, ws, azureadProvider);
            PARTS.set(this, {
                servicePrincipals: uc.servicePrincipals,
                workspaceProviders: providersOf(ws),
            });
            const s = uc.sharing;
            const outputs = {
                ...flatPerEnv(
                    perEnv(envs, (e) => checks.output(s[`${e}CatalogName` as const])),
                    "CatalogName",
                ),
                ...flatPerEnv(
                    perEnv(envs, (e) => checks.output(s[`${e}ModelSchemaName` as const])),
                    "ModelSchemaName",
                ),
                ...flatPerEnv(
                    perEnv(envs, (e) => checks.output(s[`${e}ModelNamePrefix` as const])),
                    "ModelNamePrefix",
                ),
                ...flatPerEnv(
                    perEnv(targets, (t) => checks.output(uc.servicePrincipals[t].applicationId)),
                    "ServicePrincipalApplicationId",
                ),
                ...flatPerEnv(
                    perEnv(targets, (t) => checks.output(uc.credentials[t].oauthSecret)),
                    "ServicePrincipalOAuthSecret",
                ),
            } satisfies Pick<
                MlopsWorkspaces,
                | `${EnvName}${"CatalogName" | "ModelSchemaName" | "ModelNamePrefix"}`
                | `${DeployTarget}${"ServicePrincipalApplicationId" | "ServicePrincipalOAuthSecret"}`
            >;
            Object.assign(this, outputs);
            this.registerOutputs(outputs);
            return;
        }

        const groupName = args.servicePrincipalGroupName ?? DEFAULT_SERVICE_PRINCIPAL_GROUP_NAME;
        const displayName =
            args.servicePrincipalDisplayName ?? DEFAULT_SERVICE_PRINCIPAL_DISPLAY_NAME;
        const tokenUsageGroups = args.additionalTokenUsageGroups ?? [
            ...DEFAULT_ADDITIONAL_TOKEN_USAGE_GROUPS,
        ];

        // Token usage only where SP tokens are created: the workspaces deployed to.
        const groups = perEnv(
            envs,
            (env) =>
                new ServicePrincipalGroup(
                    `${name}-${env}-sp-group`,
                    {
                        provider: ws[env].provider,
                        groupName,
                        ...(isDeployTarget(env) && { tokenUsageGroups }),
                    },
                    { parent: this },
                ),
        );

        const sps = {} as Record<DeployTarget, WorkspaceServicePrincipal>;
        const tokens = {} as Record<DeployTarget, ServicePrincipalToken>;
        for (const env of targets) {
            sps[env] = new WorkspaceServicePrincipal(
                `${name}-${env}`,
                {
                    provider: ws[env].provider,
                    displayName,
                    principal: principalSourceFor(sp, env, azureadProvider),
                    // Staging and prod apps live in one tenant: tell them apart by name.
                    entraDisplayName: pulumi.interpolate`${displayName} (${env})`,
                    groupId: groups[env].groupId,
                    // The token provider below acts as the SP with its client secret: no AadToken here.
                    mintAadToken: false,
                    allowClusterCreate: args.allowClusterCreate ?? false,
                },
                // As the Terraform modules: the SP joins after token usage is set for its group.
                {
                    parent: this,
                    dependsOn: groups[env].tokenUsage ? [groups[env].tokenUsage!] : [],
                },
            );
            tokens[env] = new ServicePrincipalToken(
                `${name}-${env}-token`,
                {
                    host: ws[env].host,
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
                {
                    provider: ws[env].provider,
                    servicePrincipalApplicationIds: [sps[env].applicationId],
                },
                { parent: this },
            );
        }

        // A secret scope in each workspace for each deployed environment it reads (dev → staging, dev → prod, staging → prod).
        // Filled by name at run time; typed by the default table's pairs so that the check below fails
        // to compile when the table has a scope the class has no output for.
        const scopeOutputs = {} as Record<ScopeOutputName, pulumi.Output<string>>;
        for (const pair of scopePairs()) {
            const { source, target } = pair;
            const access = new RemoteRegistryAccess(
                `${name}-${source}-to-${target}`,
                {
                    provider: ws[source].provider,
                    target,
                    targetHost: ws[target].host,
                    targetWorkspaceId: args[target].workspaceId!,
                    // Scope targets are deployed to (scopePairs), so each has its SP's token.
                    targetToken: tokens[target as DeployTarget].tokenValue,
                    readers: { users: "users", "sp-group": groups[source].groupName },
                },
                { parent: this },
            );
            const names = secretScopeOutputNames(pair);
            scopeOutputs[names.name as ScopeOutputName] = checks.output(access.scopeName);
            scopeOutputs[names.prefix as ScopeOutputName] = checks.output(access.prefix);
        }
        const outputs = {
            ...scopeOutputs,
            // One group name in every workspace: the last environment's group is the output.
            servicePrincipalGroupName: checks.output(groups[envs[envs.length - 1]].groupName),
            ...flatPerEnv(
                perEnv(targets, (t) => checks.output(sps[t].applicationId)),
                "ServicePrincipalApplicationId",
            ),
        } satisfies Pick<
            MlopsWorkspaces,
            | ScopeOutputName
            | "servicePrincipalGroupName"
            | `${DeployTarget}ServicePrincipalApplicationId`
        >;
        Object.assign(this, outputs);
        PARTS.set(this, { servicePrincipals: sps, tokens, workspaceProviders: providersOf(ws) });
        this.registerOutputs(outputs);
    }
}
