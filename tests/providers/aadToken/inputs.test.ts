import * as assert from "assert";
import {
    AAD_TOKEN_PROVIDER_VERSION,
    checkAadTokenInputs,
    DATABRICKS_SCOPE,
    DEFAULT_AAD_TOKEN_RETRY,
    DEFAULT_AUTHORITY_HOST,
    diffAadToken,
    needsRefresh,
    REFRESH_MARGIN_MS,
} from "../../../providers/aadToken/inputs";
import { UNKNOWN } from "../../../core/unknown";

const TENANT = "11111111-1111-4111-8111-111111111111";
const CLIENT = "22222222-2222-4222-8222-222222222222";
const SECRET = "input-test-secret-value-0123456789abcdef";

describe("AadToken check (defaults and validation)", () => {
    it("fills scope, authority host, retry settings and version", () => {
        const { inputs, failures } = checkAadTokenInputs({
            tenantId: TENANT,
            clientId: CLIENT,
            clientSecret: SECRET,
        });
        assert.deepStrictEqual(failures, []);
        assert.strictEqual(inputs.scope, DATABRICKS_SCOPE);
        assert.strictEqual(DATABRICKS_SCOPE, "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default");
        assert.strictEqual(inputs.authorityHost, DEFAULT_AUTHORITY_HOST);
        assert.deepStrictEqual(inputs.retry, DEFAULT_AAD_TOKEN_RETRY);
        assert.strictEqual(inputs.version, AAD_TOKEN_PROVIDER_VERSION);
    });

    it("keeps given retry settings over the defaults and trims a trailing slash off the authority host", () => {
        const { inputs, failures } = checkAadTokenInputs({
            tenantId: TENANT,
            clientId: CLIENT,
            clientSecret: SECRET,
            authorityHost: "https://login.example.test/",
            allowHosts: ["login.example.test"],
            retry: { maxAttempts: 2, maxTotalMs: 1000 },
        });
        assert.deepStrictEqual(failures, []);
        assert.strictEqual(inputs.authorityHost, "https://login.example.test");
        assert.deepStrictEqual(inputs.retry, {
            ...DEFAULT_AAD_TOKEN_RETRY,
            maxAttempts: 2,
            maxTotalMs: 1000,
        });
    });

    it("names every bad property and what would be valid", () => {
        const { failures } = checkAadTokenInputs({
            tenantId: "contoso.onmicrosoft.com",
            clientId: "",
            clientSecret: "   ",
            scope: "https://graph.microsoft.com/User.Read",
            authorityHost: "http://login.microsoftonline.com",
            retry: { maxAttempts: 0, baseDelayMs: 1.5, badCredentialRetryMs: -1, bogus: 1 },
        });
        const byProperty = new Map(failures.map((f) => [f.property, f.reason]));
        assert.deepStrictEqual([...byProperty.keys()].sort(), [
            "authorityHost",
            "clientId",
            "clientSecret",
            "retry.badCredentialRetryMs",
            "retry.baseDelayMs",
            "retry.bogus",
            "retry.maxAttempts",
            "scope",
            "tenantId",
        ]);
        assert.match(
            byProperty.get("tenantId")!,
            /must be a GUID tenant \(directory\) id .*"contoso\.onmicrosoft\.com"/,
        );
        assert.match(
            byProperty.get("clientId")!,
            /must be a GUID client \(application\) id.*empty string/,
        );
        assert.match(
            byProperty.get("clientSecret")!,
            /must be a non-empty string.*only whitespace/,
        );
        assert.match(byProperty.get("authorityHost")!, /must be an https:\/\/ URL/);
        assert.match(byProperty.get("scope")!, /\/\.default scope/);
        assert.match(byProperty.get("retry.maxAttempts")!, /whole number from 1 to 50, got 0/);
        assert.match(
            byProperty.get("retry.bogus")!,
            /not a retry setting; valid ones are maxAttempts/,
        );
    });

    it("says what kind of value a bad secret is, never the value", () => {
        const { failures } = checkAadTokenInputs({
            tenantId: TENANT,
            clientId: CLIENT,
            clientSecret: 987654321,
        });
        assert.deepStrictEqual(failures, [
            {
                property: "clientSecret",
                reason: "must be a non-empty string (the client secret's value), got a number",
            },
        ]);
        const missing = checkAadTokenInputs({ tenantId: TENANT, clientId: CLIENT });
        assert.deepStrictEqual(
            missing.failures.map((f) => f.reason),
            ["must be a non-empty string (the client secret's value), got nothing (it is not set)"],
        );
    });

    it("lets unknown (preview) values through unchecked", () => {
        const { failures } = checkAadTokenInputs({
            tenantId: UNKNOWN,
            clientId: UNKNOWN,
            clientSecret: UNKNOWN,
            authorityHost: UNKNOWN,
        });
        assert.deepStrictEqual(failures, []);
    });
});

