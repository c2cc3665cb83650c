/**
 * Transport failures as a user sees them: an unreachable host, an untrusted certificate and a name
 * that does not resolve fail at once, in one line naming the host and the cause; a failed run
 * cancels what it still has in flight; --debug logs one line per call; the caller's abort signal
 * gets one listener, whatever the concurrency.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as https from "https";
import * as net from "net";
import * as path from "path";
import { runSync, TransportError } from "../../../scim";
import { JsonClient } from "../../../scim/clients/http";
import { parseScimError } from "../../../scim/clients/account";
import { Emulators, GRAPH_TOKEN, SCIM_TOKEN, seedMediumTenant, seedSmallTenant } from "../fixture";

const CERTS = path.resolve(__dirname, "../../../../emulators/certs");

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

function client(baseUrl: string, api = "scim") {
    return new JsonClient({
        api,
        baseUrl,
        token: async () => SCIM_TOKEN,
        concurrency: 4,
        retryPolicy: { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 2_000, maxTotalMs: 10_000 },
        parseError: parseScimError,
    });
}

/** How a GET through `c` fails: it must fail with a TransportError. */
async function transportError(c: JsonClient, url: string): Promise<TransportError> {
    const error = await c.request("GET", url).then(
        () => undefined,
        (e) => e,
    );
    assert.ok(error instanceof TransportError, String(error));
    return error;
}

describe("scim transport errors (classified by cause)", function () {
    this.timeout(5_000);

    it("connection refused: fails on the first attempt, naming host and cause in one line", async () => {
        const port = await closedPort();
        const c = client(`http://127.0.0.1:${port}/api`);
        const started = Date.now();
        const error = await transportError(c, "/Users");
        assert.strictEqual(error.message.split("\n").length, 1);
        assert.match(
            error.message,
            new RegExp(
                `^scim: cannot reach 127\\.0\\.0\\.1:${port}: connection refused \\(ECONNREFUSED\\)`,
            ),
        );
        assert.strictEqual(c.requests, 1, "one attempt, no retries");
        assert.strictEqual(c.retries, 0);
        assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
    });

    it("an untrusted (self-signed) certificate: fails at once, says so and how to trust a CA", async () => {
        const server = https.createServer(
            {
                key: fs.readFileSync(path.join(CERTS, "untrusted.key")),
                cert: fs.readFileSync(path.join(CERTS, "untrusted.pem")),
            },
            (_req, res) => res.end("{}"),
        );
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const port = (server.address() as net.AddressInfo).port;
        try {
            const c = client(`https://localhost:${port}`, "graph");
            const error = await transportError(c, "/groups");
            assert.match(
                error.message,
                new RegExp(
                    `^graph: cannot reach localhost:${port}: its TLS certificate is not trusted \\(DEPTH_ZERO_SELF_SIGNED_CERT\\); .*NODE_EXTRA_CA_CERTS`,
                ),
            );
            assert.strictEqual(c.requests, 1);
        } finally {
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        }
    });

    it("a host name that cannot resolve (.invalid): fails at once with the name and ENOTFOUND", async () => {
        const c = client("https://accounts.example.invalid");
        const error = await transportError(c, "/Users");
        assert.match(
            error.message,
            /^scim: cannot reach accounts\.example\.invalid: the host name does not resolve \(ENOTFOUND\)/,
        );
        assert.strictEqual(c.requests, 1);
    });

    it("a port fetch refuses (the Fetch standard's bad ports, e.g. 9): fails at once, saying so", async () => {
        const c = client("http://127.0.0.1:9");
        const error = await transportError(c, "/Users");
        assert.match(
            error.message,
            /^scim: cannot reach 127\.0\.0\.1:9: fetch refuses to connect to this port \(BAD_PORT/,
        );
        assert.strictEqual(c.requests, 1);
    });

    it("a reset connection is still transient: retried, then answered", async () => {
        const em = new Emulators();
        await em.start();
        try {
            em.clear();
            em.scim.server.failNext("*", "drop", 2);
            const c = client(`${em.scim.host}/api/2.0/accounts/${em.scim.accountId}/scim/v2`);
            const r = await c.request("GET", "/Users?startIndex=1&count=1");
            assert.strictEqual(r.status, 200);
            assert.strictEqual(c.retries, 2);
            // Out of retries, the error still names the call, the host and the cause (not just "fetch failed").
            em.scim.server.failNext("*", "drop", 10);
            const once = new JsonClient({
                ...c.opts,
                retryPolicy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 1_000 },
            });
            const error = await once.request("GET", "/Users?startIndex=1&count=1").then(
                () => undefined,
                (e) => e,
            );
            assert.match(
                String(error?.message),
                new RegExp(
                    `^scim GET /api/2\\.0/accounts/[^/]+/scim/v2/Users: no answer from ${em.scim.host.replace("http://", "").replace(/\./g, "\\.")} \\((UND_ERR_SOCKET|ECONNRESET|EPIPE)\\)$`,
                ),
            );
            assert.strictEqual(once.requests, 2);
        } finally {
            await em.stop();
        }
    });
});

