import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AadToken } from "../../../providers/aadToken/aadToken";
import {
    AAD_TOKEN_PROVIDER_VERSION,
    DATABRICKS_SCOPE,
    DEFAULT_AAD_TOKEN_RETRY,
    DEFAULT_AUTHORITY_HOST,
} from "../../../providers/aadToken/inputs";
import { FaultKind } from "../../../emulators/harness";
import { mocks, settle } from "../../support/mocks";
import { loadSerializedProvider } from "../../support/serializedProvider";
import {
    CLIENT,
    errorText,
    FAST_RETRY,
    OTHER_CLIENT,
    OTHER_TENANT,
    SECRET,
    TENANT,
    tokenEmulator,
} from "./fixtures";

const TYPE = "pulumi-nodejs:dynamic/aad:Token";

describe("AadToken resource under mocks", () => {
    beforeEach(() => mocks.reset());

    it("registers as pulumi-nodejs:dynamic/aad:Token with its inputs, a version, and accessToken (and the secret) in additionalSecretOutputs", async () => {
        let token!: AadToken;
        await mocks.run(() => {
            token = new AadToken("sp", {
                tenantId: TENANT,
                clientId: CLIENT,
                clientSecret: SECRET,
            });
        });
        const rec = mocks.one(TYPE, "sp");
        assert.strictEqual(rec.inputs.tenantId, TENANT);
        assert.strictEqual(rec.inputs.clientId, CLIENT);
        assert.strictEqual(rec.inputs.version, AAD_TOKEN_PROVIDER_VERSION);
        assert.strictEqual(typeof rec.inputs.__provider, "string");
        assert.deepStrictEqual(
            ((rec.opts as pulumi.CustomResourceOptions).additionalSecretOutputs ?? [])
                .slice()
                .sort(),
            ["accessToken", "clientSecret"],
        );
        const accessToken = await settle(token.accessToken);
        assert.deepStrictEqual(accessToken, { value: "aad-token-of-sp", secret: true });
        assert.strictEqual((await settle(token.expiresOn)).secret, false);
    });

    it("keeps the client secret a secret even when given as plain text, and keeps caller options", async () => {
        await mocks.run(() => {
            new AadToken(
                "plain",
                { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET },
                { additionalSecretOutputs: ["expiresOn"], protect: true },
            );
            new AadToken("wrapped", {
                tenantId: TENANT,
                clientId: CLIENT,
                clientSecret: pulumi.secret(SECRET),
            });
        });
        for (const name of ["plain", "wrapped"]) {
            const rec = mocks.one(TYPE, name);
            assert.ok(rec.secretInputs.has("clientSecret"), name);
            assert.strictEqual(rec.inputs.clientSecret, SECRET);
        }
        const opts = mocks.one(TYPE, "plain").opts as pulumi.CustomResourceOptions;
        assert.deepStrictEqual(opts.additionalSecretOutputs?.slice().sort(), [
            "accessToken",
            "clientSecret",
            "expiresOn",
        ]);
        assert.strictEqual(opts.protect, true);
    });

    it("keeps the serialized provider free of the secret and of captured clients", async () => {
        const { text } = await loadSerializedProvider(
            () =>
                new AadToken("t", {
                    tenantId: TENANT,
                    clientId: CLIENT,
                    clientSecret: pulumi.secret(SECRET),
                }),
            TYPE,
            "t",
        );
        assert.ok(!text.includes(SECRET));
        assert.ok(
            !/ClientSecretCredential/.test(text),
            "the credential class must be required at run time, not captured",
        );
        assert.match(text, /azure-databricks-mlops\/providers\/aadTokenClient/);
    });
});

