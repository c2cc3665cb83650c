import * as assert from "assert";
import {
    AttemptFailure,
    classifyFailure,
    gaveUp,
    parseIdentityMessage,
    scrub,
    TRANSIENT_AADSTS_CODES,
} from "../../../providers/aadToken/errors";

const CTX = {
    clientId: "22222222-2222-4222-8222-222222222222",
    tenantId: "11111111-1111-4111-8111-111111111111",
    authorityHost: "https://login.microsoftonline.com",
    secret: "errors-test-secret-value-0123456789abcdef",
};

const entra = (status: number, error: string, code: number, text = "Something happened.") => ({
    status,
    body: {
        error,
        error_codes: [code],
        error_description: `AADSTS${code}: ${text} Trace ID: 0000aaaa-11bb-cccc-dd22-eeeeee333333 Correlation ID: aaaa0000-bb11-2222-33cc-444444dddddd Timestamp: 2026-01-01 00:00:00Z`,
        trace_id: "0000aaaa-11bb-cccc-dd22-eeeeee333333",
        correlation_id: "aaaa0000-bb11-2222-33cc-444444dddddd",
    },
});

const classify = (f: AttemptFailure) => classifyFailure(f, CTX);

describe("AadToken error classification", () => {
    it("fails fast on each bad-credential answer, naming client id, tenant and AADSTS code with a hint", () => {
        const cases: [AttemptFailure, number, RegExp][] = [
            [entra(401, "invalid_client", 7000215), 7000215, /client secret is wrong/],
            [entra(401, "invalid_client", 7000222), 7000222, /expired/],
            [
                entra(400, "unauthorized_client", 700016),
                700016,
                /no application with this client id/,
            ],
            [entra(400, "invalid_request", 90002), 90002, /tenant was not found/],
        ];
        for (const [failure, code, hint] of cases) {
            const e = classify(failure);
            assert.strictEqual(e.details.transient, false, String(code));
            assert.strictEqual(e.details.badCredentials, true, String(code));
            assert.strictEqual(e.details.aadsts, code);
            assert.ok(
                e.message.includes(CTX.clientId) && e.message.includes(CTX.tenantId),
                e.message,
            );
            assert.ok(e.message.includes(`AADSTS${code}`), e.message);
            assert.match(e.message, hint);
            assert.match(e.message, /trace id 0000aaaa-11bb-cccc-dd22-eeeeee333333/);
        }
        // invalid_client with a code we have no hint for is still bad credentials.
        const other = classify(entra(401, "invalid_client", 7000999));
        assert.deepStrictEqual(
            [other.details.badCredentials, other.details.transient],
            [true, false],
        );
    });

    it("retries 429 with the server's Retry-After, and 5xx", () => {
        const throttled = classify({
            ...entra(429, "temporarily_unavailable", 90055),
            retryAfterMs: 7000,
        });
        assert.deepStrictEqual(
            [throttled.details.transient, throttled.details.retryAfterMs, throttled.details.status],
            [true, 7000, 429],
        );
        for (const status of [500, 502, 503, 504])
            assert.strictEqual(
                classify(entra(status, "server_error", 50000)).details.transient,
                true,
                String(status),
            );
    });

    it("retries a 400 only when it carries a transient AADSTS code or temporarily_unavailable", () => {
        for (const code of TRANSIENT_AADSTS_CODES)
            assert.strictEqual(
                classify(entra(400, "invalid_request", code)).details.transient,
                true,
                String(code),
            );
        assert.strictEqual(
            classify(entra(400, "temporarily_unavailable", 12345)).details.transient,
            true,
        );
        for (const code of [50196, 500011, 70011])
            assert.strictEqual(
                classify(entra(400, "invalid_request", code)).details.transient,
                false,
                String(code),
            );
    });

    it("retries resets, refused connections and timeouts, not TLS trust failures", () => {
        assert.strictEqual(classify({ transportCode: "ECONNRESET" }).details.transient, true);
        assert.strictEqual(classify({ transportCode: "ECONNREFUSED" }).details.transient, true);
        assert.strictEqual(classify({ timedOut: true }).details.transient, true);
        const tls = classify({ transportCode: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
        assert.strictEqual(tls.details.transient, false);
        assert.match(tls.message, /connection failed \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/);
    });

    it("falls back to @azure/identity's message when nothing was seen on the wire", () => {
        assert.deepStrictEqual(
            parseIdentityMessage(
                "invalid_client: Error(s): 7000215 - Timestamp: x - Description: AADSTS7000215: ...",
            ),
            { oauthError: "invalid_client", codes: [7000215] },
        );
        const bad = classify({
            error: new Error(
                "invalid_client: Error(s): 7000215 - Timestamp: 2026 - Description: AADSTS7000215: Invalid client secret provided.",
            ),
        });
        assert.deepStrictEqual([bad.details.badCredentials, bad.details.aadsts], [true, 7000215]);
        assert.strictEqual(
            classify({
                error: new Error(
                    "network_error: See https://aka.ms/msal.js.errors#network_error for details",
                ),
            }).details.transient,
            true,
        );
    });

    it("never lets the secret into a message, even if the server or library echoed it", () => {
        const echoed = entra(
            400,
            "invalid_request",
            90100,
            `The parameter client_secret=${CTX.secret} is not valid.`,
        );
        const e1 = classify(echoed);
        const e2 = classify({ error: new Error(`boom ${CTX.secret}`) });
        for (const e of [
            e1,
            e2,
            gaveUp(
                classify({
                    ...entra(503, "temporarily_unavailable", 90033),
                    body: { ...echoed.body, error: "temporarily_unavailable" },
                }),
                3,
                1200,
            ),
        ]) {
            assert.ok(!e.message.includes(CTX.secret), e.message);
            assert.ok(!(e.stack ?? "").includes(CTX.secret));
        }
        assert.match(e1.message, /\[secret\]/);
        assert.strictEqual(scrub("a-b-a", ""), "a-b-a");
    });

    it("says how many attempts were made when giving up on a transient failure, and leaves final errors alone", () => {
        const last = classify(entra(503, "temporarily_unavailable", 90033));
        const final = gaveUp(last, 4, 2500);
        assert.match(final.message, /Gave up after 4 attempts over 2\.5s/);
        assert.strictEqual(final.details.attempts, 4);
        const bad = classify(entra(401, "invalid_client", 7000215));
        assert.strictEqual(gaveUp(bad, 1, 10), bad);
    });
});
