import * as assert from "assert";
import { isDue, parseInterval } from "../../core/interval";

const ms = (v: string) => {
    const r = parseInterval(v);
    assert.ok("ms" in r, `expected ${v} to parse, got ${JSON.stringify(r)}`);
    return r.ms;
};
const error = (v: unknown) => {
    const r = parseInterval(v);
    assert.ok("error" in r, `expected ${String(v)} to be refused, got ${JSON.stringify(r)}`);
    return r.error;
};

describe("parseInterval", () => {
    it("reads short forms: 30m, 6h, 1d, 1w, 90s and combinations", () => {
        assert.strictEqual(ms("30m"), 30 * 60_000);
        assert.strictEqual(ms("6h"), 6 * 3_600_000);
        assert.strictEqual(ms("1d"), 86_400_000);
        assert.strictEqual(ms("1w"), 7 * 86_400_000);
        assert.strictEqual(ms("90s"), 90_000);
        assert.strictEqual(ms("1h30m"), 90 * 60_000);
        assert.strictEqual(ms(" 2H "), 2 * 3_600_000);
    });

    it("reads ISO 8601 durations: PT30M, PT6H, P1D, P1W, P1DT12H, PT1M30S", () => {
        assert.strictEqual(ms("PT30M"), 30 * 60_000);
        assert.strictEqual(ms("PT6H"), 6 * 3_600_000);
        assert.strictEqual(ms("P1D"), 86_400_000);
        assert.strictEqual(ms("P1W"), 7 * 86_400_000);
        assert.strictEqual(ms("P1DT12H"), 36 * 3_600_000);
        assert.strictEqual(ms("PT1M30S"), 90_000);
        assert.strictEqual(ms("pt45m"), 45 * 60_000);
    });

    it("refuses garbage, empty values, bare P/PT, months and years, naming the valid forms", () => {
        for (const bad of [
            "",
            "  ",
            "30",
            "m30",
            "30 minutes",
            "P",
            "PT",
            "P1DT",
            "P1M",
            "P1Y",
            "-5m",
            "1.5h",
        ]) {
            const e = error(bad);
            assert.match(e, /30m, 6h, 1d/, `reason for ${JSON.stringify(bad)}: ${e}`);
            assert.match(e, /PT30M/);
        }
        assert.match(error(undefined), /must be a duration/);
        assert.match(error(30), /must be a duration/);
    });

    it("refuses intervals under one minute", () => {
        assert.match(error("30s"), /at least 1 minute/);
        assert.match(error("PT0S"), /at least 1 minute/);
        assert.match(error("0m"), /at least 1 minute/);
        assert.strictEqual(ms("1m"), 60_000);
    });

    it("does not echo long values back", () => {
        assert.ok(!error("x".repeat(200)).includes("x".repeat(41)));
    });
});

describe("isDue", () => {
    const now = new Date("2026-01-01T12:00:00Z");
    it("is due once the interval has passed since lastRunAt, not before", () => {
        assert.strictEqual(isDue("2026-01-01T11:30:00Z", 30 * 60_000, now), true);
        assert.strictEqual(isDue("2026-01-01T11:30:01Z", 30 * 60_000, now), false);
        assert.strictEqual(isDue("2026-01-01T06:00:00Z", 6 * 3_600_000, now), true);
    });
    it("is due without a (valid) lastRunAt", () => {
        assert.strictEqual(isDue(undefined, 60_000, now), true);
        assert.strictEqual(isDue("not a date", 60_000, now), true);
    });
});
