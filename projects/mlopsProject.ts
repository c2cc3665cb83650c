/**
 * MlopsProject: what the Terraform modules `mlops-azure-project-with-sp-linking` / `-with-sp-creation`
 * did. In the staging and prod workspaces: a service principal for the project's CI/CD (linked to an
 * existing Entra app or created), in the service-principal group; the project directory; CAN_MANAGE
 * on it for the SP. Exposes both SPs' AAD tokens as secrets.
 *
 * With `modelRegistry: "unity-catalog"`: no group (nothing needs token usage), and the project's own
 * schemas in the staging and prod catalogs with grants for its SPs (projects/unityCatalogProject.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import {
    Problems,
    DeferredArgsCheck,
    WHOLE_OBJECT_DEFERRED,
    isDeferred,
    DeployTarget,
    deployTargets,
    flatPerEnv,
    perEnv,
} from "../core";
import {
    PrincipalSource,
    WorkspaceServicePrincipal,
    checkPrincipalIds,
    validatePrincipalSource,
} from "../principals";
import { DEFAULT_SERVICE_PRINCIPAL_GROUP_NAME, checkDistinctWorkspaces } from "../workspaces";
import {
    ServicePrincipalsArgs,
    WorkspaceConnectionArgs,
    accountProviderFor,
    entraProviderFor,
    principalSourceFor,
    workspaceConnections,
    validateConnection,
    validateEntra,
} from "../connections";
import { MODEL_REGISTRY_MODES, ModelRegistryMode, CicdCredential } from "../unityCatalog";
import {
    ProjectUnityCatalogArgs,
    UnityCatalogProject,
    validateProjectUnityCatalogArgs,
} from "./unityCatalogProject";
import {
    checkProjectDirectoryPath,
    checkServicePrincipalName,
    parentDirectoriesToCreate,
} from "./validation";

export const MLOPS_PROJECT_TYPE = "azure-databricks-mlops:index:MlopsProject";

export interface MlopsProjectArgs {
    /** The staging workspace, reached as a workspace admin. */
    readonly staging: WorkspaceConnectionArgs;
    /** The prod workspace, reached as a workspace admin. */
    readonly prod: WorkspaceConnectionArgs;
    /** Display name of the project's service principals (both workspaces; and the Entra apps in create mode). Non-empty. */
    readonly servicePrincipalName: pulumi.Input<string>;
    /**
     * Workspace directory for the project, the same path in staging and prod: absolute, no trailing
     * slash, no `.`/`..` segments. Its parent folders must exist unless `createParentDirectories` is set.
     */
    readonly projectDirectoryPath: pulumi.Input<string>;
    /** Link existing Entra apps (`mode: link`, `staging`, `prod`) or create them in a tenant (`mode: create`, `tenantId`). */
    readonly servicePrincipals: ServicePrincipalsArgs;
    /**
     * Name of the Databricks group the SPs join, looked up in each workspace. With the trio in the same
     * program, pass `MlopsWorkspaces.servicePrincipalGroupName` and `{ dependsOn: [trio] }` so the
     * lookups wait for the groups. Defaults to `mlops-service-principals`.
     */
    readonly servicePrincipalGroupName?: pulumi.Input<string>;
    /**
     * Also declare the missing parent folders of `projectDirectoryPath` (never built-in or home
     * folders), kept on delete because they are usually shared. Needs a plain-string path. Defaults to false.
     */
    readonly createParentDirectories?: boolean;
    /**
     * Let the project's staging and prod SPs create clusters. Defaults to false (the Terraform modules
     * set true; 0.1 did too): set true to keep that. An entitlement of `databricks_service_principal`,
     * updated in place (terraform-provider-databricks scim/resource_service_principal.go Update;
     * Read sets it from the SP's entitlements, scim/scim.go), so changing it replaces nothing.
     */
    readonly allowClusterCreate?: pulumi.Input<boolean>;
    /** `workspace` (legacy, the default) or `unity-catalog`: then `unityCatalog` is required and `servicePrincipalGroupName` does not apply. */
    readonly modelRegistry?: ModelRegistryMode;
    /** unity-catalog mode: the staging and prod catalogs and the project's schema in them. */
    readonly unityCatalog?: ProjectUnityCatalogArgs;
    /**
     * Mint an AAD token per SP that has a client secret (linked with `clientSecret`, or created), for
     * the `*ServicePrincipalAadToken` outputs. It is an `AadToken` dynamic resource, which runs only in a
     * TypeScript/JavaScript program (pulumi/pulumi#5455): set false from Python, Go, C#, Java or YAML
     * (docs/multi-language.md). Defaults to true (the outputs, and the URNs, of 0.1).
     */
    readonly mintAadTokens?: boolean;
}

