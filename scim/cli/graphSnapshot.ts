/**
 * What the CLI's `--save-graph-response-json` writes: the groups read from Graph this run (with level
 * and members) and the users, service principals and groups among them, as plain JSON.
 */
import type { GroupTree } from "../contract";

export interface GraphSnapshot {
    readonly groups: readonly {
        id: string;
        displayName: string;
        level: number;
        members: readonly string[];
    }[];
    readonly users: readonly {
        id: string;
        userName: string;
        displayName: string;
        active: boolean;
    }[];
    readonly servicePrincipals: readonly {
        id: string;
        applicationId: string;
        displayName: string;
        active: boolean;
    }[];
    /** Groups that are members of a read group but were not read themselves (beyond the search depth or unchanged). */
    readonly nestedGroups: readonly { id: string; displayName: string }[];
}

export function graphSnapshot(tree: GroupTree): GraphSnapshot {
    const all = [...tree.principals.values()];
    const byName = (a: { displayName: string }, b: { displayName: string }) =>
        a.displayName.localeCompare(b.displayName);
    return {
        groups: [...tree.memberships]
            .map(([id, members]) => ({
                id,
                displayName: tree.principals.get(id)?.displayName ?? "",
                level: tree.levels.get(id) ?? 1,
                members: [...members],
            }))
            .sort((a, b) => a.level - b.level || a.displayName.localeCompare(b.displayName)),
        users: all
            .filter((p) => p.kind === "user")
            .map((p) => ({
                id: p.entraId,
                userName: p.key,
                displayName: p.displayName,
                active: p.active,
            }))
            .sort(byName),
        servicePrincipals: all
            .filter((p) => p.kind === "servicePrincipal")
            .map((p) => ({
                id: p.entraId,
                applicationId: p.key,
                displayName: p.displayName,
                active: p.active,
            }))
            .sort(byName),
        nestedGroups: all
            .filter((p) => p.kind === "group" && !tree.memberships.has(p.entraId))
            .map((p) => ({ id: p.entraId, displayName: p.displayName }))
            .sort(byName),
    };
}
