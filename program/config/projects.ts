/**
 * The `projects` section of the stack config: a list of MLOps projects, each with a CI/CD service
 * principal in the staging and prod workspaces and a directory it manages there.
 *
 * Secrets cannot live in the list: Pulumi marks config secret per top-level key, so one secure value
 * inside `projects` would make every project name and path secret. Client secrets and AAD tokens for
 * linked principals therefore go in a separate top-level key, `projectCredentials`, keyed by project
 * name (`pulumi config set --secret --path 'projectCredentials.churn.staging.clientSecret' …`).
 * See docs/projects.md.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    checkGuid,
    checkNonEmptyString,
    describe,
    isObject,
    Problems,
    andList,
    DeployTarget,
    deployTargets,
} from "../../core";
import { plaintextCredentials, readStackFile } from "./stackFile";
import { isConfigSecret } from "./secrets";
import { LinkedPrincipalConfig, WorkspacePrincipalsConfig } from "./workspaces";
import {
    checkProjectDirectoryPath,
    checkProjectName,
    checkServicePrincipalName,
    checkParentsAreNotProjects,
    checkUniqueProjects,
} from "../../projects";
import {
    ModelRegistryMode,
    checkUcName,
    defaultProjectSchema,
    DEFAULT_MODEL_SCHEMA,
} from "../../unityCatalog";
import { readCicdCredentials, UnityCatalogConfig } from "./unityCatalog";

export interface ProjectConfig {
    /** Stable key: names the project's resources and stack outputs. */
    readonly name: string;
    readonly servicePrincipalName: string;
    readonly projectDirectoryPath: string;
    /** Declare missing parent directories too. Defaults to false. */
    readonly createParentDirectories: boolean;
    /** Defaults to false: the project's SPs create no clusters. */
    readonly allowClusterCreate?: boolean;
    /** Look the SP group up by this name instead of taking it from the workspace trio. */
    readonly servicePrincipalGroupName?: string;
    /** Linked apps (credentials from `projectCredentials`, as Pulumi secrets) or created ones; the trio's shape. */
    readonly servicePrincipals: WorkspacePrincipalsConfig;
    /** With workspaces.modelRegistry unity-catalog: the project's schema in the staging and prod catalogs (default: its name, lowercase, '-' as '_'). */
    readonly modelSchema?: string;
    /** With workspaces.modelRegistry unity-catalog: CI/CD credentials of the project's SPs (default: OAuth secrets). */
    readonly cicdCredentials?: UnityCatalogConfig["cicdCredentials"];
}

/** Keys of a `projects` entry, of a linked `servicePrincipals.staging` / `prod`, and of `projectCredentials.<project>.<env>`. */
export const PROJECT_KEYS = [
    "name",
    "servicePrincipalName",
    "projectDirectoryPath",
    "createParentDirectories",
    "allowClusterCreate",
    "servicePrincipalGroupName",
    "servicePrincipals",
    "modelSchema",
    "cicdCredentials",
];
export const LINKED_KEYS = ["clientId", "tenantId"];
export const SECRET_KEYS = ["clientSecret", "aadToken"];
/** A project's environments: those deployed to. */
const ENVS = deployTargets();
type Env = DeployTarget;

/** `projectCredentials.<project>.<env>` as read (plaintext, before wrapping in secrets). */
type RawCredentials = Record<string, Partial<Record<Env, Record<string, unknown>>>>;

