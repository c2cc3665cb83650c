/** Shared setup of the SCIM sync tests: both emulators, a small directory, options with fast retries. */
import * as assert from "assert";
import { SyncLogger, SyncOptions, UNPACED } from "../../scim";
import { GraphEmulator } from "../../emulators/graph";
import { ScimEmulator } from "../../emulators/scim";

export const GRAPH_TOKEN = "graph-token-abc123";
export const SCIM_TOKEN = "dbx-token-xyz789";
export const FAST_RETRIES = { maxAttempts: 10, baseDelayMs: 2, maxDelayMs: 20, maxTotalMs: 20_000 };

export class Emulators {
    readonly graph = new GraphEmulator();
    readonly scim = new ScimEmulator();
    readonly logs: string[] = [];

    async start(): Promise<void> {
        await Promise.all([this.graph.start(), this.scim.start()]);
        this.graph.token = GRAPH_TOKEN;
        this.scim.token = SCIM_TOKEN;
    }
    stop(): Promise<void[]> {
        return Promise.all([this.graph.stop(), this.scim.stop()]);
    }
    /** Empty directories, counters at zero, Retry-After 0 so 429s cost no wall time. */
    clear(): void {
        this.graph.clear();
        this.scim.clear();
        this.graph.server.settings.retryAfterSeconds = 0;
        this.scim.server.settings.retryAfterSeconds = 0;
        this.logs.length = 0;
    }
    /** Counters and faults at zero, directories kept (between two runs of one test). */
    resetCounters(): void {
        this.graph.reset();
        this.scim.reset();
        this.graph.server.settings.retryAfterSeconds = 0;
        this.scim.server.settings.retryAfterSeconds = 0;
    }
    logger(): SyncLogger {
        return {
            info: (m) => this.logs.push(`info ${m}`),
            warn: (m) => this.logs.push(`warn ${m}`),
            debug: (m) => this.logs.push(`debug ${m}`),
        };
    }
    /** The environment of the `scim-sync` CLI against these emulators, unpaced as in {@link options}. */
    cliEnv(extra: Record<string, string> = {}): Record<string, string> {
        return {
            GRAPH_TOKEN,
            DATABRICKS_TOKEN: SCIM_TOKEN,
            GRAPH_URL: this.graph.url,
            DATABRICKS_HOST: this.scim.host,
            DATABRICKS_ACCOUNT_ID: this.scim.accountId,
            SCIM_SYNC_RATE_LIMITS: "off",
            ...extra,
        };
    }
    options(extra: Partial<SyncOptions> & { groups: readonly string[] }): SyncOptions {
        return {
            graph: { url: this.graph.url, token: async () => GRAPH_TOKEN },
            account: {
                host: this.scim.host,
                accountId: this.scim.accountId,
                token: async () => SCIM_TOKEN,
            },
            retryPolicy: FAST_RETRIES,
            // Tests measure behaviour, not the real accounts' rate limits (tests/scim/clients/pacing.test.ts does).
            rateLimits: UNPACED,
            logger: this.logger(),
            ...extra,
        };
    }
}

/**
 * The hooks of a suite that syncs against the emulators: started once, emptied (then `seed`ed) before
 * each test, and never a DELETE received.
 */
export function emulatorSuite(em: Emulators, seed?: () => void): void {
    before(() => em.start());
    after(() => em.stop());
    beforeEach(() => {
        em.clear();
        seed?.();
    });
    afterEach(() => assert.strictEqual(em.scim.deletes(), 0, "the sync never sends DELETE"));
}

/**
 * A small tenant:
 *   Data Team  ← alice, bob, the "etl" service principal, Analysts
 *   Analysts   ← carol, Interns
 *   Interns    ← dave (a guest: userName = mail)
 *   Other      ← erin (not synced)
 */
export function seedSmallTenant(g: GraphEmulator) {
    const alice = g.addUser({ userPrincipalName: "alice@contoso.com", displayName: "Alice" });
    const bob = g.addUser({ userPrincipalName: "bob@contoso.com", displayName: "Bob" });
    const carol = g.addUser({ userPrincipalName: "carol@contoso.com", displayName: "Carol" });
    const dave = g.addUser({
        userPrincipalName: "dave_fabrikam.com#EXT#@contoso.onmicrosoft.com",
        mail: "dave@fabrikam.com",
        userType: "Guest",
        displayName: "Dave",
    });
    const erin = g.addUser({ userPrincipalName: "erin@contoso.com", displayName: "Erin" });
    const etl = g.addServicePrincipal({
        appId: "9a7c1f0e-0000-4000-8000-00000000e71a",
        displayName: "etl",
    });
    const dataTeam = g.addGroup("Data Team");
    const analysts = g.addGroup("Analysts");
    const interns = g.addGroup("Interns");
    const other = g.addGroup("Other");
    for (const m of [alice, bob, etl]) g.addMember(dataTeam.id, m.id);
    g.addMember(dataTeam.id, analysts.id);
    g.addMember(analysts.id, carol.id);
    g.addMember(analysts.id, interns.id);
    g.addMember(interns.id, dave.id);
    g.addMember(other.id, erin.id);
    return { alice, bob, carol, dave, erin, etl, dataTeam, analysts, interns, other };
}

/** The account as plain sorted data: what a user of the account sees. */
export function accountSnapshot(scim: ScimEmulator) {
    return {
        users: [...scim.users.values()]
            .map((u) => `${u.userName}|${u.displayName}|${u.active}|${u.externalId ?? ""}`)
            .sort(),
        servicePrincipals: [...scim.servicePrincipals.values()]
            .map((s) => `${s.applicationId}|${s.displayName}|${s.active}|${s.externalId ?? ""}`)
            .sort(),
        groups: [...scim.groups.values()]
            .map(
                (g) =>
                    `${g.displayName}|${g.externalId ?? ""}: ${scim.memberNames(g.displayName).join(", ")}`,
            )
            .sort(),
    };
}

/**
 * A tenant of `users` users, 2 SPs and `groups` listed groups (group i holds users i..i+9 and the
 * SPs for even i), each with a nested "Sub i" group holding three users: enough calls to exercise
 * faults, paging and concurrency.
 */
export function seedMediumTenant(g: GraphEmulator, users = 60, groups = 8) {
    const u = Array.from({ length: users }, (_, i) =>
        g.addUser({ userPrincipalName: `user${i}@contoso.com`, displayName: `User ${i}` }),
    );
    const sps = [0, 1].map((i) =>
        g.addServicePrincipal({
            appId: `0000000${i}-aaaa-4bbb-8ccc-000000000000`,
            displayName: `sp${i}`,
        }),
    );
    const names: string[] = [];
    for (let i = 0; i < groups; i++) {
        const top = g.addGroup(`Team ${i}`);
        const sub = g.addGroup(`Sub ${i}`);
        names.push(top.displayName);
        for (let k = 0; k < 10; k++) g.addMember(top.id, u[(i * 7 + k) % users].id);
        if (i % 2 === 0) sps.forEach((s) => g.addMember(top.id, s.id));
        g.addMember(top.id, sub.id);
        for (let k = 0; k < 3; k++) g.addMember(sub.id, u[(i * 5 + k + 30) % users].id);
    }
    return { users: u, sps, names };
}