/** A project lives in the environments deployed to. */
type Env = DeployTarget;

// Kept off the instance: every field of a component is an output in the multi-language schema.
const PARTS = new WeakMap<
    MlopsProject,
    { sps: Record<Env, WorkspaceServicePrincipal>; providers: Record<Env, databricks.Provider> }
>();

/**
 * One MLOps project in the staging and prod workspaces: a CI/CD service principal in each (linked or
 * created), the project's workspace directory with CAN_MANAGE for it, and with
 * `modelRegistry: "unity-catalog"` the project's schemas and grants. See docs/projects.md.
 */
export class MlopsProject extends pulumi.ComponentResource {
    /** The project directory (the same path in both workspaces). */
    public readonly projectDirectoryPath!: pulumi.Output<string>;
    /** Application id of the staging SP, equal to its Entra app's client id. */
    public readonly stagingServicePrincipalApplicationId!: pulumi.Output<string>;
    /** Application id of the prod SP, equal to its Entra app's client id. */
    public readonly prodServicePrincipalApplicationId!: pulumi.Output<string>;
    /** AAD access token of the staging SP (Azure Databricks scope): minted, or the given one; undefined with `mintAadTokens: false` unless given. Secret. */
    public readonly stagingServicePrincipalAadToken?: pulumi.Output<string>;
    /** AAD access token of the prod SP (Azure Databricks scope), as the staging one. Secret. */
    public readonly prodServicePrincipalAadToken?: pulumi.Output<string>;
    /** Client secret of the created staging Entra app (create mode only; renewed every `clientSecretRotationDays` period, default 180, valid two periods). Secret. */
    public readonly stagingServicePrincipalClientSecret?: pulumi.Output<string>;
    /** Client secret of the created prod Entra app (create mode only). Secret. */
    public readonly prodServicePrincipalClientSecret?: pulumi.Output<string>;
    /** The staging service principal, for wiring more resources to it. TypeScript only. */
    public get stagingServicePrincipal(): WorkspaceServicePrincipal {
        return PARTS.get(this)!.sps.staging;
    }
    /** The prod service principal. TypeScript only. */
    public get prodServicePrincipal(): WorkspaceServicePrincipal {
        return PARTS.get(this)!.sps.prod;
    }
    /** The admin providers built from the connections (`<name>-staging`, `<name>-prod`). TypeScript only. */
    public get workspaceProviders(): Record<Env, databricks.Provider> {
        return PARTS.get(this)!.providers;
    }
    /** unity-catalog mode: Databricks OAuth secret of the staging SP (CI/CD method oauth-secret). Secret. */
    public readonly stagingServicePrincipalOAuthSecret?: pulumi.Output<string>;
    /** unity-catalog mode: Databricks OAuth secret of the prod SP (CI/CD method oauth-secret). Secret. */
    public readonly prodServicePrincipalOAuthSecret?: pulumi.Output<string>;
    /** unity-catalog mode: `<catalog>.<schema>` of the project's models in staging. */
    public readonly stagingModelNamePrefix?: pulumi.Output<string>;
    /** unity-catalog mode: `<catalog>.<schema>` of the project's models in prod. */
    public readonly prodModelNamePrefix?: pulumi.Output<string>;