export function readProjects(config: pulumi.Config, problems: Problems): readonly ProjectConfig[] {
    const key = (k: string) => `${config.name}:${k}`;
    const raw = readObject(config, "projects", problems);
    if (raw === undefined) {
        if (readObject(config, "projectCredentials", problems) !== undefined) {
            problems.add(
                key("projectCredentials"),
                `is set but ${key("projects")} is not; remove it or add the projects it is for`,
            );
        }
        return [];
    }
    if (!Array.isArray(raw)) {
        problems.add(
            key("projects"),
            `must be a list of projects (each with name, servicePrincipalName, projectDirectoryPath, servicePrincipals), got ${describe(raw)}`,
        );
        return [];
    }
    const credentials = readCredentials(config, problems);
    const projects: ProjectConfig[] = [];
    const mode = registryMode(config);
    raw.forEach((entry, i) => {
        const p = readProject(config, problems, entry, `projects[${i}]`, credentials);
        const registry = isObject(entry)
            ? checkProjectRegistry(problems, entry, (x) => key(`projects[${i}]${x}`), mode)
            : undefined;
        if (p && registry)
            projects.push(
                mode.uc
                    ? {
                          ...p,
                          modelSchema: p.modelSchema ?? defaultProjectSchema(p.name),
                          cicdCredentials: registry.cicdCredentials,
                      }
                    : p,
            );
    });
    if (mode.uc) checkUniqueSchemas(problems, raw, (i) => key(`projects[${i}]`), mode.trioSchema);
    const entries = raw.map((e) => (isObject(e) ? e : {}));
    checkUniqueProjects(problems, entries, (i) => key(`projects[${i}]`));
    checkParentsAreNotProjects(problems, entries, (i) => key(`projects[${i}]`));
    const names = new Set(
        raw
            .filter(isObject)
            .map((e) => e.name)
            .filter((n): n is string => typeof n === "string"),
    );
    checkCredentialsMatchProjects(config, problems, credentials, names, raw);
    if (raw.length > 0 && config.get("workspaces") === undefined) {
        problems.add(
            key("projects"),
            `needs ${key("workspaces")} (the ${andList(ENVS)} workspaces that host the projects) to be set too`,
        );
    }
    return projects;
}

function readProject(
    config: pulumi.Config,
    problems: Problems,
    entry: unknown,
    path: string,
    credentials: RawCredentials,
): ProjectConfig | undefined {
    const key = (k: string) => `${config.name}:${path}${k}`;
    if (!isObject(entry)) {
        problems.add(
            key(""),
            `must be an object with name, servicePrincipalName, projectDirectoryPath and servicePrincipals, got ${describe(entry)}`,
        );
        return undefined;
    }
    checkKnownKeys(problems, entry, PROJECT_KEYS, key);
    const before = problems.items.length;
    const name = entry.name;
    checkProjectName(problems, key(".name"), name);
    checkServicePrincipalName(problems, key(".servicePrincipalName"), entry.servicePrincipalName);
    checkProjectDirectoryPath(problems, key(".projectDirectoryPath"), entry.projectDirectoryPath);
    if (
        entry.createParentDirectories !== undefined &&
        typeof entry.createParentDirectories !== "boolean"
    ) {
        problems.add(
            key(".createParentDirectories"),
            `must be true or false, got ${describe(entry.createParentDirectories)}`,
        );
    }
    if (entry.allowClusterCreate !== undefined && typeof entry.allowClusterCreate !== "boolean") {
        problems.add(
            key(".allowClusterCreate"),
            `must be true or false (default false: the project's SPs create no clusters), got ${describe(entry.allowClusterCreate)}`,
        );
    }
    if (entry.servicePrincipalGroupName !== undefined) {
        checkNonEmptyString(
            problems,
            key(".servicePrincipalGroupName"),
            entry.servicePrincipalGroupName,
        );
    }
    const principals = readPrincipals(
        problems,
        entry.servicePrincipals,
        key(".servicePrincipals"),
        typeof name === "string" ? credentials[name] : undefined,
        config.name,
        name,
    );
    if (problems.items.length !== before || principals === undefined) return undefined;
    return {
        name: name as string,
        servicePrincipalName: entry.servicePrincipalName as string,
        projectDirectoryPath: entry.projectDirectoryPath as string,
        createParentDirectories: entry.createParentDirectories === true,
        ...(entry.allowClusterCreate !== undefined
            ? { allowClusterCreate: entry.allowClusterCreate as boolean }
            : {}),
        servicePrincipalGroupName: entry.servicePrincipalGroupName as string | undefined,
        servicePrincipals: principals,
        ...(entry.modelSchema !== undefined ? { modelSchema: entry.modelSchema as string } : {}),
    };
}

