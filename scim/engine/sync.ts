/**
 * runSync: read both sides (fully, or incrementally from Graph delta links), plan, check limits,
 * then apply (or only list, in dry runs). See docs/scim-sync.md for the behaviour.
 */
import { DEFAULT_RETRY_POLICY } from "../../core/retry";
import {
    PlannedChange,
    SyncLogger,
    SyncOptions,
    SyncResult,
    SyncState,
    SyncSummary,
    Operation,
    PrincipalKind,
} from "../contract";
import {
    AccountClient,
    parseScimError,
    scimBaseUrl,
    DeltaExpiredError,
    GraphClient,
    parseGraphError,
    JsonClient,
    checkBaseUrl,
    DEFAULT_RATE_LIMITS,
    Pacer,
    graphClassifier,
    rateLimitProblems,
    scimClassifier,
    RunScope,
} from "../clients";
import { readGroupTree } from "./entra";
import { executePlan, ExecuteResult } from "./executor";
import { Context, Gathered, resolveListed } from "./gather";
import { isHostList, untrustedHost } from "../../core/hosts";
import { checkLimits } from "./limits";
import { describePlan, planSync } from "./planner";
import { gatherFull } from "./readFull";
import { gatherIncremental } from "./readIncremental";
import { emptyState } from "./state";

export const DEFAULT_GRAPH_URL = "https://graph.microsoft.com/v1.0";
export const DEFAULT_ACCOUNT_HOST = "https://accounts.azuredatabricks.net";
export const DEFAULT_CONCURRENCY = 10;
/** Databricks allows 10 levels of nested groups. */
export const MAX_GROUP_SEARCH_DEPTH = 10;

const silent: SyncLogger = { info() {}, warn() {}, debug() {} };

/** Validates options; throws one message naming each bad setting. */
function validate(options: SyncOptions): { depth: number; concurrency: number } {
    const statePercent = options.maxRemovalPercent;
    const percentProblem =
        statePercent !== undefined &&
        (typeof statePercent !== "number" ||
            !Number.isFinite(statePercent) ||
            statePercent < 0 ||
            statePercent > 100)
            ? [
                  "maxRemovalPercent: must be a number from 0 to 100 (the share of a group's members one run may remove)",
              ]
            : [];
    const problems: string[] = [...percentProblem];
    if (!Array.isArray(options.groups) || options.groups.length === 0)
        problems.push("groups: list at least one Entra group display name");
    else if (options.groups.some((g) => typeof g !== "string" || g.trim() === ""))
        problems.push("groups: every entry must be a non-empty display name");
    // Not given: the depth the state recorded, so a scheduled run without the setting keeps the scope.
    const depth = options.groupSearchDepth ?? options.state?.groupSearchDepth ?? 1;
    if (!Number.isInteger(depth) || depth < 1 || depth > MAX_GROUP_SEARCH_DEPTH) {
        problems.push(
            `groupSearchDepth: must be an integer from 1 to ${MAX_GROUP_SEARCH_DEPTH} (Databricks nests groups 10 levels deep at most)`,
        );
    }
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 100)
        problems.push("concurrency: must be an integer from 1 to 100");
    if (!options.account?.accountId || !/^[0-9a-fA-F-]{36}$/.test(options.account.accountId)) {
        problems.push(
            "account.accountId (--account-id / DATABRICKS_ACCOUNT_ID): must be the account's GUID",
        );
    }
    if (options.dryRunPrincipals && options.dryRunMembers)
        problems.push("dryRunPrincipals and dryRunMembers: choose one");
    problems.push(...rateLimitProblems(options.rateLimits));
    if (options.allowHosts !== undefined && !isHostList(options.allowHosts)) {
        problems.push(
            "allowHosts: must be a list of host names (e.g. scim-proxy.contoso.com), without scheme, port or path",
        );
    }
    // The token goes only to a trusted host: checked before anything is sent.
    for (const [setting, url, role] of [
        ["graph URL (--graph-url / GRAPH_URL)", options.graph?.url, "graph"],
        ["account host (--account-host / DATABRICKS_HOST)", options.account?.host, "account"],
    ] as const) {
        if (url === undefined) continue;
        checkBaseUrl(url, setting); // the URL's own rule first (https, or http on loopback), with its own message
        const why = untrustedHost(
            url,
            role,
            Array.isArray(options.allowHosts) ? options.allowHosts : [],
        );
        if (why) problems.push(`${setting}: ${why}`);
    }
    if (problems.length > 0) throw new Error(`Invalid SCIM sync options: ${problems.join("; ")}.`);
    return { depth, concurrency };
}