    constructor(name: string, args: MlopsProjectArgs, opts?: pulumi.ComponentResourceOptions) {
        // Bad arguments fail before anything, the component included, is registered.
        validateProjectArgs(args).throwAsInputErrors(MLOPS_PROJECT_TYPE, name);
        super(MLOPS_PROJECT_TYPE, name, {}, opts);
        // Values only known at deployment are checked by the same rules once known: children get them,
        // and the outputs resolve, only if they pass.
        const checks = new DeferredArgsCheck(args, validateProjectArgs, MLOPS_PROJECT_TYPE, name);
        args = checks.gateAll(args);
        // Connections → what the rest needs: a provider per workspace, the Entra provider in create mode.
        const envs = deployTargets();
        const ws = workspaceConnections(this, name, args, envs);
        const azureadProvider = entraProviderFor(this, name, args.servicePrincipals);

        const displayName = args.servicePrincipalName;
        const path = args.projectDirectoryPath;
        const groupName = args.servicePrincipalGroupName ?? DEFAULT_SERVICE_PRINCIPAL_GROUP_NAME;
        const uc = args.modelRegistry === ModelRegistryMode.UnityCatalog;

        const inEnv = (env: Env) => {
            const { provider } = ws[env];
            // Invokes do not inherit the component's dependsOn: pass it on, so that with `{ dependsOn: [trio] }`
            // the lookup waits for the trio's group in this very workspace (its name output alone
            // carries only one workspace's group).
            const group = uc
                ? undefined
                : databricks.getGroupOutput(
                      { displayName: groupName },
                      { parent: this, provider, dependsOn: opts?.dependsOn },
                  );
            const sp = new WorkspaceServicePrincipal(
                `${name}-${env}`,
                {
                    provider,
                    displayName,
                    principal: principalSourceFor(args.servicePrincipals, env, azureadProvider),
                    groupId: group?.id,
                    // Staging and prod apps live in one tenant: tell them apart by name.
                    entraDisplayName: pulumi.interpolate`${displayName} (${env})`,
                    mintAadToken: args.mintAadTokens ?? true,
                    allowClusterCreate: args.allowClusterCreate ?? false,
                },
                { parent: this },
            );
            const parents = args.createParentDirectories
                ? this.parentDirectories(name, env, args.projectDirectoryPath as string, provider)
                : [];
            const directory = new databricks.Directory(
                `${name}-${env}-directory`,
                { path },
                { parent: this, provider, dependsOn: parents.slice(-1) },
            );
            new databricks.Permissions(
                `${name}-${env}-directory-permissions`,
                {
                    directoryPath: directory.path,
                    accessControls: [
                        { servicePrincipalName: sp.applicationId, permissionLevel: "CAN_MANAGE" },
                    ],
                },
                { parent: this, provider },
            );
            return { sp, directory };
        };
        const parts = perEnv(envs, inEnv);
        const sps = perEnv(envs, (env) => parts[env].sp);
        let ucOutputs = {};
        if (uc) {
            const { cicdCredentials, account, ...catalogs } = args.unityCatalog!;
            const accountProvider = accountProviderFor(this, name, account);
            const models = new UnityCatalogProject(
                `${name}-uc`,
                {
                    ...catalogs,
                    ...flatPerEnv(
                        perEnv(envs, (env) => ws[env].provider),
                        "Provider",
                    ),
                    ...flatPerEnv(
                        perEnv(envs, (env) => sps[env].applicationId),
                        "Principal",
                    ),
                },
                { parent: this },
            );
            const credential = (env: Env, sp: WorkspaceServicePrincipal) =>
                new CicdCredential(
                    `${name}-${env}-cicd`,
                    {
                        applicationId: sp.applicationId,
                        servicePrincipalId: sp.servicePrincipalId,
                        provider: ws[env].provider,
                        accountProvider,
                        credential: cicdCredentials?.[env] ?? {},
                    },
                    { parent: this, dependsOn: [sp] },
                );
            ucOutputs = {
                ...flatPerEnv(
                    perEnv(envs, (env) => checks.output(models[`${env}ModelNamePrefix` as const])),
                    "ModelNamePrefix",
                ),
                ...flatPerEnv(
                    perEnv(envs, (env) => checks.output(credential(env, sps[env]).oauthSecret)),
                    "ServicePrincipalOAuthSecret",
                ),
            } satisfies Pick<
                MlopsProject,
                `${Env}${"ModelNamePrefix" | "ServicePrincipalOAuthSecret"}`
            >;
        }

        PARTS.set(this, {
            sps,
            providers: perEnv(envs, (env) => ws[env].provider),
        });
        const outputs = {
            // The same path in every workspace: the last one's directory is the output.
            projectDirectoryPath: checks.output(parts[envs[envs.length - 1]].directory.path),
            ...flatPerEnv(
                perEnv(envs, (env) => checks.output(sps[env].applicationId)),
                "ServicePrincipalApplicationId",
            ),
            // Set unless mintAadTokens is false and no token was given.
            ...flatPerEnv(
                perEnv(envs, (env) =>
                    checks.output(sps[env].aadToken && pulumi.secret(sps[env].aadToken)),
                ),
                "ServicePrincipalAadToken",
            ),
        } satisfies Pick<
            MlopsProject,
            | "projectDirectoryPath"
            | `${Env}${"ServicePrincipalApplicationId" | "ServicePrincipalAadToken"}`
        >;
        const clientSecrets = flatPerEnv(
            perEnv(envs, (env) => checks.output(sps[env].clientSecret)),
            "ServicePrincipalClientSecret",
        ) satisfies Pick<MlopsProject, `${Env}ServicePrincipalClientSecret`>;
        Object.assign(this, outputs, clientSecrets, ucOutputs);
        this.registerOutputs({ ...outputs, ...ucOutputs });
    }

