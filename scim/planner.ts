/**
 * The pure planner: desired state (Entra) + actual state (account) → the list of writes. No I/O, so
 * it is tested on plain maps. Principles: never delete; create what is missing; update display name
 * and `active`; make each synced group's membership equal to Entra's with one operation per group.
 */
import { PlannedChange } from "./api";
import { AccountPrincipal, ActualState, DesiredPrincipal, DesiredState, Operation, matchKey } from "./model";

export interface Plan {
    readonly ops: readonly Operation[];
    /** Entra id → SCIM id of every desired principal that already exists. */
    readonly existing: ReadonlyMap<string, string>;
    /** Secret-free notes for the log (duplicate names, renamed users). */
    readonly warnings: readonly string[];
}

export function planSync(desired: DesiredState, actual: ActualState): Plan {
    const ops: Operation[] = [];
    const warnings: string[] = [];
    const existing = new Map<string, string>();
    const claimed = new Map<string, string>(); // match key → Entra id that claimed it
    const skipped = new Set<string>();

    for (const p of desired.principals.values()) {
        const key = matchKey(p.kind, p.key);
        const other = claimed.get(key);
        if (other !== undefined) {
            warnings.push(`${p.kind} "${p.key}" (Entra ${p.entraId}) has the same name as Entra ${other}; only the first is synced.`);
            skipped.add(p.entraId);
            continue;
        }
        claimed.set(key, p.entraId);
        const found = findActual(p, actual, warnings);
        if (found) {
            existing.set(p.entraId, found.id);
            const update = diffAttributes(p, found);
            if (update) ops.push(update);
        } else if (actual.known.has(p.entraId)) {
            existing.set(p.entraId, actual.known.get(p.entraId)!);
        } else {
            const members = p.kind === "group" ? desired.memberships.get(p.entraId)?.filter((m) => !skipped.has(m)) : undefined;
            ops.push({ type: "create", principal: p, ...(members ? { members } : {}) });
        }
    }

    for (const [groupId, memberIds] of desired.memberships) {
        const group = desired.principals.get(groupId);
        const scimId = existing.get(groupId);
        if (!group || skipped.has(groupId) || scimId === undefined) continue; // new groups get their members inline
        const current = actual.members.get(scimId);
        if (!current) throw new Error(`planner: members of group "${group.key}" (${scimId}) were not read`);
        const wanted = new Set<string>();
        const add: string[] = [];
        for (const m of memberIds) {
            if (skipped.has(m) || !desired.principals.has(m)) continue;
            const id = existing.get(m);
            if (id !== undefined) wanted.add(id);
            if (id === undefined || !current.has(id)) add.push(m);
        }
        const remove = [...current].filter((id) => !wanted.has(id)).sort();
        if (add.length > 0 || remove.length > 0) ops.push({ type: "members", group, scimId, add, remove });
    }
    // Principals before groups, then memberships: the order they are applied in, and easy to read.
    const rank = (o: Operation) => (o.type === "members" ? 3 : o.principal.kind === "group" ? 2 : o.principal.kind === "servicePrincipal" ? 1 : 0);
    ops.sort((a, b) => rank(a) - rank(b));
    return { ops, existing, warnings };
}

/** Users and SPs match on their key only; a group also matches on externalId, so an Entra rename renames it. */
function findActual(p: DesiredPrincipal, actual: ActualState, warnings: string[]): AccountPrincipal | undefined {
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

function diffAttributes(p: DesiredPrincipal, a: AccountPrincipal): Operation | undefined {
    const set: { displayName?: string; active?: boolean } = {};
    const was: { displayName?: string; active?: boolean } = {};
    if (p.displayName && a.displayName !== p.displayName) {
        set.displayName = p.displayName;
        was.displayName = a.displayName;
    }
    if (p.kind !== "group" && a.active !== undefined && a.active !== p.active) {
        set.active = p.active;
        was.active = a.active;
    }
    return Object.keys(set).length > 0 ? { type: "update", principal: p, scimId: a.id, set, was } : undefined;
}

/** Human/JSON description of a plan; `name` resolves Entra ids of members to their keys. */
export function describePlan(
    ops: readonly Operation[],
    name: (entraId: string) => string,
    scimName: (scimId: string) => string = (id) => `scim:${id}`,
): PlannedChange[] {
    const out: PlannedChange[] = [];
    const list = (ids: readonly string[]) => {
        const shown = ids.slice(0, 10).join(", ");
        return `${ids.length} member${ids.length === 1 ? "" : "s"}: ${shown}${ids.length > 10 ? ", …" : ""}`;
    };
    for (const op of ops) {
        if (op.type === "create") {
            out.push({ op: "create", kind: op.principal.kind, key: op.principal.key, detail: op.principal.displayName });
            if (op.members && op.members.length > 0) {
                out.push({ op: "add-members", kind: "group", key: op.principal.key, detail: list(op.members.map(name)) });
            }
        } else if (op.type === "update") {
            const parts = Object.keys(op.set).map((k) => {
                const key = k as keyof typeof op.set;
                return `${k}: ${JSON.stringify(op.was[key])} → ${JSON.stringify(op.set[key])}`;
            });
            out.push({ op: "update", kind: op.principal.kind, key: op.principal.key, detail: parts.join("; ") });
        } else {
            if (op.add.length > 0) out.push({ op: "add-members", kind: "group", key: op.group.key, detail: list(op.add.map(name)) });
            if (op.remove.length > 0) out.push({ op: "remove-members", kind: "group", key: op.group.key, detail: list(op.remove.map(scimName)) });
        }
    }
    return out;
}
