/**
 * runSync: read both sides (fully, or incrementally from Graph delta links), plan, check limits,
 * then apply (or only list, in dry runs). See docs/scim-sync.md for the behaviour.
 */
import { DEFAULT_RETRY_POLICY } from "../common/retry";
import { SyncLogger, SyncOptions, SyncResult, SyncState, SyncSummary } from "./api";
import { AccountClient, FirstPage, parseScimError, scimBaseUrl } from "./account";
import { readGroupTree } from "./entra";
import { executePlan, ExecuteResult } from "./executor";
import { DeltaExpiredError, GraphClient, GraphObject, parseGraphError } from "./graph";
import { JsonClient, checkBaseUrl } from "./http";
import { AccountTotals, checkLimits } from "./limits";
import { AccountPrincipal, ActualState, DesiredPrincipal, DesiredState, PrincipalKind, matchKey } from "./model";
import { describePlan, planSync } from "./planner";
import { emptyState } from "./state";

export const DEFAULT_GRAPH_URL = "https://graph.microsoft.com/v1.0";
export const DEFAULT_ACCOUNT_HOST = "https://accounts.azuredatabricks.net";
export const DEFAULT_CONCURRENCY = 10;
/** Databricks allows 10 levels of nested groups. */
export const MAX_GROUP_SEARCH_DEPTH = 10;

const silent: SyncLogger = { info() {}, warn() {}, debug() {} };

interface Context {
    readonly options: SyncOptions;
    readonly depth: number;
    readonly concurrency: number;
    readonly log: SyncLogger;
    readonly graph: GraphClient;
    readonly account: AccountClient;
    readonly state: SyncState;
    /** Problems that fail the run without stopping it (e.g. a listed group not found). */
    readonly errors: string[];
}

/** Everything gathered before planning. */
interface Gathered {
    readonly mode: "full" | "incremental";
    readonly desired: DesiredState;
    readonly actual: ActualState;
    /** Builds the next state from the final Entra id → SCIM id map. */
    readonly nextState: (ids: ReadonlyMap<string, string>) => SyncState;
    /** Reads account totals, for the limit check, only when a creation is planned. */
    readonly totals: () => Promise<AccountTotals>;
}

/** Validates options; throws one message naming each bad setting. */
function validate(options: SyncOptions): { depth: number; concurrency: number } {
    const problems: string[] = [];
    if (!Array.isArray(options.groups) || options.groups.length === 0) problems.push("groups: list at least one Entra group display name");
    else if (options.groups.some((g) => typeof g !== "string" || g.trim() === "")) problems.push("groups: every entry must be a non-empty display name");
    const depth = options.groupSearchDepth ?? 1;
    if (!Number.isInteger(depth) || depth < 1 || depth > MAX_GROUP_SEARCH_DEPTH) {
        problems.push(`groupSearchDepth: must be an integer from 1 to ${MAX_GROUP_SEARCH_DEPTH} (Databricks nests groups 10 levels deep at most)`);
    }
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 100) problems.push("concurrency: must be an integer from 1 to 100");
    if (!options.account?.accountId || !/^[0-9a-fA-F-]{36}$/.test(options.account.accountId)) {
        problems.push("account.accountId (--account-id / DATABRICKS_ACCOUNT_ID): must be the account's GUID");
    }
    if (options.dryRunPrincipals && options.dryRunMembers) problems.push("dryRunPrincipals and dryRunMembers: choose one");
    if (problems.length > 0) throw new Error(`Invalid SCIM sync options: ${problems.join("; ")}.`);
    return { depth, concurrency };
}