    /** Parent folders, outermost first, each waiting for the one above it; kept on delete (shared). */
    private parentDirectories(
        name: string,
        env: Env,
        path: string,
        provider: databricks.Provider,
    ): databricks.Directory[] {
        const dirs: databricks.Directory[] = [];
        for (const dir of parentDirectoriesToCreate(path)) {
            dirs.push(
                new databricks.Directory(
                    // Keyed by the folder's path, not its position.
                    `${name}-${env}-parent${dir.replace(/\//g, "-")}`,
                    { path: dir },
                    { parent: this, provider, retainOnDelete: true, dependsOn: dirs.slice(-1) },
                ),
            );
        }
        return dirs;
    }
}

/**
 * Checks everything knowable: plain values fully; the constructor runs it again once the Outputs in
 * the args are known ({@link DeferredArgsCheck}). Property paths as the user wrote them, e.g. `servicePrincipals.prod.clientId`.
 */
export function validateProjectArgs(args: MlopsProjectArgs): Problems {
    const problems = new Problems();
    const envs = deployTargets();
    for (const env of envs) validateConnection(args[env], env, problems);
    checkDistinctWorkspaces(problems, args, envs);
    if (!isDeferred(args.servicePrincipalName))
        checkServicePrincipalName(problems, "servicePrincipalName", args.servicePrincipalName);
    const pathKnown = !isDeferred(args.projectDirectoryPath);
    if (pathKnown)
        checkProjectDirectoryPath(problems, "projectDirectoryPath", args.projectDirectoryPath);
    if (args.createParentDirectories && !pathKnown) {
        problems.add(
            "createParentDirectories",
            "needs projectDirectoryPath as a plain string (the parent folders to declare are computed from it)",
        );
    }
    const group = args.servicePrincipalGroupName;
    if (
        group !== undefined &&
        !isDeferred(group) &&
        (typeof group !== "string" || group.trim() === "")
    ) {
        problems.add(
            "servicePrincipalGroupName",
            "must be a non-empty group name, or left unset for mlops-service-principals",
        );
    }
    const mode = args.modelRegistry ?? ModelRegistryMode.Workspace;
    if (!MODEL_REGISTRY_MODES.includes(mode))
        problems.add(
            "modelRegistry",
            `must be "workspace" or "unity-catalog", got ${JSON.stringify(mode)}`,
        );
    else if (mode === ModelRegistryMode.UnityCatalog) {
        validateProjectUnityCatalogArgs(args.unityCatalog, problems, "unityCatalog.");
        if (group !== undefined)
            problems.add(
                "servicePrincipalGroupName",
                `only applies to the legacy workspace model registry (the SP group has token usage); modelRegistry is "unity-catalog": remove it`,
            );
    } else if (args.unityCatalog !== undefined) {
        problems.add(
            "unityCatalog",
            `only applies with modelRegistry "unity-catalog" (modelRegistry is "workspace", the legacy default)`,
        );
    }
    if (args.mintAadTokens !== undefined && typeof args.mintAadTokens !== "boolean") {
        problems.add(
            "mintAadTokens",
            `must be true (an AadToken dynamic resource per SP, TypeScript programs only) or false (no *ServicePrincipalAadToken outputs), got ${JSON.stringify(args.mintAadTokens)}`,
        );
    }
    const sps = args.servicePrincipals as ServicePrincipalsArgs | undefined;
    const deferredEnv = isDeferred(sps) ? undefined : envs.find((env) => isDeferred(sps?.[env]));
    if (isDeferred(sps) || deferredEnv !== undefined) {
        problems.add(
            isDeferred(sps) ? "servicePrincipals" : `servicePrincipals.${deferredEnv}`,
            WHOLE_OBJECT_DEFERRED,
        );
    } else if (sps?.mode === "link") {
        for (const env of envs) {
            if (sps[env] === undefined)
                problems.add(
                    `servicePrincipals.${env}`,
                    `must be the linked Entra app for ${env}: { clientId, clientSecret + tenantId | aadToken }`,
                );
            else {
                const linked: PrincipalSource = { mode: "link", ...sps[env] };
                checkPrincipalIds(
                    linked,
                    `servicePrincipals.${env}`,
                    validatePrincipalSource(linked, `servicePrincipals.${env}`, problems),
                );
            }
        }
    } else if (sps?.mode === "create") {
        const created: PrincipalSource = {
            mode: "create",
            tenantId: sps.tenantId!,
            clientSecretRotationDays: sps.clientSecretRotationDays,
        };
        checkPrincipalIds(
            created,
            "servicePrincipals",
            validatePrincipalSource(created, "servicePrincipals", problems),
        );
        validateEntra(sps.entra, "servicePrincipals.entra", problems);
    } else {
        problems.add(
            "servicePrincipals",
            `must be { mode: "link", ${envs.map((env) => `${env}: { clientId, … }`).join(", ")} } or { mode: "create", tenantId }`,
        );
    }
    return problems;
}
