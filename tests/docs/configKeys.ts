/**
 * The stack config keys as the code defines them, for the documentation tests: top-level keys from
 * Pulumi.yaml and from what the config readers ask `pulumi.Config` for, nested keys from the readers'
 * own key lists. Only the nesting (which list sits under which key) is spelled out here.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "../../program/config";
import {
    AUTH_KEYS,
    AUTH_METHODS,
    CREATE_PRINCIPALS_KEYS,
    LINK_PRINCIPALS_KEYS,
    LINKED_PRINCIPAL_KEYS,
    SECTION_KEYS,
    WORKSPACE_ENVS,
    WORKSPACE_KEYS,
    workspaceSecretKeys,
} from "../../program/config/workspaces";
import {
    LINKED_KEYS as PROJECT_LINKED_KEYS,
    PROJECT_KEYS,
    SECRET_KEYS as PROJECT_SECRET_KEYS,
} from "../../program/config/projects";
import {
    OBJECT_KEYS as SCIM_KEYS,
    SECRET_KEYS as SCIM_SECRET_KEYS,
} from "../../program/config/scimSync";
import { ML_REGISTRY_KEYS, NAME_KEYS, USER_PRINCIPAL_TYPES } from "../../mlRegistry/validation";
import { ROLE_ASSIGNMENT_KEYS } from "../../mlRegistry/access";
import {
    ACCOUNT_KEYS,
    CATALOG_KEYS,
    CICD_CREDENTIAL_KEYS,
} from "../../program/config/unityCatalog";
import { CICD_CREDENTIAL_METHODS, MODEL_REGISTRY_MODES } from "../../unityCatalog/modes";
import { PACKAGE_ROOT } from "../support/consumerFolder";

export const NS = "azure-databricks-mlops";

/** Top-level keys declared in Pulumi.yaml (namespace stripped), with whether each has a default or value. */
export function declaredKeys(): Map<string, { hasDefault: boolean }> {
    const project = yaml.load(fs.readFileSync(path.join(PACKAGE_ROOT, "Pulumi.yaml"), "utf8")) as {
        config?: Record<string, unknown>;
    };
    const out = new Map<string, { hasDefault: boolean }>();
    for (const [k, decl] of Object.entries(project.config ?? {})) {
        if (k.includes(":") && !k.startsWith(`${NS}:`)) continue; // another namespace (a provider's)
        const d = decl as Record<string, unknown> | null;
        const hasDefault =
            !(d !== null && typeof d === "object" && !Array.isArray(d)) ||
            d.default != null ||
            d.value != null;
        out.set(k.replace(`${NS}:`, ""), { hasDefault });
    }
    return out;
}

/** Sets the engine's config (full keys → raw values) for the duration of `fn`. */
export function withRawConfig<T>(
    config: Record<string, string>,
    secretKeys: string[],
    fn: () => T,
): T {
    const saved = pulumi.runtime.allConfig();
    pulumi.runtime.setAllConfig(config, secretKeys);
    try {
        return fn();
    } finally {
        pulumi.runtime.setAllConfig(saved, []);
    }
}

/**
 * The top-level keys that `loadStackConfig` asks `pulumi.Config` for, under the engine config given
 * (the readers look up every key of a section, its secrets included, even when it is unset).
 */
export function keysReadByReaders(
    config: Record<string, string> = {},
    secretKeys: string[] = [],
): Set<string> {
    return withRawConfig(config, secretKeys, () => {
        const read = new Set<string>();
        const real = new pulumi.Config(NS);
        const recording = new Proxy(real, {
            get(target, prop) {
                const value = Reflect.get(target, prop, target) as unknown;
                if (typeof value !== "function") return value;
                return (...args: unknown[]) => {
                    if (typeof args[0] === "string") read.add(args[0]);
                    return (value as (...a: unknown[]) => unknown).apply(target, args);
                };
            },
        });
        try {
            loadStackConfig(recording);
        } catch {
            // Problems do not matter here, only which keys were read.
        }
        return read;
    });
}

/** Top-level keys that hold secrets, as the readers define them. */
export function secretTopLevelKeys(): string[] {
    return [...workspaceSecretKeys(), ...Object.values(SCIM_SECRET_KEYS)];
}

/** A key tree: `true` is a leaf; `"*"` stands for any key or list index. */
export type KeyTree = { readonly [key: string]: KeyTree | true };

const leaves = (keys: readonly string[], sub: Record<string, KeyTree> = {}): KeyTree =>
    Object.fromEntries(keys.map((k) => [k, sub[k] ?? true]));

