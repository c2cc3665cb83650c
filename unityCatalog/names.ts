/**
 * Checks of Unity Catalog names and catalog settings: catalog and schema names, a catalog's storage
 * root, one catalog per environment, a project's default schema. Pure: shared by the components
 * (property paths) and the config readers (full config keys). Source: Databricks, "Names" in the
 * Unity Catalog docs; terraform-provider-databricks catalog/resource_catalog.go.
 */
import { Problems, describe, defaultTable, EnvName, EnvironmentTable } from "../core";

/**
 * Unity Catalog names (catalogs, schemas): 1-255 characters without '.', ' ', '/', control
 * characters or DEL (Databricks, "Names" in the Unity Catalog docs). Unity Catalog stores them in
 * lowercase, so an uppercase name would read back different from the program: refused too.
 */
export function ucNameProblem(value: unknown): string | undefined {
    if (typeof value !== "string" || value === "")
        return "must be a Unity Catalog name like mlops_prod";
    if (value.length > 255) return "must be at most 255 characters";
    if (/[.\s/\x00-\x1f\x7f]/.test(value))
        return "must not contain '.', spaces, '/' or control characters (it is one part of <catalog>.<schema>.<model>)";
    if (value !== value.toLowerCase())
        return `must be lowercase (Unity Catalog stores names in lowercase; use ${JSON.stringify(value.toLowerCase())})`;
    return undefined;
}

export function checkUcName(problems: Problems, key: string, value: unknown): value is string {
    const why = ucNameProblem(value);
    if (why === undefined) return true;
    problems.add(key, `${why}, got ${describe(value)}`);
    return false;
}

/**
 * A catalog's managed storage location: an ADLS Gen2 URL, `abfss://<container>@<account>.dfs.core.<cloud
 * suffix>/<path>`. Names in lowercase as Azure requires them, no space, query or fragment (Databricks wants
 * special characters percent-encoded), no empty path segment. terraform-provider-databricks
 * (catalog/resource_catalog.go) makes `storage_root` ForceNew and suppresses only a one-trailing-slash
 * difference between the program and what Read stores (`ucDirectoryPathSlashOnlySuppressDiff`), so the
 * value is passed exactly as given and either form of the final slash stays in place.
 */
export const STORAGE_ROOT =
    /^abfss:\/\/[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}@[a-z0-9]{3,24}\.dfs\.core\.(?:windows\.net|usgovcloudapi\.net|chinacloudapi\.cn)(?:\/[^\s/?#]+)*\/?$/;
export const STORAGE_ROOT_EXAMPLE = "abfss://models@mlopsstorage.dfs.core.windows.net/prod";

export function storageRootProblem(value: unknown): string | undefined {
    if (typeof value === "string" && STORAGE_ROOT.test(value)) return undefined;
    return `must be an abfss:// URL of an ADLS Gen2 path covered by an external location, like ${STORAGE_ROOT_EXAMPLE} (lowercase container and account; percent-encode special characters)`;
}

export function checkStorageRoot(problems: Problems, key: string, value: unknown): value is string {
    const why = storageRootProblem(value);
    if (why === undefined) return true;
    problems.add(key, `${why}, got ${describe(value)}`);
    return false;
}

/** Where a catalog's storageRoot setting is checked: a URL, and only on a catalog the stack creates (an existing one keeps its own location). */
export function checkCatalogStorageRoot(
    problems: Problems,
    key: string,
    storageRoot: unknown,
    create: unknown,
    isKnown: (v: unknown) => boolean,
): void {
    if (storageRoot === undefined) return;
    if (create === false) {
        problems.add(
            key,
            "only applies to a catalog this stack creates (create is false: the existing catalog keeps its own storage location); remove it",
        );
        return;
    }
    if (isKnown(storageRoot)) checkStorageRoot(problems, key, storageRoot);
}

/** A project's default schema: its name in lowercase with '-' as '_' (a plain SQL identifier). */
export function defaultProjectSchema(projectName: string): string {
    return projectName.toLowerCase().replace(/-/g, "_");
}

/** Catalog names of the environments must differ: one catalog cannot be bound read-write and read-only to one workspace. */
export function checkDistinctCatalogs<N extends string = EnvName>(
    problems: Problems,
    names: Partial<Record<NoInfer<N>, unknown>>,
    keyOf: (env: NoInfer<N>) => string,
    table: EnvironmentTable<N> = defaultTable(),
): void {
    const seen = new Map<string, N>();
    for (const { name: env } of table) {
        const n = names[env];
        if (typeof n !== "string") continue;
        const first = seen.get(n);
        if (first)
            problems.add(
                keyOf(env),
                `is also the ${first} catalog (${JSON.stringify(n)}); each environment needs its own catalog`,
            );
        else seen.set(n, env);
    }
}