/** The trio's model-registry mode (and its schema name), as the workspaces section sets it; invalid modes are that section's to report. */
function registryMode(config: pulumi.Config): {
    uc: boolean;
    hasAccount: boolean;
    trioSchema: string;
} {
    const ws = readObject(config, "workspaces", new Problems());
    const uc = isObject(ws) && ws.modelRegistry === ModelRegistryMode.UnityCatalog;
    return {
        uc,
        hasAccount: isObject(ws) && ws.account !== undefined,
        trioSchema:
            isObject(ws) && typeof ws.modelSchema === "string"
                ? ws.modelSchema
                : DEFAULT_MODEL_SCHEMA,
    };
}

/**
 * modelSchema and cicdCredentials only in unity-catalog mode (a federation credential needs
 * workspaces.account), servicePrincipalGroupName only in the legacy one. Undefined when a problem was found.
 */
function checkProjectRegistry(
    problems: Problems,
    entry: Record<string, unknown>,
    key: (path: string) => string,
    mode: { uc: boolean; hasAccount: boolean },
): { cicdCredentials?: UnityCatalogConfig["cicdCredentials"] } | undefined {
    const before = problems.items.length;
    let cicdCredentials: UnityCatalogConfig["cicdCredentials"] | undefined;
    if (mode.uc) {
        if (entry.modelSchema !== undefined)
            checkUcName(problems, key(".modelSchema"), entry.modelSchema);
        if (entry.servicePrincipalGroupName !== undefined) {
            problems.add(
                key(".servicePrincipalGroupName"),
                "only applies to the legacy workspace model registry (the SP group has token usage); workspaces.modelRegistry is unity-catalog: remove it",
            );
        }
        if (entry.cicdCredentials !== undefined) {
            const c = readCicdCredentials(entry.cicdCredentials, (x) => key(`.${x}`), problems);
            if (c.needsAccount && !mode.hasAccount)
                problems.add(
                    key(".cicdCredentials"),
                    "uses method federation, which needs workspaces.account (federation policies are an account API): { accountId }",
                );
            cicdCredentials = c.value;
        }
    } else {
        for (const k of ["modelSchema", "cicdCredentials"]) {
            if (entry[k] !== undefined)
                problems.add(
                    key(`.${k}`),
                    "only applies with workspaces.modelRegistry unity-catalog (the mode is workspace, the legacy default); remove it or set the mode",
                );
        }
    }
    return problems.items.length === before ? { cicdCredentials } : undefined;
}

/** Every project's schema (given or defaulted) differs from the others' and from the trio's: they share the staging and prod catalogs. */
function checkUniqueSchemas(
    problems: Problems,
    raw: unknown[],
    keyOf: (i: number) => string,
    trioSchema: string,
): void {
    const owners = new Map<string, string>([
        [trioSchema, `the trio's workspaces.modelSchema (${JSON.stringify(trioSchema)})`],
    ]);
    raw.forEach((e, i) => {
        if (!isObject(e) || typeof e.name !== "string") return;
        const schema =
            typeof e.modelSchema === "string" ? e.modelSchema : defaultProjectSchema(e.name);
        const owner = owners.get(schema);
        if (owner)
            problems.add(
                `${keyOf(i)}.modelSchema`,
                `is ${JSON.stringify(schema)}${e.modelSchema === undefined ? " (from the project name)" : ""}, also the schema of ${owner}; each project needs its own schema`,
            );
        else owners.set(schema, keyOf(i));
    });
}