export async function runSync(options: SyncOptions): Promise<SyncResult> {
    const { depth, concurrency } = validate(options);
    const log = options.logger ?? silent;
    const retryPolicy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    const common = { concurrency, retryPolicy, signal: options.signal, logger: log };
    const graphHttp = new JsonClient({
        ...common,
        api: "graph",
        baseUrl: checkBaseUrl(options.graph.url ?? DEFAULT_GRAPH_URL, "graph URL (--graph-url / GRAPH_URL)"),
        token: options.graph.token,
        parseError: parseGraphError,
    });
    const host = checkBaseUrl(options.account.host ?? DEFAULT_ACCOUNT_HOST, "account host (--account-host / DATABRICKS_HOST)");
    const scimHttp = new JsonClient({
        ...common,
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
    };

    if (options.queryGraphOnly) return queryGraphOnly(ctx);

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

    const plan = planSync(gathered.desired, gathered.actual);
    for (const w of plan.warnings) log.warn(w);
    const names = (id: string) => gathered.desired.principals.get(id)?.key ?? id;
    const planned = describePlan(plan.ops, names);
    if (plan.ops.some((o) => o.type === "create")) checkLimits(plan.ops, gathered.desired, await gathered.totals());
    else checkLimits(plan.ops, gathered.desired, {});
    log.info(`plan: ${plan.ops.length} operation(s) (${gathered.mode} read)`);

    const dryRun = options.dryRunPrincipals === true || options.dryRunMembers === true;
    if (options.dryRunPrincipals) {
        return { state: ctx.state, plan: planned, summary: summarize(gathered.mode, true, undefined, plan.ops, ctx.errors) };
    }
    const result = await executePlan(plan, ctx.account, {
        dryRunMembers: options.dryRunMembers === true,
        concurrency,
        signal: options.signal,
        onProgress: options.onProgress,
        log: (m) => log.info(m),
    });
    const errors = [...ctx.errors, ...result.errors];
    for (const e of result.errors) log.warn(e);
    // Membership not applied: keep the delta links so the next run sees those changes again.
    const state = options.dryRunMembers ? { ...ctx.state, ids: { ...ctx.state.ids, ...Object.fromEntries(result.ids) } } : gathered.nextState(result.ids);
    log.info(`done: ${graphHttp.requests} Graph and ${scimHttp.requests} SCIM request(s), ${graphHttp.retries + scimHttp.retries} retried`);
    return { state, plan: planned, summary: summarize(gathered.mode, dryRun, result, plan.ops, errors) };
}

function fullSyncReason(ctx: Context): string | undefined {
    const s = ctx.state;
    if (ctx.options.fullSync) return "requested";
    if (!s.groupsDeltaLink || !s.usersDeltaLink) return "no delta links in the state (first run)";
    if ((s.groupSearchDepth ?? 1) !== ctx.depth) return `groupSearchDepth changed from ${s.groupSearchDepth ?? 1} to ${ctx.depth}`;
    const listed = new Set(ctx.options.groups);
    const dropped = s.listedGroups.filter((g) => !listed.has(g));
    if (dropped.length > 0) return `group(s) no longer listed: ${dropped.join(", ")}`;
    return undefined;
}

function summarize(mode: "full" | "incremental", dryRun: boolean, r: ExecuteResult | undefined, ops: readonly { type: string; principal?: DesiredPrincipal }[], errors: string[]): SyncSummary {
    const counts = (x?: Record<PrincipalKind, number>) => ({ users: x?.user ?? 0, servicePrincipals: x?.servicePrincipal ?? 0, groups: x?.group ?? 0 });
    return {
        mode,
        dryRun,
        created: counts(r?.created),
        updated: counts(r?.updated),
        membersAdded: r?.membersAdded ?? 0,
        membersRemoved: r?.membersRemoved ?? 0,
        errors: errors.length,
        errorMessages: errors,
    };
}

/** Resolves the listed names to groups; a missing or ambiguous name is an error of the run. */
async function resolveListed(ctx: Context, names: readonly string[]): Promise<{ group: DesiredPrincipal; level: number }[]> {
    if (names.length === 0) return [];
    const found = await ctx.graph.findGroups(names);
    const start: { group: DesiredPrincipal; level: number }[] = [];
    for (const name of names) {
        const all = found.get(name) ?? [];
        const exact = all.filter((g) => g.displayName === name);
        const groups = exact.length > 0 ? exact : all;
        if (groups.length === 0) ctx.errors.push(`group "${name}" was not found in Entra ID`);
        else if (groups.length > 1) ctx.errors.push(`group "${name}": ${groups.length} Entra groups have this name; rename them so the name is unique`);
        else {
            // The account gets Entra's spelling of the name.
            const entraName = String(groups[0].displayName);
            start.push({ group: { kind: "group", entraId: groups[0].id, key: entraName, displayName: entraName, active: true }, level: 1 });
        }
    }
    return start;
}

async function queryGraphOnly(ctx: Context): Promise<SyncResult> {
    const start = await resolveListed(ctx, ctx.options.groups);
    const tree = await readGroupTree(ctx.graph, start, ctx.depth);
    ctx.options.onGraphRead?.(tree);
    const count = (k: PrincipalKind) => [...tree.principals.values()].filter((p) => p.kind === k).length;
    ctx.log.info(`Graph: ${count("user")} user(s), ${count("servicePrincipal")} service principal(s), ${count("group")} group(s) in ${tree.memberships.size} synced group(s)`);
    return { state: ctx.state, plan: [], summary: summarize("full", true, undefined, [], ctx.errors) };
}

function indexAccount(principals: readonly AccountPrincipal[], byKey: Map<string, AccountPrincipal>, byEntraId: Map<string, AccountPrincipal>): void {
    for (const p of principals) {
        byKey.set(matchKey(p.kind, p.key), p);
        if (p.externalId) byEntraId.set(p.externalId, p);
    }
}

/**
 * Finds the desired principals of one kind in the account, by the cheaper way: the rest of the list
 * (pages of 100 and an empty end page) or one filter lookup per user or service principal not on
 * the first page.
 */
async function readAccountKind(
    ctx: Context,
    first: FirstPage,
    wanted: readonly DesiredPrincipal[],
    byKey: Map<string, AccountPrincipal>,
    byEntraId: Map<string, AccountPrincipal>,
): Promise<void> {
    indexAccount(first.items, byKey, byEntraId);
    const missing = wanted.filter((p) => !byKey.has(matchKey(p.kind, p.key)) && !(p.kind === "group" && byEntraId.has(p.entraId)));
    const listCalls = AccountClient.restCalls(first);
    if (listCalls === 0 || missing.length === 0) return;
    // Groups are always listed: only the list shows a group renamed in Entra (matched by externalId) when the state is lost.
    if (first.kind === "group" || listCalls <= missing.length) {
        indexAccount(await ctx.account.listRest(first), byKey, byEntraId);
        return;
    }
    const found = await Promise.all(missing.map((p) => ctx.account.find(p.kind, p.key)));
    indexAccount(found.filter((p): p is AccountPrincipal => p !== undefined), byKey, byEntraId);
}

/** Full read: delta links "from now" first (so nothing is missed), every listed group's tree, the whole account. */
async function gatherFull(ctx: Context): Promise<Gathered> {
    // The account's first list pages are read while Graph is read: neither depends on the other.
    const firstPages = Promise.all((["user", "servicePrincipal", "group"] as const).map((k) => ctx.account.firstPage(k)));
    firstPages.catch(() => undefined); // awaited below; this only avoids an unhandled rejection if Graph fails first
    const [links, start] = await Promise.all([ctx.graph.latestDeltaLinks(), resolveListed(ctx, ctx.options.groups)]);
    const tree = await readGroupTree(ctx.graph, start, ctx.depth, new Set(), (level, n) => {
        ctx.log.info(`reading members of ${n} group(s) at level ${level}`);
        ctx.options.onProgress?.({ phase: "read-graph", done: level - 1, total: ctx.depth });
    });
    ctx.options.onGraphRead?.(tree);
    const pages = await firstPages;
    const byKey = new Map<string, AccountPrincipal>();
    const byEntraId = new Map<string, AccountPrincipal>();
    await Promise.all(pages.map((page) => readAccountKind(ctx, page, [...tree.principals.values()].filter((p) => p.kind === page.kind), byKey, byEntraId)));
    ctx.options.onProgress?.({ phase: "read-account", done: 1, total: 1 });
    const [users, sps, groups] = pages.map((p) => p.total);
    const members = new Map<string, ReadonlySet<string>>();
    await Promise.all(
        [...tree.memberships.keys()].map(async (g) => {
            const p = tree.principals.get(g)!;
            const existing = byKey.get(matchKey("group", p.key)) ?? (byEntraId.get(g)?.kind === "group" ? byEntraId.get(g) : undefined);
            if (!existing) return;
            const got = await ctx.account.get("group", existing.id);
            members.set(existing.id, new Set(got?.members ?? []));
        }),
    );
    const found = new Set(start.map((s) => s.group.key.toLowerCase()));
    const listed = ctx.options.groups.filter((n) => found.has(n.toLowerCase()));
    return {
        mode: "full",
        desired: { principals: tree.principals, memberships: tree.memberships },
        actual: { byKey, byEntraId, known: new Map(), members },
        totals: async () => ({ usersAndServicePrincipals: users + sps, groups }),
        nextState: (ids) => ({
            version: 1,
            groupsDeltaLink: links.groups,
            usersDeltaLink: links.users,
            ids: Object.fromEntries([...ids].filter(([id]) => tree.principals.has(id)).sort()),
            syncedGroups: [...tree.memberships.keys()].sort(),
            listedGroups: listed,
            groupLevels: Object.fromEntries([...tree.levels].sort()),
            groupSearchDepth: ctx.depth,
        }),
    };
}

/** A user object of a users delta page as a desired principal (delta items carry no @odata.type). */
function userFromDelta(o: GraphObject): DesiredPrincipal | undefined {
    const key = o.userType === "Guest" && o.mail ? o.mail : o.userPrincipalName;
    if (!key) return undefined;
    return { kind: "user", entraId: o.id, key, displayName: o.displayName ?? key, active: o.accountEnabled !== false };
}

/**
 * Incremental read: the changes since the delta links; re-reads in full only the synced groups whose
 * membership changed (and groups newly listed or newly nested); reads in the account only what those
 * touch. Cost follows the change, not the tenant.
 */
async function gatherIncremental(ctx: Context): Promise<Gathered> {
    const s = ctx.state;
    const [groupDelta, userDelta] = await Promise.all([ctx.graph.delta("groups", s.groupsDeltaLink!), ctx.graph.delta("users", s.usersDeltaLink!)]);
    const synced = new Set(s.syncedGroups);
    const levels = new Map(Object.entries(s.groupLevels ?? {}));
    const ids = new Map(Object.entries(s.ids));

    // Merge the group pages: a group may come on several pages (large membership slices, replays).
    const removedGroups = new Set<string>();
    const membersChanged = new Set<string>();
    const groupNames = new Map<string, string>();
    for (const g of groupDelta.items) {
        if (!synced.has(g.id)) continue;
        if (g["@removed"]) {
            removedGroups.add(g.id);
            continue;
        }
        if (typeof g.displayName === "string") groupNames.set(g.id, g.displayName);
        if (Array.isArray(g["members@delta"])) membersChanged.add(g.id);
    }
    for (const g of removedGroups) {
        ctx.log.warn(`group ${g} was deleted in Entra ID; it stays in the account (never deleted) and is no longer synced`);
        synced.delete(g);
        membersChanged.delete(g);
        groupNames.delete(g);
    }
    const changedUsers = new Map<string, DesiredPrincipal>();
    for (const u of userDelta.items) {
        if (u["@removed"] || !ids.has(u.id)) continue;
        const p = userFromDelta(u);
        if (p) changedUsers.set(u.id, p);
    }
    const newNames = ctx.options.groups.filter((n) => !s.listedGroups.includes(n));
    const newListed = await resolveListed(ctx, newNames);
    ctx.log.info(
        `incremental: ${membersChanged.size} group(s) with membership changes, ${groupNames.size} changed group(s), ` +
            `${changedUsers.size} changed user(s), ${newListed.length} newly listed group(s)`,
    );

    // Re-read the changed groups (at their level) and the new ones; unchanged synced groups are only referenced.
    const start = [
        ...newListed,
        ...[...membersChanged].map((id) => ({
            group: { kind: "group" as const, entraId: id, key: groupNames.get(id) ?? "", displayName: groupNames.get(id) ?? "", active: true },
            level: levels.get(id) ?? 1,
        })),
    ];
    const reread = new Set(start.map((x) => x.group.entraId));
    const tree = await readGroupTree(ctx.graph, start, ctx.depth, new Set([...synced].filter((g) => !reread.has(g))));
    ctx.options.onGraphRead?.(tree);

    // Desired: members of re-read groups, the groups themselves, renamed groups and changed users.
    const principals = new Map(tree.principals);
    for (const [id, name] of groupNames) if (!principals.has(id)) principals.set(id, { kind: "group", entraId: id, key: name, displayName: name, active: true });
    for (const [id, p] of changedUsers) principals.set(id, p);

    // Account side: GET by id what must be compared (changed principals, re-read groups); look up by key what is not yet known.
    const byKey = new Map<string, AccountPrincipal>();
    const byEntraId = new Map<string, AccountPrincipal>();
    const known = new Map<string, string>();
    const members = new Map<string, ReadonlySet<string>>();
    const mustRead = (p: DesiredPrincipal) => changedUsers.has(p.entraId) || groupNames.has(p.entraId) || tree.memberships.has(p.entraId);
    await Promise.all(
        [...principals.values()].map(async (p) => {
            let scimId = ids.get(p.entraId);
            if (scimId !== undefined && !mustRead(p)) {
                known.set(p.entraId, scimId);
                return;
            }
            if (scimId !== undefined) {
                const got = await ctx.account.get(p.kind, scimId);
                if (got) {
                    byEntraId.set(p.entraId, got.principal);
                    byKey.set(matchKey(p.kind, got.principal.key), got.principal);
                    if (p.kind === "group") members.set(scimId, new Set(got.members));
                    if (p.key === "") principals.set(p.entraId, { ...p, key: got.principal.key, displayName: got.principal.displayName });
                    return;
                }
                scimId = undefined; // deleted in the account: look it up by name, or create it again
            }
            if (p.key === "") return;
            const found = await ctx.account.find(p.kind, p.key);
            if (!found) return;
            byKey.set(matchKey(p.kind, found.key), found);
            if (p.kind === "group" && tree.memberships.has(p.entraId)) {
                members.set(found.id, new Set((await ctx.account.get("group", found.id))?.members ?? []));
            }
        }),
    );
    for (const [id, p] of principals) if (p.key === "") principals.delete(id);

    return {
        mode: "incremental",
        desired: { principals, memberships: new Map([...tree.memberships].filter(([g]) => principals.has(g))) },
        actual: { byKey, byEntraId, known, members },
        totals: async () => {
            const [u, sp, g] = await Promise.all([ctx.account.total("user"), ctx.account.total("servicePrincipal"), ctx.account.total("group")]);
            return { usersAndServicePrincipals: u + sp, groups: g };
        },
        nextState: (finalIds) => {
            const allSynced = new Set([...synced, ...tree.memberships.keys()]);
            const nextLevels = new Map([...levels].filter(([g]) => allSynced.has(g)));
            for (const [g, l] of tree.levels) nextLevels.set(g, Math.min(l, nextLevels.get(g) ?? l));
            return {
                version: 1,
                groupsDeltaLink: groupDelta.deltaLink,
                usersDeltaLink: userDelta.deltaLink,
                ids: Object.fromEntries([...new Map([...ids, ...finalIds])].sort()),
                syncedGroups: [...allSynced].sort(),
                listedGroups: [...s.listedGroups, ...newNames.filter((n) => newListed.some((x) => x.group.key.toLowerCase() === n.toLowerCase()))],
                groupLevels: Object.fromEntries([...nextLevels].sort()),
                groupSearchDepth: ctx.depth,
            };
        },
    };
}
