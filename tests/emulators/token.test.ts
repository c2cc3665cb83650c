import * as assert from "assert";
import { TokenEmulator } from "../../emulators/token";

const TENANT = "11111111-1111-4111-8111-111111111111";
const CLIENT = "22222222-2222-4222-8222-222222222222";
const SECRET = "emulator-secret-value-0123456789abcdef";

describe("token emulator (Entra)", () => {
    const em = new TokenEmulator({ tenants: [TENANT], clients: { [CLIENT]: SECRET } });
    before(() => em.start());
    after(() => em.stop());
    beforeEach(() => em.reset());

    const tokenRequest = (fields: Record<string, string>, tenant = TENANT) =>
        fetch(`${em.baseUrl}/${tenant}/oauth2/v2.0/token`, {
            method: "POST",
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({
                grant_type: "client_credentials",
                scope: "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default",
                ...fields,
            }).toString(),
        });

    it("serves the OpenID configuration MSAL needs (token, authorization, jwks, issuer)", async () => {
        const r = await fetch(`${em.baseUrl}/${TENANT}/v2.0/.well-known/openid-configuration`);
        assert.strictEqual(r.status, 200);
        const body = (await r.json()) as Record<string, string>;
        assert.strictEqual(body.token_endpoint, `${em.baseUrl}/${TENANT}/oauth2/v2.0/token`);
        for (const key of ["authorization_endpoint", "jwks_uri", "issuer"])
            assert.ok(body[key]?.startsWith(em.baseUrl), key);
        assert.strictEqual(em.count("openid-config"), 1);
    });

    it("issues a token in Entra's shape with the configured lifetime, and counts token calls", async () => {
        em.lifetimeSeconds = 120;
        const r = await tokenRequest({ client_id: CLIENT, client_secret: SECRET });
        assert.strictEqual(r.status, 200);
        const body = (await r.json()) as Record<string, unknown>;
        assert.deepStrictEqual(Object.keys(body).sort(), [
            "access_token",
            "expires_in",
            "ext_expires_in",
            "token_type",
        ]);
        assert.strictEqual(body.token_type, "Bearer");
        assert.strictEqual(body.expires_in, 120);
        assert.strictEqual(em.issued.length, 1);
        assert.strictEqual(em.issued[0].accessToken, body.access_token);
        assert.strictEqual(em.count("token"), 1);
        assert.strictEqual(
            em.lastRequest?.client_secret,
            undefined,
            "the emulator must not keep the secret",
        );
    });

    it("answers a wrong secret with 401 invalid_client / AADSTS7000215 in Entra's error envelope", async () => {
        const r = await tokenRequest({ client_id: CLIENT, client_secret: "wrong" });
        assert.strictEqual(r.status, 401);
        const body = (await r.json()) as Record<string, any>;
        assert.strictEqual(body.error, "invalid_client");
        assert.deepStrictEqual(body.error_codes, [7000215]);
        assert.match(
            body.error_description,
            /^AADSTS7000215: Invalid client secret provided\..* Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: /,
        );
        for (const key of ["trace_id", "correlation_id", "timestamp"]) assert.ok(body[key], key);
    });

    it("answers an unknown app with 400 unauthorized_client / AADSTS700016 and an unknown tenant with 400 invalid_request / AADSTS90002", async () => {
        const app = await tokenRequest({
            client_id: "33333333-3333-4333-8333-333333333333",
            client_secret: SECRET,
        });
        assert.strictEqual(app.status, 400);
        const appBody = (await app.json()) as Record<string, any>;
        assert.strictEqual(appBody.error, "unauthorized_client");
        assert.deepStrictEqual(appBody.error_codes, [700016]);
        const other = "44444444-4444-4444-8444-444444444444";
        for (const r of [
            await fetch(`${em.baseUrl}/${other}/v2.0/.well-known/openid-configuration`),
            await tokenRequest({ client_id: CLIENT, client_secret: SECRET }, other),
        ]) {
            assert.strictEqual(r.status, 400);
            const body = (await r.json()) as Record<string, any>;
            assert.strictEqual(body.error, "invalid_request");
            assert.deepStrictEqual(body.error_codes, [90002]);
        }
    });

    it("answers faults in Entra's envelope: 429 with Retry-After, 500, 503, a transient 400, invalid_client", async () => {
        em.settings.retryAfterSeconds = 7;
        em.failNext("token", "429")
            .failNext("token", "500")
            .failNext("token", "503")
            .failNext("token", "transient400")
            .failNext("token", "invalidClient");
        const seen: [number, string, number[], string | null][] = [];
        for (let i = 0; i < 5; i++) {
            const r = await tokenRequest({ client_id: CLIENT, client_secret: SECRET });
            const body = (await r.json()) as Record<string, any>;
            seen.push([r.status, body.error, body.error_codes, r.headers.get("retry-after")]);
        }
        assert.deepStrictEqual(seen, [
            [429, "temporarily_unavailable", [90055], "7"],
            [500, "server_error", [50000], null],
            [503, "temporarily_unavailable", [90033], null],
            [400, "invalid_request", [90024], null],
            [401, "invalid_client", [7000215], null],
        ]);
        assert.strictEqual(em.faultCounters.get("token:429"), 1);
        assert.strictEqual(em.count("token"), 5);
        assert.strictEqual(em.issued.length, 0);
    });

    it("lets a test choose the transient 400's code, and reset() restores tenants, clients, lifetime and that code", async () => {
        em.transient400 = {
            error: "temporarily_unavailable",
            code: 90006,
            message: "The service is temporarily unavailable.",
        };
        em.clients.delete(CLIENT);
        em.lifetimeSeconds = 5;
        em.failNext("token", "transient400");
        const r = await tokenRequest({ client_id: CLIENT, client_secret: SECRET });
        assert.deepStrictEqual(((await r.json()) as any).error_codes, [90006]);
        em.reset();
        assert.ok(em.clients.has(CLIENT));
        assert.strictEqual(em.lifetimeSeconds, 3599);
        assert.strictEqual(em.transient400.code, 90024);
        assert.strictEqual(em.count("token"), 0);
    });
});
