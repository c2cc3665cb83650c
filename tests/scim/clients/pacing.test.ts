/**
 * Proactive pacing: a budget per API and operation class, spaced requests, a 429 holding back its
 * class, Graph's use percentage slowing reads; and against emulators that enforce the same limits
 * (429 + Retry-After above the rate), a paced sync gets no 429 where an unpaced one runs into them.
 */
import * as assert from "assert";
import {
    DEFAULT_RATE_LIMITS,
    RateLimits,
    SyncState,
    UNPACED,
    emptyState,
    parseRateLimits,
    runSync,
} from "../../../scim";
import { GraphClient, parseGraphError } from "../../../scim/clients/graph";
import { JsonClient } from "../../../scim/clients/http";
import { AdaptiveRate } from "../../../scim/clients/adaptiveRate";
import { Pacer, graphClassifier, scimClassifier } from "../../../scim/clients/pacing";
import {
    Emulators,
    FAST_RETRIES,
    GRAPH_TOKEN,
    seedMediumTenant,
    seedSmallTenant,
} from "../fixture";

const headers = (h: Record<string, string> = {}) => new Headers(h);

describe("scim pacing (pure)", () => {
    it("parses key=perSecond (only the classes named: they are ceilings), `off`, and names a bad entry with the valid keys", () => {
        assert.deepStrictEqual(DEFAULT_RATE_LIMITS, {
            graphReads: 350,
            scimReads: 20,
            scimLists: 4,
            scimCreates: 5,
            scimPatches: 2,
        });
        assert.deepStrictEqual(parseRateLimits("scim.creates=3, scim.patches=0.5"), {
            scimCreates: 3,
            scimPatches: 0.5,
        });
        assert.deepStrictEqual(parseRateLimits(""), {});
        assert.deepStrictEqual(parseRateLimits("off"), UNPACED);
        const bad = parseRateLimits("scim.creates=fast");
        assert.ok("error" in bad);
        assert.match(
            bad.error,
            /^"scim\.creates=fast" is not a rate limit; expected e\.g\. scim\.creates=5.*keys: graph\.reads, scim\.reads, scim\.lists, scim\.creates, scim\.patches$/,
        );
        assert.ok("error" in parseRateLimits("scim.writes=5"));
    });

    it("runSync refuses a bad rateLimits object before any request, naming the class", async () => {
        const options = {
            groups: ["G"],
            graph: { url: "http://127.0.0.1:1", token: async () => "t" },
            account: {
                host: "http://127.0.0.1:1",
                accountId: "11111111-2222-3333-4444-555555555555",
                token: async () => "t",
            },
        };
        await assert.rejects(
            runSync({ ...options, rateLimits: { scimCreates: -1 } }),
            /rateLimits\.scimCreates: must be requests per second, a number ≥ 0 \(0 = unpaced\), got -1/,
        );
        await assert.rejects(
            runSync({ ...options, rateLimits: { scimWrites: 5 } as any }),
            /rateLimits\.scimWrites: not a class; the classes are graphReads, scimReads, scimLists, scimCreates, scimPatches/,
        );
    });

    it("classifies SCIM calls (GET one / list / POST / PATCH) and counts each request inside a Graph $batch", () => {
        assert.deepStrictEqual(
            scimClassifier("GET", "/api/2.0/accounts/a/scim/v2/Users", undefined),
            { lane: "scimLists", cost: 1 },
        );
        assert.deepStrictEqual(
            scimClassifier("GET", "/api/2.0/accounts/a/scim/v2/Groups/123", undefined),
            { lane: "scimReads", cost: 1 },
        );
        assert.deepStrictEqual(scimClassifier("POST", "/api/2.0/accounts/a/scim/v2/Users", {}), {
            lane: "scimCreates",
            cost: 1,
        });
        assert.deepStrictEqual(
            scimClassifier("PATCH", "/api/2.0/accounts/a/scim/v2/Groups/1", {}),
            { lane: "scimPatches", cost: 1 },
        );
        assert.deepStrictEqual(
            graphClassifier("POST", "/v1.0/$batch", { requests: new Array(20).fill({}) }),
            { lane: "graphReads", cost: 20 },
        );
        assert.deepStrictEqual(graphClassifier("GET", "/v1.0/groups/delta", undefined), {
            lane: "graphReads",
            cost: 1,
        });
    });

    /** Start times (ms after the first call) of requests sent through `pacer` at once. */
    async function starts(pacer: Pacer, calls: [string, string, unknown][]): Promise<number[]> {
        const t0 = performance.now();
        return Promise.all(
            calls.map(async ([m, p, b]) => (await pacer.take(m, p, b), performance.now() - t0)),
        );
    }
    // Never before its slot; late by at most `slack` (timers fire late on a loaded machine).
    const near = (actual: number[], expected: number[], slack = 60) =>
        assert.ok(
            actual.every((a, i) => a >= expected[i] - 2 && a <= expected[i] + slack),
            `${actual.map((a) => a.toFixed(0))} vs ${expected}`,
        );

    it("spaces each class evenly at its rate, classes independent, unpaced classes free, no saved-up burst", async () => {
        const p = new Pacer({ scimCreates: 20, scimPatches: 10 }, scimClassifier);
        const post: [string, string, unknown] = ["POST", "/scim/v2/Users", {}];
        const patch: [string, string, unknown] = ["PATCH", "/scim/v2/Groups/1", {}];
        const get: [string, string, unknown] = ["GET", "/scim/v2/Groups/1", undefined];
        const t = await starts(p, [post, post, post, post, patch, patch, get]);
        near(t.slice(0, 4), [0, 50, 100, 150]);
        near(t.slice(4, 6), [0, 100]);
        near(t.slice(6), [0]);
        await new Promise((r) => setTimeout(r, 200)); // idle: the next two are spaced again
        near(await starts(p, [post, post]), [0, 50]);
    });

    it("a 429 holds back its whole class for Retry-After; Graph's use percentage slows reads for its window", async () => {
        const scim = new Pacer({ scimCreates: 100 }, scimClassifier);
        await scim.take("POST", "/scim/v2/Users", {});
        scim.observe("POST", "/scim/v2/Users", {}, 429, headers({ "retry-after": "0.2" }));
        near(await starts(scim, [["POST", "/scim/v2/Users", {}]]), [200]);

        const graph = new Pacer({ graphReads: 200 }, graphClassifier);
        const batch = { requests: new Array(10).fill({}) };
        const b: [string, string, unknown] = ["POST", "/v1.0/$batch", batch];
        near(await starts(graph, [b, b]), [0, 50]);
        graph.observe(
            "POST",
            "/v1.0/$batch",
            batch,
            200,
            headers({ "x-ms-throttle-limit-percentage": "0.8" }),
        );
        assert.strictEqual(graph.factor(), 0.5);
        const slowed = await starts(graph, [b, b]);
        assert.ok(
            slowed[1] - slowed[0] >= 95,
            `half speed while above 80%: ${slowed.map((x) => x.toFixed(0))}`,
        );
        graph.observe(
            "GET",
            "/v1.0/groups/delta",
            undefined,
            200,
            headers({ "x-ms-throttle-limit-percentage": "1.6" }),
        );
        assert.strictEqual(graph.factor(), 0.25);
    });

    it("the rate adapts: slow start, one cut per round (halving out of slow start), a concave approach below the throttled rate, a hard ceiling", () => {
        const r = new AdaptiveRate(5, Infinity);
        for (let i = 0; i < 3; i++) r.success();
        assert.strictEqual(r.rate, 17, "slow start: +4 req/s per paced success");
        assert.strictEqual(r.throttle(17, 0, 0), true);
        assert.deepStrictEqual(
            [r.rate, r.ceiling],
            [8.5, 17],
            "the first 429 halves (the overshoot is unknown)",
        );
        assert.strictEqual(
            r.throttle(17, 0, 10),
            false,
            "a request sent before the cut cuts nothing",
        );
        assert.deepStrictEqual([r.rate, r.throttled], [8.5, 2]);
        for (let i = 0; i < 100; i++) r.success();
        assert.ok(
            r.rate > 0.95 * 17 && r.rate < 17,
            `approaches just under the throttled rate: ${r.rate}`,
        );
        assert.strictEqual(r.throttle(r.rate, 1, 5_000), true);
        assert.ok(Math.abs(r.rate - 0.9 * r.ceiling!) < 1e-9, "later 429s cut by 0.9");
        // Between two 429s 5 s apart, 40 requests accepted: the account sustained 8/s; the next run starts no higher.
        for (let i = 0; i < 40; i++) r.accepted();
        for (let i = 0; i < 10; i++) r.success();
        r.throttle(9.5, r.cuts, 10_000);
        assert.strictEqual(r.ceiling, 9.5);
        for (let i = 0; i < 30; i++) r.success();
        assert.ok(r.rate > 8);
        assert.deepStrictEqual(r.learned(), { rate: 8, ceiling: 9.5 });

        const capped = new AdaptiveRate(5, 6);
        for (let i = 0; i < 10; i++) capped.success();
        assert.strictEqual(capped.rate, 6, "an explicit rate limit is a hard ceiling");
        assert.strictEqual(
            new AdaptiveRate(5, 3, { rate: 12 }).rate,
            3,
            "a learnt rate above the ceiling starts at the ceiling",
        );
        assert.strictEqual(
            new AdaptiveRate(5, Infinity, { rate: 12, ceiling: 13 }).rate,
            12,
            "a learnt rate is where the next run starts",
        );
    });

    it("an aborted run's waiting requests are refused", async () => {
        const p = new Pacer({ scimPatches: 1 }, scimClassifier);
        await p.take("PATCH", "/scim/v2/Groups/1", {});
        const waiting = p.take("PATCH", "/scim/v2/Groups/1", {});
        p.cancel(new Error("aborted"));
        await assert.rejects(waiting, /aborted/);
    });
});

