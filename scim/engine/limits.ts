/**
 * The plan checked against the Databricks account limits ({@link ACCOUNT_LIMITS}) before any write,
 * so a sync never stops halfway with the account full.
 */
import { ACCOUNT_LIMITS, ScimLimitError, DesiredState, Operation } from "../contract";

export interface AccountTotals {
    /** Users + service principals in the account now; undefined when not needed (no creation planned). */
    readonly usersAndServicePrincipals?: number;
    readonly groups?: number;
}

/** Throws ScimLimitError naming every limit the plan would cross. */
export function checkLimits(
    ops: readonly Operation[],
    desired: DesiredState,
    totals: AccountTotals,
    limits = ACCOUNT_LIMITS,
): void {
    const problems: string[] = [];
    let newPrincipals = 0;
    let newGroups = 0;
    for (const op of ops) {
        if (op.type !== "create") continue;
        if (op.principal.kind === "group") newGroups++;
        else newPrincipals++;
    }
    const principalsAfter = (totals.usersAndServicePrincipals ?? 0) + newPrincipals;
    if (newPrincipals > 0 && principalsAfter > limits.usersAndServicePrincipals) {
        problems.push(
            `users and service principals: ${totals.usersAndServicePrincipals ?? 0} in the account + ${newPrincipals} to create = ` +
                `${principalsAfter}, over the limit of ${limits.usersAndServicePrincipals}`,
        );
    }
    const groupsAfter = (totals.groups ?? 0) + newGroups;
    if (newGroups > 0 && groupsAfter > limits.groups) {
        problems.push(
            `groups: ${totals.groups ?? 0} in the account + ${newGroups} to create = ${groupsAfter}, over the limit of ${limits.groups}`,
        );
    }
    for (const [groupId, members] of desired.memberships) {
        if (members.length > limits.directMembersPerGroup) {
            const name = desired.principals.get(groupId)?.key ?? groupId;
            problems.push(
                `group "${name}": ${members.length} direct members, over the limit of ${limits.directMembersPerGroup}`,
            );
        }
    }
    if (problems.length > 0) {
        throw new ScimLimitError(
            `The sync would cross Databricks account limits; nothing was written. Reduce the synced groups (or their nesting depth): ` +
                problems.join("; ") +
                ".",
        );
    }
}
