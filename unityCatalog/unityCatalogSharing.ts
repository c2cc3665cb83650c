/**
 * UnityCatalogSharing: the trio's Models in Unity Catalog, dev → staging → prod, instead of remote
 * registries reached with PATs. For each environment:
 *
 * - a catalog, created `ISOLATED` or an existing one named by the user (checked to exist and be isolated);
 * - a schema for models in it (`<catalog>.<schema>.<model>`);
 * - workspace bindings: read-write to its own workspace (never unbound on delete: schemas and grants are
 *   deleted through it), read-only to the workspaces that read it
 *   (dev reads staging and prod; staging reads prod);
 * - grants, one per principal and securable (never the authoritative databricks.Grants, and no
 *   catalog-level grant on a catalog the package did not create), see {@link trioGrantPlan}.
 *
 * Every resource goes through the provider of the workspace that owns the catalog: bindings and
 * grants are workspace-level APIs (terraform-provider-databricks docs/resources/workspace_binding.md,
 * grant.md). All three workspaces must be attached to the same metastore. See docs/unity-catalog.md.
 */
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import { Problems, checkWhenKnown, isDeferred } from "../core";
import {
    checkCatalogStorageRoot,
    checkDistinctCatalogs,
    checkStorageRoot,
    checkUcName,
} from "./names";
import {
    bindingPlan,
    DEFAULT_MODEL_READERS,
    DEFAULT_MODEL_SCHEMA,
    GrantRole,
    trioGrantPlan,
    useCatalogStatements,
} from "./plan";
import {
    defaultTable,
    deployTargets,
    EnvironmentTable,
    EnvName,
    envNames,
    flatPerEnv,
    isDeployTarget,
    perEnv,
    readersOf,
} from "../core";

export const UNITY_CATALOG_SHARING_TYPE = "azure-databricks-mlops:index:UnityCatalogSharing";

/** The catalog of one environment. */
export interface ModelCatalogArgs {
    /** Catalog name, lowercase, e.g. `mlops_prod`. Renaming a created catalog replaces its schema: see docs/unity-catalog.md. */
    readonly name: pulumi.Input<string>;
    /**
     * Create the catalog (isolated, owned by the deployer) or use an existing one, which must be
     * `ISOLATED` already and on which the package makes no catalog-level grant. Defaults to true.
     */
    readonly create?: boolean;
    /**
     * Managed storage location of a created catalog, an `abfss://<container>@<account>.dfs.core.windows.net/<path>`
     * URL covered by an external location on which the deployer has CREATE MANAGED STORAGE. Required when
     * the metastore has no storage root (metastores from Azure's automatic enablement have none): creating
     * the catalog fails there with `Metastore storage root URL does not exist`. It forces a new catalog
     * when changed (terraform-provider-databricks catalog/resource_catalog.go), so set it when the catalog
     * is created, never on one already created. Only with `create`; defaults to the metastore's root.
     */
    readonly storageRoot?: pulumi.Input<string>;
}

/** One workspace of the trio, as Unity Catalog sharing needs it. */
export interface UnityCatalogWorkspaceArgs {
    /** Provider of the workspace, authenticated as a workspace admin who may create catalogs (or schemas in the existing one). */
    readonly provider: databricks.Provider;
    /** Numeric workspace id, e.g. "1234567890123456": what bindings name. */
    readonly workspaceId: pulumi.Input<string>;
    /** The environment's catalog. */
    readonly catalog: ModelCatalogArgs;
}

/** The deploying principals: application ids of the staging and prod service principals. */
export interface UnityCatalogDeployersArgs {
    readonly staging: pulumi.Input<string>;
    readonly prod: pulumi.Input<string>;
}

