import * as assert from "assert";
import { EmulatorServer } from "../../emulators/harness";

describe("emulator harness", () => {
    const server = new EmulatorServer({ https: true }).route(
        "GET",
        "/things/:id",
        "things:get",
        (req) => ({ status: 200, body: { id: req.params.id } }),
    );
    before(() => server.start());
    after(() => server.stop());
    beforeEach(() => server.reset());

    it("serves HTTPS trusted through NODE_EXTRA_CA_CERTS and counts calls by kind", async () => {
        const r = await fetch(`${server.baseUrl}/things/a%20b`);
        assert.deepStrictEqual(await r.json(), { id: "a b" });
        assert.strictEqual(server.count("things:get"), 1);
    });

    it("answers queued faults first, with Retry-After on 429, then recovers", async () => {
        server.settings.retryAfterSeconds = 3;
        server.failNext("things:get", "429").failNext("things:get", "503");
        const first = await fetch(`${server.baseUrl}/things/x`);
        assert.strictEqual(first.status, 429);
        assert.strictEqual(first.headers.get("retry-after"), "3");
        assert.strictEqual((await fetch(`${server.baseUrl}/things/x`)).status, 503);
        assert.strictEqual((await fetch(`${server.baseUrl}/things/x`)).status, 200);
        assert.strictEqual(server.count("things:get"), 3);
        assert.strictEqual(server.faultCounters.get("things:get:429"), 1);
    });

    it("counts requests in flight, the latency included, and the most at once", async () => {
        server.settings.latencyMs = 50;
        const pending = [1, 2, 3].map(() =>
            fetch(`${server.baseUrl}/things/x`).then((r) => r.text()),
        );
        await new Promise((r) => setTimeout(r, 25));
        assert.strictEqual(server.inFlight, 3, "all three are waiting out the latency");
        await Promise.all(pending);
        assert.strictEqual(server.inFlight, 0);
        assert.strictEqual(server.peakInFlight, 3);
        await fetch(`${server.baseUrl}/things/x`);
        assert.strictEqual(server.peakInFlight, 3, "one at a time does not lower the peak");
        server.reset();
        assert.strictEqual(server.peakInFlight, 0);
    });

    it("drops the connection on a drop fault", async () => {
        server.failNext("*", "drop");
        await assert.rejects(
            fetch(`${server.baseUrl}/things/x`),
            (e: Error) => e instanceof TypeError && /fetch failed/.test(e.message),
        );
        assert.strictEqual(server.faultCounters.get("things:get:drop"), 1);
    });
});

describe("emulator harness: abandoned requests", () => {
    const server = new EmulatorServer().route("GET", "/slow", "slow", () => ({
        status: 200,
        body: {},
    }));
    before(() => server.start());
    after(() => server.stop());

    it("does not spend a queued fault on a request the client abandoned during the latency", async () => {
        server.settings.latencyMs = 200;
        server.failNext("slow", "503");
        await assert.rejects(
            fetch(`${server.baseUrl}/slow`, { signal: AbortSignal.timeout(50) }),
            (e: Error) => e.name === "TimeoutError",
        );
        await new Promise((r) => setTimeout(r, 300));
        server.settings.latencyMs = 0;
        assert.strictEqual((await fetch(`${server.baseUrl}/slow`)).status, 503);
        assert.strictEqual(server.faultCounters.get("slow:503"), 1);
    });
});
