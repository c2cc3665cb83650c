/**
 * What the CLI's `--save-graph-response-json` writes: the groups read from Graph this run (with level
 * and members) and the users, service principals and groups among them, as plain JSON: each with
 * its id, its key and the attributes read from Graph (scim/contract/attributes.ts).
 */
import type { DesiredPrincipal, GroupTree, PrincipalKind } from "../contract";
import { SYNCED, SyncedAttributes, desiredValue } from "../contract";
import { groupPrincipal } from "../clients";

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

export function graphSnapshot(
    tree: GroupTree,
    attributes: SyncedAttributes = SYNCED,
): GraphSnapshot {
    const all = [...tree.principals.values()];
    const byName = (a: { displayName: string }, b: { displayName: string }) =>
        a.displayName.localeCompare(b.displayName);
    // Every attribute read from Graph for the kind, under its DesiredPrincipal field; the Entra id is already `id`.
    const values = (p: DesiredPrincipal) => {
        const out: Partial<DesiredPrincipal> & Record<string, unknown> = {};
        for (const { attribute, rule } of attributes.of(p.kind))
            if (attribute.desired !== "entraId" && rule.graphSelect.length > 0)
                out[attribute.desired] = desiredValue(p, attribute);
        // The snapshot's fields: the real table reads displayName from Graph for every kind and
        // active for users and SPs (a group's is not read, and its entry has no `active`); another
        // table's attributes ride along under their names.
        return out as Pick<DesiredPrincipal, "displayName" | "active">;
    };
    const group = (id: string) =>
        values(tree.principals.get(id) ?? groupPrincipal(id, "", attributes));
    const ofKind = (kind: PrincipalKind) => all.filter((p) => p.kind === kind);
    return {
        groups: [...tree.memberships]
            .map(([id, members]) => ({
                id,
                ...group(id),
                level: tree.levels.get(id) ?? 1,
                members: [...members],
            }))
            .sort((a, b) => a.level - b.level || a.displayName.localeCompare(b.displayName)),
        users: ofKind("user")
            .map((p) => ({ id: p.entraId, userName: p.key, ...values(p) }))
            .sort(byName),
        servicePrincipals: ofKind("servicePrincipal")
            .map((p) => ({ id: p.entraId, applicationId: p.key, ...values(p) }))
            .sort(byName),
        nestedGroups: ofKind("group")
            .filter((p) => !tree.memberships.has(p.entraId))
            .map((p) => ({ id: p.entraId, ...values(p) }))
            .sort(byName),
    };
}
