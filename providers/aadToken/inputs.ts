/**
 * AadToken's provider logic that needs no network: defaults, validation (`check`), change detection
 * (`diff`) and the refresh rule. Pure, so it is tested without mocks or emulator.
 */
import { DEFAULT_RETRY_POLICY, RetryPolicy } from "../../core/retry";
import { checkGuid, describe, Problems } from "../../core/problems";
import { isHostList, untrustedHost } from "../../core/hosts";
import { UNKNOWN } from "../../core/unknown";

/** The Azure Databricks resource's scope: the first-party app id 2ff814a6-… with `/.default`. */
export const DATABRICKS_SCOPE = "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default";
export const DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";
/** A stored token is refreshed on `pulumi up` when it expires within this margin. */
export const REFRESH_MARGIN_MS = 10 * 60 * 1000;
/** Time limit of one token request (discovery + token call). */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;
/** Bumped when the provider's behaviour changes, so stacks update (a code change alone does not). */
export const AAD_TOKEN_PROVIDER_VERSION = "1";

export interface AadTokenRetrySettings extends RetryPolicy {
    /** Time limit of one attempt, ms. */
    readonly attemptTimeoutMs: number;
    /** Retry bad-credential answers for this long after the first attempt, ms (0: fail at once). */
    readonly badCredentialRetryMs: number;
}

export const DEFAULT_AAD_TOKEN_RETRY: AadTokenRetrySettings = {
    ...DEFAULT_RETRY_POLICY,
    attemptTimeoutMs: DEFAULT_ATTEMPT_TIMEOUT_MS,
    badCredentialRetryMs: 0,
};

/** Inputs as the provider methods see them after `check`. */
export interface AadTokenInputs {
    readonly tenantId: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly scope: string;
    readonly authorityHost: string;
    /** Host names the authority may be besides the Azure clouds' own (core/hosts); absent = none. */
    readonly allowHosts?: string[];
    readonly retry: AadTokenRetrySettings;
    readonly version: string;
}

/** Outputs stored in state: the inputs plus the token. */
export interface AadTokenOutputs extends AadTokenInputs {
    readonly accessToken: string;
    /** ISO 8601. */
    readonly expiresOn: string;
}

export interface CheckFailure {
    readonly property: string;
    readonly reason: string;
}

/** Properties whose change means another principal or audience: a new resource. */
export const IDENTITY_PROPERTIES = ["tenantId", "clientId", "scope", "authorityHost"] as const;

const RETRY_LIMITS: Record<keyof AadTokenRetrySettings, [number, number]> = {
    maxAttempts: [1, 50],
    baseDelayMs: [0, 600_000],
    maxDelayMs: [0, 600_000],
    maxTotalMs: [0, 3_600_000],
    attemptTimeoutMs: [1, 600_000],
    badCredentialRetryMs: [0, 600_000],
};

/** Fills defaults and validates. Unknown (preview) values pass through unchecked. */
export function checkAadTokenInputs(news: Record<string, any>): {
    inputs: Record<string, any>;
    failures: CheckFailure[];
} {
    const problems = new Problems();
    const known = (v: unknown) => v !== UNKNOWN;
    const inputs: Record<string, any> = {
        ...news,
        scope: news.scope ?? DATABRICKS_SCOPE,
        authorityHost:
            typeof news.authorityHost === "string"
                ? news.authorityHost.replace(/\/+$/, "")
                : (news.authorityHost ?? DEFAULT_AUTHORITY_HOST),
        version: news.version ?? AAD_TOKEN_PROVIDER_VERSION,
    };
    if (known(inputs.tenantId))
        checkGuid(problems, "tenantId", inputs.tenantId, "tenant (directory) id");
    if (known(inputs.clientId))
        checkGuid(problems, "clientId", inputs.clientId, "client (application) id");
    // Never describe() the secret: only say what kind of value it is.
    if (
        known(inputs.clientSecret) &&
        (typeof inputs.clientSecret !== "string" || inputs.clientSecret.trim() === "")
    ) {
        problems.add(
            "clientSecret",
            `must be a non-empty string (the client secret's value), got ${kindOf(inputs.clientSecret)}`,
        );
    }
    if (
        known(inputs.scope) &&
        (typeof inputs.scope !== "string" || !/^\S+\/\.default$/.test(inputs.scope))
    ) {
        problems.add(
            "scope",
            `must be a resource's /.default scope for the client-credentials grant, like ${DATABRICKS_SCOPE}, got ${describe(inputs.scope)}`,
        );
    }
    if (known(inputs.authorityHost) && !isHttpsUrl(inputs.authorityHost)) {
        problems.add(
            "authorityHost",
            `must be an https:// URL without a path, like ${DEFAULT_AUTHORITY_HOST}, got ${describe(inputs.authorityHost)}`,
        );
    }
    const allowHosts = inputs.allowHosts;
    const hostsKnown = known(allowHosts) && (!Array.isArray(allowHosts) || allowHosts.every(known));
    if (hostsKnown && allowHosts !== undefined && allowHosts !== null && !isHostList(allowHosts)) {
        problems.add(
            "allowHosts",
            `must be a list of host names such as login.contoso-proxy.com (no scheme, port or path), got ${describe(allowHosts)}`,
        );
    } else if (hostsKnown && known(inputs.authorityHost) && isHttpsUrl(inputs.authorityHost)) {
        // The client secret goes to the authority: only to an Entra host of an Azure cloud, loopback, or one allowed by name.
        const why = untrustedHost(
            inputs.authorityHost,
            "authority",
            allowHosts ?? [],
            "allowHosts",
        );
        if (why) problems.add("authorityHost", why);
    }
    const retry: Record<string, any> = { ...DEFAULT_AAD_TOKEN_RETRY };
    if (news.retry !== undefined && news.retry !== null && known(news.retry)) {
        if (typeof news.retry !== "object" || Array.isArray(news.retry)) {
            problems.add(
                "retry",
                `must be an object with ${Object.keys(RETRY_LIMITS).join(", ")}, got ${describe(news.retry)}`,
            );
        } else {
            for (const [key, value] of Object.entries(news.retry)) {
                const limits = RETRY_LIMITS[key as keyof AadTokenRetrySettings];
                if (!limits) {
                    problems.add(
                        `retry.${key}`,
                        `is not a retry setting; valid ones are ${Object.keys(RETRY_LIMITS).join(", ")}`,
                    );
                } else if (value === undefined || value === null) {
                    continue;
                } else if (!known(value)) {
                    retry[key] = value;
                } else if (
                    typeof value !== "number" ||
                    !Number.isInteger(value) ||
                    value < limits[0] ||
                    value > limits[1]
                ) {
                    problems.add(
                        `retry.${key}`,
                        `must be a whole number from ${limits[0]} to ${limits[1]}, got ${describe(value)}`,
                    );
                } else retry[key] = value;
            }
        }
    }
    inputs.retry = retry;
    return { inputs, failures: problems.items.map((p) => ({ property: p.key, reason: p.reason })) };
}

