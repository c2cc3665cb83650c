/**
 * The Unity Catalog keys of the `workspaces` section (docs/unity-catalog.md):
 *
 * - `modelRegistry`: `workspace` (legacy, the default) or `unity-catalog`;
 * - `catalogs.<env>` for each environment (dev, staging, prod): `{ name, create?, storageRoot? }` (create defaults to true; storageRoot only with create);
 * - `modelSchema` (default `models`), `modelReaders` (default `account users`);
 * - `cicdCredentials.<env>` for each environment deployed to (staging, prod): `{ method: oauth-secret | federation | none, issuer?, subject?, audiences?, subjectClaim? }`;
 * - `account`: `{ accountId, host? }`, the account console the federation policies are created in (az login).
 *
 * In `unity-catalog` mode the legacy-only keys (token usage groups, the SP group, token lifetime and
 * rotation) are errors, and in `workspace` mode the keys above are.
 */
import {
    checkGuid,
    checkNonEmptyString,
    describe,
    isObject,
    Problems,
    defaultTable,
    DeployTarget,
    deployTargets,
    EnvironmentTable,
    EnvName,
    envNames,
    isDeployTarget,
    perEnv,
} from "../../core";
import {
    CicdCredentialMethod,
    MODEL_REGISTRY_MODES,
    ModelRegistryMode,
    checkCatalogStorageRoot,
    checkDistinctCatalogs,
    checkUcName,
    checkCicdCredential,
} from "../../unityCatalog";

/** An environment not deployed to (dev). */
export type DevelopEnv = Exclude<EnvName, DeployTarget>;
import { WORKSPACE_ID } from "../../workspaces";
import { ACCOUNTS_HOST } from "../../connections";

/** Keys of `workspaces` that this module reads. */
export const UNITY_CATALOG_SECTION_KEYS = [
    "modelRegistry",
    "catalogs",
    "modelSchema",
    "modelReaders",
    "cicdCredentials",
    "account",
];
/** Keys of `workspaces` that only the legacy mode uses. */
export const LEGACY_ONLY_KEYS = [
    "additionalTokenUsageGroups",
    "servicePrincipalGroupName",
    "tokenLifetimeSeconds",
    "tokenRotationDays",
];
export const CATALOG_KEYS = ["name", "create", "storageRoot"];
export const CICD_CREDENTIAL_KEYS = ["method", "issuer", "subject", "audiences", "subjectClaim"];
export const ACCOUNT_KEYS = ["accountId", "host"];
// One definition for the config default and the components' (an account connection without host).
export const DEFAULT_ACCOUNT_HOST = ACCOUNTS_HOST;

export interface CatalogConfig {
    readonly name: string;
    readonly create: boolean;
    /** Managed storage location of a created catalog (docs/unity-catalog.md); the metastore's root when unset. */
    readonly storageRoot?: string;
}

export interface CicdCredentialConfig {
    readonly method?: CicdCredentialMethod;
    readonly issuer?: string;
    readonly subject?: string;
    readonly audiences?: string[];
    readonly subjectClaim?: string;
}

export interface UnityCatalogConfig {
    readonly catalogs: Record<EnvName, CatalogConfig>;
    readonly modelSchema?: string;
    readonly modelReaders?: string;
    readonly cicdCredentials: Partial<Record<DeployTarget, CicdCredentialConfig>>;
    /** The account console, for federation policies. */
    readonly account?: { readonly accountId: string; readonly host: string };
    /**
     * The ids of the workspaces not deployed to (dev), which catalogs are bound to here only: given, or
     * read from their `adb-<id>` host. Those deployed to have theirs in their WorkspaceConfig.
     */
    readonly workspaceIds: Readonly<Record<DevelopEnv, string>>;
    /** The dev workspace's id (`workspaceIds.dev`), as `StackConfig` has always given it. */
    readonly devWorkspaceId: string;
}

/**
 * Reads the mode and, in `unity-catalog` mode, its settings from the raw `workspaces` object.
 * `k(path)` is the full key of `workspaces.<path>`; `workspaceIds` what the workspaces not deployed to
 * (dev) resolved to ({@link workspaceIdOf}).
 */