/**
 * Runs one sync in its own scope: a failure (a permanent transport error, or any rejection) cancels
 * the requests and retry waits still in flight, so nothing keeps running after the run has failed.
 */
export async function runSync(options: SyncOptions): Promise<SyncResult> {
    const scope = new RunScope(options.signal);
    return scope.run((signal) => syncInScope({ ...options, signal }, scope));
}

async function syncInScope(options: SyncOptions, scope: RunScope): Promise<SyncResult> {
    const { depth, concurrency } = validate(options);
    const log = options.logger ?? silent;
    const retryPolicy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    const limits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
    // The classes set explicitly are hard ceilings; each class starts from the rate the last run learnt.
    const paceOptions = {
        max: ceilings(options.rateLimits),
        learned: options.state?.rates,
        maxHoldMs: retryPolicy.maxTotalMs,
    };
    const graphPacer = new Pacer(
        { graphReads: limits.graphReads },
        graphClassifier,
        undefined,
        paceOptions,
    );
    const scimPacer = new Pacer(
        {
            scimReads: limits.scimReads,
            scimLists: limits.scimLists,
            scimCreates: limits.scimCreates,
            scimPatches: limits.scimPatches,
        },
        scimClassifier,
        undefined,
        paceOptions,
    );
    const common = {
        concurrency,
        retryPolicy,
        signal: options.signal,
        logger: log,
        onFatal: scope.fail,
    };
    const graphHttp = new JsonClient({
        ...common,
        pacer: graphPacer,
        api: "graph",
        baseUrl: checkBaseUrl(
            options.graph.url ?? DEFAULT_GRAPH_URL,
            "graph URL (--graph-url / GRAPH_URL)",
        ),
        token: options.graph.token,
        parseError: parseGraphError,
    });
    const host = checkBaseUrl(
        options.account.host ?? DEFAULT_ACCOUNT_HOST,
        "account host (--account-host / DATABRICKS_HOST)",
    );
    const scimHttp = new JsonClient({
        ...common,
        pacer: scimPacer,
        api: "scim",
        baseUrl: scimBaseUrl(host, options.account.accountId),
        token: options.account.token,
        parseError: parseScimError,
    });
    const ctx: Context = {
        options,
        depth,
        concurrency,
        log,
        graph: new GraphClient(graphHttp, retryPolicy, options.signal),
        account: new AccountClient(scimHttp),
        state: options.state ?? emptyState(),
        errors: [],
        listedIds: new Map(),
    };
    if (options.groupSearchDepth === undefined && options.state?.groupSearchDepth !== undefined) {
        log.info(`groupSearchDepth ${depth}, kept from the state (set it to change it)`);
    } else if (
        options.state?.groupSearchDepth !== undefined &&
        options.state.groupSearchDepth !== depth
    ) {
        log.info(
            `groupSearchDepth changed from ${options.state.groupSearchDepth} to ${depth}, as set`,
        );
    }

    const paced = (result: SyncResult): SyncResult =>
        withPace(result, options.state?.rates, graphPacer, scimPacer, log);
    if (options.queryGraphOnly) return paced(await queryGraphOnly(ctx));

    let gathered: Gathered;
    const whyFull = fullSyncReason(ctx);
    if (whyFull) {
        log.info(`full sync: ${whyFull}`);
        gathered = await gatherFull(ctx);
    } else {
        try {
            gathered = await gatherIncremental(ctx);
        } catch (e) {
            if (!(e instanceof DeltaExpiredError)) throw e;
            log.warn(e.message);
            gathered = await gatherFull(ctx);
        }
    }

    const plan = planSync(gathered.desired, gathered.actual, options);
    for (const w of plan.warnings) log.warn(w);
    for (const m of gathered.desired.incomplete?.values() ?? []) ctx.errors.push(m);
    ctx.errors.push(...plan.errors);
    const describe = (
        status: (op: Operation) => PlannedChange["status"],
        ids?: ReadonlyMap<string, string>,
    ) =>
        describePlan(plan.ops, {
            name: (id) => gathered.desired.principals.get(id)?.key ?? id,
            scimName: (id) => gathered.actual.names?.get(id),
            scimIdOf: (id) => ids?.get(id) ?? plan.existing.get(id),
            status,
        });
    if (plan.ops.some((o) => o.type === "create"))
        checkLimits(plan.ops, gathered.desired, await gathered.totals(plan.ops));
    else checkLimits(plan.ops, gathered.desired, {});
    log.info(`plan: ${plan.ops.length} operation(s) (${gathered.mode} read)`);

    const dryRun = options.dryRunPrincipals === true || options.dryRunMembers === true;
    if (plan.guard.length > 0) {
        // The removal guard: nothing is written, the state stays as it was, so the next run sees the same changes.
        const blocked = new Set(plan.guard.map((g) => g.groupEntraId));
        for (const g of plan.guard) log.warn(g.message);
        const planned = describe((op) =>
            op.type === "members" && blocked.has(op.group.entraId) ? "blocked" : "planned",
        );
        const summary = summarize(gathered.mode, dryRun, undefined, plan.ops, [
            ...ctx.errors,
            ...plan.guard.map((g) => g.message),
        ]);
        return paced({
            state: ctx.state,
            plan: planned,
            summary: { ...summary, removalGuardTripped: true },
        });
    }
    if (options.dryRunPrincipals) {
        return paced({
            state: ctx.state,
            plan: describe(() => "planned"),
            summary: summarize(gathered.mode, true, undefined, plan.ops, ctx.errors),
        });
    }
    const result = await executePlan(plan, ctx.account, {
        dryRunMembers: options.dryRunMembers === true,
        concurrency,
        signal: options.signal,
        onProgress: options.onProgress,
        log: (m) => log.info(m),
        allowGroupAdoption: options.allowGroupAdoption,
        allowPrincipalAdoption: options.allowPrincipalAdoption,
        maxRemovalPercent: options.maxRemovalPercent,
        allowMassRemoval: options.allowMassRemoval,
        incomplete: new Set(gathered.desired.incomplete?.keys() ?? []),
    });
    const errors = [...ctx.errors, ...result.errors];
    for (const e of result.errors) log.warn(e);
    const state = nextState(ctx, gathered, result, plan.errors.length > 0);
    log.info(
        `done: ${graphHttp.requests} Graph and ${scimHttp.requests} SCIM request(s), ${graphHttp.retries + scimHttp.retries} retried`,
    );
    const status = (op: Operation): PlannedChange["status"] =>
        op.type === "members" && options.dryRunMembers
            ? "planned"
            : result.failedOps.has(op)
              ? "failed"
              : "applied";
    return paced({
        state,
        plan: describe(status, result.ids),
        summary: summarize(gathered.mode, dryRun, result, plan.ops, errors),
    });
}