export interface UnityCatalogSharingArgs {
    readonly dev: UnityCatalogWorkspaceArgs;
    readonly staging: UnityCatalogWorkspaceArgs;
    readonly prod: UnityCatalogWorkspaceArgs;
    /** Schema for models in each catalog. Defaults to `models`. */
    readonly schemaName?: pulumi.Input<string>;
    /** Account-level group that reads staging and prod models from the reading workspaces (and develops in dev). Defaults to `account users`. */
    readonly readers?: pulumi.Input<string>;
    /** Principals that register and serve models in staging and prod. */
    readonly deployers: UnityCatalogDeployersArgs;
}

/** The deployers by environment, undefined where none deploys (dev). */
const deployersByEnv = (
    args: UnityCatalogSharingArgs,
): Partial<Record<EnvName, pulumi.Input<string>>> => args.deployers ?? {};

export class UnityCatalogSharing extends pulumi.ComponentResource {
    // Set from per-environment records (flatPerEnv) in the constructor.
    public readonly devCatalogName!: pulumi.Output<string>;
    public readonly stagingCatalogName!: pulumi.Output<string>;
    public readonly prodCatalogName!: pulumi.Output<string>;
    public readonly devModelSchemaName!: pulumi.Output<string>;
    public readonly stagingModelSchemaName!: pulumi.Output<string>;
    public readonly prodModelSchemaName!: pulumi.Output<string>;
    /** `<catalog>.<schema>`: register models as `<prefix>.<model>`. */
    public readonly devModelNamePrefix!: pulumi.Output<string>;
    public readonly stagingModelNamePrefix!: pulumi.Output<string>;
    public readonly prodModelNamePrefix!: pulumi.Output<string>;

    constructor(
        name: string,
        args: UnityCatalogSharingArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        validateUnityCatalogSharingArgs(args).throwAsInputErrors(UNITY_CATALOG_SHARING_TYPE, name);
        super(UNITY_CATALOG_SHARING_TYPE, name, {}, opts);

        const schemaName = checkWhenKnown(
            args.schemaName ?? DEFAULT_MODEL_SCHEMA,
            "schemaName",
            checkUcName,
            UNITY_CATALOG_SHARING_TYPE,
            name,
        );
        const readers = args.readers ?? DEFAULT_MODEL_READERS;
        const envs = envNames();
        const created = perEnv(envs, (e) => args[e].catalog.create !== false);

        const catalogs = {} as Record<EnvName, pulumi.Output<string>>;
        const schemas = {} as Record<EnvName, databricks.Schema>;
        for (const env of envs) {
            const ws = args[env];
            const childOpts = { parent: this, provider: ws.provider };
            const catalogName = checkWhenKnown(
                ws.catalog.name,
                `${env}.catalog.name`,
                checkUcName,
                UNITY_CATALOG_SHARING_TYPE,
                name,
            );
            catalogs[env] = created[env]
                ? new databricks.Catalog(
                      `${name}-${env}-catalog`,
                      // Isolated: reachable only from the workspaces bound below. No forceDestroy: deleting a catalog
                      // that still holds models fails instead of deleting them.
                      {
                          name: catalogName,
                          isolationMode: "ISOLATED",
                          comment: `Models of the ${env} environment (azure-databricks-mlops)`,
                          storageRoot: storageRootOf(
                              ws.catalog,
                              `${env}.catalog.storageRoot`,
                              name,
                          ),
                      },
                      childOpts,
                  ).name
                : existingCatalog(this, name, env, catalogName, ws.provider);
            schemas[env] = new databricks.Schema(
                `${name}-${env}-schema`,
                {
                    catalogName: catalogs[env],
                    name: schemaName,
                    comment: `Registered models of the ${env} environment (azure-databricks-mlops)`,
                },
                childOpts,
            );
        }

        for (const b of bindingPlan()) {
            new databricks.WorkspaceBinding(
                `${name}-${b.catalogEnv}-binding-${b.workspaceEnv}`,
                {
                    securableType: "catalog",
                    securableName: catalogs[b.catalogEnv],
                    workspaceId: args[b.workspaceEnv].workspaceId,
                    bindingType: b.bindingType,
                },
                {
                    parent: this,
                    provider: args[b.catalogEnv].provider,
                    // Every input forces replacement and delete unbinds that workspace: the default create-then-delete
                    // would remove the binding the replacement just made (resource_workspace_binding.go).
                    deleteBeforeReplace: true,
                    // Never unbind a catalog from its own workspace: schemas and grants in it are deleted through that
                    // workspace, and the engine may delete this binding first (nothing depends on it), after which
                    // those deletes are refused (terraform-provider-databricks#5300). A created catalog needs the
                    // binding for life anyway: creating it ISOLATED binds the current workspace, and deleting it binds
                    // that workspace again first (catalog/resource_catalog.go, Create and Delete); the user's own
                    // catalog stays bound when this stack lets go of it.
                    retainOnDelete: b.catalogEnv === b.workspaceEnv,
                },
            );
        }

        const deployers = deployersByEnv(args);
        const principal = perEnv(
            envs,
            (env): Record<GrantRole, pulumi.Input<string> | undefined> => ({
                readers,
                deployer: deployers[env],
            }),
        );
        for (const g of trioGrantPlan(created)) {
            const securable =
                g.securable === "catalog"
                    ? { catalog: catalogs[g.env] }
                    : {
                          schema: pulumi.interpolate`${schemas[g.env].catalogName}.${schemas[g.env].name}`,
                      };
            new databricks.Grant(
                `${name}-${g.env}-${g.securable}-grant-${g.role}`,
                { ...securable, principal: principal[g.env][g.role]!, privileges: g.privileges },
                { parent: this, provider: args[g.env].provider },
            );
        }
        warnAboutExistingCatalogs(this, args, created, readers);

        const outputs = {
            ...flatPerEnv(
                perEnv(envs, (e) => schemas[e].catalogName),
                "CatalogName",
            ),
            ...flatPerEnv(
                perEnv(envs, (e) => schemas[e].name),
                "ModelSchemaName",
            ),
            ...flatPerEnv(
                perEnv(
                    envs,
                    (e) => pulumi.interpolate`${schemas[e].catalogName}.${schemas[e].name}`,
                ),
                "ModelNamePrefix",
            ),
        } satisfies Pick<
            UnityCatalogSharing,
            `${EnvName}${"CatalogName" | "ModelSchemaName" | "ModelNamePrefix"}`
        >;
        Object.assign(this, outputs);
        this.registerOutputs(outputs);
    }
}

