/**
 * A server's Retry-After is honoured only within the retry budget: a hold longer than the budget
 * fails that request at once (saying so) and holds its class no longer than the budget; a value
 * beyond Node's timer range never reaches a timer.
 */
import * as assert from "assert";
import { runSync, SyncResult } from "../../../scim";
import { emulatorSuite, Emulators, seedSmallTenant } from "../fixture";

const BUDGET = { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 30_000, maxTotalMs: 1_500 };

describe("scim sync: Retry-After capped by the retry budget", function () {
    this.timeout(20_000);
    const em = new Emulators();
    emulatorSuite(em, () => seedSmallTenant(em.graph));

    /** Runs with the default pacing (a class hold applies); gives up after `limitMs`. */
    async function bounded(limitMs: number): Promise<{ result?: SyncResult; ms: number }> {
        const abort = new AbortController();
        const started = Date.now();
        const run = runSync(
            em.options({
                groups: ["Data Team"],
                groupSearchDepth: 1,
                retryPolicy: BUDGET,
                rateLimits: undefined,
                signal: abort.signal,
            }),
        );
        const timer = new Promise<undefined>((resolve) =>
            setTimeout(() => resolve(undefined), limitMs),
        );
        const result = await Promise.race([run, timer]);
        abort.abort();
        await run.catch(() => undefined);
        return { result, ms: Date.now() - started };
    }

    it("one 429 with Retry-After: 86400 ends the run within the retry budget, the request failed by name and the hold reported", async () => {
        em.scim.server.settings.retryAfterSeconds = 86_400;
        em.scim.server.failNext("scim:users:post", "429");
        const { result, ms } = await bounded(8_000);
        assert.ok(result, `the run was still waiting after ${ms} ms`);
        assert.ok(ms < BUDGET.maxTotalMs + 4_000, `took ${ms} ms`);
        assert.strictEqual(result.summary.errors, 1);
        assert.match(
            result.summary.errorMessages[0],
            /HTTP 429.*Retry-After of 86400 s is beyond the retry budget \(1\.5 s\); not retried/,
        );
        assert.ok(
            em.logs.some((l) =>
                /scimCreates held for 1\.5 s \(the retry budget\), not the 86400 s the server asked/.test(
                    l,
                ),
            ),
            em.logs.join("\n"),
        );
        // Everything else was created after the capped hold.
        assert.strictEqual(em.scim.users.size + em.scim.servicePrincipals.size, 2);
    });

    it("Retry-After: 99999999 sets no timer beyond Node's range (no TimeoutOverflowWarning)", async () => {
        const warnings: string[] = [];
        const onWarning = (w: Error) => warnings.push(w.name);
        process.on("warning", onWarning);
        try {
            em.scim.server.settings.retryAfterSeconds = 99_999_999;
            em.scim.server.failNext("scim:users:post", "429");
            const { result, ms } = await bounded(8_000);
            await new Promise((r) => setImmediate(r));
            assert.strictEqual(warnings.filter((w) => w === "TimeoutOverflowWarning").length, 0);
            assert.ok(result, `the run was still waiting after ${ms} ms`);
            assert.strictEqual(result.summary.errors, 1);
        } finally {
            process.off("warning", onWarning);
        }
    });
});