describe("scim pacing against rate-limited emulators", function () {
    this.timeout(20_000);
    const em = new Emulators();
    before(() => em.start());
    after(() => em.stop());
    // The documented limits × 10, so the test takes about a second; what is checked is the ratio.
    const LIMITS = {
        graphReads: 3500,
        scimReads: 200,
        scimLists: 40,
        scimCreates: 50,
        scimPatches: 20,
    };
    const throttled = () =>
        [...em.scim.server.throttled.values(), ...em.graph.server.throttled.values()].reduce(
            (a, b) => a + b,
            0,
        );

    function limited() {
        em.clear();
        const t = seedMediumTenant(em.graph, 60, 8);
        em.scim.enforceRateLimits(LIMITS);
        em.graph.enforceRateLimit(LIMITS.graphReads);
        return t;
    }

    it("unpaced, a first sync runs into 429s (what pacing prevents)", async () => {
        const t = limited();
        const r = await runSync(
            em.options({
                groups: t.names,
                groupSearchDepth: 2,
                rateLimits: UNPACED,
                retryPolicy: { ...FAST_RETRIES, maxAttempts: 30 },
            }),
        );
        assert.strictEqual(r.summary.errors, 0, r.summary.errorMessages.join("; "));
        assert.ok((em.scim.server.throttled.get("scimCreates") ?? 0) > 0, "creates were throttled");
    });

    it("paced with the same limits: 0 answers of 429, and the writes take about writes ÷ rate", async () => {
        const t = limited();
        const started = performance.now();
        const r = await runSync(
            em.options({ groups: t.names, groupSearchDepth: 2, rateLimits: LIMITS }),
        );
        const ms = performance.now() - started;
        assert.strictEqual(r.summary.errors, 0, r.summary.errorMessages.join("; "));
        assert.strictEqual(
            throttled(),
            0,
            `429s: ${JSON.stringify([...em.scim.server.throttled, ...em.graph.server.throttled])}`,
        );
        const creates = [...em.scim.server.counters]
            .filter(([k]) => k.endsWith(":post"))
            .reduce((n, [, v]) => n + v, 0);
        assert.ok(creates > 50, `${creates} creates`);
        // Evenly spaced from the first: (n − 1) intervals at least.
        assert.ok(
            ms >= (((creates - 1) * 1000) / LIMITS.scimCreates) * 0.95,
            `${ms.toFixed(0)} ms for ${creates} creates at ${LIMITS.scimCreates}/s`,
        );
    });

    it("default pacing learns a hidden create limit: up from the default, few 429s, kept in the state; the next run starts there; an explicit limit is a ceiling", async () => {
        const HIDDEN = 20;
        const run = async (state?: SyncState, rateLimits?: Partial<RateLimits>) => {
            em.scim.clear();
            em.graph.reset();
            em.scim.enforceRateLimits({ scimCreates: HIDDEN });
            const r = await runSync(
                em.options({ groups: names, groupSearchDepth: 2, rateLimits, state }),
            );
            assert.strictEqual(r.summary.errors, 0, r.summary.errorMessages.join("; "));
            return { r, throttled: em.scim.server.throttled.get("scimCreates") ?? 0 };
        };
        em.clear();
        const names = seedMediumTenant(em.graph, 40, 6).names;
        const first = await run();
        const creates = first.r.summary.pacing!.scimCreates;
        assert.strictEqual(creates.startRate, DEFAULT_RATE_LIMITS.scimCreates);
        const learned = first.r.state.rates!.scimCreates;
        assert.ok(
            learned.rate > 0.6 * HIDDEN && learned.rate <= 1.2 * HIDDEN,
            `learned ${JSON.stringify(learned)} for a hidden ${HIDDEN}/s`,
        );
        assert.ok(
            learned.ceiling !== undefined && first.throttled >= 1 && first.throttled <= 8,
            `${first.throttled} answers 429 for 54 creates`,
        );
        assert.strictEqual(creates.throttled, first.throttled, "the summary counts the 429s");
        // --debug: each cut, and the pace at the end.
        assert.ok(
            em.logs.some((l) =>
                /^debug scim: scimCreates: 429, rate [\d.]+ → [\d.]+\/s \(throttled at [\d.]+\/s\)$/.test(
                    l,
                ),
            ),
            em.logs.filter((l) => /pace|429/.test(l)).join("\n"),
        );
        assert.ok(
            em.logs.some((l) => /^debug pace: .*scimCreates 5→[\d.]+\/s \(\d+× 429\)/.test(l)),
        );

        const second = await run({ ...emptyState(), rates: first.r.state.rates });
        assert.strictEqual(second.r.summary.pacing!.scimCreates.startRate, learned.rate);
        assert.ok(second.throttled <= 2, `${second.throttled} answers 429 from the learnt rate`);

        const capped = await run(
            { ...emptyState(), rates: first.r.state.rates },
            { scimCreates: 12 },
        );
        assert.strictEqual(capped.throttled, 0);
        assert.deepStrictEqual(
            [
                capped.r.summary.pacing!.scimCreates.max,
                capped.r.summary.pacing!.scimCreates.startRate,
            ],
            [12, 12],
        );
        assert.ok(capped.r.state.rates!.scimCreates.rate <= 12);
    });

    it("a 429 of one item inside a $batch holds back Graph reads for its Retry-After, as a 429 of the call does, and the item is retried after it", async () => {
        em.clear();
        const t = seedSmallTenant(em.graph);
        const pacer = new Pacer({ graphReads: 1000 }, graphClassifier);
        // Retries of 20 ms at most: only the pacer makes anything wait for the item's Retry-After.
        const http = new JsonClient({
            api: "graph",
            baseUrl: em.graph.url,
            token: async () => GRAPH_TOKEN,
            concurrency: 4,
            retryPolicy: FAST_RETRIES,
            parseError: parseGraphError,
            pacer,
        });
        const graph = new GraphClient(http, FAST_RETRIES);
        em.graph.batchItemFaults.push(429);
        em.graph.batchItemRetryAfterSeconds = 1;
        const batch = graph.batchGet([`/users/${t.alice.id}?$select=id,userPrincipalName`]);
        while (em.graph.arrivals.length === 0) await new Promise((r) => setTimeout(r, 5));
        await new Promise((r) => setTimeout(r, 50)); // the 429 answer is back
        const other = http.request("GET", `/users/${t.bob.id}?$select=id`);
        const [bodies, bob] = await Promise.all([batch, other]);
        assert.strictEqual(bodies[0].id, t.alice.id, "the item was retried and answered");
        assert.strictEqual(bob.body.id, t.bob.id);
        const [throttledAt, ...later] = em.graph.arrivals;
        assert.deepStrictEqual(em.graph.arrivals.map((a) => a.kind).sort(), [
            "graph:batch",
            "graph:batch",
            "graph:users:get",
        ]);
        for (const a of later)
            assert.ok(
                a.at - throttledAt.at >= 950,
                `${a.kind} sent ${(a.at - throttledAt.at).toFixed(0)} ms after the item's 429 with Retry-After: 1`,
            );
        assert.ok(
            pacer.waitedMs >= 1500,
            `the pacer held both (waited ${pacer.waitedMs.toFixed(0)} ms)`,
        );
    });

    it("Graph reporting high use (x-ms-throttle-limit-percentage) slows Graph reads down", async () => {
        em.clear();
        const t = seedMediumTenant(em.graph, 60, 40);
        // About 120 requests (inside $batch) against 40/s: at the configured 60/s they would be throttled;
        // once Graph reports 80% use, reads go at half speed and stay under the limit.
        em.graph.enforceRateLimit(40);
        const started = performance.now();
        const r = await runSync(
            em.options({
                groups: t.names,
                groupSearchDepth: 2,
                rateLimits: { ...UNPACED, graphReads: 60 },
                queryGraphOnly: true,
            }),
        );
        assert.strictEqual(r.summary.errors, 0);
        assert.ok(
            em.logs.some((l) =>
                /^info graph: the service reports \d+% of this app's rate limit used \(x-ms-throttle-limit-percentage\): requests slowed to \d+% of the budget for 10 s$/.test(
                    l,
                ),
            ),
            em.logs.join("\n"),
        );
        assert.strictEqual(
            em.graph.server.throttled.get("graphReads") ?? 0,
            0,
            "slowed down before Graph had to throttle",
        );
        assert.ok(
            performance.now() - started > 1500,
            "reads were slowed below the configured 60/s",
        );
    });
});