/** Explicit rate limits above 0: hard ceilings of their classes. */
function ceilings(limits: SyncOptions["rateLimits"]): Record<string, number> {
    return Object.fromEntries(
        Object.entries(limits ?? {}).filter(([, v]) => typeof v === "number" && v > 0),
    ) as Record<string, number>;
}

/** The run's pace in its summary and log; the rates learnt in its state, so the next run starts there. */
function withPace(
    result: SyncResult,
    previous: SyncState["rates"],
    graph: Pacer,
    scim: Pacer,
    log: SyncLogger,
): SyncResult {
    const pacing = { ...graph.report(), ...scim.report() };
    // A class unpaced this run keeps what an earlier run learnt.
    const rates = { ...previous, ...graph.learned(), ...scim.learned() };
    const described = Object.entries(pacing).map(
        ([k, p]) =>
            `${k} ${fmtRate(p.startRate)}→${fmtRate(p.rate)}/s${p.throttled ? ` (${p.throttled}× 429)` : ""}`,
    );
    if (described.length > 0) log.debug(`pace: ${described.join(", ")}`);
    return {
        ...result,
        state: Object.keys(rates).length > 0 ? { ...result.state, rates } : result.state,
        summary: Object.keys(pacing).length > 0 ? { ...result.summary, pacing } : result.summary,
    };
}

