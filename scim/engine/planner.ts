/**
 * The pure planner: desired state (Entra) + actual state (account) → the list of writes. No I/O, so
 * it is tested on plain maps. Principles: never delete; create what is missing; update display name
 * and `active`; make each synced group's membership equal to Entra's with one operation per group.
 */
import { SYNCED, SyncedAttributes, accountValue, desiredValue } from "../contract";
import {
    DEFAULT_MAX_REMOVAL_PERCENT,
    PlannedChange,
    AccountPrincipal,
    ActualState,
    DesiredPrincipal,
    DesiredState,
    Operation,
    matchKey,
} from "../contract";

export interface Plan {
    readonly ops: readonly Operation[];
    /** Entra id → SCIM id of every desired principal that already exists. */
    readonly existing: ReadonlyMap<string, string>;
    /** Secret-free notes for the log (duplicate names, renamed users). */
    readonly warnings: readonly string[];
    /** Problems that fail the run (a group not adopted); the rest of the plan stands. */
    readonly errors: readonly string[];
    /** Removal guard: one message per group the plan would empty or remove too many members from. Non-empty = write nothing. */
    readonly guard: readonly { readonly groupEntraId: string; readonly message: string }[];
}

export interface PlanOptions {
    /** Largest share (percent) of a group's account members one run may remove. Defaults to DEFAULT_MAX_REMOVAL_PERCENT. */
    readonly maxRemovalPercent?: number;
    /** Lifts the removal guard. */
    readonly allowMassRemoval?: boolean;
    /** Adopt an account group of the same name whose externalId names another Entra object. */
    readonly allowGroupAdoption?: boolean;
    /** Adopt an account user / service principal of the same userName / applicationId whose externalId names another Entra object. */
    readonly allowPrincipalAdoption?: boolean;
    /** The attributes compared and patched; the account client must read the same ones. Default: SYNCED. */
    readonly attributes?: SyncedAttributes;
}

export function planSync(
    desired: DesiredState,
    actual: ActualState,
    options: PlanOptions = {},
): Plan {
    const ops: Operation[] = [];
    const warnings: string[] = [];
    const errors: string[] = [];
    const guard: { groupEntraId: string; message: string }[] = [];
    const existing = new Map<string, string>();
    const claimed = new Map<string, string>(); // match key → Entra id that claimed it
    const skipped = new Set<string>();
    /** SCIM ids of account groups left alone (not adopted): never removed from a parent because of that. */
    const keep = new Set<string>();

    for (const p of desired.principals.values()) {
        const key = matchKey(p.kind, p.key);
        // Checked before the name is claimed, so the principal that owns the account user keeps it whatever the order.
        const foreign = foreignPrincipal(p, actual.byKey.get(key), options);
        if (foreign) {
            errors.push(foreign);
            skipped.add(p.entraId);
            continue;
        }
        const other = claimed.get(key);
        if (other !== undefined) {
            warnings.push(
                `${p.kind} "${p.key}" (Entra ${p.entraId}) has the same name as Entra ${other}; only the first is synced.`,
            );
            skipped.add(p.entraId);
            continue;
        }
        claimed.set(key, p.entraId);
        const found = findActual(p, actual, warnings);
        if (
            found &&
            p.kind === "group" &&
            found.externalId &&
            found.externalId !== p.entraId &&
            !options.allowGroupAdoption
        ) {
            // A group of that name made by hand or by another sync: adopting it would replace its members.
            errors.push(
                `group "${p.key}": the account group of that name (SCIM id ${found.id}) has externalId ${found.externalId}, ` +
                    `not the Entra group's id ${p.entraId}; it is not adopted and left as it is. Rename one of them, ` +
                    "or allow adoption (allowGroupAdoption / --allow-group-adoption) if it really is this group",
            );
            skipped.add(p.entraId);
            keep.add(found.id);
            continue;
        }
        if (found) {
            existing.set(p.entraId, found.id);
            const update = diffAttributes(p, found, options.attributes);
            if (update) ops.push(update);
        } else if (actual.known.has(p.entraId)) {
            existing.set(p.entraId, actual.known.get(p.entraId)!);
        } else {
            const members =
                p.kind === "group"
                    ? desired.memberships.get(p.entraId)?.filter((m) => !skipped.has(m))
                    : undefined;
            ops.push({ type: "create", principal: p, ...(members ? { members } : {}) });
        }
    }

    for (const [groupId, memberIds] of desired.memberships) {
        const group = desired.principals.get(groupId);
        const scimId = existing.get(groupId);
        if (!group || skipped.has(groupId) || scimId === undefined) continue; // new groups get their members inline
        const current = actual.members.get(scimId);
        if (!current)
            throw new Error(`planner: members of group "${group.key}" (${scimId}) were not read`);
        const wanted = new Set<string>();
        const add: string[] = [];
        for (const m of memberIds) {
            if (skipped.has(m) || !desired.principals.has(m)) continue;
            const id = existing.get(m);
            if (id !== undefined) wanted.add(id);
            if (id === undefined || !current.has(id)) add.push(m);
        }
        // An incomplete Entra list (limited-information members, a failed page) removes nothing.
        const remove = desired.incomplete?.has(groupId)
            ? []
            : [...current].filter((id) => !wanted.has(id) && !keep.has(id)).sort();
        const tripped = removalGuard(group.key, remove.length, current.size, add.length, options);
        if (tripped) guard.push({ groupEntraId: groupId, message: tripped });
        if (add.length > 0 || remove.length > 0)
            ops.push({ type: "members", group, scimId, add, remove });
    }
    for (const g of desired.gone ?? []) {
        if (
            desired.principals.has(g.entraId) ||
            g.account.active === false ||
            g.account.kind === "group"
        )
            continue;
        if (g.account.externalId && g.account.externalId !== g.entraId) continue; // not the principal we synced
        const principal = {
            kind: g.account.kind,
            entraId: g.entraId,
            key: g.account.key,
            displayName: g.account.displayName,
            active: false,
        };
        ops.push({ type: "deactivate", principal, scimId: g.account.id, reason: g.reason });
    }
    // Principals before groups, then memberships: the order they are applied in, and easy to read.
    const rank = (o: Operation) =>
        o.type === "members"
            ? 3
            : o.principal.kind === "group"
              ? 2
              : o.principal.kind === "servicePrincipal"
                ? 1
                : 0;
    ops.sort((a, b) => rank(a) - rank(b));
    return { ops, existing, warnings, errors, guard };
}

