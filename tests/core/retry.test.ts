import * as assert from "assert";
import { parseRetryAfter, withRetry, isNetworkError } from "../../core/retry";

const fast = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5_000, maxTotalMs: 10_000 };

describe("withRetry", () => {
    it("retries retryable errors up to maxAttempts and rejects with the last error", async () => {
        let calls = 0;
        await assert.rejects(
            withRetry(
                async () => {
                    calls++;
                    throw new Error(`boom ${calls}`);
                },
                () => ({ retry: true }),
                fast,
            ),
            /boom 4/,
        );
        assert.strictEqual(calls, 4);
    });

    it("stops at once on a non-retryable error", async () => {
        let calls = 0;
        await assert.rejects(
            withRetry(
                async () => {
                    calls++;
                    throw new Error("bad credentials");
                },
                () => ({ retry: false }),
                fast,
            ),
            /bad credentials/,
        );
        assert.strictEqual(calls, 1);
    });

    it("waits at least Retry-After before retrying, and returns the eventual result", async () => {
        const waits: number[] = [];
        let calls = 0;
        const result = await withRetry(
            async (attempt) => {
                calls++;
                if (attempt < 3) throw new Error("429");
                return "ok";
            },
            () => ({ retry: true, afterMs: 2000 }),
            fast,
            {
                sleep: async (ms) => {
                    waits.push(ms);
                },
            },
        );
        assert.strictEqual(result, "ok");
        assert.deepStrictEqual(waits, [2000, 2000]);
        assert.strictEqual(calls, 3);
    });

    it("gives up when the next wait would pass maxTotalMs", async () => {
        let calls = 0;
        await assert.rejects(
            withRetry(
                async () => {
                    calls++;
                    throw new Error("slow down");
                },
                () => ({ retry: true, afterMs: 5000 }),
                { ...fast, maxTotalMs: 1000 },
                { sleep: async () => {} },
            ),
            /slow down/,
        );
        assert.strictEqual(calls, 1);
    });
});

describe("parseRetryAfter / isNetworkError", () => {
    it("parses seconds and HTTP dates", () => {
        assert.strictEqual(parseRetryAfter("3"), 3000);
        assert.strictEqual(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
        assert.strictEqual(parseRetryAfter(undefined), undefined);
        assert.strictEqual(parseRetryAfter("soon"), undefined);
    });
    it("recognises resets nested in fetch's cause", () => {
        assert.ok(
            isNetworkError(
                Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } }),
            ),
        );
        assert.ok(!isNetworkError(new Error("HTTP 400")));
    });
});
