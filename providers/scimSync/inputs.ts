/**
 * Pure logic of the ScimSync provider: input normalisation (`check`) and the decision to sync (`diff`).
 * No Pulumi, no engine, no I/O, so it is tested directly and loaded cheaply by the serialized provider.
 */
import { INTERVAL_FORMATS, isDue, parseInterval } from "../../core/interval";
import { HostRole, isHostList, untrustedHost } from "../../core/hosts";
import { checkBaseUrl } from "../../scim/clients/http";
import { describeValue } from "../../core/scrub";
import { UNKNOWN } from "../../core/unknown";
import { parseRateLimits } from "../../scim/clients/pacing";

/** Resolved inputs as the provider methods see them (plaintext; secrets included). */
export interface ScimSyncInputs {
    readonly tenantId?: string;
    readonly accountId: string;
    readonly accountHost?: string;
    readonly graphUrl?: string;
    readonly authorityHost?: string;
    /** Host names trusted besides the Azure clouds' own (core/hosts). */
    readonly allowHosts?: readonly string[];
    readonly graphClientId?: string;
    readonly graphClientSecret?: string;
    readonly graphToken?: string;
    readonly databricksClientId?: string;
    readonly databricksClientSecret?: string;
    readonly databricksToken?: string;
    readonly groups: readonly string[];
    readonly groupSearchDepth: number;
    readonly fullSync: boolean;
    readonly dryRunPrincipals: boolean;
    readonly dryRunMembers: boolean;
    readonly concurrency: number;
    /** Request budget per API and operation class (scim/clients/pacing syntax); undefined = the documented defaults. */
    readonly rateLimits?: string;
    readonly interval?: string;
    readonly maxRemovalPercent: number;
    readonly allowMassRemoval: boolean;
    readonly allowGroupAdoption: boolean;
    readonly allowPrincipalAdoption: boolean;
    readonly deactivateDeleted: boolean;
    readonly version: string;
}

/** Inputs that are secrets: never echoed in outputs, errors or check failures. */
export const SECRET_INPUTS = [
    "graphClientSecret",
    "graphToken",
    "databricksClientSecret",
    "databricksToken",
] as const;

/**
 * The non-secret inputs a user sets (in the order the docs and the stack config list them); also the
 * keys of the `scimSync` config object, whose secrets live in top-level secret keys instead.
 */
export const SETTING_INPUTS = [
    "accountId",
    "accountHost",
    "tenantId",
    "groups",
    "groupSearchDepth",
    "fullSync",
    "dryRunPrincipals",
    "dryRunMembers",
    "concurrency",
    "rateLimits",
    "interval",
    "maxRemovalPercent",
    "allowMassRemoval",
    "allowGroupAdoption",
    "allowPrincipalAdoption",
    "deactivateDeleted",
    "graphUrl",
    "authorityHost",
    "allowHosts",
    "graphClientId",
    "databricksClientId",
] as const;

/** Non-secret inputs that are echoed into the outputs and compared by `diff`. */
export const COMPARED_INPUTS = [...SETTING_INPUTS, "version"] as const;

/** Inputs whose change makes the carried state (ids, delta links) meaningless: start afresh. */
export const IDENTITY_INPUTS = ["tenantId", "accountId", "accountHost", "graphUrl"] as const;

/** Values not known yet (preview) are not validated; diff assumes a change. */
export { UNKNOWN };

function hasUnknown(value: unknown): boolean {
    if (value === UNKNOWN) return true;
    if (Array.isArray(value)) return value.some(hasUnknown);
    if (value && typeof value === "object") return Object.values(value).some(hasUnknown);
    return false;
}

export const DEFAULT_GROUP_SEARCH_DEPTH = 1;
/** The Databricks account allows 10 nesting levels. */
export const MAX_GROUP_SEARCH_DEPTH = 10;
export const DEFAULT_CONCURRENCY = 10;
/** The engine's default removal guard (scim/contract/api DEFAULT_MAX_REMOVAL_PERCENT; not imported: this module stays engine-free). */
export const DEFAULT_MAX_REMOVAL_PERCENT = 50;
export const MAX_CONCURRENCY = 64;

export interface CheckFailure {
    readonly property: string;
    readonly reason: string;
}

