/**
 * Public contract of the SCIM sync engine, shared by the `scim-sync` CLI and the `ScimSync` dynamic
 * provider. The engine knows nothing of Pulumi. Additive changes only: both consumers build on this.
 */
import type { RetryPolicy } from "../../core/retry";
import type { GroupTree } from "./model";

/** Returns a bearer token for one audience; called before requests and again when a token expires. */
export type TokenProvider = () => Promise<string>;

export interface SyncLogger {
    info(message: string): void;
    warn(message: string): void;
    debug(message: string): void;
}

export interface SyncProgress {
    /** e.g. "read-graph", "read-account", "apply-principals", "apply-members". */
    readonly phase: string;
    readonly done: number;
    readonly total: number;
}

export interface SyncOptions {
    /** Display names of the Entra groups to sync (the content of the groups JSON file). */
    readonly groups: readonly string[];
    /**
     * 1 = only the listed groups; n = nested groups down to n levels. Defaults to the depth recorded in
     * the state (the last run's), else 1: a scheduled run without it never shrinks the scope.
     */
    readonly groupSearchDepth?: number;
    /** Ignore delta links and read everything. Defaults to false. */
    readonly fullSync?: boolean;
    /** Write nothing; plan principal creations/updates (and membership changes). Defaults to false. */
    readonly dryRunPrincipals?: boolean;
    /** Apply principals, but only plan membership changes. Defaults to false. */
    readonly dryRunMembers?: boolean;
    /** Only read Graph (and optionally save its responses); write nothing, read no account. */
    readonly queryGraphOnly?: boolean;
    /** Maximum requests in flight per API. Defaults to 10. */
    readonly concurrency?: number;
    readonly graph: {
        /** Defaults to https://graph.microsoft.com/v1.0. `http://` only for loopback hosts. */
        readonly url?: string;
        readonly token: TokenProvider;
    };
    readonly account: {
        /** Defaults to https://accounts.azuredatabricks.net. `http://` only for loopback hosts. */
        readonly host?: string;
        readonly accountId: string;
        readonly token: TokenProvider;
    };
    /** State of the previous run (delta links, id map, synced groups); absent = first run. */
    readonly state?: SyncState;
    readonly logger?: SyncLogger;
    readonly onProgress?: (progress: SyncProgress) => void;
    /** Stops the run: no new request starts, in-flight ones are aborted, runSync rejects. */
    readonly signal?: AbortSignal;
    /** Retry policy for every Graph and SCIM call. Defaults to core/retry DEFAULT_RETRY_POLICY. */
    readonly retryPolicy?: RetryPolicy;
    /**
     * Request budget per API and operation class, requests per second (0 = unpaced). A class set
     * here is a hard ceiling: its rate adapts below it. Unset classes start from the rate the state
     * learnt, else the defaults from the documented limits (scim/pacing DEFAULT_RATE_LIMITS), and
     * adapt (raised while answers succeed, cut by a 429). Retry-After is honoured either way.
     */
    readonly rateLimits?: Partial<RateLimits>;
    /** Called with the groups, members and principals read from Graph this run (the CLI's --save-graph-response-json). */
    readonly onGraphRead?: (tree: GroupTree) => void;
    /**
     * Removal guard: the largest share (percent, 0–100) of a group's current account members one run
     * may remove. A plan over it, or one that would empty a group, writes nothing unless
     * `allowMassRemoval`. Defaults to {@link DEFAULT_MAX_REMOVAL_PERCENT}.
     */
    readonly maxRemovalPercent?: number;
    /** Lifts the removal guard for this run (a reorganisation that really removes most members). Defaults to false. */
    readonly allowMassRemoval?: boolean;
    /**
     * Adopt an account group of the listed name whose externalId names another Entra object (it was
     * made by hand or by another sync). Defaults to false: such a group is an error and left alone.
     */
    readonly allowGroupAdoption?: boolean;
    /**
     * Adopt an account user or service principal of the same userName / applicationId whose
     * externalId names another Entra object (e.g. a B2B guest whose mail equals an internal user's
     * userName). Defaults to false: such a principal is refused by name and the account's is left alone.
     */
    readonly allowPrincipalAdoption?: boolean;
    /**
     * Host names (exact, e.g. `scim-proxy.contoso.com`) allowed besides the trusted ones: the Databricks
     * account hosts, Microsoft Graph and the Entra authority of the Azure public and sovereign clouds,
     * and loopback (scim/hosts TRUSTED_HOSTS). Tokens go to no other host. Defaults to none.
     */
    readonly allowHosts?: readonly string[];
    /**
     * Deactivate (PATCH active=false, never delete) users and service principals synced before that
     * were deleted or disabled in Entra, so their tokens stop working. Defaults to false.
     */
    readonly deactivateDeleted?: boolean;
}

/** Default of {@link SyncOptions.maxRemovalPercent}. */
export const DEFAULT_MAX_REMOVAL_PERCENT = 50;

