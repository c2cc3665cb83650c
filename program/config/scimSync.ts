/**
 * The `scimSync` config section: the optional object `azure-databricks-mlops:scimSync` plus the
 * top-level secret keys `scimGraphClientSecret` and `scimDatabricksClientSecret`. Validated with the
 * ScimSync provider's own rules (one place), each problem named by its full config key.
 */
import * as pulumi from "@pulumi/pulumi";
import { Problems, describe } from "../../core";
import { isSet, readSecret } from "./secrets";
import { checkScimSyncInputs, SETTING_INPUTS } from "../../providers/scimSync";

const NS = "azure-databricks-mlops";
const SECTION = `${NS}:scimSync`;

/** Keys of the `scimSync` object: the provider's non-secret settings (secrets are in {@link SECRET_KEYS}). */
export const OBJECT_KEYS = SETTING_INPUTS;

/**
 * The on/off settings. The provider also takes the strings "true" / "false" (values from other
 * languages' engines); in a stack file a quoted `"false"` is a mistake — `dryRunPrincipals: "false"`
 * would turn writes on — so the config reader takes YAML booleans only.
 */
export const BOOLEAN_KEYS = [
    "fullSync",
    "dryRunPrincipals",
    "dryRunMembers",
    "allowMassRemoval",
    "allowGroupAdoption",
    "allowPrincipalAdoption",
    "deactivateDeleted",
] as const;

/** Top-level secret keys, by the ScimSync input they feed. */
export const SECRET_KEYS = {
    graphClientSecret: "scimGraphClientSecret",
    databricksClientSecret: "scimDatabricksClientSecret",
} as const;

export interface ScimSyncConfig {
    readonly accountId: string;
    readonly accountHost?: string;
    readonly tenantId?: string;
    readonly groups: readonly string[];
    readonly groupSearchDepth?: number;
    readonly fullSync?: boolean;
    readonly dryRunPrincipals?: boolean;
    readonly dryRunMembers?: boolean;
    readonly concurrency?: number;
    readonly rateLimits?: string;
    readonly interval?: string;
    readonly maxRemovalPercent?: number;
    readonly allowMassRemoval?: boolean;
    readonly allowGroupAdoption?: boolean;
    readonly allowPrincipalAdoption?: boolean;
    readonly deactivateDeleted?: boolean;
    readonly graphUrl?: string;
    readonly authorityHost?: string;
    readonly allowHosts?: string[];
    readonly graphClientId?: string;
    readonly databricksClientId?: string;
    /** From `scimGraphClientSecret`; secret. */
    readonly graphClientSecret?: pulumi.Output<string>;
    /** From `scimDatabricksClientSecret`; secret. */
    readonly databricksClientSecret?: pulumi.Output<string>;
}

/** Reads `scimSync`; undefined when the stack does not set it. Adds a problem per bad key. */
export function readScimSync(
    config: pulumi.Config,
    problems: Problems,
): ScimSyncConfig | undefined {
    let raw: unknown;
    try {
        raw = config.getObject<unknown>("scimSync");
    } catch {
        problems.add(
            SECTION,
            "must be an object (YAML mapping) with accountId and groups; it is not valid JSON/YAML",
        );
        return undefined;
    }
    if (raw === undefined) {
        for (const key of Object.values(SECRET_KEYS)) {
            if (isSet(config, key))
                problems.add(
                    `${NS}:${key}`,
                    `is set but ${SECTION} is not: set ${SECTION}, or remove this key`,
                );
        }
        return undefined;
    }
    const graphClientSecret = readSecret(config, problems, SECRET_KEYS.graphClientSecret);
    const databricksClientSecret = readSecret(config, problems, SECRET_KEYS.databricksClientSecret);
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        problems.add(
            SECTION,
            `must be an object with accountId and groups (see docs/scim-sync-resource.md), got ${describe(raw)}`,
        );
        return undefined;
    }
    const obj = raw as Record<string, unknown>;
    for (const k of Object.keys(obj)) {
        if (!(OBJECT_KEYS as readonly string[]).includes(k)) {
            const secretKey = (SECRET_KEYS as Record<string, string>)[k];
            problems.add(
                `${SECTION}.${k}`,
                secretKey
                    ? `must not be in the scimSync object (it would be stored in plain text): use \`pulumi config set --secret ${secretKey}\``
                    : `is not a scimSync setting; valid keys are ${OBJECT_KEYS.join(", ")}`,
            );
        }
    }

    const badBooleans = BOOLEAN_KEYS.filter(
        (k) => obj[k] !== undefined && typeof obj[k] !== "boolean",
    );
    for (const k of badBooleans) {
        problems.add(
            `${SECTION}.${k}`,
            `must be true or false (a YAML boolean, unquoted), got ${describe(obj[k])}`,
        );
    }

    // The provider's check, with placeholders standing for the secrets' presence (values never read here).
    // A secret stored in plain text was refused by readSecret; count it as present so no second problem names it.
    const known = Object.fromEntries(
        Object.entries(obj).filter(([k]) => (OBJECT_KEYS as readonly string[]).includes(k)),
    );
    const { failures } = checkScimSyncInputs({
        ...known,
        graphClientSecret: isSet(config, SECRET_KEYS.graphClientSecret) ? "[secret]" : undefined,
        databricksClientSecret: isSet(config, SECRET_KEYS.databricksClientSecret)
            ? "[secret]"
            : undefined,
        version: "config",
    });
    for (const f of failures) {
        const top = f.property.replace(/\[.*$/, "");
        const secretKey = (SECRET_KEYS as Record<string, string>)[top];
        const key = secretKey ? `${NS}:${secretKey}` : `${SECTION}.${f.property}`;
        problems.add(key, toConfigNames(f.reason));
    }
    if (failures.length > 0 || badBooleans.length > 0) return undefined;

    const pick = <T>(k: string) => obj[k] as T | undefined;
    return {
        accountId: obj.accountId as string,
        accountHost: pick<string>("accountHost"),
        tenantId: pick<string>("tenantId"),
        groups: obj.groups as string[],
        groupSearchDepth: pick<number>("groupSearchDepth"),
        fullSync: pick<boolean>("fullSync"),
        dryRunPrincipals: pick<boolean>("dryRunPrincipals"),
        dryRunMembers: pick<boolean>("dryRunMembers"),
        concurrency: pick<number>("concurrency"),
        rateLimits: pick<string>("rateLimits"),
        interval: pick<string>("interval"),
        maxRemovalPercent: pick<number>("maxRemovalPercent"),
        allowMassRemoval: pick<boolean>("allowMassRemoval"),
        allowGroupAdoption: pick<boolean>("allowGroupAdoption"),
        allowPrincipalAdoption: pick<boolean>("allowPrincipalAdoption"),
        deactivateDeleted: pick<boolean>("deactivateDeleted"),
        graphUrl: pick<string>("graphUrl"),
        authorityHost: pick<string>("authorityHost"),
        allowHosts: pick<string[]>("allowHosts"),
        graphClientId: pick<string>("graphClientId"),
        databricksClientId: pick<string>("databricksClientId"),
        graphClientSecret,
        databricksClientSecret,
    };
}

/** Provider property names in a reason → the config keys a user sets. */
function toConfigNames(reason: string): string {
    return reason
        .replace(/\b(graph|databricks)ClientSecret\b/g, (_, api: string) =>
            api === "graph" ? "scimGraphClientSecret" : "scimDatabricksClientSecret",
        )
        .replace(/\b(graph|databricks)ClientId\b/g, "scimSync.$1ClientId");
}
