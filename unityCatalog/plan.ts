/**
 * Pure rules of the `unity-catalog` model-registry mode: which catalog is bound to which workspace and
 * how, which principal gets which privilege on which securable, and the checks of Unity Catalog names
 * and CI/CD credential settings. No Pulumi resources here: tested without mocks, shared by the
 * components (property paths) and the config readers (full config keys).
 *
 * Sources: Databricks, "Unity Catalog privileges and securable objects" and "Manage model lifecycle in
 * Unity Catalog" (registering needs USE CATALOG + USE SCHEMA + CREATE MODEL on the schema; loading and
 * serving need EXECUTE); terraform-provider-databricks catalog/resource_grant.go (a grant owns one
 * principal's privileges on one securable) and catalog/resource_workspace_binding.go. See
 * docs/unity-catalog.md.
 */
import { Problems, describe } from "../core";

/** Where models live: the workspace model registry (legacy, PATs in secret scopes) or Unity Catalog. */
export const ModelRegistryMode = { Workspace: "workspace", UnityCatalog: "unity-catalog" } as const;
export type ModelRegistryMode = (typeof ModelRegistryMode)[keyof typeof ModelRegistryMode];
export const MODEL_REGISTRY_MODES: string[] = Object.values(ModelRegistryMode);

/** How a CI/CD service principal authenticates to Databricks without a PAT. */
export const CicdCredentialMethod = {
    /** A Databricks OAuth client secret (`databricks.ServicePrincipalSecret`), exposed as a secret output. */
    OAuthSecret: "oauth-secret",
    /** A workload identity federation policy (GitHub Actions, Azure DevOps, …): no secret at all. */
    Federation: "federation",
    /** No Databricks credential (the pipeline logs in as the Entra app, e.g. with its client secret). */
    None: "none",
} as const;
export type CicdCredentialMethod = (typeof CicdCredentialMethod)[keyof typeof CicdCredentialMethod];
export const CICD_CREDENTIAL_METHODS: string[] = Object.values(CicdCredentialMethod);

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

export type UcEnv = "dev" | "staging" | "prod";
export const UC_ENVS: UcEnv[] = ["dev", "staging", "prod"];

export const BindingType = {
    ReadWrite: "BINDING_TYPE_READ_WRITE",
    ReadOnly: "BINDING_TYPE_READ_ONLY",
} as const;

/** Which workspaces read each environment's catalog (the seeds' READ direction): dev reads staging and prod; staging reads prod. */
export const READERS_OF: Record<UcEnv, UcEnv[]> = {
    dev: [],
    staging: ["dev"],
    prod: ["dev", "staging"],
};

export interface BindingSpec {
    /** The environment whose catalog is bound. */
    readonly catalogEnv: UcEnv;
    /** The workspace it is bound to. */
    readonly workspaceEnv: UcEnv;
    readonly bindingType: string;
}

/** Each catalog read-write to its own workspace, read-only to the workspaces that read it. */
export function bindingPlan(): BindingSpec[] {
    return UC_ENVS.flatMap((env) => [
        { catalogEnv: env, workspaceEnv: env, bindingType: BindingType.ReadWrite },
        ...READERS_OF[env].map((reader) => ({
            catalogEnv: env,
            workspaceEnv: reader,
            bindingType: BindingType.ReadOnly,
        })),
    ]);
}

/** A principal by its stable role in the plan (the grant's resource name), never by list position. */
export type GrantRole = "readers" | "deployer";