interface FailureSink {
    push(failure: CheckFailure): void;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The engine's URL rule (https, or http on loopback), as a reason without the setting prefix. */
function urlProblem(value: string): string | undefined {
    try {
        checkBaseUrl(value, "url");
        return undefined;
    } catch (e) {
        return (e instanceof Error ? e.message : String(e)).replace(/^url: /, "");
    }
}

function short(value: unknown): string {
    if (typeof value === "string") return describeValue(value);
    if (value === undefined) return "nothing";
    if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
    return typeof value === "object" ? "an object" : String(value);
}

/** `allowHosts`: a list of host names (no scheme, port or path); undefined when not set. */
function hostList(v: unknown, failures: FailureSink): string[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (!isHostList(v)) {
        failures.push({
            property: "allowHosts",
            reason: `must be a list of host names such as scim-proxy.contoso.com (no scheme, port or path), got ${short(v)}`,
        });
        return undefined;
    }
    return v.map((h) => h.trim());
}

function optionalString(
    news: Record<string, any>,
    key: string,
    failures: FailureSink,
    secret = false,
): string | undefined {
    const v = news[key];
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v !== "string") {
        failures.push({
            property: key,
            reason: `must be a string, got ${secret ? typeof v : short(v)}`,
        });
        return undefined;
    }
    return v.trim();
}

function optionalInt(
    news: Record<string, any>,
    key: string,
    min: number,
    max: number,
    dflt: number,
    failures: FailureSink,
): number {
    const v = news[key];
    if (v === undefined || v === null) return dflt;
    const n = typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : v;
    if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
        failures.push({
            property: key,
            reason: `must be a whole number from ${min} to ${max}, got ${short(v)}`,
        });
        return dflt;
    }
    return n;
}

function optionalBool(news: Record<string, any>, key: string, failures: FailureSink): boolean {
    const v = news[key];
    if (v === undefined || v === null) return false;
    if (v === true || v === "true") return true;
    if (v === false || v === "false") return false;
    failures.push({ property: key, reason: `must be true or false, got ${short(v)}` });
    return false;
}

