/**
 * Incremental read from the Graph delta links: only what changed is read, in Entra and in the account.
 */
import { accountMembersUnread, Context, Gathered, resolveListed } from "./gather";
import { readGroupTree } from "./entra";
import { groupPrincipal, principalOf } from "../clients";
import {
    AccountPrincipal,
    DesiredPrincipal,
    GonePrincipal,
    PrincipalKind,
    matchKey,
} from "../contract";

/**
 * Incremental read: the changes since the delta links; re-reads in full only the synced groups whose
 * membership changed (and groups newly listed or newly nested); reads in the account only what those
 * touch. Cost follows the change, not the tenant.
 */
export async function gatherIncremental(ctx: Context): Promise<Gathered> {
    const s = ctx.state;
    // A state written before service principals were tracked has no SP link: their changes wait for the next full run.
    const [groupDelta, userDelta, spDelta] = await Promise.all([
        ctx.graph.delta("groups", s.groupsDeltaLink!),
        ctx.graph.delta("users", s.usersDeltaLink!),
        s.servicePrincipalsDeltaLink
            ? ctx.graph.delta("servicePrincipals", s.servicePrincipalsDeltaLink)
            : undefined,
    ]);
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
        ctx.log.warn(
            `group ${g} was deleted in Entra ID; it stays in the account (never deleted) and is no longer synced`,
        );
        synced.delete(g);
        membersChanged.delete(g);
        groupNames.delete(g);
    }
    const changedPrincipals = new Map<string, DesiredPrincipal>();
    // Users and SPs synced before and deleted in Entra since (delta `@removed`): deactivated when asked to.
    const deleted: { entraId: string; kind: "user" | "servicePrincipal" }[] = [];
    for (const u of userDelta.items) {
        if (u["@removed"] && ids.has(u.id)) deleted.push({ entraId: u.id, kind: "user" });
        if (u["@removed"] || !ids.has(u.id)) continue;
        const p = principalOf("user", u, ctx.graph.attributes);
        if (p) changedPrincipals.set(u.id, p);
    }
    for (const sp of spDelta?.items ?? []) {
        if (sp["@removed"] && ids.has(sp.id))
            deleted.push({ entraId: sp.id, kind: "servicePrincipal" });
        if (sp["@removed"] || !ids.has(sp.id)) continue;
        const p = principalOf("servicePrincipal", sp, ctx.graph.attributes);
        if (p) changedPrincipals.set(sp.id, p);
    }
    // New names, and names not resolved yet (a listed group not found fails every run until the list changes).
    const resolvedBefore = s.listedGroupIds;
    const newNames = ctx.options.groups.filter(
        (n) =>
            !s.listedGroups.includes(n) ||
            (resolvedBefore !== undefined && resolvedBefore[n] === undefined),
    );
    const newListed = await resolveListed(ctx, newNames);
    for (const [name, id] of Object.entries(resolvedBefore ?? {})) {
        const now = groupNames.get(id);
        if (
            now !== undefined &&
            now.toLowerCase() !== name.toLowerCase() &&
            ctx.options.groups.includes(name)
        ) {
            ctx.log.warn(
                `listed group "${name}" was renamed in Entra ID to "${now}" (Entra id ${id}); it is followed by its id. Put the new name in the groups list`,
            );
        }
    }
    ctx.log.info(
        `incremental: ${membersChanged.size} group(s) with membership changes, ${groupNames.size} changed group(s), ` +
            `${changedPrincipals.size} changed user(s) or service principal(s), ${newListed.length} newly listed group(s)`,
    );

    // Re-read the changed groups (at their level) and the new ones; unchanged synced groups are only referenced.
    const start = [
        ...newListed,
        ...[...membersChanged].map((id) => ({
            group: groupPrincipal(id, groupNames.get(id) ?? "", ctx.graph.attributes),
            level: levels.get(id) ?? 1,
        })),
    ];
    const reread = new Set(start.map((x) => x.group.entraId));
    const tree = await readGroupTree(
        ctx.graph,
        start,
        ctx.depth,
        new Set([...synced].filter((g) => !reread.has(g))),
    );
    ctx.options.onGraphRead?.(tree);

    // Desired: members of re-read groups, the groups themselves, renamed groups and changed users.
    const principals = new Map(tree.principals);
    for (const [id, name] of groupNames)
        if (!principals.has(id)) principals.set(id, groupPrincipal(id, name, ctx.graph.attributes));
    for (const [id, p] of changedPrincipals) principals.set(id, p);

    // Account side: GET by id what must be compared (changed principals, re-read groups); look up by key what is not yet known.
    const byKey = new Map<string, AccountPrincipal>();
    const byEntraId = new Map<string, AccountPrincipal>();
    const known = new Map<string, string>();
    const members = new Map<string, ReadonlySet<string>>();
    const names = new Map<string, string>();
    const memberships = new Map(tree.memberships);
    const mustRead = (p: DesiredPrincipal) =>
        changedPrincipals.has(p.entraId) ||
        groupNames.has(p.entraId) ||
        tree.memberships.has(p.entraId);
    await Promise.all(
        [...principals.values()].map(async (p) => {
            const scimId = ids.get(p.entraId);
            if (scimId !== undefined && !mustRead(p)) {
                known.set(p.entraId, scimId);
                return;
            }
            if (scimId !== undefined) {
                let got: Awaited<ReturnType<typeof ctx.account.get>>;
                try {
                    got = await ctx.account.get(p.kind, scimId);
                } catch (e) {
                    if (
                        p.kind !== "group" ||
                        !tree.memberships.has(p.entraId) ||
                        ctx.options.signal?.aborted
                    )
                        throw e;
                    // Only this group waits for the next run (it is known, so neither created nor changed).
                    known.set(p.entraId, scimId);
                    accountMembersUnread(memberships, tree.incomplete, p, e);
                    return;
                }
                if (got) {
                    byEntraId.set(p.entraId, got.principal);
                    byKey.set(matchKey(p.kind, got.principal.key), got.principal);
                    if (p.kind === "group") members.set(scimId, new Set(got.members));
                    for (const [id, n] of got.memberNames) names.set(id, n);
                    if (p.key === "")
                        principals.set(p.entraId, {
                            ...p,
                            key: got.principal.key,
                            displayName: got.principal.displayName,
                        });
                    return;
                }
                // Deleted in the account: look it up by name below, or create it again.
            }
            if (p.key === "") return;
            const found = await ctx.account.find(p.kind, p.key);
            if (!found) return;
            byKey.set(matchKey(p.kind, found.key), found);
            if (p.kind === "group" && tree.memberships.has(p.entraId)) {
                const got = await ctx.account.get("group", found.id);
                members.set(found.id, new Set(got?.members ?? []));
                for (const [id, n] of got?.memberNames ?? []) names.set(id, n);
            }
        }),
    );
    for (const [id, p] of principals) if (p.key === "") principals.delete(id);
    for (const p of byKey.values()) names.set(p.id, p.key);
    const gone: GonePrincipal[] = [];
    if (ctx.options.deactivateDeleted) {
        await Promise.all(
            deleted.map(async ({ entraId, kind }) => {
                const got = await ctx.account.get(kind, ids.get(entraId)!);
                if (got) gone.push({ entraId, account: got.principal, reason: "deleted" });
            }),
        );
    }

    return {
        mode: "incremental",
        desired: {
            principals,
            memberships: new Map([...memberships].filter(([g]) => principals.has(g))),
            incomplete: tree.incomplete,
            gone,
        },
        actual: { byKey, byEntraId, known, members, names },
        totals: async (ops) => {
            // Count only the kinds the plan creates: one-item list pages give totalResults.
            const creates = ops
                .filter((o) => o.type === "create")
                .map((o) => (o.type === "create" ? o.principal.kind : "group"));
            const count = (k: PrincipalKind) => ctx.account.total(k);
            const principals = creates.some((k) => k !== "group")
                ? Promise.all([count("user"), count("servicePrincipal")])
                : undefined;
            const groups = creates.includes("group") ? count("group") : undefined;
            return {
                usersAndServicePrincipals:
                    principals && (await principals).reduce((a, b) => a + b, 0),
                groups: await groups,
            };
        },
        nextState: (finalIds) => {
            const allSynced = new Set([...synced, ...tree.memberships.keys()]);
            const nextLevels = new Map([...levels].filter(([g]) => allSynced.has(g)));
            for (const [g, l] of tree.levels)
                nextLevels.set(g, Math.min(l, nextLevels.get(g) ?? l));
            return {
                version: 1,
                groupsDeltaLink: groupDelta.deltaLink,
                usersDeltaLink: userDelta.deltaLink,
                servicePrincipalsDeltaLink: spDelta?.deltaLink,
                ids: Object.fromEntries([...new Map([...ids, ...finalIds])].sort()),
                syncedGroups: [...allSynced].sort(),
                // Every listed name, resolved or not (an incremental run never drops one: that is a full run).
                listedGroups: [...new Set([...s.listedGroups, ...ctx.options.groups])],
                listedGroupIds: Object.fromEntries(
                    [
                        ...new Map([...Object.entries(s.listedGroupIds ?? {}), ...ctx.listedIds]),
                    ].sort(),
                ),
                groupLevels: Object.fromEntries([...nextLevels].sort()),
                groupSearchDepth: ctx.depth,
            };
        },
    };
}
