/**
 * The `unity-catalog` mode of MlopsWorkspaces, kept out of the legacy component's file: the staging
 * and prod service principals (linked or created, as in the legacy mode, but in no group: nothing
 * needs token usage any more), their CI/CD credentials (OAuth secret or federation policy, never a
 * PAT) and the catalogs, schemas, bindings and grants of {@link UnityCatalogSharing}.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import {
    Problems,
    describe,
    isDeferred,
    andList,
    defaultTable,
    DeployTarget,
    deployTargets,
    EnvironmentTable,
    EnvName,
    envNames,
    perEnv,
    readsOf,
} from "../core";
import type { MlopsWorkspacesArgs } from "./mlopsWorkspacesArgs";
import { WorkspaceServicePrincipal } from "../principals";
import {
    WorkspaceConnection,
    accountProviderFor,
    principalSourceFor,
    validateAccountConnection,
} from "../connections";
import {
    CicdCredential,
    CicdCredentialArgs,
    ModelCatalogArgs,
    UnityCatalogSharing,
    MODEL_REGISTRY_MODES,
    ModelRegistryMode,
    checkCatalogStorageRoot,
    checkDistinctCatalogs,
    checkUcName,
    checkCicdCredential,
} from "../unityCatalog";
import type { WorkspaceConnectionArgs } from "../connections";

/** Display name of the trio's SPs in unity-catalog mode, where they deploy models rather than read registries. */
export const DEFAULT_DEPLOYER_DISPLAY_NAME = "MLOps Model Deployment Service Principal";

export interface UnityCatalogTrio {
    readonly servicePrincipals: Record<DeployTarget, WorkspaceServicePrincipal>;
    readonly sharing: UnityCatalogSharing;
    readonly credentials: Record<DeployTarget, CicdCredential>;
}

/** Builds the unity-catalog children of the trio `parent`; names as the legacy mode's SPs, so switching modes keeps them. */
export function buildUnityCatalogTrio(
    parent: pulumi.ComponentResource,
    name: string,
    args: MlopsWorkspacesArgs,
    ws: Record<EnvName, WorkspaceConnection>,
    azureadProvider: azuread.Provider | undefined,
): UnityCatalogTrio {
    const accountProvider = accountProviderFor(parent, name, args.account);
    const displayName = args.servicePrincipalDisplayName ?? DEFAULT_DEPLOYER_DISPLAY_NAME;
    const catalogs = args.catalogs!;
    const sps = {} as Record<DeployTarget, WorkspaceServicePrincipal>;
    const credentials = {} as Record<DeployTarget, CicdCredential>;
    for (const env of deployTargets()) {
        sps[env] = new WorkspaceServicePrincipal(
            `${name}-${env}`,
            {
                provider: ws[env].provider,
                displayName,
                principal: principalSourceFor(args.servicePrincipals, env, azureadProvider),
                // As in the legacy mode: apps told apart by name; no cluster creation unless asked.
                entraDisplayName: pulumi.interpolate`${displayName} (${env})`,
                allowClusterCreate: args.allowClusterCreate ?? false,
                // Nothing in this mode acts as the SP, and a dynamic AadToken cannot run from non-Node
                // consumers (pulumi/pulumi#5455): mint none, as the legacy trio.
                mintAadToken: false,
            },
            { parent },
        );
        credentials[env] = new CicdCredential(
            `${name}-${env}-cicd`,
            {
                applicationId: sps[env].applicationId,
                servicePrincipalId: sps[env].servicePrincipalId,
                provider: ws[env].provider,
                accountProvider,
                credential: args.cicdCredentials?.[env] ?? {},
            },
            { parent, dependsOn: [sps[env]] },
        );
    }
    const workspaces = perEnv(envNames(), (env) => ({
        provider: ws[env].provider,
        workspaceId: ws[env].workspaceId!,
        catalog: catalogs[env],
    }));
    const sharing = new UnityCatalogSharing(
        `${name}-uc`,
        {
            ...workspaces,
            schemaName: args.modelSchema,
            readers: args.modelReaders,
            deployers: perEnv(deployTargets(), (env) => sps[env].applicationId),
        },
        { parent },
    );
    return { servicePrincipals: sps, sharing, credentials };
}

/** Settings of the legacy mode only, by argument name. */
export const LEGACY_ONLY_ARGS = [
    "additionalTokenUsageGroups",
    "servicePrincipalGroupName",
    "tokenLifetimeSeconds",
    "tokenRotationDays",
] as const;
/** Settings of the unity-catalog mode only. */
export const UNITY_CATALOG_ONLY_ARGS = [
    "catalogs",
    "modelSchema",
    "modelReaders",
    "cicdCredentials",
    "account",
] as const;

/**
 * Mode checks of the trio's args: a known mode; in unity-catalog mode the catalogs and a dev
 * workspace id, and none of the legacy-only settings; in workspace mode none of the unity-catalog ones.
 * The catalogs' own checks are UnityCatalogSharing's and CicdCredential's, run when they are built.
 * `table`: the environments, whose names are the per-environment keys of `args`.
 */