/**
 * The removal guard for one group: a message when removing `removing` of its `current` account members
 * (while adding `adding`) would empty it or exceed maxRemovalPercent, unless allowMassRemoval. Used by
 * the planner and by the executor for a group adopted on 409 (its members are only known then).
 */
export function removalGuard(
    groupKey: string,
    removing: number,
    current: number,
    adding: number,
    options: PlanOptions,
    held = "nothing was written",
): string | undefined {
    if (removing === 0 || options.allowMassRemoval) return undefined;
    const maxPercent = options.maxRemovalPercent ?? DEFAULT_MAX_REMOVAL_PERCENT;
    const empties = removing === current && adding === 0;
    if (!empties && (removing * 100) / current <= maxPercent) return undefined;
    const why = empties
        ? `would remove all ${current} of its members and leave it empty`
        : `would remove ${removing} of its ${current} members (${Math.round((removing * 100) / current)}%), more than the ${maxPercent}% allowed (maxRemovalPercent / --max-removal-percent)`;
    return `removal guard: group "${groupKey}" ${why}; ${held}. Check the Entra group and the app's read permissions, then rerun with allowMassRemoval (--allow-mass-removal) if this is intended`;
}

/**
 * The refusal of a user or service principal whose account namesake (same userName / applicationId)
 * carries the externalId of another Entra object, unless allowPrincipalAdoption. A B2B guest's
 * userName is its `mail`, which anyone with a guest invitation can make equal to an internal user's
 * userName: adopting would hand that user (its groups, and its deactivation) to the guest.
 */
export function foreignPrincipal(
    p: DesiredPrincipal,
    found: AccountPrincipal | undefined,
    options: PlanOptions,
): string | undefined {
    if (
        p.kind === "group" ||
        !found ||
        !found.externalId ||
        found.externalId === p.entraId ||
        options.allowPrincipalAdoption
    )
        return undefined;
    const what = p.kind === "user" ? "user" : "service principal";
    const keyName = p.kind === "user" ? "userName" : "applicationId";
    return (
        `${what} "${p.key}" (Entra ${p.entraId}) refused: the account ${what} with that ${keyName} (SCIM id ${found.id}) has externalId ${found.externalId}, ` +
        `another Entra object; it is not adopted and left as it is${p.kind === "user" ? " (a B2B guest's userName is its mail, which can equal another user's userName)" : ""}. ` +
        "Check both Entra objects, or allow adoption (allowPrincipalAdoption / --allow-principal-adoption) if it really is the same identity"
    );
}

/** Users and SPs match on their key only; a group also matches on externalId, so an Entra rename renames it. */
function findActual(
    p: DesiredPrincipal,
    actual: ActualState,
    warnings: string[],
): AccountPrincipal | undefined {
    const byKey = actual.byKey.get(matchKey(p.kind, p.key));
    if (byKey) return byKey;
    const byId = actual.byEntraId?.get(p.entraId);
    if (!byId || byId.kind !== p.kind) return undefined;
    if (p.kind === "group") return byId;
    warnings.push(
        `${p.kind} ${p.entraId}: its ${p.kind === "user" ? "userName" : "applicationId"} changed from "${byId.key}" to "${p.key}"; ` +
            `the account cannot rename it, so "${p.key}" is created and "${byId.key}" is left as is (never deleted).`,
    );
    return undefined;
}