function readPrincipals(
    problems: Problems,
    value: unknown,
    key: string,
    creds: Partial<Record<Env, Record<string, unknown>>> | undefined,
    ns: string,
    projectName: unknown,
): WorkspacePrincipalsConfig | undefined {
    if (!isObject(value) || (value.mode !== "link" && value.mode !== "create")) {
        problems.add(
            isObject(value) ? `${key}.mode` : key,
            `must be { mode: link, ${ENVS.map((e) => `${e}: { clientId, tenantId }`).join(", ")} } to link existing Entra apps, ` +
                `or { mode: create, tenantId } to create them, got ${describe(isObject(value) ? value.mode : value)}`,
        );
        return undefined;
    }
    if (value.mode === "create") {
        checkKnownKeys(problems, value, ["mode", "tenantId"], (k) => `${key}${k}`);
        return checkGuid(problems, `${key}.tenantId`, value.tenantId, "tenant id")
            ? { mode: "create", tenantId: value.tenantId }
            : undefined;
    }
    checkKnownKeys(problems, value, ["mode", ...ENVS], (k) => `${key}${k}`);
    const linked = (env: Env): LinkedPrincipalConfig | undefined => {
        const v = value[env];
        const k = `${key}.${env}`;
        if (!isObject(v)) {
            problems.add(
                k,
                `must be { clientId, tenantId } of the existing Entra app for ${env}, got ${describe(v)}`,
            );
            return undefined;
        }
        for (const s of SECRET_KEYS) {
            // Never read or echo it: a secret here would make the whole `projects` key secret.
            if (s in v)
                problems.add(
                    `${k}.${s}`,
                    `must not be in the projects list; set it as a secret: pulumi config set --secret --path '${projectCredentialsKey(projectName, env, s)}' …`,
                );
        }
        checkKnownKeys(problems, v, [...LINKED_KEYS, ...SECRET_KEYS], (x) => `${k}${x}`);
        const ok = checkGuid(problems, `${k}.clientId`, v.clientId, "client (application) id");
        if (v.tenantId !== undefined) checkGuid(problems, `${k}.tenantId`, v.tenantId, "tenant id");
        const c = creds?.[env] ?? {};
        const credKey = (s: string) => `${ns}:${projectCredentialsKey(projectName, env, s)}`;
        const has = (s: string) => c[s] !== undefined;
        for (const s of SECRET_KEYS) {
            if (has(s) && (typeof c[s] !== "string" || c[s] === ""))
                problems.add(credKey(s), "must be a non-empty string");
        }
        if (has("aadToken") && has("clientSecret")) {
            problems.add(
                credKey("aadToken"),
                `give either aadToken or clientSecret for ${env}, not both`,
            );
        } else if (!has("aadToken") && !has("clientSecret")) {
            problems.add(
                credKey("clientSecret"),
                `is required for a linked ${env} principal (with ${k}.tenantId), unless ${credKey("aadToken")} is given; set it with --secret`,
            );
        } else if (has("clientSecret") && v.tenantId === undefined) {
            problems.add(
                `${k}.tenantId`,
                `is required with a client secret: the tenant (GUID) the Entra app lives in`,
            );
        }
        if (!ok) return undefined;
        return {
            clientId: v.clientId as string,
            tenantId: v.tenantId as string | undefined,
            clientSecret:
                typeof c.clientSecret === "string" ? pulumi.secret(c.clientSecret) : undefined,
            aadToken: typeof c.aadToken === "string" ? pulumi.secret(c.aadToken) : undefined,
        };
    };
    const entries = ENVS.map((env) => [env, linked(env)] as const);
    return entries.every(([, p]) => p !== undefined)
        ? ({ mode: "link", ...Object.fromEntries(entries) } as WorkspacePrincipalsConfig)
        : undefined;
}

/** The `--path` of one credential, e.g. `projectCredentials.churn.staging.clientSecret`. */
export function projectCredentialsKey(project: unknown, env: Env, secret: string): string {
    return `projectCredentials.${typeof project === "string" && project !== "" ? project : "<project name>"}.${env}.${secret}`;
}