/** The catalog's storageRoot, when set: checked when known (plain values by the validator). */
function storageRootOf(
    catalog: ModelCatalogArgs,
    path: string,
    name: string,
): pulumi.Input<string> | undefined {
    return catalog.storageRoot === undefined
        ? undefined
        : checkWhenKnown(
              catalog.storageRoot,
              path,
              checkStorageRoot,
              UNITY_CATALOG_SHARING_TYPE,
              name,
          );
}

/**
 * An existing catalog by name, looked up in its workspace: the deployment fails with a clear message
 * when it is missing (the lookup fails) or `OPEN` (bindings require `ISOLATED`).
 */
export function existingCatalog(
    parent: pulumi.Resource,
    name: string,
    env: string,
    catalogName: pulumi.Input<string>,
    provider: databricks.Provider,
): pulumi.Output<string> {
    return databricks.getCatalogOutput({ name: catalogName }, { parent, provider }).apply((c) => {
        const mode = c.catalogInfo?.isolationMode;
        if (mode !== undefined && mode !== "ISOLATED") {
            const problems = new Problems();
            problems.add(
                `${env}.catalog`,
                `names the existing catalog ${JSON.stringify(c.name)}, whose isolation mode is ${mode}; workspace bindings need ISOLATED ` +
                    "(Catalog Explorer → the catalog → Workspaces → uncheck 'All workspaces have access'), or set create: true with a new name",
            );
            problems.throwAsInputErrors(UNITY_CATALOG_SHARING_TYPE, name);
        }
        return c.name;
    });
}

