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
        const out: Record<string, unknown> = {};
        for (const { attribute, rule } of attributes.of(p.kind))
            if (attribute.desired !== "entraId" && rule.graphSelect.length > 0)
                out[attribute.desired] = desiredValue(p, attribute);
        return out;
    };
    const group = (id: string) =>
        values(tree.principals.get(id) ?? groupPrincipal(id, "", attributes));
    const principals = <T>(kind: PrincipalKind, keyName: string) =>
        all
            .filter((p) => p.kind === kind)
            .map((p) => ({ id: p.entraId, [keyName]: p.key, ...values(p) }) as unknown as T)
            .sort(byName as (a: T, b: T) => number);
    return {
        groups: [...tree.memberships]
            .map(
                ([id, members]) =>
                    ({
                        id,
                        ...group(id),
                        level: tree.levels.get(id) ?? 1,
                        members: [...members],
                    }) as unknown as GraphSnapshot["groups"][number],
            )
            .sort((a, b) => a.level - b.level || a.displayName.localeCompare(b.displayName)),
        users: principals<GraphSnapshot["users"][number]>("user", "userName"),
        servicePrincipals: principals<GraphSnapshot["servicePrincipals"][number]>(
            "servicePrincipal",
            "applicationId",
        ),
        nestedGroups: all
            .filter((p) => p.kind === "group" && !tree.memberships.has(p.entraId))
            .map(
                (p) =>
                    ({
                        id: p.entraId,
                        ...values(p),
                    }) as unknown as GraphSnapshot["nestedGroups"][number],
            )
            .sort(byName),
    };
}