/** JSON-serialisable; kept by the CLI in its state file and by ScimSync in its outputs. */
export interface SyncState {
    readonly version: 1;
    readonly groupsDeltaLink?: string;
    readonly usersDeltaLink?: string;
    /** Delta link of /servicePrincipals/delta (display name, accountEnabled); absent in older states. */
    readonly servicePrincipalsDeltaLink?: string;
    /** Entra object id → Databricks account SCIM id. */
    readonly ids: Readonly<Record<string, string>>;
    /** Entra object ids of the groups synced so far (listed and nested). */
    readonly syncedGroups: readonly string[];
    /** Names from the groups file as of the last run (a new name gets a full sync). */
    readonly listedGroups: readonly string[];
    /** Nesting level of each synced group (1 = listed), so an incremental run knows how deep to follow a new nested group. */
    readonly groupLevels?: Readonly<Record<string, number>>;
    /** groupSearchDepth of the last full read; another depth forces a full sync. */
    readonly groupSearchDepth?: number;
    /** Listed name → Entra id of the group it resolved to, so a group renamed in Entra is still found; absent in older states. */
    readonly listedGroupIds?: Readonly<Record<string, string>>;
    /** Request rate learnt per paced class (e.g. `scimCreates`), where the next run starts; absent in older states. */
    readonly rates?: Readonly<Record<string, LearnedRate>>;
}

export interface SyncCounts {
    readonly users: number;
    readonly servicePrincipals: number;
    readonly groups: number;
}

export interface SyncSummary {
    readonly mode: "full" | "incremental";
    readonly dryRun: boolean;
    readonly created: SyncCounts;
    readonly updated: SyncCounts;
    readonly membersAdded: number;
    readonly membersRemoved: number;
    /** Operations that failed after retries; the sync is failed when > 0. */
    readonly errors: number;
    /** Short, secret-free descriptions of the failures. */
    readonly errorMessages: readonly string[];
    /** Users and service principals deactivated (or, in a dry run, to deactivate) because deleted or disabled in Entra. */
    readonly deactivated?: SyncCounts;
    /** True when the removal guard stopped the run before any write. */
    readonly removalGuardTripped?: boolean;
    /** Per paced class: the rate at the start and the end of the run (req/s), the rate last throttled, the 429s. */
    readonly pacing?: Readonly<Record<string, LanePace>>;
}

/** One planned operation, described for humans and for `--json` (no secrets). */
export interface PlannedChange {
    readonly op: "create" | "update" | "add-members" | "remove-members" | "deactivate";
    readonly kind: "user" | "servicePrincipal" | "group";
    /** userName, applicationId or displayName. */
    readonly key: string;
    readonly detail?: string;
    /** Entra object id of the principal (or group) changed. */
    readonly entraId?: string;
    /** Account SCIM id, when it exists already. */
    readonly scimId?: string;
    /** Membership changes: each member by name with its ids. */
    readonly members?: readonly {
        readonly name: string;
        readonly entraId?: string;
        readonly scimId?: string;
    }[];
    /** planned (dry run), applied, failed, or blocked (by the removal guard: nothing was written). */
    readonly status?: "planned" | "applied" | "failed" | "blocked";
}

export interface SyncResult {
    readonly state: SyncState;
    readonly summary: SyncSummary;
    /** Everything planned this run (applied or, in dry run, only listed). */
    readonly plan: readonly PlannedChange[];
}

/** Thrown before any write when the plan would cross a platform limit. */
export class ScimLimitError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ScimLimitError";
    }
}

/** Requests per second per operation class; 0 = unpaced. */
export interface RateLimits {
    /** Microsoft Graph reads (requests inside a $batch counted one by one). */
    readonly graphReads: number;
    /** SCIM GET of one principal. */
    readonly scimReads: number;
    /** SCIM list and filter lookups (GET of a collection). */
    readonly scimLists: number;
    /** SCIM POST (and PUT, DELETE: never sent by the sync). */
    readonly scimCreates: number;
    /** SCIM PATCH. */
    readonly scimPatches: number;
}

/** One class's pace in a run, for the summary, `--json` and the state. */
export interface LanePace {
    /** Requests per second at the start and at the end of the run. */
    readonly startRate: number;
    readonly rate: number;
    /** The send rate last answered 429 (absent: none was). */
    readonly ceiling?: number;
    /** The explicit rate limit (a hard ceiling), if any. */
    readonly max?: number;
    /** Answers 429 in this class. */
    readonly throttled: number;
    /** Time requests waited for their slot, ms. */
    readonly waitedMs: number;
}

/** What a class learnt: the rate to start the next run at, and the rate last throttled. */
export interface LearnedRate {
    /** Requests per second. */
    readonly rate: number;
    /** The send rate of the last request answered 429; absent while none was. */
    readonly ceiling?: number;
}

/**
 * Databricks account limits (learn.microsoft.com/azure/databricks/resources/limits), checked on the
 * plan before any write so a sync never stops halfway with the account full.
 */
export const ACCOUNT_LIMITS = {
    /** Users and service principals together, per account. */
    usersAndServicePrincipals: 10_000,
    groups: 5_000,
    /** Direct members of one group. */
    directMembersPerGroup: 1_500,
} as const;
