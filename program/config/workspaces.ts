/**
 * The `workspaces` section of the stack config: the dev → staging → prod trio (the Terraform modules'
 * inputs), plus how the program authenticates to each workspace.
 *
 * Non-secret settings live in the structured key `workspaces`; every secret has its own top-level key,
 * because Pulumi marks config secret per top-level key (one secure value inside `workspaces` would make
 * all of it secret):
 *
 * - `stagingClientSecret` / `prodClientSecret`, or `stagingAadToken` / `prodAadToken`: credentials of
 *   the linked service principals (TF `azure_<env>_client_secret` / `azure_<env>_aad_token`);
 * - `<env>WorkspaceClientSecret` / `<env>WorkspaceAadToken`: the deployer's credentials for a workspace
 *   whose `auth.method` is `client-secret` / `aad-token`.
 *
 * See docs/workspaces.md for an example and docs/migration-from-terraform.md for the TF mapping.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    checkDatabricksHost,
    checkGuid,
    checkNonEmptyString,
    describe,
    isObject,
    Problems,
    DeployTarget,
    deployTargets,
    EnvName,
    envNames,
    isDeployTarget,
} from "../../core";
import { isSet, readSecret } from "./secrets";
import {
    checkTokenTiming,
    WORKSPACE_ID,
    DEFAULT_TOKEN_LIFETIME_SECONDS,
    DEFAULT_TOKEN_ROTATION_DAYS,
    checkDistinctWorkspaces,
    workspaceIdFromHost,
} from "../../workspaces";
import {
    DevelopEnv,
    workspaceIdOf,
    projectsUseFederation,
    readUnityCatalogSettings,
    UNITY_CATALOG_SECTION_KEYS,
    UnityCatalogConfig,
} from "./unityCatalog";
import { ModelRegistryMode } from "../../unityCatalog";

export type WorkspaceEnv = EnvName;
export const WORKSPACE_ENVS: readonly WorkspaceEnv[] = envNames();
const PRINCIPAL_ENVS: readonly DeployTarget[] = deployTargets();

/** How the program authenticates to a workspace (as a workspace admin). */
export type WorkspaceAuthConfig =
    | { readonly method: "azure-cli" }
    | {
          readonly method: "client-secret";
          readonly clientId: string;
          readonly tenantId: string;
          readonly clientSecret: pulumi.Output<string>;
      }
    | { readonly method: "aad-token"; readonly aadToken: pulumi.Output<string> };

export interface WorkspaceConfig {
    /** `https://adb-<id>.<n>.azuredatabricks.net`. */
    readonly host: string;
    /** Numeric workspace id: as given, or read from an `adb-<id>` host. Always set for staging and prod. */
    readonly workspaceId?: string;
    readonly auth: WorkspaceAuthConfig;
}

/** A linked Entra app. Secrets come from the top-level `<env>ClientSecret` / `<env>AadToken` keys. */
export interface LinkedPrincipalConfig {
    readonly clientId: string;
    readonly tenantId?: string;
    readonly clientSecret?: pulumi.Output<string>;
    readonly aadToken?: pulumi.Output<string>;
}

export type WorkspacePrincipalsConfig =
    | ({ readonly mode: "link" } & Readonly<Record<DeployTarget, LinkedPrincipalConfig>>)
    | { readonly mode: "create"; readonly tenantId: string };

/** Workspaces deployed to have a workspace id (read from the host or given). */
type WorkspaceConfigs = {
    readonly [E in EnvName]: E extends DeployTarget
        ? WorkspaceConfig & { readonly workspaceId: string }
        : WorkspaceConfig;
};

export interface WorkspacesConfig extends WorkspaceConfigs {
    readonly servicePrincipals: WorkspacePrincipalsConfig;
    /** Unset: the component's default (`users`, so nobody loses token usage). */
    readonly additionalTokenUsageGroups?: readonly string[];
    readonly servicePrincipalGroupName?: string;
    readonly servicePrincipalDisplayName?: string;
    readonly tokenLifetimeSeconds?: number;
    readonly tokenRotationDays?: number;
    /** `workspace` (legacy, default) or `unity-catalog` (program/config/unityCatalog.ts). */
    readonly modelRegistry: ModelRegistryMode;
    /** The unity-catalog settings; set exactly when modelRegistry is unity-catalog. */
    readonly unityCatalog?: UnityCatalogConfig;
    /** Let the staging and prod SPs create clusters (default false). */
    readonly allowClusterCreate?: boolean;
}

