/**
 * Pure rules for who the registry is and who may use it: its managed identities and the extra role
 * assignments (`roleAssignments`). Shared by the component and the stack config reader through
 * validateMlRegistry; values only known at deployment arrive as {@link DEFERRED} and are skipped.
 */
import { Problems, checkGuid, describe, isGuid, isObject, DEFERRED } from "../core";
import { BUILT_IN_ROLES, ROLES, ResolvedRole, resolveRole } from "./naming";

export type Key = (path: string) => string;

/** Keys of one `roleAssignments` entry. */
export const ROLE_ASSIGNMENT_KEYS = ["principalId", "principalType", "role", "key"] as const;
/** Azure's principal types for role assignments. */
export const PRINCIPAL_TYPES = [
    "User",
    "Group",
    "ServicePrincipal",
    "ForeignGroup",
    "Device",
] as const;

/** Keys name resources, so they stay short and URL-safe (as compute identity keys). */
export const RESOURCE_KEY = /^[a-z0-9][a-z0-9-]{0,39}$/;

const UAMI_ID =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i;

export function checkUserAssignedIdentityId(
    problems: Problems,
    key: string,
    value: unknown,
): boolean {
    const m = typeof value === "string" ? UAMI_ID.exec(value) : null;
    if (m && isGuid(m[1])) return true;
    problems.add(
        key,
        "must be a user-assigned managed identity's resource id like /subscriptions/<subscription-guid>/resourceGroups/<rg>/providers/" +
            `Microsoft.ManagedIdentity/userAssignedIdentities/<name>, got ${describe(value)}`,
    );
    return false;
}

/** `systemAssignedIdentity` and `userAssignedIdentityIds`: at least one identity, each user-assigned one once. */
export function checkIdentity(problems: Problems, raw: Record<string, unknown>, key: Key): void {
    const system = raw.systemAssignedIdentity;
    if (system !== undefined && typeof system !== "boolean")
        problems.add(
            key("systemAssignedIdentity"),
            `must be true or false, got ${describe(system)}`,
        );
    const ids = raw.userAssignedIdentityIds;
    if (ids !== undefined && !Array.isArray(ids)) {
        problems.add(
            key("userAssignedIdentityIds"),
            `must be a list of user-assigned identity resource ids, got ${ids === DEFERRED ? "a value only known at deployment (give a list; its items may be Outputs)" : describe(ids)}`,
        );
        return;
    }
    const list = (ids ?? []) as unknown[];
    const seen = new Map<string, number>();
    list.forEach((id, i) => {
        const at = key(`userAssignedIdentityIds[${i}]`);
        if (id === DEFERRED || !checkUserAssignedIdentityId(problems, at, id)) return;
        const lower = (id as string).toLowerCase();
        if (seen.has(lower))
            problems.add(
                at,
                `repeats userAssignedIdentityIds[${seen.get(lower)}]; give each identity once`,
            );
        else seen.set(lower, i);
    });
    if (system === false && list.length === 0) {
        problems.add(
            key("systemAssignedIdentity"),
            "is false and userAssignedIdentityIds is empty; a registry needs an identity: give userAssignedIdentityIds or leave the system-assigned identity on",
        );
    }
}

/** One extra role assignment, with the stable key that names its resource and its resolved role. */
export interface RoleAssignmentEntry<P> {
    readonly key: string;
    readonly index: number;
    readonly principalId: P;
    readonly principalType: string;
    readonly role: ResolvedRole;
}

/**
 * The entries of `roleAssignments` (already validated), keyed by `key` or, when absent, by
 * `<principal id>-<role guid>` (lower case): stable across list reordering.
 */
export function roleAssignmentEntries<P>(
    list:
        | readonly { principalId: P; principalType: string; role: string; key?: string }[]
        | undefined,
): RoleAssignmentEntry<P>[] {
    return (list ?? []).map((entry, index) => {
        const role = resolveRole(entry.role);
        if (!role)
            throw new Error(
                `roleAssignments[${index}].role: not a role (validation should have said so)`,
            );
        return {
            key: entry.key ?? `${String(entry.principalId).toLowerCase()}-${role.guid}`,
            index,
            principalId: entry.principalId,
            principalType: entry.principalType,
            role,
        };
    });
}

