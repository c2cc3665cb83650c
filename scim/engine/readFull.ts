/**
 * Full read: delta links "from now" first (so nothing is missed), every listed group's tree, and the
 * account (lists, or filter lookups when cheaper).
 */
import { AccountClient, FirstPage, GraphObject } from "../clients";
import { accountMembersUnread, Context, Gathered, indexAccount, resolveListed } from "./gather";
import { readGroupTree } from "./entra";
import { AccountPrincipal, DesiredPrincipal, GonePrincipal, matchKey } from "../contract";

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
    const missing = wanted.filter(
        (p) =>
            !byKey.has(matchKey(p.kind, p.key)) &&
            !(p.kind === "group" && byEntraId.has(p.entraId)),
    );
    const listCalls = AccountClient.restCalls(first);
    if (listCalls === 0 || missing.length === 0) return;
    // Groups are always listed: only the list shows a group renamed in Entra (matched by externalId) when the state is lost.
    if (first.kind === "group" || listCalls <= missing.length) {
        indexAccount(await ctx.account.listRest(first), byKey, byEntraId);
        return;
    }
    const found = await Promise.all(missing.map((p) => ctx.account.find(p.kind, p.key)));
    indexAccount(
        found.filter((p): p is AccountPrincipal => p !== undefined),
        byKey,
        byEntraId,
    );
}

/** Full read: delta links "from now" first (so nothing is missed), every listed group's tree, the whole account. */
export async function gatherFull(ctx: Context): Promise<Gathered> {
    // The account's first list pages are read while Graph is read: neither depends on the other.
    const firstPages = Promise.all(
        (["user", "servicePrincipal", "group"] as const).map((k) => ctx.account.firstPage(k)),
    );
    firstPages.catch(() => undefined); // awaited below; this only avoids an unhandled rejection if Graph fails first
    const [links, start] = await Promise.all([
        ctx.graph.latestDeltaLinks(),
        resolveListed(ctx, ctx.options.groups),
    ]);
    const tree = await readGroupTree(ctx.graph, start, ctx.depth, new Set(), (level, n) => {
        ctx.log.info(`reading members of ${n} group(s) at level ${level}`);
        ctx.options.onProgress?.({ phase: "read-graph", done: level - 1, total: ctx.depth });
    });
    ctx.options.onGraphRead?.(tree);
    const pages = await firstPages;
    const byKey = new Map<string, AccountPrincipal>();
    const byEntraId = new Map<string, AccountPrincipal>();
    await Promise.all(
        pages.map((page) =>
            readAccountKind(
                ctx,
                page,
                [...tree.principals.values()].filter((p) => p.kind === page.kind),
                byKey,
                byEntraId,
            ),
        ),
    );
    ctx.options.onProgress?.({ phase: "read-account", done: 1, total: 1 });
    const [users, sps, groups] = pages.map((p) => p.total);
    const members = new Map<string, ReadonlySet<string>>();
    const names = new Map<string, string>();
    const memberships = new Map(tree.memberships);
    await Promise.all(
        [...tree.memberships.keys()].map(async (g) => {
            const p = tree.principals.get(g)!;
            const existing =
                byKey.get(matchKey("group", p.key)) ??
                (byEntraId.get(g)?.kind === "group" ? byEntraId.get(g) : undefined);
            if (!existing) return;
            try {
                const got = await ctx.account.get("group", existing.id);
                members.set(existing.id, new Set(got?.members ?? []));
                for (const [id, n] of got?.memberNames ?? []) names.set(id, n);
            } catch (e) {
                if (ctx.options.signal?.aborted) throw e;
                accountMembersUnread(memberships, tree.incomplete, p, e);
            }
        }),
    );
    for (const p of [...byKey.values()]) names.set(p.id, p.key);
    const gone = ctx.options.deactivateDeleted ? await goneSinceLastRun(ctx, tree.principals) : [];
    return {
        mode: "full",
        desired: { principals: tree.principals, memberships, incomplete: tree.incomplete, gone },
        actual: { byKey, byEntraId, known: new Map(), members, names },
        totals: async () => ({ usersAndServicePrincipals: users + sps, groups }),
        nextState: (ids) => ({
            version: 1,
            groupsDeltaLink: links.groups,
            usersDeltaLink: links.users,
            servicePrincipalsDeltaLink: links.servicePrincipals,
            ids: Object.fromEntries([...ids].filter(([id]) => tree.principals.has(id)).sort()),
            syncedGroups: [...tree.memberships.keys()].sort(),
            // Every listed name, found or not: one not found fails the next run too.
            listedGroups: [...ctx.options.groups],
            listedGroupIds: Object.fromEntries([...ctx.listedIds].sort()),
            groupLevels: Object.fromEntries([...tree.levels].sort()),
            groupSearchDepth: ctx.depth,
        }),
    };
}

/**
 * Users and service principals of the last run's id map that this run did not read and that Entra
 * no longer has (404) or has disabled: each looked up by id in Graph (as a user, then as a service
 * principal) and in the account (to PATCH the right kind, and skip one already inactive).
 */
async function goneSinceLastRun(
    ctx: Context,
    read: ReadonlyMap<string, DesiredPrincipal>,
): Promise<GonePrincipal[]> {
    const groups = new Set(ctx.state.syncedGroups);
    const candidates = Object.keys(ctx.state.ids).filter((id) => !read.has(id) && !groups.has(id));
    if (candidates.length === 0) return [];
    const users = await ctx.graph.getObjects("users", candidates);
    const rest = candidates.filter((id) => !users.has(id));
    const sps =
        rest.length > 0
            ? await ctx.graph.getObjects("servicePrincipals", rest)
            : new Map<string, GraphObject>();
    const out: GonePrincipal[] = [];
    await Promise.all(
        candidates.map(async (entraId) => {
            const o = users.get(entraId) ?? sps.get(entraId);
            if (o && o.accountEnabled !== false) return;
            const kinds = users.has(entraId)
                ? (["user"] as const)
                : sps.has(entraId)
                  ? (["servicePrincipal"] as const)
                  : (["user", "servicePrincipal"] as const);
            for (const kind of kinds) {
                const got = await ctx.account.get(kind, ctx.state.ids[entraId]);
                if (got) {
                    out.push({
                        entraId,
                        account: got.principal,
                        reason: o ? "disabled" : "deleted",
                    });
                    return;
                }
            }
        }),
    );
    return out;
}
