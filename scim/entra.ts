/**
 * Reads the desired side from Entra: synced groups level by level (breadth first, one $batch wave a
 * level) down to groupSearchDepth. Groups at every level, the deepest included, are synced with their
 * members; group members of the deepest level are not followed (and not added).
 */
import { GraphClient, toPrincipal } from "./graph";
import { DesiredPrincipal } from "./model";

export interface GroupTree {
    /** Every member read, and the start groups. */
    readonly principals: Map<string, DesiredPrincipal>;
    /** Group Entra id → member Entra ids, for every group read. */
    readonly memberships: Map<string, string[]>;
    /** Level of every group read (1 = listed). */
    readonly levels: Map<string, number>;
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
): Promise<GroupTree> {
    const tree: GroupTree = { principals: new Map(), memberships: new Map(), levels: new Map() };
    let frontier: { id: string; level: number }[] = [];
    for (const s of [...start].sort((a, b) => a.level - b.level)) {
        if (tree.levels.has(s.group.entraId)) continue;
        tree.principals.set(s.group.entraId, s.group);
        tree.levels.set(s.group.entraId, s.level);
        frontier.push({ id: s.group.entraId, level: s.level });
    }
    while (frontier.length > 0) {
        onLevel?.(Math.min(...frontier.map((f) => f.level)), frontier.length);
        const read = await graph.readMembers(frontier.map((f) => f.id));
        const next: { id: string; level: number }[] = [];
        for (const { id, level } of frontier) {
            const memberIds = new Set<string>();
            for (const raw of read.get(id) ?? []) {
                const p = toPrincipal(raw);
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
        }
        frontier = next;
    }
    return tree;
}