/** Keys of the `workspaces` object. */
export const SECTION_KEYS = [
    ...WORKSPACE_ENVS,
    "servicePrincipals",
    "additionalTokenUsageGroups",
    "servicePrincipalGroupName",
    "servicePrincipalDisplayName",
    "tokenLifetimeSeconds",
    "tokenRotationDays",
    ...UNITY_CATALOG_SECTION_KEYS,
    "allowClusterCreate",
];
/** Keys of `workspaces.<env>`. */
export const WORKSPACE_KEYS = ["host", "workspaceId", "auth"];
export const AUTH_METHODS = ["azure-cli", "client-secret", "aad-token"];
/** Keys of `workspaces.<env>.auth` (clientId and tenantId with method client-secret only). */
export const AUTH_KEYS = ["method", "clientId", "tenantId"];
/** Keys of `workspaces.servicePrincipals` in create and in link mode, and of a linked `staging` / `prod`. */
export const CREATE_PRINCIPALS_KEYS = ["mode", "tenantId"];
export const LINK_PRINCIPALS_KEYS = ["mode", ...PRINCIPAL_ENVS];
export const LINKED_PRINCIPAL_KEYS = ["clientId", "tenantId"];
const SECRET_VALUE_KEYS = ["clientSecret", "aadToken"];

/** Top-level secret keys of this section, by purpose. */
export const WORKSPACE_SECRET_KEYS = {
    principalClientSecret: (env: DeployTarget) => `${env}ClientSecret`,
    principalAadToken: (env: DeployTarget) => `${env}AadToken`,
    workspaceClientSecret: (env: WorkspaceEnv) => `${env}WorkspaceClientSecret`,
    workspaceAadToken: (env: WorkspaceEnv) => `${env}WorkspaceAadToken`,
};

/** All top-level secret keys this section reads. */
export function workspaceSecretKeys(): string[] {
    return [
        ...PRINCIPAL_ENVS.flatMap((e) => [
            WORKSPACE_SECRET_KEYS.principalClientSecret(e),
            WORKSPACE_SECRET_KEYS.principalAadToken(e),
        ]),
        ...WORKSPACE_ENVS.flatMap((e) => [
            WORKSPACE_SECRET_KEYS.workspaceClientSecret(e),
            WORKSPACE_SECRET_KEYS.workspaceAadToken(e),
        ]),
    ];
}

export { workspaceIdFromHost };