export function checkModelRegistryArgs<N extends string = EnvName>(
    args: Partial<MlopsWorkspacesArgs>,
    problems: Problems,
    table: EnvironmentTable<N> = defaultTable(),
): void {
    const envs = envNames(table);
    const mode = args.modelRegistry ?? ModelRegistryMode.Workspace;
    if (!MODEL_REGISTRY_MODES.includes(mode)) {
        problems.add(
            "modelRegistry",
            `must be ${MODEL_REGISTRY_MODES.map((m) => JSON.stringify(m)).join(" or ")}, got ${describe(mode)}`,
        );
        return;
    }
    const a = args as Record<string, unknown>;
    if (mode === ModelRegistryMode.Workspace) {
        for (const k of UNITY_CATALOG_ONLY_ARGS) {
            if (a[k] !== undefined)
                problems.add(
                    k,
                    `only applies with modelRegistry "unity-catalog" (modelRegistry is "workspace", the legacy default); remove it or switch modes`,
                );
        }
        return;
    }
    for (const k of LEGACY_ONLY_ARGS) {
        if (a[k] !== undefined)
            problems.add(
                k,
                `only applies to the legacy workspace model registry (PATs, token usage, rotation); modelRegistry is "unity-catalog", where no PAT exists: remove it`,
            );
    }
    const catalogs = args.catalogs as Partial<Record<N, ModelCatalogArgs>> | undefined;
    if (!catalogs || typeof catalogs !== "object")
        problems.add(
            "catalogs",
            `is required with modelRegistry "unity-catalog": { ${envs.join(", ")} }, each { name, create?, storageRoot? }`,
        );
    else {
        for (const env of envs) {
            const c = catalogs[env];
            if (!c || typeof c !== "object")
                problems.add(
                    `catalogs.${env}`,
                    `is required: { name, create?, storageRoot? } of the ${env} catalog`,
                );
            else {
                if (!isDeferred(c.name)) checkUcName(problems, `catalogs.${env}.name`, c.name);
                if (c.create !== undefined && typeof c.create !== "boolean")
                    problems.add(
                        `catalogs.${env}.create`,
                        `must be true (create it) or false (use the existing one), got ${describe(c.create)}`,
                    );
                checkCatalogStorageRoot(
                    problems,
                    `catalogs.${env}.storageRoot`,
                    c.storageRoot,
                    c.create,
                    (v) => !isDeferred(v),
                );
            }
        }
        checkDistinctCatalogs(
            problems,
            perEnv(envs, (e) => catalogs[e]?.name),
            (e) => `catalogs.${e}.name`,
            table,
        );
    }
    if (args.modelSchema !== undefined && !isDeferred(args.modelSchema))
        checkUcName(problems, "modelSchema", args.modelSchema);
    const readers = args.modelReaders;
    if (
        readers !== undefined &&
        !isDeferred(readers) &&
        (typeof readers !== "string" || readers.trim() === "")
    ) {
        problems.add(
            "modelReaders",
            `must be the name of an account-level group, e.g. "account users", got ${describe(readers)}`,
        );
    }
    let needsAccount = false;
    const credentials = args.cicdCredentials as Partial<Record<N, CicdCredentialArgs>> | undefined;
    for (const env of deployTargets(table)) {
        if (
            checkCicdCredential(
                problems,
                `cicdCredentials.${env}`,
                credentials?.[env],
                (v) => !isDeferred(v),
            )
        )
            needsAccount = true;
    }
    checkAccountArgs(args, needsAccount, "", problems);
    // The workspace ids of the environments deployed to are required in both modes (validation.ts).
    const workspaces = args as Partial<Record<N, WorkspaceConnectionArgs>>;
    for (const { name: env, deployTarget } of table) {
        const ws = workspaces[env];
        if (deployTarget || !ws || typeof ws !== "object" || ws.workspaceId !== undefined) continue;
        const readOnly = readsOf(env, table).map((r) => `${r}'s`);
        problems.add(
            `${env}.workspaceId`,
            `is required with modelRegistry "unity-catalog": the ${env} catalog is bound to it` +
                (readOnly.length > 0 ? `, and ${andList(readOnly)} read-only to it` : ""),
        );
    }
}

/**
 * The `account` connection (`prefix` = where it sits in the args): checked when given, required when a
 * credential uses federation; the 0.1 `accountProvider` object is refused with what to give instead.
 */
export function checkAccountArgs(
    args: { readonly account?: unknown; readonly accountProvider?: unknown },
    needsAccount: boolean,
    prefix: string,
    problems: Problems,
): void {
    if (args.accountProvider !== undefined) {
        problems.add(
            `${prefix}accountProvider`,
            "is no longer accepted: give `account` ({ accountId, host?, authMethod, credentials }) and the component builds the account provider; see docs/migration-0.2.md",
        );
    }
    if (args.account !== undefined)
        validateAccountConnection(args.account as never, `${prefix}account`, problems);
    else if (needsAccount) {
        problems.add(
            `${prefix}account`,
            "is required when a CI/CD credential uses method federation: { accountId, authMethod?, … } of the Databricks account (https://accounts.azuredatabricks.net; federation policies are an account API)",
        );
    }
}