export function readUnityCatalogSettings(
    raw: Record<string, unknown>,
    k: (path: string) => string,
    workspaceIds: Partial<Record<DevelopEnv, string>>,
    problems: Problems,
    projectsUseFederation = false,
): { mode: ModelRegistryMode; unityCatalog?: UnityCatalogConfig } {
    const mode = (raw.modelRegistry ?? ModelRegistryMode.Workspace) as ModelRegistryMode;
    if (!MODEL_REGISTRY_MODES.includes(mode)) {
        problems.add(
            k("modelRegistry"),
            `must be workspace (the legacy workspace model registry, default) or unity-catalog (Models in Unity Catalog), got ${describe(raw.modelRegistry)}`,
        );
        return { mode: ModelRegistryMode.Workspace };
    }
    if (mode === ModelRegistryMode.Workspace) {
        for (const key of UNITY_CATALOG_SECTION_KEYS.filter((x) => x !== "modelRegistry")) {
            if (raw[key] !== undefined)
                problems.add(
                    k(key),
                    `only applies with ${k("modelRegistry")} unity-catalog (the mode is workspace, the legacy default); remove it or set the mode`,
                );
        }
        return { mode };
    }
    for (const key of LEGACY_ONLY_KEYS) {
        if (raw[key] !== undefined) {
            problems.add(
                k(key),
                `only applies to the legacy workspace model registry (PATs, token usage, rotation); ${k("modelRegistry")} is unity-catalog, where no PAT exists: remove it`,
            );
        }
    }
    const before = problems.items.length;
    const catalogs = readCatalogs(raw.catalogs, k, problems);
    if (raw.modelSchema !== undefined) checkUcName(problems, k("modelSchema"), raw.modelSchema);
    if (raw.modelReaders !== undefined)
        checkNonEmptyString(problems, k("modelReaders"), raw.modelReaders);
    const cicd = readCicdCredentials(raw.cicdCredentials, k, problems);
    const account = readAccount(raw.account, k, problems);
    if (!cicd.needsAccount && !projectsUseFederation && raw.account !== undefined) {
        problems.add(
            k("account"),
            "is only used for CI/CD credentials with method federation, and none (of the trio or a project) has it; remove it",
        );
    }
    if (cicd.needsAccount && raw.account === undefined) {
        problems.add(
            k("account"),
            `is required when a CI/CD credential uses method federation (an account API): { accountId: <Databricks account id> }`,
        );
    }
    const developEnvs = envNames().filter((env): env is DevelopEnv => !isDeployTarget(env));
    for (const env of developEnvs) {
        if (workspaceIds[env] === undefined && isObject(raw[env]) && !problemAt(problems, k(env))) {
            problems.add(
                k(`${env}.workspaceId`),
                `is required with modelRegistry unity-catalog (the ${env} host does not have the adb-<workspace id> form): catalogs are bound to it`,
            );
        }
    }
    if (
        problems.items.length !== before ||
        !catalogs ||
        developEnvs.some((env) => workspaceIds[env] === undefined)
    )
        return { mode };
    return {
        mode,
        unityCatalog: {
            catalogs,
            modelSchema: raw.modelSchema as string | undefined,
            modelReaders: raw.modelReaders as string | undefined,
            cicdCredentials: cicd.value,
            account,
            workspaceIds: workspaceIds as Record<DevelopEnv, string>,
            devWorkspaceId: workspaceIds.dev as string,
        },
    };
}

/** The workspace id a `workspaces.<env>` entry gives (its workspaceId, or its adb-<id> host). */
export function workspaceIdOf(
    ws: unknown,
    fromHost: (host: string) => string | undefined,
): string | undefined {
    if (!isObject(ws)) return undefined;
    const id = typeof ws.workspaceId === "number" ? String(ws.workspaceId) : ws.workspaceId;
    if (typeof id === "string" && WORKSPACE_ID.test(id)) return id;
    return typeof ws.host === "string" ? fromHost(ws.host) : undefined;
}

function problemAt(problems: Problems, prefix: string): boolean {
    return problems.items.some((p) => p.key.startsWith(prefix));
}

