/**
 * Runs a plan against the account with bounded concurrency, in dependency order:
 *   1. users and service principals are created, attributes updated;
 *   2. new groups are created with their members inline, deepest first, so a parent can name a
 *      nested group created just before it (a cycle falls back to a PATCH afterwards);
 *   3. one PATCH per existing group: member adds and removes (and a rename) in one Operations array.
 * A failure is recorded and the rest goes on; an abort stops at once. Every step is idempotent
 * against what the account holds, so a rerun after a crash converges.
 */
import { SyncProgress, Operation, PrincipalKind, SYNCED } from "../contract";
import { AccountClient } from "../clients";
import { ApiError, SyncAbortedError, mapPool } from "../clients";
import { Plan, PlanOptions, diffAttributes, foreignPrincipal, removalGuard } from "./planner";

type CreateOp = Extract<Operation, { type: "create" }>;
type UpdateOp = Extract<Operation, { type: "update" }>;
type MembersOp = Extract<Operation, { type: "members" }>;
type DeactivateOp = Extract<Operation, { type: "deactivate" }>;

export interface ExecuteOptions extends PlanOptions {
    /** Apply principals only; membership changes are left out. */
    readonly dryRunMembers: boolean;
    readonly concurrency: number;
    readonly signal?: AbortSignal;
    readonly onProgress?: (p: SyncProgress) => void;
    readonly log?: (message: string) => void;
    /** Entra ids of groups whose Entra member list is incomplete: an adoption on 409 removes none of their members. */
    readonly incomplete?: ReadonlySet<string>;
}

export interface ExecuteResult {
    /** Entra id → SCIM id of every principal that exists after the run. */
    readonly ids: Map<string, string>;
    readonly created: Record<PrincipalKind, number>;
    readonly updated: Record<PrincipalKind, number>;
    /** Users and SPs set to active=false because deleted or disabled in Entra. */
    readonly deactivated: Record<PrincipalKind, number>;
    /** Operations that failed (their error is in `errors`), for the change report. */
    readonly failedOps: Set<Operation>;
    adopted: number;
    membersAdded: number;
    membersRemoved: number;
    readonly errors: string[];
}