export interface GrantSpec {
    readonly env: UcEnv;
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
 * - dev: the readers develop there: USE CATALOG; USE SCHEMA, EXECUTE, CREATE MODEL on the models schema;
 * - staging, prod: the readers (in the reading workspaces) USE CATALOG; USE SCHEMA, EXECUTE; the
 *   environment's deploying SP USE CATALOG; USE SCHEMA, CREATE MODEL, EXECUTE (register and serve).
 */
export function trioGrantPlan(createdCatalogs: Record<UcEnv, boolean>): GrantSpec[] {
    const specs: GrantSpec[] = [];
    const add = (
        env: UcEnv,
        securable: "catalog" | "schema",
        role: GrantRole,
        privileges: string[],
    ) => {
        if (securable === "catalog" && !createdCatalogs[env]) return;
        specs.push({ env, securable, role, privileges: [...new Set(privileges)].sort() });
    };
    const P = UcPrivilege;
    add("dev", "catalog", "readers", [P.UseCatalog]);
    add("dev", "schema", "readers", [P.UseSchema, P.Execute, P.CreateModel]);
    for (const env of ["staging", "prod"] as const) {
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

/** Well-known OIDC issuers, for the docs and error messages. */
export const KNOWN_ISSUERS = {
    githubActions: "https://token.actions.githubusercontent.com",
    azureDevOps: "https://vstoken.dev.azure.com/<organization id>",
};

/** The shape of a CI/CD credential setting, as far as checks need it. */
export interface CicdCredentialShape {
    readonly method?: unknown;
    readonly issuer?: unknown;
    readonly subject?: unknown;
    readonly audiences?: unknown;
    readonly subjectClaim?: unknown;
}

/**
 * Checks one CI/CD credential setting; `path` prefixes each problem. Returns whether it needs the
 * account-level provider (a federation policy is an account API).
 */
export function checkCicdCredential(
    problems: Problems,
    path: string,
    c: CicdCredentialShape | undefined,
    isKnown: (v: unknown) => boolean,
): boolean {
    if (c === undefined) return false;
    if (typeof c !== "object" || c === null || Array.isArray(c)) {
        problems.add(
            path,
            `must be { method: ${CICD_CREDENTIAL_METHODS.join(" | ")}, … }, got ${describe(c)}`,
        );
        return false;
    }
    const method = c.method ?? CicdCredentialMethod.OAuthSecret;
    if (!CICD_CREDENTIAL_METHODS.includes(method as string)) {
        problems.add(
            `${path}.method`,
            `must be one of ${CICD_CREDENTIAL_METHODS.join(", ")} (default oauth-secret), got ${describe(c.method)}`,
        );
        return false;
    }
    const federationKeys = ["issuer", "subject", "audiences", "subjectClaim"] as const;
    if (method !== CicdCredentialMethod.Federation) {
        for (const k of federationKeys)
            if (c[k] !== undefined)
                problems.add(
                    `${path}.${k}`,
                    `only applies with method federation (method is ${method}); remove it`,
                );
        return false;
    }
    if (c.issuer === undefined)
        problems.add(
            `${path}.issuer`,
            `is required with method federation: the token issuer, e.g. ${KNOWN_ISSUERS.githubActions} (GitHub Actions) or ${KNOWN_ISSUERS.azureDevOps}`,
        );
    else if (
        isKnown(c.issuer) &&
        !(typeof c.issuer === "string" && /^https:\/\/[^\s/]+(\/\S*)?$/.test(c.issuer))
    ) {
        problems.add(
            `${path}.issuer`,
            `must be an https:// issuer URL like ${KNOWN_ISSUERS.githubActions}, got ${describe(c.issuer)}`,
        );
    }
    if (c.subject === undefined)
        problems.add(
            `${path}.subject`,
            "is required with method federation: the workload's subject claim, e.g. repo:contoso/churn:environment:prod",
        );
    else if (isKnown(c.subject) && !(typeof c.subject === "string" && c.subject.trim() !== ""))
        problems.add(`${path}.subject`, `must be a non-empty subject, got ${describe(c.subject)}`);
    if (
        c.subjectClaim !== undefined &&
        isKnown(c.subjectClaim) &&
        !(typeof c.subjectClaim === "string" && c.subjectClaim.trim() !== "")
    ) {
        problems.add(
            `${path}.subjectClaim`,
            `must be a claim name (default sub), got ${describe(c.subjectClaim)}`,
        );
    }
    if (c.audiences !== undefined && isKnown(c.audiences)) {
        if (!Array.isArray(c.audiences) || c.audiences.length === 0)
            problems.add(
                `${path}.audiences`,
                `must be a non-empty list of audiences (default: the Databricks account id), got ${describe(c.audiences)}`,
            );
        else
            c.audiences.forEach((a, i) => {
                if (isKnown(a) && !(typeof a === "string" && a.trim() !== ""))
                    problems.add(
                        `${path}.audiences[${i}]`,
                        `must be a non-empty audience, got ${describe(a)}`,
                    );
            });
    }
    return true;
}

/** Catalog names of the three environments must differ: one catalog cannot be bound read-write and read-only to one workspace. */
export function checkDistinctCatalogs(
    problems: Problems,
    names: Partial<Record<UcEnv, unknown>>,
    keyOf: (env: UcEnv) => string,
): void {
    const seen = new Map<string, UcEnv>();
    for (const env of UC_ENVS) {
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