function fmtRate(r: number): string {
    return r >= 10 ? r.toFixed(0) : String(Math.round(r * 100) / 100);
}

/**
 * The state to keep. Changes not applied must be seen again: after dryRunMembers or a failed
 * operation, an incremental run keeps the previous delta links (the next run replays the changes;
 * every step is idempotent) and a full run keeps none (the next run is full again).
 */
function nextState(
    ctx: Context,
    gathered: Gathered,
    result: ExecuteResult,
    planFailed: boolean,
): SyncState {
    const ids = { ...ctx.state.ids, ...Object.fromEntries(result.ids) };
    if (ctx.options.dryRunMembers) return { ...ctx.state, ids };
    const next = gathered.nextState(result.ids);
    // A group read incompletely (limited-information members, a failed read) must be read again next run, like a failed write.
    if (result.errors.length === 0 && !planFailed && (gathered.desired.incomplete?.size ?? 0) === 0)
        return next;
    if (gathered.mode === "full")
        return {
            ...next,
            groupsDeltaLink: undefined,
            usersDeltaLink: undefined,
            servicePrincipalsDeltaLink: undefined,
        };
    const { groupsDeltaLink, usersDeltaLink, servicePrincipalsDeltaLink } = ctx.state;
    return { ...next, groupsDeltaLink, usersDeltaLink, servicePrincipalsDeltaLink };
}

function fullSyncReason(ctx: Context): string | undefined {
    const s = ctx.state;
    if (ctx.options.fullSync) return "requested";
    if (!s.groupsDeltaLink || !s.usersDeltaLink) return "no delta links in the state (first run)";
    if ((s.groupSearchDepth ?? 1) !== ctx.depth)
        return `groupSearchDepth changed from ${s.groupSearchDepth ?? 1} to ${ctx.depth}`;
    const listed = new Set(ctx.options.groups);
    const dropped = s.listedGroups.filter((g) => !listed.has(g));
    if (dropped.length > 0) return `group(s) no longer listed: ${dropped.join(", ")}`;
    return undefined;
}

function summarize(
    mode: "full" | "incremental",
    dryRun: boolean,
    r: ExecuteResult | undefined,
    ops: readonly Operation[],
    errors: string[],
): SyncSummary {
    const counts = (x?: Record<PrincipalKind, number>) => ({
        users: x?.user ?? 0,
        servicePrincipals: x?.servicePrincipal ?? 0,
        groups: x?.group ?? 0,
    });
    // Deactivations are counted from the plan when nothing was applied (dry runs, a tripped guard).
    const planned: Record<PrincipalKind, number> = { user: 0, servicePrincipal: 0, group: 0 };
    for (const o of ops) if (o.type === "deactivate") planned[o.principal.kind]++;
    return {
        mode,
        dryRun,
        created: counts(r?.created),
        updated: counts(r?.updated),
        membersAdded: r?.membersAdded ?? 0,
        membersRemoved: r?.membersRemoved ?? 0,
        errors: errors.length,
        errorMessages: errors,
        deactivated: counts(r ? r.deactivated : planned),
    };
}

async function queryGraphOnly(ctx: Context): Promise<SyncResult> {
    const start = await resolveListed(ctx, ctx.options.groups);
    const tree = await readGroupTree(ctx.graph, start, ctx.depth);
    ctx.options.onGraphRead?.(tree);
    const count = (k: PrincipalKind) =>
        [...tree.principals.values()].filter((p) => p.kind === k).length;
    ctx.log.info(
        `Graph: ${count("user")} user(s), ${count("servicePrincipal")} service principal(s), ${count("group")} group(s) in ${tree.memberships.size} synced group(s)`,
    );
    return {
        state: ctx.state,
        plan: [],
        summary: summarize("full", true, undefined, [], ctx.errors),
    };
}
