/** The fake SCIM engine that the CLI and ScimSync provider tests inject in place of runSync. */
import type { SyncOptions, SyncResult, SyncSummary } from "../../../scim/contract/api";

/** An engine summary: a full run that created and changed a few principals, no error; `over` replaces fields. */
export function fakeSummary(over: Partial<SyncSummary> = {}): SyncSummary {
    return {
        mode: "full",
        dryRun: false,
        created: { users: 2, servicePrincipals: 1, groups: 1 },
        updated: { users: 0, servicePrincipals: 0, groups: 0 },
        membersAdded: 3,
        membersRemoved: 1,
        errors: 0,
        errorMessages: [],
        ...over,
    };
}

/** Records the options of each call and answers from a queue: a result, an error to throw, or a function of the options. */
export class FakeEngine {
    readonly calls: SyncOptions[] = [];
    readonly answers: Array<SyncResult | Error | ((options: SyncOptions) => Promise<SyncResult>)> =
        [];
    async runSync(options: SyncOptions): Promise<SyncResult> {
        this.calls.push(options);
        const next = this.answers.shift();
        if (!next) throw new Error("fake engine: no answer queued");
        if (next instanceof Error) throw next;
        return typeof next === "function" ? next(options) : next;
    }
}
