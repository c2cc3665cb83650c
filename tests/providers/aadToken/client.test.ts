import * as assert from "assert";
import { AadTokenError, mintAadToken } from "../../../providers/aadToken/client";
import { DATABRICKS_SCOPE } from "../../../providers/aadToken/inputs";
import { FaultKind } from "../../../emulators/harness";
import {
    CLIENT,
    errorText,
    FAST_RETRY,
    inputsFor,
    OTHER_CLIENT,
    OTHER_TENANT,
    SECRET,
    TENANT,
    tokenEmulator,
} from "./fixtures";

describe("AadToken client against the Entra emulator", () => {
    const em = tokenEmulator();
    before(() => em.start());
    after(() => em.stop());
    beforeEach(() => em.reset());

    /** Mints, recording attempts and requested waits (sleep is replaced: no real waiting). */
    async function mint(over: Parameters<typeof inputsFor>[1] = {}, server = em) {
        const attempts: number[] = [];
        const waits: number[] = [];
        const run = mintAadToken(inputsFor(server, over), {
            onAttempt: (n) => attempts.push(n),
            sleep: async (ms) => void waits.push(ms),
        });
        return { run, attempts, waits };
    }

    async function failure(run: Promise<unknown>): Promise<AadTokenError> {
        try {
            await run;
        } catch (e) {
            assert.ok(e instanceof AadTokenError, `expected AadTokenError, got ${String(e)}`);
            return e;
        }
        throw new Error("expected the mint to fail");
    }

    it("mints a token for the Databricks scope with its expiry, one discovery and one token call", async () => {
        em.lifetimeSeconds = 3599;
        const before = Date.now();
        const { run, attempts } = await mint();
        const token = await run;
        assert.strictEqual(token.accessToken, em.issued[0].accessToken);
        const expires = Date.parse(token.expiresOn);
        assert.ok(
            expires >= before + 3590_000 && expires <= Date.now() + 3600_000,
            token.expiresOn,
        );
        assert.deepStrictEqual(pick(em.lastRequest, ["grant_type", "client_id", "scope"]), {
            grant_type: "client_credentials",
            client_id: CLIENT,
            scope: DATABRICKS_SCOPE,
        });
        assert.deepStrictEqual(
            [em.count("openid-config"), em.count("token"), attempts],
            [1, 1, [1]],
        );
    });

    it("asks Entra every time (no token cache between mints)", async () => {
        const a = await (await mint()).run;
        const b = await (await mint()).run;
        assert.notStrictEqual(a.accessToken, b.accessToken);
        assert.strictEqual(em.count("token"), 2);
    });

    const transientFaults: FaultKind[] = ["429", "500", "503", "transient400", "drop"];
    for (const fault of transientFaults) {
        it(`retries a ${fault} fault and succeeds on the third attempt`, async () => {
            em.failNext("token", fault, 2);
            const { run, attempts } = await mint();
            const token = await run;
            assert.strictEqual(token.accessToken, em.issued[0].accessToken);
            assert.deepStrictEqual(attempts, [1, 2, 3]);
            assert.strictEqual(em.count("token"), 3);
            assert.strictEqual(em.faultCounters.get(`token:${fault}`), 2);
        });
    }

    it("waits what Retry-After asks before retrying a 429", async () => {
        em.settings.retryAfterSeconds = 2;
        em.failNext("token", "429", 2);
        const { run, waits } = await mint();
        await run;
        assert.deepStrictEqual(waits, [2000, 2000]);
    });

    it("gives up after maxAttempts on a lasting fault, saying so with the AADSTS code and client id", async () => {
        em.failNext("token", "503", 10);
        const { run, attempts } = await mint({ retry: { ...FAST_RETRY, maxAttempts: 4 } });
        const e = await failure(run);
        assert.deepStrictEqual(attempts, [1, 2, 3, 4]);
        assert.strictEqual(em.count("token"), 4);
        assert.match(
            e.message,
            /client 22222222-2222-4222-8222-222222222222 .*AADSTS90033, temporarily_unavailable, HTTP 503.*Gave up after 4 attempts/,
        );
        assert.ok(!errorText(e).includes(SECRET));
    });

    it("stops early when a Retry-After would pass maxTotalMs", async () => {
        em.settings.retryAfterSeconds = 5;
        em.failNext("token", "429", 3);
        const { run, attempts, waits } = await mint({
            retry: { ...FAST_RETRY, maxTotalMs: 2_000 },
        });
        const e = await failure(run);
        assert.deepStrictEqual([attempts, waits], [[1], []]);
        assert.match(e.message, /HTTP 429.*Gave up after 1 attempt /);
    });

    it("does not retry a 400 that carries no transient code (AADSTS50196 loop detected)", async () => {
        em.transient400 = {
            error: "invalid_request",
            code: 50196,
            message:
                "The server terminated an operation because it encountered a client request loop.",
        };
        em.failNext("token", "transient400", 1);
        const { run, attempts } = await mint();
        const e = await failure(run);
        assert.deepStrictEqual(attempts, [1]);
        assert.match(e.message, /AADSTS50196/);
    });

    it("retries slow answers that pass the attempt time limit, then reports a timeout", async () => {
        // Its own server: the abandoned requests' handlers wake after the latency and would otherwise
        // draw faults and random numbers during later tests.
        const slow = tokenEmulator();
        await slow.start();
        try {
            slow.settings.latencyMs = 300;
            const { run, attempts } = await mint(
                { retry: { ...FAST_RETRY, maxAttempts: 2, attemptTimeoutMs: 100 } },
                slow,
            );
            const e = await failure(run);
            assert.deepStrictEqual(attempts, [1, 2]);
            assert.match(e.message, /the request timed out\. Gave up after 2 attempts/);
        } finally {
            await slow.stop();
        }
    });

    it("tolerates latency within the attempt time limit", async () => {
        em.settings.latencyMs = 50;
        const { run, attempts } = await mint();
        await run;
        assert.deepStrictEqual(attempts, [1]);
    });

    const badCredentials: [
        string,
        () => Parameters<typeof inputsFor>[1],
        RegExp,
        [number, number],
    ][] = [
        [
            "a wrong secret",
            () => ({ clientSecret: `${SECRET}-old` }),
            /AADSTS7000215, invalid_client, HTTP 401/,
            [1, 1],
        ],
        [
            "an unknown app",
            () => ({ clientId: OTHER_CLIENT }),
            /AADSTS700016, unauthorized_client, HTTP 400/,
            [1, 1],
        ],
        [
            "an unknown tenant",
            () => ({ tenantId: OTHER_TENANT }),
            /AADSTS90002, invalid_request, HTTP 400/,
            [1, 0],
        ],
    ];
    for (const [what, over, code, [discovery, token]] of badCredentials) {
        it(`fails at once on ${what}, naming client id and AADSTS code, without the secret`, async () => {
            const o = over() ?? {};
            const { run, attempts } = await mint(o);
            const e = await failure(run);
            assert.deepStrictEqual(attempts, [1]);
            assert.deepStrictEqual(
                [em.count("openid-config"), em.count("token")],
                [discovery, token],
            );
            assert.match(e.message, code);
            assert.ok(e.message.includes(o.clientId ?? CLIENT), e.message);
            assert.ok(e.message.includes(o.tenantId ?? TENANT), e.message);
            const text = errorText(e);
            assert.ok(!text.includes(SECRET), "secret in error text");
            assert.strictEqual(e.details.badCredentials, true);
        });
    }

    it("within retry.badCredentialRetryMs, keeps asking for an app Entra does not know yet (just created), then mints", async () => {
        em.clients.delete(CLIENT);
        const attempts: number[] = [];
        // The app "replicates" before the third attempt.
        const token = await mintAadToken(
            inputsFor(em, {
                retry: { ...FAST_RETRY, maxAttempts: 5, badCredentialRetryMs: 60_000 },
            }),
            {
                onAttempt: (n) => {
                    attempts.push(n);
                    if (n === 3) em.clients.set(CLIENT, SECRET);
                },
            },
        );
        assert.strictEqual(token.accessToken, em.issued[0].accessToken);
        assert.deepStrictEqual(attempts, [1, 2, 3]);
        assert.strictEqual(em.count("token"), 3);
    });

    it("retries bad credentials only while retry.badCredentialRetryMs lasts, then says so", async () => {
        em.clients.delete(CLIENT);
        const { run, attempts } = await mint({
            retry: { ...FAST_RETRY, maxAttempts: 3, badCredentialRetryMs: 60_000 },
        });
        const e = await failure(run);
        assert.deepStrictEqual(attempts, [1, 2, 3]);
        assert.match(
            e.message,
            /AADSTS700016.*Gave up after 3 attempts .*raise retry\.badCredentialRetryMs/,
        );
        assert.ok(!errorText(e).includes(SECRET));
        // A window shorter than one round trip: the first answer is final.
        em.clients.set(CLIENT, SECRET);
        const short = await mint({
            clientSecret: `${SECRET}-old`,
            retry: { ...FAST_RETRY, maxAttempts: 3, badCredentialRetryMs: 1 },
        });
        const e2 = await failure(short.run);
        assert.deepStrictEqual(short.attempts, [1]);
        assert.match(e2.message, /AADSTS7000215/);
    });

    it("fails at once on the emulator's invalidClient fault", async () => {
        em.failNext("token", "invalidClient", 5);
        const { run, attempts } = await mint();
        const e = await failure(run);
        assert.deepStrictEqual(attempts, [1]);
        assert.match(e.message, /AADSTS7000215/);
    });

    it("retries faults on the discovery call too", async () => {
        em.failNext("openid-config", "503", 1).failNext("openid-config", "drop", 1);
        const { run, attempts } = await mint();
        await run;
        assert.deepStrictEqual(attempts, [1, 2, 3]);
        assert.deepStrictEqual([em.count("openid-config"), em.count("token")], [3, 1]);
    });

    it("recovers from seeded random faults within the attempt budget, one token call per attempt", async () => {
        em.settings.rates = { "503": 0.2, drop: 0.1, "429": 0.1 };
        em.settings.retryAfterSeconds = 0;
        em.settings.rateKinds = ["token"];
        let calls = 0;
        for (let i = 0; i < 5; i++) {
            const { run, attempts } = await mint({ retry: { ...FAST_RETRY, maxAttempts: 8 } });
            assert.ok((await run).accessToken);
            calls += attempts.length;
        }
        assert.strictEqual(em.count("token"), calls);
        assert.ok(calls > 5, "the seed should inject some faults");
        assert.strictEqual(em.issued.length, 5);
    });
});

function pick(o: Record<string, string> | undefined, keys: string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of keys) if (o?.[k] !== undefined) out[k] = o[k];
    return out;
}