/**
 * `roleAssignments`: each entry an object with a GUID principal (or an Output, then with a `key`), a
 * principal type, and a role by built-in name or definition id; no (principal, role) pair twice, and
 * none that repeats a fixed assignment on the registry (the Azure names would collide).
 */
export function checkRoleAssignments(
    problems: Problems,
    raw: Record<string, unknown>,
    key: Key,
): void {
    const value = raw.roleAssignments;
    if (value === undefined) return;
    if (!Array.isArray(value)) {
        problems.add(
            key("roleAssignments"),
            `must be a list of { principalId, principalType, role, key? }, got ${value === DEFERRED ? "a value only known at deployment (give a list; principal ids may be Outputs)" : describe(value)}`,
        );
        return;
    }
    const taken = new Map<string, string>(); // "<principal>|<role guid>" → where it was given
    const fixed = (principal: unknown, at: string, ...roles: string[]) => {
        if (typeof principal === "string")
            for (const r of roles) taken.set(`${principal.toLowerCase()}|${r}`, at);
    };
    fixed(raw.userObjectId, key("userObjectId"), ROLES.azureMlRegistryUser, ROLES.azureAiDeveloper);
    const compute = raw.computeIdentityPrincipalIds;
    if (Array.isArray(compute))
        compute.forEach((id, i) =>
            fixed(id, key(`computeIdentityPrincipalIds[${i}]`), ROLES.azureMlRegistryUser),
        );
    else if (isObject(compute))
        for (const [k, id] of Object.entries(compute))
            fixed(id, key(`computeIdentityPrincipalIds.${k}`), ROLES.azureMlRegistryUser);
    const keys = new Map<string, string>();

    value.forEach((entry, i) => {
        const at = (p?: string) => key(`roleAssignments[${i}]${p ? `.${p}` : ""}`);
        if (!isObject(entry)) {
            problems.add(
                at(),
                `must be an object { principalId, principalType, role, key? }, got ${describe(entry)}`,
            );
            return;
        }
        for (const k of Object.keys(entry)) {
            if (!(ROLE_ASSIGNMENT_KEYS as readonly string[]).includes(k))
                problems.add(
                    at(k),
                    `is not a known setting; valid ones: ${ROLE_ASSIGNMENT_KEYS.join(", ")}`,
                );
        }
        const { principalId, principalType, role } = entry;
        const principalOk =
            principalId === DEFERRED ||
            checkGuid(problems, at("principalId"), principalId, "principal (object) id");
        if (!(PRINCIPAL_TYPES as readonly unknown[]).includes(principalType)) {
            problems.add(
                at("principalType"),
                `must be one of ${PRINCIPAL_TYPES.join(", ")}, got ${describe(principalType)}`,
            );
        }
        const resolved = typeof role === "string" ? resolveRole(role) : undefined;
        if (!resolved) {
            problems.add(
                at("role"),
                `must be a built-in role name (${Object.keys(BUILT_IN_ROLES).join(", ")}) or a role definition id ` +
                    `(a GUID, or /providers/Microsoft.Authorization/roleDefinitions/<guid>, optionally under /subscriptions/<guid>), got ${describe(role)}`,
            );
        }
        if (entry.key !== undefined) {
            if (typeof entry.key !== "string" || !RESOURCE_KEY.test(entry.key)) {
                problems.add(
                    at("key"),
                    `must be 1 to 40 lowercase letters, digits or '-', starting with a letter or digit (it names the role assignment's resource), got ${describe(entry.key)}`,
                );
            } else if (keys.has(entry.key)) {
                problems.add(
                    at("key"),
                    `repeats the key of ${keys.get(entry.key)}; each role assignment needs its own`,
                );
            } else keys.set(entry.key, at());
        } else if (principalId === DEFERRED) {
            problems.add(
                at("key"),
                "is required when principalId is only known at deployment (an Output): a stable key names the role assignment's resource",
            );
        }
        if (!principalOk || principalId === DEFERRED || !resolved) return;
        const pair = `${(principalId as string).toLowerCase()}|${resolved.guid}`;
        const first = taken.get(pair);
        if (first)
            problems.add(
                at(),
                `assigns the same role to the same principal as ${first}; Azure allows one such assignment on the registry`,
            );
        else taken.set(pair, at());
    });
}
