/**
 * The pure plan of the `unity-catalog` model-registry mode: which catalog is bound to which workspace
 * and how, which principal gets which privilege on which securable, both derived from the table of
 * environments (core/environments.ts). No Pulumi resources here: tested without mocks. The checks of
 * names and settings are in names.ts and cicdCredentialCheck.ts, the modes in modes.ts.
 *
 * Sources: Databricks, "Unity Catalog privileges and securable objects" and "Manage model lifecycle in
 * Unity Catalog" (registering needs USE CATALOG + USE SCHEMA + CREATE MODEL on the schema; loading and
 * serving need EXECUTE); terraform-provider-databricks catalog/resource_grant.go (a grant owns one
 * principal's privileges on one securable) and catalog/resource_workspace_binding.go. See
 * docs/unity-catalog.md.
 */
import { defaultTable, EnvName, EnvironmentTable, readersOf } from "../core";

/** Unity Catalog privilege names as the Grants API and databricks.Grant spell them (underscores). */
export const UcPrivilege = {
    UseCatalog: "USE_CATALOG",
    UseSchema: "USE_SCHEMA",
    Execute: "EXECUTE",
    CreateModel: "CREATE_MODEL",
} as const;

/** The readers group default: the account-level group of every user (workspace-local groups such as `users` cannot hold Unity Catalog privileges). */
export const DEFAULT_MODEL_READERS = "account users";
/** The trio's schema for models in each catalog. */
export const DEFAULT_MODEL_SCHEMA = "models";

export const BindingType = {
    ReadWrite: "BINDING_TYPE_READ_WRITE",
    ReadOnly: "BINDING_TYPE_READ_ONLY",
} as const;

export interface BindingSpec<N extends string = EnvName> {
    /** The environment whose catalog is bound. */
    readonly catalogEnv: N;
    /** The workspace it is bound to. */
    readonly workspaceEnv: N;
    readonly bindingType: string;
}

/** Each catalog read-write to its own workspace, read-only to the workspaces that read it (dev reads staging and prod; staging reads prod). */
export function bindingPlan<N extends string = EnvName>(
    table: EnvironmentTable<N> = defaultTable(),
): BindingSpec<N>[] {
    return table.flatMap(({ name: env }) => [
        { catalogEnv: env, workspaceEnv: env, bindingType: BindingType.ReadWrite },
        ...readersOf(env, table).map((reader) => ({
            catalogEnv: env,
            workspaceEnv: reader,
            bindingType: BindingType.ReadOnly,
        })),
    ]);
}

/** A principal by its stable role in the plan (the grant's resource name), never by list position. */
export type GrantRole = "readers" | "deployer";

export interface GrantSpec<N extends string = EnvName> {
    readonly env: N;
    readonly securable: "catalog" | "schema";
    readonly role: GrantRole;
    /** Sorted, so the resource does not diff on order. */
    readonly privileges: string[];
}

/**
 * The trio's grants, one per (securable, principal) because a databricks.Grant owns all of its
 * principal's privileges on its securable (two for one pair would undo each other). Catalog-level
 * grants only on catalogs the package creates (`createdCatalogs`): on a catalog the user brought, a
 * Grant would replace privileges its principal already holds there.
 *
 * - an environment developed in (dev): the readers develop there: USE CATALOG; USE SCHEMA, EXECUTE,
 *   CREATE MODEL on the models schema;
 * - one deployed to (staging, prod): the readers (in the reading workspaces) USE CATALOG; USE SCHEMA,
 *   EXECUTE; the environment's deploying SP USE CATALOG; USE SCHEMA, CREATE MODEL, EXECUTE (register
 *   and serve).
 */
export function trioGrantPlan<N extends string = EnvName>(
    createdCatalogs: Record<NoInfer<N>, boolean>,
    table: EnvironmentTable<N> = defaultTable(),
): GrantSpec<N>[] {
    const specs: GrantSpec<N>[] = [];
    const add = (
        env: N,
        securable: "catalog" | "schema",
        role: GrantRole,
        privileges: string[],
    ) => {
        if (securable === "catalog" && !createdCatalogs[env]) return;
        specs.push({ env, securable, role, privileges: [...new Set(privileges)].sort() });
    };
    const P = UcPrivilege;
    for (const { name: env, deployTarget } of table) {
        if (!deployTarget) {
            add(env, "catalog", "readers", [P.UseCatalog]);
            add(env, "schema", "readers", [P.UseSchema, P.Execute, P.CreateModel]);
            continue;
        }
        add(env, "catalog", "readers", [P.UseCatalog]);
        add(env, "schema", "readers", [P.UseSchema, P.Execute]);
        add(env, "catalog", "deployer", [P.UseCatalog]);
        add(env, "schema", "deployer", [P.UseSchema, P.CreateModel, P.Execute]);
    }
    return specs;
}

/** Privileges a CI/CD principal gets on its own schema: register (CREATE MODEL) and load/serve (EXECUTE). */
export const DEPLOYER_SCHEMA_PRIVILEGES = [
    UcPrivilege.CreateModel,
    UcPrivilege.Execute,
    UcPrivilege.UseSchema,
].sort();
/** Privileges the readers group gets on a staging or prod schema. */
export const READER_SCHEMA_PRIVILEGES = [UcPrivilege.Execute, UcPrivilege.UseSchema].sort();

/**
 * The GRANT statements a catalog the user brought needs for the plan to work (the package does not
 * issue them: see {@link trioGrantPlan}). Principals as written in SQL, back-quoted.
 */
export function useCatalogStatements(catalog: string, principals: string[]): string[] {
    return [...new Set(principals)].map(
        (p) => `GRANT USE CATALOG ON CATALOG \`${catalog}\` TO \`${p}\``,
    );
}