/** Validates and normalises the inputs, filling defaults. Never puts a secret value into a failure. */
export function checkScimSyncInputs(news: Record<string, any>): {
    inputs: ScimSyncInputs;
    failures: CheckFailure[];
} {
    const collected: CheckFailure[] = [];
    // A property not known yet (preview) is checked on the real run.
    const failures: FailureSink = {
        push: (f) => {
            if (!hasUnknown(news[f.property.replace(/\[.*$/, "")])) collected.push(f);
        },
    };
    const str = (k: string, secret = false) => optionalString(news, k, failures, secret);

    const accountId = str("accountId");
    if (!accountId || !GUID.test(accountId)) {
        failures.push({
            property: "accountId",
            reason: `must be the Databricks account id, a GUID like 00000000-0000-0000-0000-000000000000, got ${short(news.accountId)}`,
        });
    }
    const tenantId = str("tenantId");
    if (tenantId !== undefined && !GUID.test(tenantId)) {
        failures.push({
            property: "tenantId",
            reason: `must be the Entra tenant id, a GUID, got ${short(tenantId)}`,
        });
    }
    const allowHosts = hostList(news.allowHosts, failures);
    for (const [k, role] of [
        ["accountHost", "account"],
        ["graphUrl", "graph"],
        ["authorityHost", "authority"],
    ] as const) {
        const v = str(k);
        // The token (or the client secret, for the authority) goes only to a trusted or explicitly allowed host.
        const reason =
            v === undefined
                ? undefined
                : (urlProblem(v) ??
                  untrustedHost(v, role as HostRole, allowHosts ?? [], "allowHosts"));
        if (reason) failures.push({ property: k, reason });
    }

    const groups: string[] = [];
    if (!Array.isArray(news.groups) || news.groups.length === 0) {
        failures.push({
            property: "groups",
            reason: `must be a non-empty list of Entra group display names, got ${short(news.groups)}`,
        });
    } else {
        news.groups.forEach((g: unknown, i: number) => {
            if (typeof g !== "string" || g.trim() === "") {
                failures.push({
                    property: `groups[${i}]`,
                    reason: `must be a non-empty group display name, got ${short(g)}`,
                });
            } else if (!groups.includes(g.trim())) {
                groups.push(g.trim());
            }
        });
    }

    // Credentials per API: a bearer token, or client id + secret (+ tenant), or neither (ambient).
    for (const api of ["graph", "databricks"] as const) {
        const clientId = str(`${api}ClientId`);
        const secret = str(`${api}ClientSecret`, true);
        const token = str(`${api}Token`, true);
        if (token !== undefined && (secret !== undefined || clientId !== undefined)) {
            failures.push({
                property: `${api}Token`,
                reason: `set either ${api}Token or ${api}ClientId + ${api}ClientSecret, not both`,
            });
        }
        if ((secret === undefined) !== (clientId === undefined)) {
            failures.push({
                property: `${api}ClientSecret`,
                reason: `${api}ClientId and ${api}ClientSecret go together: set both, or neither to use ambient Azure credentials`,
            });
        }
        if (secret !== undefined && tenantId === undefined) {
            failures.push({
                property: "tenantId",
                reason: `is required with ${api}ClientSecret (the client-credentials grant needs the tenant)`,
            });
        }
        if (clientId !== undefined && !GUID.test(clientId)) {
            failures.push({
                property: `${api}ClientId`,
                reason: `must be an application (client) id, a GUID, got ${short(clientId)}`,
            });
        }
    }

    const rateLimits = str("rateLimits");
    if (rateLimits !== undefined) {
        const parsed = parseRateLimits(rateLimits);
        if ("error" in parsed) failures.push({ property: "rateLimits", reason: parsed.error });
    }

    const interval = str("interval");
    if (interval !== undefined) {
        const parsed = parseInterval(interval);
        if ("error" in parsed) failures.push({ property: "interval", reason: parsed.error });
    }

    const normalised: ScimSyncInputs = stripUndefined({
        tenantId,
        accountId: accountId ?? "",
        accountHost: str("accountHost"),
        graphUrl: str("graphUrl"),
        authorityHost: str("authorityHost"),
        allowHosts,
        graphClientId: str("graphClientId"),
        graphClientSecret: news.graphClientSecret || undefined,
        graphToken: news.graphToken || undefined,
        databricksClientId: str("databricksClientId"),
        databricksClientSecret: news.databricksClientSecret || undefined,
        databricksToken: news.databricksToken || undefined,
        groups,
        groupSearchDepth: optionalInt(
            news,
            "groupSearchDepth",
            1,
            MAX_GROUP_SEARCH_DEPTH,
            DEFAULT_GROUP_SEARCH_DEPTH,
            failures,
        ),
        fullSync: optionalBool(news, "fullSync", failures),
        dryRunPrincipals: optionalBool(news, "dryRunPrincipals", failures),
        dryRunMembers: optionalBool(news, "dryRunMembers", failures),
        concurrency: optionalInt(
            news,
            "concurrency",
            1,
            MAX_CONCURRENCY,
            DEFAULT_CONCURRENCY,
            failures,
        ),
        rateLimits,
        interval,
        maxRemovalPercent: optionalInt(
            news,
            "maxRemovalPercent",
            0,
            100,
            DEFAULT_MAX_REMOVAL_PERCENT,
            failures,
        ),
        allowMassRemoval: optionalBool(news, "allowMassRemoval", failures),
        allowGroupAdoption: optionalBool(news, "allowGroupAdoption", failures),
        allowPrincipalAdoption: optionalBool(news, "allowPrincipalAdoption", failures),
        deactivateDeleted: optionalBool(news, "deactivateDeleted", failures),
        version: typeof news.version === "string" ? news.version : "",
    });
    // Unknown values pass through as they are, so the real run sees (and checks) the real value.
    const inputs = { ...normalised } as Record<string, unknown>;
    for (const [k, v] of Object.entries(news)) if (hasUnknown(v)) inputs[k] = v;
    // Dedupe failures on the same property with the same reason (tenantId may be asked for twice).
    const seen = new Set<string>();
    const unique = collected.filter(
        (f) => !seen.has(f.property + f.reason) && seen.add(f.property + f.reason),
    );
    return { inputs: inputs as unknown as ScimSyncInputs, failures: unique };
}

export interface SyncDecision {
    /** True when `pulumi up` should run a sync (an update). */
    readonly changes: boolean;
    /** Why: the changed inputs, or "schedule" when only the interval has passed. */
    readonly reasons: readonly string[];
}

/**
 * Decides whether to sync: when a compared input changed, or when `interval` has passed since
 * `lastRunAt`, or when the last run failed or never completed. Without `interval`, only those.
 */
export function decideSync(
    olds: Record<string, any>,
    news: Record<string, any>,
    now: Date,
): SyncDecision {
    const unknown = COMPARED_INPUTS.filter((k) => hasUnknown(news[k]));
    if (unknown.length > 0) return { changes: true, reasons: unknown };
    const changed = COMPARED_INPUTS.filter((k) => !sameValue(olds[k], news[k]));
    if (changed.length > 0) return { changes: true, reasons: changed };
    if (olds.lastError) return { changes: true, reasons: ["retry after a failed run"] };
    if (!olds.lastRunAt) return { changes: true, reasons: ["never completed"] };
    if (news.interval) {
        const parsed = parseInterval(news.interval);
        if ("ms" in parsed && isDue(olds.lastRunAt, parsed.ms, now))
            return { changes: true, reasons: ["schedule"] };
    }
    return { changes: false, reasons: [] };
}

function sameValue(a: unknown, b: unknown): boolean {
    // Defaults are filled by check, but state written by an older version may lack a key.
    const norm = (v: unknown) => (v === null || v === "" ? undefined : v);
    return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/** Whether the account or directory changed, so that carried ids and delta links no longer apply. */
export function identityChanged(olds: Record<string, any>, news: Record<string, any>): boolean {
    return IDENTITY_INPUTS.some((k) => !sameValue(olds[k], news[k]));
}

export function stripUndefined<T extends Record<string, any>>(o: T): T {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export { INTERVAL_FORMATS };