export async function executePlan(
    plan: Plan,
    account: AccountClient,
    opts: ExecuteOptions,
): Promise<ExecuteResult> {
    const result: ExecuteResult = {
        ids: new Map(plan.existing),
        created: { user: 0, servicePrincipal: 0, group: 0 },
        updated: { user: 0, servicePrincipal: 0, group: 0 },
        deactivated: { user: 0, servicePrincipal: 0, group: 0 },
        failedOps: new Set(),
        adopted: 0,
        membersAdded: 0,
        membersRemoved: 0,
        errors: [],
    };
    const stopped = () => opts.signal?.aborted === true;
    const pool = <T>(items: readonly T[], fn: (item: T) => Promise<void>) =>
        mapPool(items, opts.concurrency, fn, stopped);
    const failed = new Set<string>();
    const guard = async (
        what: string,
        fn: () => Promise<void>,
        entraId?: string,
        op?: Operation,
    ) => {
        try {
            await fn();
        } catch (e) {
            if (e instanceof SyncAbortedError || stopped()) throw new SyncAbortedError();
            if (entraId !== undefined) failed.add(entraId);
            if (op) result.failedOps.add(op);
            // A 404 here means a principal the state knows was deleted in the account by hand.
            const hint =
                e instanceof ApiError && e.status === 404
                    ? " (a principal may have been deleted in the account; a full sync re-creates it)"
                    : "";
            result.errors.push(`${what}: ${e instanceof Error ? e.message : String(e)}${hint}`);
        }
    };

    const creates = plan.ops.filter((o): o is CreateOp => o.type === "create");
    const updates = plan.ops.filter((o): o is UpdateOp => o.type === "update");
    const deactivations = plan.ops.filter((o): o is DeactivateOp => o.type === "deactivate");
    const memberOps = opts.dryRunMembers
        ? []
        : plan.ops.filter((o): o is MembersOp => o.type === "members");
    const attributes = opts.attributes ?? SYNCED;
    // A group rename rides along with that group's membership PATCH.
    const renameWithMembers = new Map<string, UpdateOp>();
    // Setting externalId (an adopted group) goes alone: were the account to refuse it, the membership would still sync.
    for (const u of updates) {
        if (
            u.principal.kind === "group" &&
            !Object.keys(u.set).some((name) => attributes.isIdentity(name)) &&
            memberOps.some((m) => m.group.entraId === u.principal.entraId)
        )
            renameWithMembers.set(u.principal.entraId, u);
    }

    // 1. Users and service principals; attribute updates.
    const phase1: Operation[] = [
        ...creates.filter((c) => c.principal.kind !== "group"),
        ...updates.filter((u) => !renameWithMembers.has(u.principal.entraId)),
        ...deactivations,
    ];
    let done = 0;
    const progress = (phase: string, total: number) =>
        opts.onProgress?.({ phase, done: ++done, total });
    await pool(phase1, async (op) => {
        if (op.type === "create")
            await guard(
                `create ${op.principal.kind} "${op.principal.key}"`,
                () => createOne(op, account, result, opts, []),
                op.principal.entraId,
                op,
            );
        else if (op.type === "update") {
            await guard(
                `update ${op.principal.kind} "${op.principal.key}"`,
                async () => {
                    await account.patch(op.principal.kind, op.scimId, op.set);
                    result.updated[op.principal.kind]++;
                },
                undefined,
                op,
            );
        } else if (op.type === "deactivate") {
            // PATCH active=false only: the principal and its history stay (never a DELETE).
            await guard(
                `deactivate ${op.principal.kind} "${op.principal.key}"`,
                async () => {
                    await account.patch(op.principal.kind, op.scimId, { active: false });
                    result.deactivated[op.principal.kind]++;
                },
                undefined,
                op,
            );
        }
        progress("apply-principals", phase1.length);
    });
    if (stopped()) throw new SyncAbortedError();

    // 2. New groups in waves: a group goes once every nested group it names is settled.
    const groupCreates = creates.filter((c) => c.principal.kind === "group");
    const pendingGroups = new Set(groupCreates.map((c) => c.principal.entraId));
    const deferred: { op: CreateOp; members: string[] }[] = [];
    let waiting = groupCreates;
    done = 0;
    while (waiting.length > 0) {
        let ready = waiting.filter(
            (c) =>
                !(c.members ?? []).some((m) => m !== c.principal.entraId && pendingGroups.has(m)),
        );
        // A nesting cycle: break it at one group, created without the members still pending (they follow by PATCH).
        if (ready.length === 0) ready = waiting.slice(0, 1);
        const readyIds = new Set(ready.map((c) => c.principal.entraId));
        waiting = waiting.filter((c) => !readyIds.has(c.principal.entraId));
        await pool(ready, async (op) => {
            const later: string[] = [];
            await guard(
                `create group "${op.principal.key}"`,
                () => createOne(op, account, result, opts, later),
                op.principal.entraId,
                op,
            );
            if (later.length > 0) deferred.push({ op, members: later });
            pendingGroups.delete(op.principal.entraId);
            progress("apply-groups", groupCreates.length);
        });
        for (const id of readyIds) pendingGroups.delete(id);
        if (stopped()) throw new SyncAbortedError();
    }

    // 3. One PATCH per group: membership of existing groups (and members deferred by a cycle).
    const patches: MembersOp[] = [...memberOps];
    for (const d of deferred) {
        const scimId = result.ids.get(d.op.principal.entraId);
        if (scimId)
            patches.push({
                type: "members",
                group: d.op.principal,
                scimId,
                add: d.members,
                remove: [],
            });
    }
    done = 0;
    await pool(patches, async (op) => {
        await guard(
            `update members of group "${op.group.key}"`,
            async () => {
                const add = resolve(op.add, result, failed, `group "${op.group.key}"`);
                const rename = renameWithMembers.get(op.group.entraId);
                if (add.length === 0 && op.remove.length === 0 && !rename) return;
                await account.patch("group", op.scimId!, {
                    addMembers: add,
                    removeMembers: op.remove,
                    ...rename?.set,
                });
                result.membersAdded += add.length;
                result.membersRemoved += op.remove.length;
                if (rename) result.updated.group++;
            },
            undefined,
            op,
        );
        if (result.failedOps.has(op)) {
            const rename = renameWithMembers.get(op.group.entraId);
            if (rename) result.failedOps.add(rename);
        }
        progress("apply-members", patches.length);
    });
    if (stopped()) throw new SyncAbortedError();
    return result;
}