/**
 * The attribute update that brings an account principal in line with Entra (planned, or for one
 * adopted on 409): every attribute of its kind whose rule says the values differ, in table order.
 */
export function diffAttributes(
    p: DesiredPrincipal,
    a: AccountPrincipal,
    attributes: SyncedAttributes = SYNCED,
): Extract<Operation, { type: "update" }> | undefined {
    const set: Record<string, unknown> = {};
    const was: Record<string, unknown> = {};
    let changed = false;
    for (const { attribute, rule } of attributes.of(p.kind)) {
        if (!rule.differs) continue;
        const desired = desiredValue(p, attribute);
        const current = accountValue(a, attribute);
        if (!rule.differs(desired, current)) continue;
        set[attribute.name] = desired;
        was[attribute.name] = current;
        changed = true;
    }
    return changed ? { type: "update", principal: p, scimId: a.id, set, was } : undefined;
}

/** How {@link describePlan} names things and tells each operation's outcome. */
export interface DescribeContext {
    /** Entra id → the principal's key (userName, applicationId, group name). */
    readonly name: (entraId: string) => string;
    /** SCIM id → a name for it; defaults to `scim:<id>` only when nothing better is known. */
    readonly scimName?: (scimId: string) => string | undefined;
    /** Entra id → SCIM id, once known (existing principals, and those created by the run). */
    readonly scimIdOf?: (entraId: string) => string | undefined;
    /** The outcome of an operation; defaults to "planned". */
    readonly status?: (op: Operation) => PlannedChange["status"];
}

/** Human/JSON description of a plan: one entry per change, with names and ids (the --report lines). */
export function describePlan(
    ops: readonly Operation[],
    ctx: DescribeContext | ((entraId: string) => string),
): PlannedChange[] {
    const c: DescribeContext = typeof ctx === "function" ? { name: ctx } : ctx;
    const scimName = (id: string) => c.scimName?.(id) ?? `scim:${id}`;
    const status = (op: Operation) => c.status?.(op) ?? "planned";
    const out: PlannedChange[] = [];
    const list = (names: readonly string[]) => {
        const shown = names.slice(0, 10).join(", ");
        return `${names.length} member${names.length === 1 ? "" : "s"}: ${shown}${names.length > 10 ? ", …" : ""}`;
    };
    const byEntra = (ids: readonly string[]) =>
        ids.map((entraId) =>
            stripUndefined({ name: c.name(entraId), entraId, scimId: c.scimIdOf?.(entraId) }),
        );
    const ids = (entraId: string, scimId?: string) =>
        stripUndefined({ entraId, scimId: scimId ?? c.scimIdOf?.(entraId) });
    for (const op of ops) {
        if (op.type === "create") {
            out.push({
                op: "create",
                kind: op.principal.kind,
                key: op.principal.key,
                detail: op.principal.displayName,
                ...ids(op.principal.entraId),
                status: status(op),
            });
            if (op.members && op.members.length > 0) {
                const members = byEntra(op.members);
                out.push({
                    op: "add-members",
                    kind: "group",
                    key: op.principal.key,
                    detail: list(members.map((m) => m.name)),
                    ...ids(op.principal.entraId),
                    members,
                    status: status(op),
                });
            }
        } else if (op.type === "update") {
            const parts = Object.keys(op.set).map((k) => {
                const key = k as keyof typeof op.set;
                return `${k}: ${JSON.stringify(op.was[key])} → ${JSON.stringify(op.set[key])}`;
            });
            out.push({
                op: "update",
                kind: op.principal.kind,
                key: op.principal.key,
                detail: parts.join("; "),
                ...ids(op.principal.entraId, op.scimId),
                status: status(op),
            });
        } else if (op.type === "deactivate") {
            const detail = `${op.reason} in Entra ID: active → false`;
            out.push({
                op: "deactivate",
                kind: op.principal.kind,
                key: op.principal.key,
                detail,
                ...ids(op.principal.entraId, op.scimId),
                status: status(op),
            });
        } else {
            const where = ids(op.group.entraId, op.scimId);
            if (op.add.length > 0) {
                const members = byEntra(op.add);
                out.push({
                    op: "add-members",
                    kind: "group",
                    key: op.group.key,
                    detail: list(members.map((m) => m.name)),
                    ...where,
                    members,
                    status: status(op),
                });
            }
            if (op.remove.length > 0) {
                const members = op.remove.map((scimId) => ({ name: scimName(scimId), scimId }));
                out.push({
                    op: "remove-members",
                    kind: "group",
                    key: op.group.key,
                    detail: list(members.map((m) => m.name)),
                    ...where,
                    members,
                    status: status(op),
                });
            }
        }
    }
    return out;
}

function stripUndefined<T extends Record<string, unknown>>(o: T): T {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