describe("scim runs against a failing host", function () {
    this.timeout(10_000);
    const em = new Emulators();
    before(() => em.start());
    after(() => em.stop());
    beforeEach(() => em.clear());

    it("an unreachable account host ends the run at once with host and cause (no retries)", async () => {
        seedSmallTenant(em.graph);
        const port = await closedPort();
        const started = Date.now();
        const base = em.options({
            groups: ["Data Team"],
            retryPolicy: {
                maxAttempts: 6,
                baseDelayMs: 500,
                maxDelayMs: 5_000,
                maxTotalMs: 60_000,
            },
        });
        const error = await runSync({
            ...base,
            account: { ...base.account, host: `http://127.0.0.1:${port}` },
        }).then(
            () => undefined,
            (e) => e,
        );
        assert.ok(error instanceof TransportError, String(error));
        assert.match(
            error.message,
            new RegExp(`scim: cannot reach 127\\.0\\.0\\.1:${port}: connection refused`),
        );
        assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
    });

    it("a failed run cancels its requests: no retry reaches the account after runSync has rejected", async () => {
        seedSmallTenant(em.graph);
        em.graph.token = "another-token"; // every Graph call answers 401: the run fails
        em.graph.server.settings.latencyMs = 50; // ... while the account's first pages are being retried
        em.scim.server.settings.rates = { "503": 1 };
        try {
            await assert.rejects(
                runSync(
                    em.options({
                        groups: ["Data Team"],
                        retryPolicy: {
                            maxAttempts: 60,
                            baseDelayMs: 5,
                            maxDelayMs: 20,
                            maxTotalMs: 20_000,
                        },
                    }),
                ),
                /HTTP 401/,
            );
            // A request already on the wire when the run failed may still be counted on arrival: look a little later.
            await new Promise((r) => setTimeout(r, 50));
            const atFailure = em.scim.server.total();
            assert.ok(atFailure > 0, "the account was being read when the run failed");
            await new Promise((r) => setTimeout(r, 300));
            assert.strictEqual(
                em.scim.server.total(),
                atFailure,
                "requests went on after the run had failed",
            );
        } finally {
            em.graph.token = GRAPH_TOKEN;
        }
    });

    it("--debug logs one line per API call: method, host and path without query, status, ms, retry number; the real backoff wait", async () => {
        seedSmallTenant(em.graph);
        em.scim.server.failNext("scim:users:list", "503", 1);
        const r = await runSync(
            em.options({
                groups: ["Data Team"],
                retryPolicy: { maxAttempts: 4, baseDelayMs: 40, maxDelayMs: 40, maxTotalMs: 5_000 },
            }),
        );
        assert.strictEqual(r.summary.errors, 0);
        const debug = em.logs.filter((l) => l.startsWith("debug "));
        const calls = debug.filter((l) => / retry \d+$/.test(l));
        assert.strictEqual(
            calls.length,
            em.graph.server.total("graph:") + em.scim.server.total(),
            "one line per call",
        );
        // The host is on every line: a DATABRICKS_HOST naming the wrong host shows in the first one.
        for (const l of calls)
            assert.match(
                l,
                /^debug (graph|scim) (GET|POST|PATCH) 127\.0\.0\.1:\d+\/[^?\s]* \d{3} \d+ ms retry \d+$/,
            );
        const scimHost = new URL(em.scim.host).host.replace(/\./g, "\\.");
        assert.ok(
            calls.some((l) =>
                new RegExp(
                    `^debug scim GET ${scimHost}/api/2\\.0/accounts/[^/]+/scim/v2/Users 503 \\d+ ms retry 0$`,
                ).test(l),
            ),
        );
        assert.ok(
            calls.some((l) =>
                new RegExp(
                    `^debug scim GET ${scimHost}/api/2\\.0/accounts/[^/]+/scim/v2/Users 200 \\d+ ms retry 1$`,
                ).test(l),
            ),
        );
        const wait = debug.find((l) => /Users: HTTP 503, retry 1 in \d+ ms$/.test(l));
        assert.ok(wait, debug.join("\n"));
        const ms = Number(/in (\d+) ms$/.exec(wait!)![1]);
        assert.ok(ms >= 0 && ms <= 40, `the logged wait ${ms} is the drawn backoff (0..40 ms)`);
        const all = em.logs.join("\n");
        assert.ok(!all.includes(GRAPH_TOKEN) && !all.includes(SCIM_TOKEN));
    });

    it("the caller's abort signal gets one listener, at any concurrency (no MaxListenersExceededWarning)", async () => {
        const t = seedMediumTenant(em.graph, 120, 16);
        em.scim.server.settings.latencyMs = 3;
        em.graph.server.settings.latencyMs = 3;
        const controller = new AbortController();
        let listeners = 0;
        let peak = 0;
        const add = controller.signal.addEventListener.bind(controller.signal);
        const remove = controller.signal.removeEventListener.bind(controller.signal);
        controller.signal.addEventListener = ((
            ...a: Parameters<AbortSignal["addEventListener"]>
        ) => {
            peak = Math.max(peak, ++listeners);
            return add(...a);
        }) as AbortSignal["addEventListener"];
        controller.signal.removeEventListener = ((
            ...a: Parameters<AbortSignal["removeEventListener"]>
        ) => {
            listeners--;
            return remove(...a);
        }) as AbortSignal["removeEventListener"];
        const r = await runSync(
            em.options({
                groups: t.names,
                groupSearchDepth: 2,
                concurrency: 32,
                signal: controller.signal,
            }),
        );
        assert.strictEqual(r.summary.errors, 0);
        assert.strictEqual(peak, 1);
        assert.strictEqual(listeners, 0, "the run removed its listener");
    });
});