/** Entra ids → SCIM ids; a member whose creation failed is left out (its error is already recorded). */
function resolve(
    entraIds: readonly string[],
    result: ExecuteResult,
    failed: ReadonlySet<string>,
    where: string,
): string[] {
    const out: string[] = [];
    for (const m of entraIds) {
        const id = result.ids.get(m);
        if (id !== undefined) out.push(id);
        else if (!failed.has(m))
            result.errors.push(
                `${where}: member ${m} does not exist in the account and was not added`,
            );
    }
    return out;
}

/**
 * Creates one principal (a group with the members that exist already; the others go to `later`).
 * An adopted principal (409) is brought in line: attributes, and a group's membership.
 */
async function createOne(
    op: CreateOp,
    account: AccountClient,
    result: ExecuteResult,
    opts: ExecuteOptions,
    later: string[],
): Promise<void> {
    const p = op.principal;
    const inline: string[] = [];
    const wanted = opts.dryRunMembers ? [] : (op.members ?? []);
    for (const m of wanted) {
        const id = result.ids.get(m);
        if (id !== undefined) inline.push(id);
        else if (m !== p.entraId) later.push(m);
    }
    const { principal, adopted } = await account.create(p, inline);
    if (
        adopted &&
        p.kind === "group" &&
        principal.externalId &&
        principal.externalId !== p.entraId &&
        !opts.allowGroupAdoption
    ) {
        throw new Error(
            `the account group of that name (SCIM id ${principal.id}) has externalId ${principal.externalId}, not the Entra group's id ${p.entraId}; ` +
                "it is not adopted and left as it is (allowGroupAdoption / --allow-group-adoption to adopt it)",
        );
    }
    // A user or SP that appeared since the read (409) is held to the same rule as one found by the read.
    const foreign = adopted ? foreignPrincipal(p, principal, opts) : undefined;
    if (foreign) throw new Error(foreign);
    if (!adopted) {
        result.ids.set(p.entraId, principal.id);
        result.created[p.kind]++;
        result.membersAdded += inline.length;
        return;
    }
    let addMembers: string[] = [];
    let removeMembers: string[] = [];
    if (p.kind === "group" && !opts.dryRunMembers) {
        const current = new Set((await account.get("group", principal.id))?.members ?? []);
        const wantedIds = new Set(inline);
        addMembers = inline.filter((id) => !current.has(id));
        // As in the planner: an incomplete Entra list removes nothing, and the removal guard holds.
        removeMembers = opts.incomplete?.has(p.entraId)
            ? []
            : [...current].filter((id) => !wantedIds.has(id));
        const tripped = removalGuard(
            p.key,
            removeMembers.length,
            current.size,
            addMembers.length,
            opts,
            `nothing was written to it (SCIM id ${principal.id}, created in the account since the read)`,
        );
        if (tripped) throw new Error(tripped);
    }
    result.ids.set(p.entraId, principal.id);
    result.adopted++;
    opts.log?.(`${p.kind} "${p.key}" already existed (SCIM id ${principal.id}); adopted`);
    const set = diffAttributes(p, principal, opts.attributes)?.set ?? {};
    const changed = Object.keys(set);
    if (changed.length === 0 && addMembers.length === 0 && removeMembers.length === 0) return;
    await account.patch(p.kind, principal.id, { ...set, addMembers, removeMembers });
    // Tying it to its Entra object is part of the adoption, not an update.
    const attributes = opts.attributes ?? SYNCED;
    if (changed.some((name) => !attributes.isIdentity(name))) result.updated[p.kind]++;
    result.membersAdded += addMembers.length;
    result.membersRemoved += removeMembers.length;
}
