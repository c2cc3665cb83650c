/**
 * Reads the desired side from Entra: synced groups level by level (breadth first, one $batch wave a
 * level) down to groupSearchDepth. Groups at every level, the deepest included, are synced with their
 * members; group members of the deepest level are not followed (and not added).
 */
import { GraphClient, missingReadPermission, toPrincipal } from "../clients";
import { DesiredPrincipal, GroupTree } from "../contract";

/** What readGroupTree returns: a GroupTree whose `incomplete` is always there. */
export interface ReadTree extends GroupTree {
    readonly incomplete: Map<string, string>;
}

/**
 * Reads the members of `start` groups and of the nested groups found below them, down to `depth`.
 * Groups in `known` (already synced, unchanged) are referenced as members but not read again.
 */
export async function readGroupTree(
    graph: GraphClient,
    start: readonly { group: DesiredPrincipal; level: number }[],
    depth: number,
    known: ReadonlySet<string> = new Set(),
    onLevel?: (level: number, groups: number) => void,
): Promise<ReadTree> {
    const tree: ReadTree = {
        principals: new Map(),
        memberships: new Map(),
        levels: new Map(),
        incomplete: new Map(),
    };
    let frontier: { id: string; level: number }[] = [];
    for (const s of [...start].sort((a, b) => a.level - b.level)) {
        if (tree.levels.has(s.group.entraId)) continue;
        tree.principals.set(s.group.entraId, s.group);
        tree.levels.set(s.group.entraId, s.level);
        frontier.push({ id: s.group.entraId, level: s.level });
    }
    while (frontier.length > 0) {
        onLevel?.(Math.min(...frontier.map((f) => f.level)), frontier.length);
        const name = (id: string) => tree.principals.get(id)?.key || id;
        const read = await graph.readMembers(
            frontier.map((f) => f.id),
            (id, e) =>
                tree.incomplete.set(
                    id,
                    `group "${name(id)}": its members could not be read from Entra ID (${e.message}); its membership is not synced this run`,
                ),
        );
        const next: { id: string; level: number }[] = [];
        for (const { id, level } of frontier) {
            const raws = read.get(id);
            if (!raws) continue; // the read failed: recorded in `incomplete`
            const memberIds = new Set<string>();
            const missing = new Map<string, number>();
            for (const raw of raws) {
                const permission = missingReadPermission(raw);
                if (permission) missing.set(permission, (missing.get(permission) ?? 0) + 1);
                const p = toPrincipal(raw, graph.attributes);
                if (!p || p.entraId === id) continue;
                if (p.kind === "group") {
                    if (level >= depth) continue; // beyond the search depth: neither followed nor added
                    if (!known.has(p.entraId) && !tree.levels.has(p.entraId)) {
                        tree.levels.set(p.entraId, level + 1);
                        next.push({ id: p.entraId, level: level + 1 });
                    }
                }
                memberIds.add(p.entraId);
                if (!tree.principals.has(p.entraId)) tree.principals.set(p.entraId, p);
            }
            tree.memberships.set(id, [...memberIds]);
            if (missing.size > 0) {
                const what = [...missing]
                    .map(([perm, n]) => `${n} member(s) needing ${perm}`)
                    .join(", ");
                tree.incomplete.set(
                    id,
                    `group "${name(id)}": Entra ID listed ${what} without their names (limited information: the app may not read them); ` +
                        `grant the Graph application permission ${[...missing.keys()].join(" and ")} (or Directory.Read.All). No member is removed from this group until then`,
                );
            }
        }
        frontier = next;
    }
    return tree;
}