/** Reads `<k(catalogs)>.<env>` for each environment of `table`. */
export function readCatalogs<N extends string = EnvName>(
    v: unknown,
    k: (p: string) => string,
    problems: Problems,
    table: EnvironmentTable<N> = defaultTable(),
): Record<N, CatalogConfig> | undefined {
    const envs = envNames(table);
    if (!isObject(v)) {
        const shape = envs.map(
            (e, i) => `${e}: { ${i === 0 ? "name, create?, storageRoot?" : "…"} }`,
        );
        problems.add(
            k("catalogs"),
            `is required with modelRegistry unity-catalog: { ${shape.join(", ")} }, got ${describe(v)}`,
        );
        return undefined;
    }
    unknownKeys(problems, v, envs, (x) => k(`catalogs.${x}`));
    const out = {} as Record<N, CatalogConfig>;
    let ok = true;
    for (const env of envs) {
        const c = v[env];
        if (!isObject(c)) {
            problems.add(
                k(`catalogs.${env}`),
                `must be { name, create?, storageRoot? } of the ${env} catalog (create: true makes an isolated catalog, false uses an existing one), got ${describe(c)}`,
            );
            ok = false;
            continue;
        }
        unknownKeys(problems, c, CATALOG_KEYS, (x) => k(`catalogs.${env}.${x}`));
        if (!checkUcName(problems, k(`catalogs.${env}.name`), c.name)) ok = false;
        if (c.create !== undefined && typeof c.create !== "boolean") {
            problems.add(
                k(`catalogs.${env}.create`),
                `must be true (create the catalog) or false (use an existing one), got ${describe(c.create)}`,
            );
            ok = false;
        }
        const before = problems.items.length;
        checkCatalogStorageRoot(
            problems,
            k(`catalogs.${env}.storageRoot`),
            c.storageRoot,
            c.create,
            () => true,
        );
        if (problems.items.length !== before) ok = false;
        out[env] = {
            name: c.name as string,
            create: c.create !== false,
            ...(c.storageRoot !== undefined && { storageRoot: c.storageRoot as string }),
        };
    }
    checkDistinctCatalogs(
        problems,
        perEnv(envs, (e) => (isObject(v[e]) ? (v[e] as Record<string, unknown>).name : undefined)),
        (e) => k(`catalogs.${e}.name`),
        table,
    );
    return ok ? out : undefined;
}

/** Reads `<k(cicdCredentials)>.<env>` for each environment deployed to; shared by the trio and the projects. */
export function readCicdCredentials<N extends string = DeployTarget>(
    v: unknown,
    k: (p: string) => string,
    problems: Problems,
    table: EnvironmentTable<N> = defaultTable(),
): { value: Partial<Record<N, CicdCredentialConfig>>; needsAccount: boolean } {
    const targets = deployTargets(table);
    if (v === undefined) return { value: {}, needsAccount: false };
    if (!isObject(v)) {
        problems.add(
            k("cicdCredentials"),
            `must be { ${targets.map((e) => `${e}: { method, … }`).join(", ")} }, got ${describe(v)}`,
        );
        return { value: {}, needsAccount: false };
    }
    unknownKeys(problems, v, targets, (x) => k(`cicdCredentials.${x}`));
    let needsAccount = false;
    const value: Partial<Record<N, CicdCredentialConfig>> = {};
    for (const env of targets) {
        const c = v[env];
        if (c === undefined) continue;
        if (isObject(c))
            unknownKeys(problems, c, CICD_CREDENTIAL_KEYS, (x) => k(`cicdCredentials.${env}.${x}`));
        if (checkCicdCredential(problems, k(`cicdCredentials.${env}`), c as never, () => true))
            needsAccount = true;
        if (isObject(c)) value[env] = c as unknown as CicdCredentialConfig;
    }
    return { value, needsAccount };
}

function readAccount(
    v: unknown,
    k: (p: string) => string,
    problems: Problems,
): UnityCatalogConfig["account"] {
    if (v === undefined) return undefined;
    if (!isObject(v)) {
        problems.add(
            k("account"),
            `must be { accountId, host? } of the Databricks account, got ${describe(v)}`,
        );
        return undefined;
    }
    unknownKeys(problems, v, ACCOUNT_KEYS, (x) => k(`account.${x}`));
    const idOk = checkGuid(problems, k("account.accountId"), v.accountId, "Databricks account id");
    const host = v.host ?? DEFAULT_ACCOUNT_HOST;
    const hostOk = typeof host === "string" && /^https:\/\/accounts\.[a-z0-9.-]+\/?$/i.test(host);
    if (!hostOk)
        problems.add(
            k("account.host"),
            `must be the account console URL, ${DEFAULT_ACCOUNT_HOST} (the default), got ${describe(host)}`,
        );
    return idOk && hostOk ? { accountId: v.accountId as string, host: host as string } : undefined;
}

function unknownKeys(
    problems: Problems,
    obj: Record<string, unknown>,
    known: readonly string[],
    key: (x: string) => string,
): void {
    for (const x of Object.keys(obj))
        if (!known.includes(x))
            problems.add(key(x), `is not a known setting; valid ones: ${known.join(", ")}`);
}

/** Whether some `projects[].cicdCredentials` entry asks for federation (then `workspaces.account` is used). */
export function projectsUseFederation(projects: unknown): boolean {
    return (
        Array.isArray(projects) &&
        projects.some(
            (p) =>
                isObject(p) &&
                isObject(p.cicdCredentials) &&
                Object.values(p.cicdCredentials).some(
                    (c) => isObject(c) && c.method === CicdCredentialMethod.Federation,
                ),
        )
    );
}