export function readWorkspaces(
    config: pulumi.Config,
    problems: Problems,
): WorkspacesConfig | undefined {
    const key = (k: string) => `${config.name}:${k}`;
    const section = `workspaces`;
    let raw: unknown;
    try {
        raw = config.getObject<unknown>(section);
    } catch {
        problems.add(
            key(section),
            `must be valid structured config (a YAML object with ${WORKSPACE_ENVS.join(", ")} and servicePrincipals)`,
        );
        return undefined;
    }
    const used = new Set<string>();
    const secret = (k: string) => {
        used.add(k);
        return readSecret(config, problems, k);
    };
    if (raw === undefined) {
        for (const k of workspaceSecretKeys()) {
            if (isSet(config, k))
                problems.add(
                    key(k),
                    `is set but ${key(section)} is not; remove it or configure the workspace trio`,
                );
        }
        return undefined;
    }
    if (!isObject(raw)) {
        problems.add(
            key(section),
            `must be an object with ${WORKSPACE_ENVS.join(", ")} and servicePrincipals, got ${describe(raw)}`,
        );
        return undefined;
    }
    const before = problems.items.length;
    const k = (path: string) => key(`${section}.${path}`);
    checkKnownKeys(problems, raw, SECTION_KEYS, (x) => key(`${section}${x}`));

    const workspaces = {} as Record<WorkspaceEnv, WorkspaceConfig | undefined>;
    for (const env of WORKSPACE_ENVS)
        workspaces[env] = readWorkspace(raw[env], env, k, key, secret, problems);
    checkDistinctWorkspaces(problems, workspaces, WORKSPACE_ENVS, (env, field) =>
        k(`${env}.${field}`),
    );

    const principals = readPrincipals(raw.servicePrincipals, k, key, secret, problems);

    const groups = raw.additionalTokenUsageGroups;
    if (groups !== undefined) {
        if (!Array.isArray(groups))
            problems.add(
                k("additionalTokenUsageGroups"),
                `must be a list of Databricks group names, e.g. [users], got ${describe(groups)}`,
            );
        else {
            groups.forEach((g, i) =>
                checkNonEmptyString(problems, k(`additionalTokenUsageGroups[${i}]`), g),
            );
            groups.forEach((g, i) => {
                if (groups.indexOf(g) !== i)
                    problems.add(
                        k(`additionalTokenUsageGroups[${i}]`),
                        `repeats ${describe(g)}; list each group once`,
                    );
            });
        }
    }
    for (const s of ["servicePrincipalGroupName", "servicePrincipalDisplayName"]) {
        if (raw[s] !== undefined) checkNonEmptyString(problems, k(s), raw[s]);
    }
    if (raw.allowClusterCreate !== undefined && typeof raw.allowClusterCreate !== "boolean") {
        problems.add(
            k("allowClusterCreate"),
            `must be true or false (default false: the registry-reader SPs create no clusters), got ${describe(raw.allowClusterCreate)}`,
        );
    }
    // In unity-catalog mode these keys are errors by themselves (program/config/unityCatalog.ts); their values do not matter.
    if (raw.modelRegistry !== ModelRegistryMode.UnityCatalog)
        checkTokenTiming(
            problems,
            { lifetime: k("tokenLifetimeSeconds"), rotation: k("tokenRotationDays") },
            raw.tokenLifetimeSeconds,
            raw.tokenRotationDays,
            DEFAULT_TOKEN_LIFETIME_SECONDS,
            DEFAULT_TOKEN_ROTATION_DAYS,
        );

    const registry = readUnityCatalogSettings(
        raw,
        k,
        Object.fromEntries(
            WORKSPACE_ENVS.filter((env): env is DevelopEnv => !isDeployTarget(env)).map((env) => [
                env,
                workspaceIdOf(raw[env], workspaceIdFromHost),
            ]),
        ),
        problems,
        projectsUseFederation(readProjectsRaw(config)),
    );

    // Secrets that nothing above asked for are mistakes (a typo, or the wrong auth method / mode).
    for (const s of workspaceSecretKeys()) {
        if (!used.has(s) && isSet(config, s))
            problems.add(
                key(s),
                `is not used by this configuration (${unusedSecretHint(s)}); remove it`,
            );
    }

    if (problems.items.length !== before) return undefined;
    return {
        // Complete here: every problem above returned undefined.
        ...(workspaces as WorkspaceConfigs),
        servicePrincipals: principals!,
        additionalTokenUsageGroups: groups as string[] | undefined,
        servicePrincipalGroupName: raw.servicePrincipalGroupName as string | undefined,
        servicePrincipalDisplayName: raw.servicePrincipalDisplayName as string | undefined,
        tokenLifetimeSeconds: raw.tokenLifetimeSeconds as number | undefined,
        tokenRotationDays: raw.tokenRotationDays as number | undefined,
        modelRegistry: registry.mode,
        unityCatalog: registry.unityCatalog,
        allowClusterCreate: raw.allowClusterCreate as boolean | undefined,
    };
}

type KeyFn = (k: string) => string;
type SecretFn = (k: string) => pulumi.Output<string> | undefined;

function readWorkspace(
    v: unknown,
    env: WorkspaceEnv,
    k: KeyFn,
    key: KeyFn,
    secret: SecretFn,
    problems: Problems,
): WorkspaceConfig | undefined {
    if (!isObject(v)) {
        problems.add(
            k(env),
            `must be { host, workspaceId, auth } of the ${env} workspace, got ${describe(v)}`,
        );
        return undefined;
    }
    checkKnownKeys(problems, v, WORKSPACE_KEYS, (x) => k(`${env}${x}`));
    const hostOk = checkDatabricksHost(problems, k(`${env}.host`), v.host);
    const fromHost = hostOk ? workspaceIdFromHost(v.host as string) : undefined;
    let workspaceId: string | undefined;
    if (v.workspaceId !== undefined) {
        const id =
            typeof v.workspaceId === "number" &&
            Number.isSafeInteger(v.workspaceId) &&
            v.workspaceId > 0
                ? String(v.workspaceId)
                : v.workspaceId;
        if (typeof id !== "string" || !WORKSPACE_ID.test(id)) {
            problems.add(
                k(`${env}.workspaceId`),
                `must be the numeric workspace id as a quoted string, e.g. "1234567890123456" (the digits after adb- in the URL), got ${describe(v.workspaceId)}`,
            );
        } else if (fromHost !== undefined && fromHost !== id) {
            problems.add(
                k(`${env}.workspaceId`),
                `is ${id} but ${env}.host is workspace ${fromHost}; make them name the same workspace`,
            );
        } else workspaceId = id;
    } else if (isDeployTarget(env) && hostOk) {
        workspaceId = fromHost;
        if (workspaceId === undefined)
            problems.add(
                k(`${env}.workspaceId`),
                `is required: the host does not have the adb-<workspace id> form, so give the numeric id, e.g. "1234567890123456"`,
            );
    }
    const auth = readAuth(v.auth, env, k, key, secret, problems);
    return auth && hostOk ? { host: v.host as string, workspaceId, auth } : undefined;
}