function readCredentials(config: pulumi.Config, problems: Problems): RawCredentials {
    const raw = readObject(config, "projectCredentials", problems);
    const key = `${config.name}:projectCredentials`;
    if (raw === undefined) return {};
    if (!isConfigSecret(key)) {
        // Refuse plaintext credentials in Pulumi.<stack>.yaml rather than use them.
        problems.add(
            key,
            "must be set as a secret (pulumi config set --secret --path 'projectCredentials.<project>.<env>.clientSecret' …); it holds client secrets or AAD tokens",
        );
        return {};
    }
    if (!isObject(raw)) {
        problems.add(
            key,
            `must be an object keyed by project name: { <project>: { ${ENVS.map((e, i) => `${e}: { ${i === 0 ? "clientSecret | aadToken" : "…"} }`).join(", ")} } }`,
        );
        return {};
    }
    // A plaintext value next to secure ones: the runtime sees the whole key as secret, the stack file does not.
    const stack = safeStack();
    const text = readStackFile(process.cwd(), stack);
    for (const leaf of text === undefined ? [] : plaintextCredentials(text, config.name)) {
        problems.add(
            `${key}.${leaf}`,
            `is plain text in Pulumi.${stack}.yaml (the other values there are secure:); set it encrypted: pulumi config set --secret --path 'projectCredentials.${leaf}' …`,
        );
    }
    const out: RawCredentials = {};
    for (const [project, envs] of Object.entries(raw)) {
        if (!isObject(envs)) {
            problems.add(
                `${key}.${project}`,
                `must be an object { ${ENVS.map((e) => `${e}: { … }`).join(", ")} }`,
            );
            continue;
        }
        checkKnownKeys(problems, envs, [...ENVS], (k) => `${key}.${project}${k}`);
        const entry: Partial<Record<Env, Record<string, unknown>>> = {};
        for (const env of ENVS) {
            const v = envs[env];
            if (v === undefined) continue;
            if (!isObject(v)) {
                problems.add(
                    `${key}.${project}.${env}`,
                    "must be an object { clientSecret } or { aadToken }",
                );
                continue;
            }
            checkKnownKeys(problems, v, SECRET_KEYS, (k) => `${key}.${project}.${env}${k}`);
            entry[env] = v;
        }
        out[project] = entry;
    }
    return out;
}

function checkCredentialsMatchProjects(
    config: pulumi.Config,
    problems: Problems,
    credentials: RawCredentials,
    names: Set<string>,
    raw: unknown[],
): void {
    for (const project of Object.keys(credentials)) {
        if (!names.has(project)) {
            problems.add(
                `${config.name}:projectCredentials.${project}`,
                `names no project in ${config.name}:projects (known: ${[...names].join(", ") || "none"})`,
            );
            continue;
        }
        const entry = raw.find((e) => isObject(e) && e.name === project) as Record<string, unknown>;
        const sp = entry.servicePrincipals;
        if (isObject(sp) && sp.mode === "create") {
            problems.add(
                `${config.name}:projectCredentials.${project}`,
                "is not used: this project creates its Entra apps (servicePrincipals.mode is create); remove it",
            );
        }
    }
}

/** The stack's name, or "" where there is none (outside a Pulumi run). */
function safeStack(): string {
    try {
        return pulumi.getStack();
    } catch {
        return "";
    }
}

function readObject(config: pulumi.Config, k: string, problems: Problems): unknown {
    try {
        return config.getObject<unknown>(k);
    } catch {
        problems.add(`${config.name}:${k}`, "must be valid structured config (YAML list/object)");
        return undefined;
    }
}

function checkKnownKeys(
    problems: Problems,
    obj: Record<string, unknown>,
    known: readonly string[],
    key: (k: string) => string,
): void {
    for (const k of Object.keys(obj)) {
        if (!known.includes(k))
            problems.add(key(`.${k}`), `is not a known setting; valid ones: ${known.join(", ")}`);
    }
}