/** Says what kind of value a bad secret is, never the value. */
function kindOf(value: unknown): string {
    if (value === undefined) return "nothing (it is not set)";
    if (value === null) return "null";
    if (value === "") return "an empty string";
    if (typeof value === "string") return "only whitespace";
    return Array.isArray(value) ? "a list" : `a ${typeof value}`;
}

function isHttpsUrl(value: unknown): boolean {
    if (typeof value !== "string") return false;
    try {
        const u = new URL(value);
        return (
            u.protocol === "https:" &&
            (u.pathname === "/" || u.pathname === "") &&
            !u.search &&
            !u.hash &&
            !u.username
        );
    } catch {
        return false;
    }
}

/** True when a token expiring at `expiresOn` must be replaced now (missing, bad, expired or within the margin). */
export function needsRefresh(
    expiresOn: unknown,
    now = Date.now(),
    marginMs = REFRESH_MARGIN_MS,
): boolean {
    if (typeof expiresOn !== "string") return true;
    const at = Date.parse(expiresOn);
    return Number.isNaN(at) || at - now <= marginMs;
}

export interface AadTokenDiff {
    readonly changes: boolean;
    readonly replaces: string[];
    /** Changed properties, for messages and tests. */
    readonly diffs: string[];
    readonly deleteBeforeReplace: false;
}

/**
 * Replace on identity changes; update on a new secret, retry settings or provider version; update when
 * the stored token is expired or close to it, so each `pulumi up` hands out a usable token.
 */
export function diffAadToken(
    olds: Record<string, any>,
    news: Record<string, any>,
    now = Date.now(),
): AadTokenDiff {
    const diffs: string[] = [];
    const replaces: string[] = [];
    for (const key of IDENTITY_PROPERTIES) {
        if (olds[key] !== news[key]) {
            diffs.push(key);
            replaces.push(key);
        }
    }
    if (olds.clientSecret !== news.clientSecret) diffs.push("clientSecret");
    // Defaults filled on both sides: a setting added in a later version is no change for old state.
    if (
        stableJson({ ...DEFAULT_AAD_TOKEN_RETRY, ...olds.retry }) !==
        stableJson({ ...DEFAULT_AAD_TOKEN_RETRY, ...news.retry })
    )
        diffs.push("retry");
    if (
        (olds.version ?? AAD_TOKEN_PROVIDER_VERSION) !==
        (news.version ?? AAD_TOKEN_PROVIDER_VERSION)
    )
        diffs.push("version");
    if (needsRefresh(olds.expiresOn, now)) diffs.push("accessToken", "expiresOn");
    return { changes: diffs.length > 0, replaces, diffs, deleteBeforeReplace: false };
}

function stableJson(value: unknown): string {
    if (value === null || typeof value !== "object") return JSON.stringify(value);
    return `{${Object.keys(value as object)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
        .join(",")}}`;
}