function readAuth(
    v: unknown,
    env: WorkspaceEnv,
    k: KeyFn,
    key: KeyFn,
    secret: SecretFn,
    problems: Problems,
): WorkspaceAuthConfig | undefined {
    const path = `${env}.auth`;
    if (v === undefined) return { method: "azure-cli" };
    if (!isObject(v) || !AUTH_METHODS.includes(v.method as string)) {
        problems.add(
            isObject(v) ? k(`${path}.method`) : k(path),
            `must be one of ${AUTH_METHODS.join(", ")} (azure-cli: az login; client-secret: with clientId and tenantId, secret in ${WORKSPACE_SECRET_KEYS.workspaceClientSecret(env)}; aad-token: token in ${WORKSPACE_SECRET_KEYS.workspaceAadToken(env)}), got ${describe(isObject(v) ? v.method : v)}`,
        );
        return undefined;
    }
    for (const s of SECRET_VALUE_KEYS) {
        if (s in v)
            problems.add(
                k(`${path}.${s}`),
                `must not be in ${key("workspaces")} (it would be stored in plain text or make the whole section secret); set ${env}Workspace${cap(s)} with --secret`,
            );
    }
    if (v.method === "azure-cli") {
        checkKnownKeys(problems, v, ["method", ...SECRET_VALUE_KEYS], (x) => k(`${path}${x}`));
        return { method: "azure-cli" };
    }
    if (v.method === "aad-token") {
        checkKnownKeys(problems, v, ["method", ...SECRET_VALUE_KEYS], (x) => k(`${path}${x}`));
        const s = WORKSPACE_SECRET_KEYS.workspaceAadToken(env);
        const token = secret(s);
        if (token === undefined && !alreadyReported(problems, key(s)))
            problems.add(
                key(s),
                `is required with ${k(`${path}.method`)} aad-token: pulumi config set --secret ${s} <AAD token>`,
            );
        return token ? { method: "aad-token", aadToken: token } : undefined;
    }
    checkKnownKeys(problems, v, [...AUTH_KEYS, ...SECRET_VALUE_KEYS], (x) => k(`${path}${x}`));
    const idOk = checkGuid(problems, k(`${path}.clientId`), v.clientId, "client (application) id");
    const tenantOk = checkGuid(problems, k(`${path}.tenantId`), v.tenantId, "tenant id");
    const s = WORKSPACE_SECRET_KEYS.workspaceClientSecret(env);
    const clientSecret = secret(s);
    if (clientSecret === undefined && !alreadyReported(problems, key(s)))
        problems.add(
            key(s),
            `is required with ${k(`${path}.method`)} client-secret: pulumi config set --secret ${s} <client secret>`,
        );
    return idOk && tenantOk && clientSecret
        ? {
              method: "client-secret",
              clientId: v.clientId as string,
              tenantId: v.tenantId as string,
              clientSecret,
          }
        : undefined;
}

