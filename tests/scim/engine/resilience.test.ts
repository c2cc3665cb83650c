import * as assert from "assert";
import { runSync, ScimLimitError, SyncAbortedError, SyncState } from "../../../scim";
import {
    accountSnapshot,
    emulatorSuite,
    Emulators,
    GRAPH_TOKEN,
    SCIM_TOKEN,
    seedMediumTenant,
    seedSmallTenant,
} from "../fixture";

describe("scim sync resilience: faults, crashes, 409 adoption, concurrency, limits", () => {
    const em = new Emulators();
    emulatorSuite(em);

    const opts = (extra: Partial<Parameters<Emulators["options"]>[0]> = {}) =>
        em.options({ groups: seedNames, groupSearchDepth: 2, ...extra });
    let seedNames: string[] = [];

    /** Full sync, then changes, then an incremental sync; returns the account after each. */
    async function scenario(faulty: boolean) {
        em.clear();
        const t = seedMediumTenant(em.graph);
        seedNames = t.names;
        const inject = () => {
            if (!faulty) return;
            for (const s of [em.graph.server, em.scim.server])
                s.settings.rates = { "500": 0.025, "503": 0.025, "429": 0.025, drop: 0.025 };
            em.graph.batchItemFaultRate = 0.1;
            em.scim.commitThenFail = 3; // writes applied whose answer is lost: retried POSTs meet 409
        };
        inject();
        const countFaults = () =>
            [
                ...em.graph.server.faultCounters.values(),
                ...em.scim.server.faultCounters.values(),
            ].reduce((a, b) => a + b, 0);
        const first = await runSync(opts());
        const afterFirst = accountSnapshot(em.scim);
        let faults = countFaults();
        em.graph.removeMember(em.graph.groupByName("Team 1").id, t.users[7].id);
        em.graph.addMember(em.graph.groupByName("Team 2").id, t.users[59].id);
        em.graph.addMember(
            em.graph.groupByName("Sub 3").id,
            em.graph.addUser({ userPrincipalName: "late@contoso.com" }).id,
        );
        em.graph.renameGroup(em.graph.groupByName("Sub 4").id, "Sub four");
        em.graph.updateUser(t.users[3].id, { accountEnabled: false });
        em.resetCounters();
        inject();
        const second = await runSync(opts({ state: first.state }));
        faults += countFaults();
        return { first, second, afterFirst, afterSecond: accountSnapshot(em.scim), faults };
    }

    it("with about 10% injected 5xx, 429, resets and lost answers the end state is identical and nothing is duplicated", async () => {
        const clean = await scenario(false);
        const faulty = await scenario(true);
        assert.ok(faulty.faults > 5, `faults were injected (${faulty.faults})`);
        assert.deepStrictEqual(faulty.afterFirst, clean.afterFirst);
        assert.deepStrictEqual(faulty.afterSecond, clean.afterSecond);
        assert.strictEqual(faulty.first.summary.errors + faulty.second.summary.errors, 0);
        assert.strictEqual(faulty.second.summary.mode, "incremental");
        assert.strictEqual(
            em.scim.users.size,
            61,
            "one account user per Entra user, no duplicates",
        );
        assert.deepStrictEqual(
            [...em.scim.users.values()]
                .map((u) => u.userName.toLowerCase())
                .filter((n, i, all) => all.indexOf(n) !== i),
            [],
        );
        // A quiet rerun after the faulty runs writes nothing.
        em.resetCounters();
        await runSync(opts({ state: faulty.second.state }));
        assert.strictEqual(em.scim.writeCalls(), 0);
    });

    it("adopts the existing principal when a retried POST meets 409 (the first attempt was applied, its answer lost)", async () => {
        seedSmallTenant(em.graph);
        seedNames = ["Data Team"];
        em.scim.commitThenFail = 100;
        const r = await runSync(opts({ groupSearchDepth: 1 }));
        assert.strictEqual(r.summary.errors, 0, r.summary.errorMessages.join("; "));
        assert.strictEqual(em.scim.users.size, 2);
        assert.strictEqual(em.scim.servicePrincipals.size, 1);
        assert.deepStrictEqual(em.scim.memberNames("Data Team"), [
            "9a7c1f0e-0000-4000-8000-00000000e71a",
            "alice@contoso.com",
            "bob@contoso.com",
        ]);
        assert.strictEqual(
            em.scim.server.count("scim:users:post"),
            4,
            "each user POST retried once, answered 409",
        );
        assert.ok(em.logs.filter((l) => /already existed .* adopted/.test(l)).length >= 4);
        assert.strictEqual(
            r.state.ids[em.graph.groupByName("Data Team").id],
            em.scim.groupByName("Data Team")!.id,
        );
    });

    for (const phase of ["full", "incremental"] as const) {
        it(`${phase === "full" ? "a full" : "an incremental"} run aborted midway leaves nothing inconsistent: rerun with the saved state (or none) converges`, async () => {
            const clean = await scenario(false);
            em.clear();
            const t = seedMediumTenant(em.graph);
            seedNames = t.names;
            let saved: SyncState | undefined;
            if (phase === "incremental") {
                saved = (await runSync(opts())).state;
                em.graph.removeMember(em.graph.groupByName("Team 1").id, t.users[7].id);
                em.graph.addMember(em.graph.groupByName("Team 2").id, t.users[59].id);
                em.graph.addMember(
                    em.graph.groupByName("Sub 3").id,
                    em.graph.addUser({ userPrincipalName: "late@contoso.com" }).id,
                );
                em.graph.renameGroup(em.graph.groupByName("Sub 4").id, "Sub four");
                em.graph.updateUser(t.users[3].id, { accountEnabled: false });
            }
            const controller = new AbortController();
            const stopAt = phase === "full" ? 30 : 2;
            const base = em.scim.writes;
            em.scim.onWrite = (n) => n === base + stopAt && controller.abort();
            await assert.rejects(
                runSync(opts({ state: saved, signal: controller.signal })),
                SyncAbortedError,
            );
            const writesBefore = em.scim.writes - base;
            assert.ok(
                writesBefore >= stopAt && writesBefore < (phase === "full" ? 60 : 7),
                `stopped midway (${writesBefore} writes)`,
            );
            em.resetCounters();
            const rerun = await runSync(opts({ state: saved }));
            assert.strictEqual(rerun.summary.errors, 0, rerun.summary.errorMessages.join("; "));
            assert.deepStrictEqual(
                accountSnapshot(em.scim),
                phase === "full" ? clean.afterFirst : clean.afterSecond,
            );
            // And a rerun from scratch (no state at all) finds nothing to do.
            em.resetCounters();
            await runSync(opts({ fullSync: true }));
            assert.strictEqual(em.scim.writeCalls(), 0);
        });
    }

    for (const concurrency of [1, 4]) {
        it(`honours concurrency ${concurrency}: never more requests in flight per API, and the bound is reached`, async () => {
            seedNames = seedMediumTenant(em.graph).names;
            em.scim.server.settings.latencyMs = 5;
            em.graph.server.settings.latencyMs = 5;
            await runSync(opts({ concurrency }));
            assert.strictEqual(em.scim.server.peakInFlight, concurrency);
            assert.ok(em.graph.server.peakInFlight <= concurrency);
        });
    }

    it("waits Retry-After on a 429 before retrying", async () => {
        seedSmallTenant(em.graph);
        seedNames = ["Data Team"];
        em.scim.server.settings.retryAfterSeconds = 0.4;
        em.scim.server.failNext("scim:groups:post", "429");
        const started = Date.now();
        const r = await runSync(
            opts({
                groupSearchDepth: 1,
                retryPolicy: {
                    maxAttempts: 3,
                    baseDelayMs: 1,
                    maxDelayMs: 2_000,
                    maxTotalMs: 10_000,
                },
            }),
        );
        assert.ok(Date.now() - started >= 400, "waited at least Retry-After");
        assert.strictEqual(em.scim.server.count("scim:groups:post"), 2);
        assert.strictEqual(r.summary.errors, 0);
    });

    it("stops before any write when the plan would cross the 10,000 users+SPs limit", async () => {
        seedSmallTenant(em.graph);
        seedNames = ["Data Team"];
        for (let i = 0; i < 9_999; i++)
            em.scim.seedUser({
                userName: `existing${i}@contoso.com`,
                displayName: `e${i}`,
                active: true,
            });
        await assert.rejects(
            runSync(opts({ groupSearchDepth: 1 })),
            (e: Error) =>
                e instanceof ScimLimitError &&
                /9999 in the account \+ 3 to create = 10002, over the limit of 10000/.test(
                    e.message,
                ),
        );
        assert.strictEqual(em.scim.writeCalls(), 0);
        // dry runs report the same problem
        await assert.rejects(
            runSync(opts({ groupSearchDepth: 1, dryRunPrincipals: true })),
            ScimLimitError,
        );
    });

    it("never puts a token in a log line or an error, even on retries and auth failures", async () => {
        seedNames = seedMediumTenant(em.graph).names;
        for (const s of [em.graph.server, em.scim.server])
            s.settings.rates = { "503": 0.05, "429": 0.05, drop: 0.05 };
        const r = await runSync(opts());
        assert.ok(
            em.logs.some((l) => /retry/.test(l)),
            "retries were logged",
        );
        em.scim.token = "another-token";
        const failure = await runSync(opts({ fullSync: true })).then(
            () => assert.fail("expected a 401"),
            (e: Error) => e,
        );
        assert.match(
            failure.message,
            /scim GET \/api\/2\.0\/accounts\/.*\/scim\/v2\/(Users|ServicePrincipals|Groups) failed: HTTP 401/,
        );
        const text = [...em.logs, failure.message, failure.stack ?? "", JSON.stringify(r)].join(
            "\n",
        );
        for (const token of [GRAPH_TOKEN, SCIM_TOKEN])
            assert.ok(!text.includes(token), "no token in logs, errors or results");
    });
});