const auth = leaves(AUTH_KEYS);
const workspace = leaves(WORKSPACE_KEYS, { auth });
const linked = leaves(LINKED_PRINCIPAL_KEYS);
const principals = leaves([...new Set([...CREATE_PRINCIPALS_KEYS, ...LINK_PRINCIPALS_KEYS])], {
    staging: linked,
    prod: linked,
});
const projectPrincipals = leaves(["mode", "tenantId", "staging", "prod"], {
    staging: leaves(PROJECT_LINKED_KEYS),
    prod: leaves(PROJECT_LINKED_KEYS),
});
const anyList: KeyTree = { "*": true };
const catalog = leaves(CATALOG_KEYS);
const cicdCredential = leaves(CICD_CREDENTIAL_KEYS, { audiences: anyList });

/** Every settable config path, from the readers' key lists. */
export const CONFIG_KEY_TREE: KeyTree = {
    workspaces: leaves(SECTION_KEYS, {
        ...Object.fromEntries(WORKSPACE_ENVS.map((e) => [e, workspace])),
        servicePrincipals: principals,
        additionalTokenUsageGroups: anyList,
        catalogs: Object.fromEntries(WORKSPACE_ENVS.map((e) => [e, catalog])),
        cicdCredentials: { staging: cicdCredential, prod: cicdCredential },
        account: leaves(ACCOUNT_KEYS),
    }),
    ...Object.fromEntries(secretTopLevelKeys().map((k) => [k, true as const])),
    projects: {
        "*": leaves(PROJECT_KEYS, {
            servicePrincipals: projectPrincipals,
            cicdCredentials: { staging: cicdCredential, prod: cicdCredential },
        }),
    },
    projectCredentials: {
        "*": { staging: leaves(PROJECT_SECRET_KEYS), prod: leaves(PROJECT_SECRET_KEYS) },
    },
    mlRegistry: leaves(ML_REGISTRY_KEYS, {
        names: leaves(NAME_KEYS),
        computeIdentityPrincipalIds: anyList,
        tags: anyList,
        replicationLocations: anyList,
        userAssignedIdentityIds: anyList,
        roleAssignments: { "*": leaves(ROLE_ASSIGNMENT_KEYS) },
        regionStorageAccountTypes: anyList,
    }),
    scimSync: leaves(SCIM_KEYS, { groups: anyList }),
};

/** Nested keys and values each section's reference must mention, by top-level key. */
export const NESTED_NAMES: Record<string, readonly string[]> = {
    workspaces: [
        ...SECTION_KEYS,
        ...WORKSPACE_KEYS,
        ...AUTH_KEYS,
        ...AUTH_METHODS,
        ...CREATE_PRINCIPALS_KEYS,
        ...LINK_PRINCIPALS_KEYS,
        ...LINKED_PRINCIPAL_KEYS,
        ...MODEL_REGISTRY_MODES,
        ...CATALOG_KEYS,
        ...CICD_CREDENTIAL_KEYS,
        ...CICD_CREDENTIAL_METHODS,
        ...ACCOUNT_KEYS,
    ],
    projects: [...PROJECT_KEYS, ...PROJECT_LINKED_KEYS],
    projectCredentials: [...PROJECT_SECRET_KEYS],
    mlRegistry: [
        ...ML_REGISTRY_KEYS,
        ...NAME_KEYS,
        ...USER_PRINCIPAL_TYPES,
        ...ROLE_ASSIGNMENT_KEYS,
    ],
    scimSync: [...SCIM_KEYS],
};

/** Splits a `--path` key (`a.b[0].c`, `a["b.c"]`) into segments. */
export function pathSegments(key: string): string[] {
    const out: string[] = [];
    for (const m of key.matchAll(/([^.[\]]+)|\[(\d+)\]|\["([^"]+)"\]/g))
        out.push(m[1] ?? m[2] ?? m[3]);
    return out;
}

/** Why a config path is not settable, or undefined when it is. */
export function checkConfigPath(segments: readonly string[]): string | undefined {
    let node: KeyTree | true = CONFIG_KEY_TREE;
    for (let i = 0; i < segments.length; i++) {
        if (node === true)
            return `${segments.slice(0, i).join(".")} holds a value, not ${segments[i]}`;
        const next: KeyTree | true | undefined = node[segments[i]] ?? node["*"];
        if (next === undefined)
            return `${segments[i]} is not a key of ${segments.slice(0, i).join(".") || "the stack config"}`;
        node = next;
    }
    return undefined;
}