function readPrincipals(
    v: unknown,
    k: KeyFn,
    key: KeyFn,
    secret: SecretFn,
    problems: Problems,
): WorkspacePrincipalsConfig | undefined {
    if (!isObject(v) || (v.mode !== "link" && v.mode !== "create")) {
        problems.add(
            isObject(v) ? k("servicePrincipals.mode") : k("servicePrincipals"),
            `must be { mode: link, ${PRINCIPAL_ENVS.map((e) => `${e}: { clientId, tenantId }`).join(", ")} } to link existing Entra apps, ` +
                `or { mode: create, tenantId } to create them, got ${describe(isObject(v) ? v.mode : v)}`,
        );
        return undefined;
    }
    if (v.mode === "create") {
        checkKnownKeys(problems, v, CREATE_PRINCIPALS_KEYS, (x) => k(`servicePrincipals${x}`));
        return checkGuid(problems, k("servicePrincipals.tenantId"), v.tenantId, "tenant id")
            ? { mode: "create", tenantId: v.tenantId }
            : undefined;
    }
    checkKnownKeys(problems, v, LINK_PRINCIPALS_KEYS, (x) => k(`servicePrincipals${x}`));
    const linked = (env: DeployTarget): LinkedPrincipalConfig | undefined => {
        const p = v[env];
        const path = `servicePrincipals.${env}`;
        if (!isObject(p)) {
            problems.add(
                k(path),
                `must be { clientId, tenantId } of the existing Entra app for ${env}, got ${describe(p)}`,
            );
            return undefined;
        }
        const secretKey = WORKSPACE_SECRET_KEYS.principalClientSecret(env);
        const tokenKey = WORKSPACE_SECRET_KEYS.principalAadToken(env);
        for (const s of SECRET_VALUE_KEYS) {
            if (s in p)
                problems.add(
                    k(`${path}.${s}`),
                    `must not be in ${key("workspaces")}; set ${s === "clientSecret" ? secretKey : tokenKey} with --secret`,
                );
        }
        checkKnownKeys(problems, p, [...LINKED_PRINCIPAL_KEYS, ...SECRET_VALUE_KEYS], (x) =>
            k(`${path}${x}`),
        );
        const idOk = checkGuid(
            problems,
            k(`${path}.clientId`),
            p.clientId,
            "client (application) id",
        );
        const tenantOk =
            p.tenantId === undefined ||
            checkGuid(problems, k(`${path}.tenantId`), p.tenantId, "tenant id");
        const clientSecret = secret(secretKey);
        const aadToken = secret(tokenKey);
        const hasSecret = alreadyReported(problems, key(secretKey)) || clientSecret !== undefined;
        const hasToken = alreadyReported(problems, key(tokenKey)) || aadToken !== undefined;
        if (hasSecret && hasToken) {
            problems.add(
                key(tokenKey),
                `give either ${key(tokenKey)} or ${key(secretKey)} for ${env}, not both`,
            );
        } else if (!hasSecret && !hasToken) {
            problems.add(
                key(secretKey),
                `is required to link the ${env} Entra app (with ${k(`${path}.tenantId`)}), unless ${key(tokenKey)} is given; set it with --secret`,
            );
        } else if (hasSecret && p.tenantId === undefined) {
            problems.add(
                k(`${path}.tenantId`),
                `is required with ${key(secretKey)}: the tenant (GUID) the Entra app lives in`,
            );
        }
        if (!idOk || !tenantOk || (!clientSecret && !aadToken)) return undefined;
        return {
            clientId: p.clientId as string,
            tenantId: p.tenantId as string | undefined,
            clientSecret,
            aadToken,
        };
    };
    const entries = PRINCIPAL_ENVS.map((env) => [env, linked(env)] as const);
    return entries.every(([, p]) => p !== undefined)
        ? ({ mode: "link", ...Object.fromEntries(entries) } as WorkspacePrincipalsConfig)
        : undefined;
}

/** The raw `projects` list, for the unity-catalog checks (the projects reader reports its problems). */
function readProjectsRaw(config: pulumi.Config): unknown {
    try {
        return config.getObject<unknown>("projects");
    } catch {
        return undefined;
    }
}

/** Whether a problem was already recorded for this full key (a secret that is set but invalid). */
function alreadyReported(problems: Problems, fullKey: string): boolean {
    return problems.items.some((p) => p.key === fullKey);
}

function unusedSecretHint(k: string): string {
    if (PRINCIPAL_ENVS.some((e) => k === `${e}ClientSecret` || k === `${e}AadToken`))
        return "it is for a linked service principal: workspaces.servicePrincipals.mode link";
    const env = k.replace(/Workspace.*$/, "");
    return k.endsWith("ClientSecret")
        ? `it is for workspaces.${env}.auth.method client-secret`
        : `it is for workspaces.${env}.auth.method aad-token`;
}

function cap(s: string): string {
    return s[0].toUpperCase() + s.slice(1);
}

function checkKnownKeys(
    problems: Problems,
    obj: Record<string, unknown>,
    knownKeys: readonly string[],
    key: (k: string) => string,
): void {
    for (const x of Object.keys(obj)) {
        if (!knownKeys.includes(x))
            problems.add(
                key(`.${x}`),
                `is not a known setting; valid ones: ${knownKeys.filter((y) => !SECRET_VALUE_KEYS.includes(y)).join(", ")}`,
            );
    }
}