describe("AadToken provider through its serialized form, against the Entra emulator", () => {
    const em = tokenEmulator();
    let provider: pulumi.dynamic.ResourceProvider;
    let recorded: Record<string, any>;

    before(async () => {
        await em.start();
        mocks.reset();
        const loaded = await loadSerializedProvider(
            () =>
                new AadToken("sp", {
                    tenantId: TENANT,
                    clientId: CLIENT,
                    clientSecret: pulumi.secret(SECRET),
                    authorityHost: em.authorityHost,
                    retry: FAST_RETRY,
                }),
            TYPE,
            "sp",
        );
        provider = loaded.provider;
        recorded = mocks.one(TYPE, "sp").inputs;
    });
    after(() => em.stop());
    beforeEach(() => em.reset());

    /** check(), as the engine calls it first, with the recorded (resolved) inputs plus overrides. */
    async function checked(over: Record<string, unknown> = {}) {
        const { accessToken: _a, expiresOn: _e, ...news } = { ...recorded, ...over };
        const result = await provider.check!({}, news);
        assert.deepStrictEqual(result.failures ?? [], []);
        return result.inputs as Record<string, any>;
    }

    async function failure(run: Promise<unknown>): Promise<Error> {
        try {
            await run;
        } catch (e) {
            return e as Error;
        }
        throw new Error("expected a failure");
    }

    it("check fills defaults and keeps the given inputs", async () => {
        const inputs = await checked();
        assert.strictEqual(inputs.scope, DATABRICKS_SCOPE);
        assert.strictEqual(inputs.authorityHost, em.authorityHost);
        assert.deepStrictEqual(inputs.retry, { ...DEFAULT_AAD_TOKEN_RETRY, ...FAST_RETRY });
        const defaults = await provider.check!(
            {},
            { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET },
        );
        assert.strictEqual(defaults.inputs.authorityHost, DEFAULT_AUTHORITY_HOST);
    });

    it("check names each bad property without the secret", async () => {
        const result = await provider.check!(
            {},
            {
                tenantId: "not-a-guid",
                clientId: CLIENT,
                clientSecret: SECRET,
                authorityHost: "http://localhost",
            },
        );
        assert.deepStrictEqual(
            result.failures?.map((f) => f.property),
            ["tenantId", "authorityHost"],
        );
        assert.ok(!JSON.stringify(result.failures).includes(SECRET));
    });

    it("create mints a token and stores it with its expiry; diff then reports no change; read returns the state", async () => {
        em.lifetimeSeconds = 3599;
        const inputs = await checked();
        const created = await provider.create(inputs);
        assert.strictEqual(created.id, `${TENANT}/${CLIENT}`);
        assert.strictEqual(created.outs.accessToken, em.issued[0].accessToken);
        assert.ok(Date.parse(created.outs.expiresOn) > Date.now() + 3500_000);
        assert.strictEqual(created.outs.clientId, CLIENT);
        const diff = await provider.diff!(created.id, created.outs, inputs);
        assert.deepStrictEqual(diff, { changes: false, replaces: [], deleteBeforeReplace: false });
        const read = await provider.read!(created.id, created.outs);
        assert.deepStrictEqual(read, { id: created.id, props: created.outs });
        assert.strictEqual(em.count("token"), 1);
    });

    it("a token within 10 minutes of expiry makes diff report an update, and update mints a new one", async () => {
        em.lifetimeSeconds = 300;
        const inputs = await checked();
        const created = await provider.create(inputs);
        const diff = await provider.diff!(created.id, created.outs, inputs);
        assert.deepStrictEqual(diff, { changes: true, replaces: [], deleteBeforeReplace: false });
        em.lifetimeSeconds = 3599;
        const updated = await provider.update!(created.id, created.outs, inputs);
        assert.notStrictEqual(updated.outs.accessToken, created.outs.accessToken);
        assert.strictEqual(updated.outs.accessToken, em.issued[1].accessToken);
        assert.deepStrictEqual(
            (await provider.diff!(created.id, updated.outs, inputs)).changes,
            false,
        );
        assert.strictEqual(em.count("token"), 2);
    });

    it("diff replaces for a new client id or tenant, and updates for a rotated secret", async () => {
        const inputs = await checked();
        const { id, outs } = await provider.create(inputs);
        assert.deepStrictEqual(
            (await provider.diff!(id, outs, { ...inputs, clientId: OTHER_CLIENT })).replaces,
            ["clientId"],
        );
        assert.deepStrictEqual(
            (await provider.diff!(id, outs, { ...inputs, tenantId: OTHER_TENANT })).replaces,
            ["tenantId"],
        );
        assert.deepStrictEqual(
            await provider.diff!(id, outs, { ...inputs, clientSecret: `${SECRET}-rotated` }),
            { changes: true, replaces: [], deleteBeforeReplace: false },
        );
    });

    const faults: FaultKind[] = ["429", "500", "503", "transient400", "drop"];
    for (const fault of faults) {
        it(`create retries a ${fault} fault: three token calls for two faults`, async () => {
            em.settings.retryAfterSeconds = 0;
            em.failNext("token", fault, 2);
            const created = await provider.create(await checked());
            assert.strictEqual(created.outs.accessToken, em.issued[0].accessToken);
            assert.strictEqual(em.count("token"), 3);
            assert.strictEqual(em.faultCounters.get(`token:${fault}`), 2);
        });
    }

    it("create gives up after retry.maxAttempts on a lasting fault", async () => {
        em.failNext("token", "500", 10);
        const e = await failure(
            provider.create(await checked({ retry: { ...FAST_RETRY, maxAttempts: 2 } })),
        );
        assert.strictEqual(em.count("token"), 2);
        assert.match(e.message, /AADSTS50000.*HTTP 500.*Gave up after 2 attempts/);
    });

    // [what, input override, message, [discovery calls, token calls] for one create plus one update]
    const bad: [string, Record<string, unknown>, RegExp, [number, number]][] = [
        [
            "a wrong secret",
            { clientSecret: `${SECRET}-expired` },
            /client 22222222-2222-4222-8222-222222222222 .*AADSTS7000215/,
            [2, 2],
        ],
        [
            "an unknown app",
            { clientId: OTHER_CLIENT },
            /client 33333333-3333-4333-8333-333333333333 .*AADSTS700016/,
            [2, 2],
        ],
        [
            "an unknown tenant",
            { tenantId: OTHER_TENANT },
            /client 22222222-2222-4222-8222-222222222222 in tenant 44444444-4444-4444-8444-444444444444 .*AADSTS90002/,
            [2, 0],
        ],
    ];
    for (const [what, over, message, calls] of bad) {
        it(`create and update fail at once on ${what}, with no secret in the error`, async () => {
            const inputs = await checked(over);
            const e1 = await failure(provider.create(inputs));
            const e2 = await failure(
                provider.update!(
                    "id",
                    { ...inputs, accessToken: "old", expiresOn: new Date(0).toISOString() },
                    inputs,
                ),
            );
            for (const e of [e1, e2]) {
                assert.match(e.message, message);
                const text = errorText(e);
                assert.ok(!text.includes(SECRET), `secret in: ${e.message}`);
            }
            assert.deepStrictEqual(
                [em.count("openid-config"), em.count("token")],
                calls,
                "one attempt each, no retries",
            );
        });
    }

    it("loads and mints like the engine's host does: require-from-string with no file name", async () => {
        const { text } = await loadSerializedProvider(
            () =>
                new AadToken("engine", {
                    tenantId: TENANT,
                    clientId: CLIENT,
                    clientSecret: SECRET,
                    authorityHost: em.authorityHost,
                    retry: FAST_RETRY,
                }),
            TYPE,
            "engine",
        );

        const requireFromString = require("require-from-string") as (code: string) => {
            handler(): pulumi.dynamic.ResourceProvider;
        };
        const engineProvider = requireFromString(text).handler();
        const { inputs } = await engineProvider.check!(
            {},
            {
                tenantId: TENANT,
                clientId: CLIENT,
                clientSecret: SECRET,
                authorityHost: em.authorityHost,
                retry: FAST_RETRY,
            },
        );
        const created = await engineProvider.create(inputs);
        assert.strictEqual(created.outs.accessToken, em.issued[0].accessToken);
    });
});
