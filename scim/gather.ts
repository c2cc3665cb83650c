/** What the full and incremental readers share: the run's context, what they return, listed-name lookup. */
import { SyncLogger, SyncOptions, SyncState } from "./api";
import { AccountClient } from "./account";
import { GraphClient } from "./graph";
import { ApiError } from "./http";
import { AccountTotals } from "./limits";
import { AccountPrincipal, ActualState, DesiredPrincipal, DesiredState, Operation, matchKey } from "./model";

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

/** Resolves the listed names to groups; a missing or ambiguous name is an error of the run. */
export async function resolveListed(ctx: Context, names: readonly string[]): Promise<{ group: DesiredPrincipal; level: number }[]> {
    if (names.length === 0) return [];
    const found = await ctx.graph.findGroups(names);
    const start: { group: DesiredPrincipal; level: number }[] = [];
    for (const name of names) {
        const answer = found.get(name) ?? [];
        if (answer instanceof ApiError) {
            ctx.errors.push(`group "${name}" could not be looked up in Entra ID: ${answer.message}`);
            continue;
        }
        const all = answer;
        const exact = all.filter((g) => g.displayName === name);
        const groups = exact.length > 0 ? exact : all;
        if (groups.length === 0) ctx.errors.push(`group "${name}" was not found in Entra ID`);
        else if (groups.length > 1) ctx.errors.push(`group "${name}": ${groups.length} Entra groups have this name; rename them so the name is unique`);
        else {
            // The account gets Entra's spelling of the name.
            const entraName = String(groups[0].displayName);
            start.push({ group: { kind: "group", entraId: groups[0].id, key: entraName, displayName: entraName, active: true }, level: 1 });
        }
    }
    return start;
}

export function indexAccount(principals: readonly AccountPrincipal[], byKey: Map<string, AccountPrincipal>, byEntraId: Map<string, AccountPrincipal>): void {
    for (const p of principals) {
        byKey.set(matchKey(p.kind, p.key), p);
        if (p.externalId) byEntraId.set(p.externalId, p);
    }
}