describe("AadToken refresh rule and diff", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    const at = (ms: number) => new Date(now + ms).toISOString();
    const olds = {
        tenantId: TENANT,
        clientId: CLIENT,
        clientSecret: SECRET,
        scope: DATABRICKS_SCOPE,
        authorityHost: DEFAULT_AUTHORITY_HOST,
        retry: DEFAULT_AAD_TOKEN_RETRY,
        version: AAD_TOKEN_PROVIDER_VERSION,
        accessToken: "tok",
        expiresOn: at(60 * 60 * 1000),
    };
    const { accessToken: _a, expiresOn: _e, ...news } = olds;

    it("refreshes when expired, within 10 minutes of expiry, or when expiry is unknown", () => {
        assert.strictEqual(REFRESH_MARGIN_MS, 600_000);
        assert.strictEqual(needsRefresh(at(-1), now), true);
        assert.strictEqual(needsRefresh(at(REFRESH_MARGIN_MS), now), true);
        assert.strictEqual(needsRefresh(at(REFRESH_MARGIN_MS + 1000), now), false);
        assert.strictEqual(needsRefresh(undefined, now), true);
        assert.strictEqual(needsRefresh("not a date", now), true);
    });

    it("reports no change for the same inputs and a fresh token", () => {
        assert.deepStrictEqual(diffAadToken(olds, news, now), {
            changes: false,
            replaces: [],
            diffs: [],
            deleteBeforeReplace: false,
        });
    });

    it("reports an update (not a replacement) when the stored token is near expiry", () => {
        const d = diffAadToken({ ...olds, expiresOn: at(5 * 60 * 1000) }, news, now);
        assert.deepStrictEqual(d, {
            changes: true,
            replaces: [],
            diffs: ["accessToken", "expiresOn"],
            deleteBeforeReplace: false,
        });
    });

    it("replaces only for identity properties; a new secret, retry settings or version update in place", () => {
        for (const key of ["tenantId", "clientId", "scope", "authorityHost"] as const) {
            const d = diffAadToken(
                olds,
                {
                    ...news,
                    [key]:
                        key === "scope"
                            ? "x/.default"
                            : key === "authorityHost"
                              ? "https://other.test"
                              : "33333333-3333-4333-8333-333333333333",
                },
                now,
            );
            assert.deepStrictEqual([d.changes, d.replaces], [true, [key]], key);
        }
        assert.deepStrictEqual(
            diffAadToken(olds, { ...news, clientSecret: "rotated" }, now).diffs,
            ["clientSecret"],
        );
        assert.deepStrictEqual(
            diffAadToken(
                olds,
                { ...news, retry: { ...DEFAULT_AAD_TOKEN_RETRY, maxAttempts: 2 } },
                now,
            ).diffs,
            ["retry"],
        );
        assert.deepStrictEqual(diffAadToken(olds, { ...news, version: "999" }, now).diffs, [
            "version",
        ]);
        for (const d of [
            diffAadToken(olds, { ...news, clientSecret: "rotated" }, now),
            diffAadToken(olds, { ...news, version: "999" }, now),
        ]) {
            assert.deepStrictEqual(d.replaces, []);
        }
    });

    it("ignores key order in retry settings, and a setting at its default that older state lacks", () => {
        const reordered = Object.fromEntries(Object.entries(DEFAULT_AAD_TOKEN_RETRY).reverse());
        assert.strictEqual(diffAadToken(olds, { ...news, retry: reordered }, now).changes, false);
        const { badCredentialRetryMs: _b, ...olderRetry } = DEFAULT_AAD_TOKEN_RETRY;
        assert.strictEqual(diffAadToken({ ...olds, retry: olderRetry }, news, now).changes, false);
        assert.deepStrictEqual(
            diffAadToken(
                olds,
                { ...news, retry: { ...DEFAULT_AAD_TOKEN_RETRY, badCredentialRetryMs: 60_000 } },
                now,
            ).diffs,
            ["retry"],
        );
    });
});
