/** What the full and incremental readers share: the run's context, what they return, listed-name lookup. */
import {
    SyncLogger,
    SyncOptions,
    SyncState,
    AccountPrincipal,
    ActualState,
    DesiredPrincipal,
    DesiredState,
    Operation,
    matchKey,
} from "../contract";
import { AccountClient, GraphClient, GraphObject, ApiError, groupPrincipal } from "../clients";
import { AccountTotals } from "./limits";

export interface Context {
    readonly options: SyncOptions;
    readonly depth: number;
    readonly concurrency: number;
    readonly log: SyncLogger;
    readonly graph: GraphClient;
    readonly account: AccountClient;
    readonly state: SyncState;
    /** Problems that fail the run without stopping it (e.g. a listed group not found). */
    readonly errors: string[];
    /** Listed name → Entra id of each listed group resolved this run (kept in the state as listedGroupIds). */
    readonly listedIds: Map<string, string>;
}

/** Everything gathered before planning. */
export interface Gathered {
    readonly mode: "full" | "incremental";
    readonly desired: DesiredState;
    readonly actual: ActualState;
    /** Builds the next state from the final Entra id → SCIM id map. */
    readonly nextState: (ids: ReadonlyMap<string, string>) => SyncState;
    /** Reads account totals, for the limit check, only when the plan creates something. */
    readonly totals: (ops: readonly Operation[]) => Promise<AccountTotals>;
}

/**
 * Resolves the listed names to groups: first by the Entra id the state recorded for the name (so a
 * group renamed in Entra is followed, and the rename reported), then by name. A missing or ambiguous
 * name is an error of the run, and stays one on every run until the list changes.
 */
export async function resolveListed(
    ctx: Context,
    names: readonly string[],
): Promise<{ group: DesiredPrincipal; level: number }[]> {
    if (names.length === 0) return [];
    const recorded = ctx.state.listedGroupIds ?? {};
    const withId = names.filter((n) => recorded[n] !== undefined);
    const byId =
        withId.length > 0
            ? await ctx.graph.getGroups(withId.map((n) => recorded[n]))
            : new Map<string, GraphObject>();
    // The account gets Entra's spelling of the name.
    const toGroup = (g: GraphObject) => ({
        group: groupPrincipal(g.id, String(g.displayName), ctx.graph.attributes),
        level: 1,
    });
    const start: { group: DesiredPrincipal; level: number }[] = [];
    const byName: string[] = [];
    for (const name of names) {
        const g = recorded[name] !== undefined ? byId.get(recorded[name]) : undefined;
        if (!g || typeof g.displayName !== "string") {
            byName.push(name);
            continue;
        }
        if (g.displayName.toLowerCase() !== name.toLowerCase()) {
            ctx.log.warn(
                `listed group "${name}" was renamed in Entra ID to "${g.displayName}" (Entra id ${g.id}); it is followed by its id. Put the new name in the groups list`,
            );
        }
        ctx.listedIds.set(name, g.id);
        start.push(toGroup(g));
    }
    const found =
        byName.length > 0
            ? await ctx.graph.findGroups(byName)
            : new Map<string, GraphObject[] | ApiError>();
    for (const name of byName) {
        const answer = found.get(name) ?? [];
        if (answer instanceof ApiError) {
            ctx.errors.push(
                `group "${name}" could not be looked up in Entra ID: ${answer.message}`,
            );
            continue;
        }
        const all = answer;
        const exact = all.filter((g) => g.displayName === name);
        const groups = exact.length > 0 ? exact : all;
        if (groups.length === 0)
            ctx.errors.push(
                `group "${name}" was not found in Entra ID (it stays listed and fails every run until it exists or is taken off the list)`,
            );
        else if (groups.length > 1)
            ctx.errors.push(
                `group "${name}": ${groups.length} Entra groups have this name; rename them so the name is unique`,
            );
        else {
            ctx.listedIds.set(name, groups[0].id);
            start.push(toGroup(groups[0]));
        }
    }
    return start;
}

export function indexAccount(
    principals: readonly AccountPrincipal[],
    byKey: Map<string, AccountPrincipal>,
    byEntraId: Map<string, AccountPrincipal>,
): void {
    for (const p of principals) {
        byKey.set(matchKey(p.kind, p.key), p);
        if (p.externalId) byEntraId.set(p.externalId, p);
    }
}

/**
 * A synced group whose account members could not be read: only its membership waits for the next run
 * (taken out of `memberships`, the reason kept in `incomplete`), the rest of the run goes on.
 */
export function accountMembersUnread(
    memberships: Map<string, readonly string[]>,
    incomplete: Map<string, string>,
    group: DesiredPrincipal,
    error: unknown,
): void {
    memberships.delete(group.entraId);
    const why = error instanceof Error ? error.message : String(error);
    incomplete.set(
        group.entraId,
        `group "${group.key || group.entraId}": its members could not be read from the account (${why}); its membership is not synced this run`,
    );
}