/** Says once which grants a catalog the user brought needs, since the package leaves its catalog-level grants alone. */
function warnAboutExistingCatalogs(
    self: pulumi.Resource,
    args: UnityCatalogSharingArgs,
    created: Record<EnvName, boolean>,
    readers: pulumi.Input<string>,
): void {
    const deployers = deployersByEnv(args);
    for (const env of envNames()) {
        if (created[env]) continue;
        const deployTarget = isDeployTarget(env);
        const deployer = deployTarget ? [deployers[env]!] : [];
        const readersNeeded = !deployTarget || readersOf(env).length > 0 ? [readers] : [];
        pulumi
            .all([args[env].catalog.name, ...readersNeeded, ...deployer])
            .apply(([catalog, ...principals]) => {
                pulumi.log.warn(
                    `The ${env} catalog ${catalog} is not created by this stack, so no catalog-level grant is made on it (a databricks.Grant would ` +
                        `replace what its principal already holds there). Run once, as its owner:\n  ${useCatalogStatements(catalog, principals).join(";\n  ")}`,
                    self,
                );
            });
    }
}

/**
 * Presence and plain-value checks; Outputs are checked once known by the constructor. `table`: the
 * environments, whose names are the keys of `args` (the default table: dev, staging, prod).
 */
export function validateUnityCatalogSharingArgs<N extends string = EnvName>(
    args: UnityCatalogSharingArgs,
    problems: Problems = new Problems(),
    table: EnvironmentTable<N> = defaultTable(),
): Problems {
    const byEnv = args as unknown as Partial<Record<N, UnityCatalogWorkspaceArgs>>;
    const deployers = (args.deployers ?? {}) as Partial<Record<N, pulumi.Input<string>>>;
    const targets = deployTargets(table);
    for (const env of envNames(table)) {
        const ws = byEnv[env];
        if (!ws || typeof ws !== "object") {
            problems.add(
                env,
                "is required: { provider, workspaceId, catalog: { name, create?, storageRoot? } }",
            );
            continue;
        }
        if (!databricks.Provider.isInstance(ws.provider))
            problems.add(
                `${env}.provider`,
                `must be the databricks.Provider of the ${env} workspace`,
            );
        if (ws.workspaceId === undefined)
            problems.add(
                `${env}.workspaceId`,
                "is required in unity-catalog mode: the numeric workspace id that bindings name",
            );
        if (!ws.catalog || typeof ws.catalog !== "object")
            problems.add(
                `${env}.catalog`,
                "is required: { name, create?, storageRoot? } of the environment's catalog",
            );
        else {
            if (!pulumi.Output.isInstance(ws.catalog.name))
                checkUcName(problems, `${env}.catalog.name`, ws.catalog.name);
            if (ws.catalog.create !== undefined && typeof ws.catalog.create !== "boolean")
                problems.add(`${env}.catalog.create`, "must be true or false");
            checkCatalogStorageRoot(
                problems,
                `${env}.catalog.storageRoot`,
                ws.catalog.storageRoot,
                ws.catalog.create,
                (v) => !isDeferred(v),
            );
        }
    }
    checkDistinctCatalogs(
        problems,
        perEnv(envNames(table), (e) => byEnv[e]?.catalog?.name),
        (e) => `${e}.catalog.name`,
        table,
    );
    if (!args.deployers || targets.some((t) => deployers[t] === undefined)) {
        problems.add(
            "deployers",
            `is required: { ${targets.join(", ")} } application ids of the principals that register models there`,
        );
    }
    if (args.schemaName !== undefined && !pulumi.Output.isInstance(args.schemaName))
        checkUcName(problems, "schemaName", args.schemaName);
    const r = args.readers;
    if (
        r !== undefined &&
        !pulumi.Output.isInstance(r) &&
        (typeof r !== "string" || r.trim() === "")
    ) {
        problems.add(
            "readers",
            `must be the name of an account-level group, e.g. "${DEFAULT_MODEL_READERS}"`,
        );
    }
    return problems;
}
