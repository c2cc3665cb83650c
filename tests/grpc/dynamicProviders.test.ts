/**
 * Every dynamic provider through the real host the engine launches (tests/grpc/providerHost.ts), from
 * the three places a program runs: the repository root, a consumer that links the package (npm link),
 * and a consumer that installed the `npm pack` tarball as a real copy. The provider texts are the
 * `__provider` values the consumer program (tests/install/fixture) registered there, so each host
 * loads exactly what Pulumi would have stored. Calls go with Structs encoded by the SDK's stubs, the
 * preview sentinel for unknowns, and errors decoded as the engine decodes them.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { makeConsumerFolder, PACKAGE_ROOT } from "../support/consumerFolder";
import { CLIENT, FAST_RETRY, SECRET, TENANT, tokenEmulator } from "../providers/aadToken/fixtures";
import {
    accountSnapshot,
    Emulators,
    GRAPH_TOKEN,
    SCIM_TOKEN,
    seedSmallTenant,
} from "../scim/fixture";
import { preparedConsumer } from "../install/consumerProgram";
import { CONSUMERS } from "../install/installs";
import { HostError, ProviderHost, UNKNOWN, urnOf } from "./providerHost";

const CA = path.join(PACKAGE_ROOT, "emulators", "certs", "ca.pem");

type Texts = Map<string, string>;
interface Scenario {
    (host: ProviderHost, provider: string): Promise<void>;
}

const tokenEm = tokenEmulator();
const scimEm = new Emulators();

const SCENARIOS: Record<string, Scenario> = {
    "pulumi-nodejs:dynamic/rotation:Clock": async (host, provider) => {
        const urn = urnOf("pulumi-nodejs:dynamic/rotation:Clock", "clock");
        const bad = await host.check(
            urn,
            {},
            { __provider: provider, rotationDays: 0, version: "1" },
        );
        assert.deepStrictEqual(
            bad.failures.map((f) => f.property),
            ["rotationDays"],
        );
        // Preview: the period comes from an Output not known yet.
        const preview = await host.check(
            urn,
            {},
            { __provider: provider, rotationDays: UNKNOWN, version: "1" },
        );
        assert.deepStrictEqual(preview.failures, []);
        assert.strictEqual(preview.inputs.rotationDays, UNKNOWN);

        const { inputs } = await host.check(
            urn,
            {},
            { __provider: provider, rotationDays: 30, version: "1" },
        );
        const created = await host.create(urn, inputs);
        assert.match(created.id, /^rotation-/);
        assert.strictEqual(
            Date.parse(created.properties.rotateAfter) - Date.parse(created.properties.rotatedAt),
            30 * 86_400_000,
        );
        assert.strictEqual(
            created.properties.__provider,
            provider,
            "the host keeps __provider in the outputs",
        );
        assert.deepStrictEqual(await host.diff(created.id, urn, created.properties, inputs), {
            changes: "none",
            replaces: [],
            deleteBeforeReplace: false,
        });
        const longer = { ...inputs, rotationDays: 60 };
        assert.deepStrictEqual(await host.diff(created.id, urn, created.properties, longer), {
            changes: "some",
            replaces: [],
            deleteBeforeReplace: false,
        });
        const updated = await host.update(created.id, urn, created.properties, longer);
        assert.strictEqual(
            updated.properties.rotatedAt,
            created.properties.rotatedAt,
            "not due: the clock keeps its date",
        );
        assert.strictEqual(
            Date.parse(updated.properties.rotateAfter) - Date.parse(updated.properties.rotatedAt),
            60 * 86_400_000,
        );
        // No read method: the host answers with the state it was given.
        assert.deepStrictEqual(
            (await host.read(created.id, urn, updated.properties)).properties,
            updated.properties,
        );
        await host.delete(created.id, urn, updated.properties);
    },

    "pulumi-nodejs:dynamic/aad:Token": async (host, provider) => {
        tokenEm.reset();
        const urn = urnOf("pulumi-nodejs:dynamic/aad:Token", "sp");
        const news = {
            __provider: provider,
            tenantId: TENANT,
            clientId: CLIENT,
            clientSecret: SECRET,
            authorityHost: tokenEm.authorityHost,
            retry: FAST_RETRY,
        };
        const preview = await host.check(urn, {}, { ...news, clientSecret: UNKNOWN });
        assert.deepStrictEqual(
            preview.failures,
            [],
            "an unknown secret in preview is not a failure",
        );
        const bad = await host.check(urn, {}, { ...news, tenantId: "not-a-guid" });
        assert.deepStrictEqual(
            bad.failures.map((f) => f.property),
            ["tenantId"],
        );

        const { inputs, failures } = await host.check(urn, {}, news);
        assert.deepStrictEqual(failures, []);
        assert.strictEqual(
            inputs.scope,
            "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default",
            "check fills the default scope",
        );
        const created = await host.create(urn, inputs);
        assert.strictEqual(created.properties.accessToken, tokenEm.issued[0].accessToken);
        assert.ok(Date.parse(created.properties.expiresOn) > Date.now());
        assert.strictEqual(
            (await host.diff(created.id, urn, created.properties, inputs)).changes,
            "none",
        );
        const replaced = await host.diff(created.id, urn, created.properties, {
            ...inputs,
            clientId: "33333333-3333-4333-8333-333333333333",
        });
        assert.strictEqual(replaced.changes, "some");
        assert.ok(replaced.replaces.includes("clientId"));
        const read = await host.read(created.id, urn, created.properties);
        assert.strictEqual(read.properties.accessToken, created.properties.accessToken);
        const updated = await host.update(created.id, urn, created.properties, inputs);
        assert.strictEqual(
            updated.properties.accessToken,
            tokenEm.issued[1].accessToken,
            "update mints a new token",
        );
        await host.delete(created.id, urn, updated.properties);

        // A wrong secret: the engine sees gRPC UNKNOWN with the AADSTS code and never the secret.
        const wrong = { ...inputs, clientSecret: "wrong-secret~Ab1.Cd2-Ef3" };
        const err = await host.create(urn, wrong).then(
            () => assert.fail("create should fail"),
            (e: HostError) => e,
        );
        assert.ok(err instanceof HostError);
        assert.strictEqual(err.code, 2);
        assert.match(err.message, /AADSTS7000215/);
        assert.match(err.message, new RegExp(CLIENT));
        assert.ok(!err.message.includes("wrong-secret") && !host.stderr.includes("wrong-secret"));
        assert.strictEqual(err.initFailed, undefined, "nothing was created");
    },

    "pulumi-nodejs:dynamic/scim:Sync": async (host, provider) => {
        scimEm.clear();
        seedSmallTenant(scimEm.graph);
        const urn = urnOf("pulumi-nodejs:dynamic/scim:Sync", "scim-sync");
        const news = {
            __provider: provider,
            accountId: scimEm.scim.accountId,
            accountHost: scimEm.scim.host,
            graphUrl: scimEm.graph.url,
            groups: ["Data Team"],
            groupSearchDepth: 3,
            interval: "1h",
            graphToken: GRAPH_TOKEN,
            databricksToken: SCIM_TOKEN,
            version: "1",
        };
        const preview = await host.check(urn, {}, { ...news, groups: UNKNOWN });
        assert.deepStrictEqual(preview.failures, []);

        // A refused token: partial failure, the resource exists under an id with what it carried.
        const { inputs: refusedInputs } = await host.check(
            urn,
            {},
            { ...news, databricksToken: "expired-dbx-token-0000" },
        );
        const err = await host.create(urn, refusedInputs).then(
            () => assert.fail("create should fail"),
            (e: HostError) => e,
        );
        assert.ok(
            err instanceof HostError && err.initFailed,
            `expected ErrorResourceInitFailed details, got ${err}`,
        );
        assert.match(err.message, /SCIM sync failed/);
        assert.match(err.initFailed.reasons.join(" "), /401/);
        assert.ok(err.initFailed.id);
        assert.strictEqual(
            err.initFailed.properties.__provider,
            provider,
            "the partial state keeps __provider, so delete can load the provider",
        );
        assert.ok(err.initFailed.properties.lastError);
        assert.ok(
            !JSON.stringify(err).includes("expired-dbx-token-0000") &&
                !host.stderr.includes("expired-dbx-token-0000"),
        );

        // The next `up`: diff says a failed run is retried, update syncs.
        const { inputs, failures } = await host.check(urn, err.initFailed.properties, news);
        assert.deepStrictEqual(failures, []);
        assert.strictEqual(
            (await host.diff(err.initFailed.id, urn, err.initFailed.properties, inputs)).changes,
            "some",
        );
        const updated = await host.update(
            err.initFailed.id,
            urn,
            err.initFailed.properties,
            inputs,
        );
        assert.deepStrictEqual(updated.properties.created, {
            users: 4,
            servicePrincipals: 1,
            groups: 3,
        });
        assert.strictEqual(updated.properties.errors, 0);
        assert.strictEqual(accountSnapshot(scimEm.scim).users.length, 4);
        assert.strictEqual(
            (await host.diff(err.initFailed.id, urn, updated.properties, inputs)).changes,
            "none",
            "just ran",
        );
        const read = await host.read(err.initFailed.id, urn, updated.properties);
        assert.strictEqual(read.id, err.initFailed.id);
        await host.delete(err.initFailed.id, urn, read.properties);
        assert.strictEqual(
            accountSnapshot(scimEm.scim).users.length,
            4,
            "delete leaves the account as it is",
        );
        assert.strictEqual(scimEm.scim.deletes(), 0);
        assert.ok(
            !JSON.stringify(updated.properties).includes(GRAPH_TOKEN) &&
                !JSON.stringify(updated.properties).includes(SCIM_TOKEN),
        );
    },
};

const LOCATIONS: { name: string; setup(): Promise<{ cwd: string; texts: Texts }> }[] = [
    {
        name: "the repository root",
        setup: async () => ({
            cwd: PACKAGE_ROOT,
            texts: textsOf(await preparedConsumer("repo", CONSUMERS.repo)),
        }),
    },
    {
        name: "a consumer that links the package",
        setup: async () => ({
            cwd: makeConsumerFolder("grpc-linked"),
            texts: textsOf(await preparedConsumer("repo", CONSUMERS.repo)),
        }),
    },
    {
        name: "a consumer that installed the tarball",
        setup: async () => {
            const p = await preparedConsumer("tarball", CONSUMERS.tarball);
            return { cwd: p.consumer.dir, texts: textsOf(p) };
        },
    },
];

function textsOf(p: Awaited<ReturnType<typeof preparedConsumer>>): Texts {
    return new Map(p.result.providers.map((r) => [r.type, r.text]));
}

describe("dynamic providers through the engine's dynamic-provider host over gRPC", function () {
    this.timeout(600_000);
    before(() => Promise.all([tokenEm.start(), scimEm.start()]));
    after(() => Promise.all([tokenEm.stop(), scimEm.stop()]));

    for (const location of LOCATIONS) {
        describe(`from ${location.name}`, () => {
            let host: ProviderHost;
            let texts: Texts;
            before(async () => {
                const { cwd, texts: t } = await location.setup();
                texts = t;
                assert.ok(fs.existsSync(cwd));
                host = await ProviderHost.start(cwd, { ...process.env, NODE_EXTRA_CA_CERTS: CA });
            });
            after(() => host?.stop());

            it("Configure: the host takes no secrets (the engine sends plain values)", async () => {
                assert.deepStrictEqual(await host.configure({}), { acceptSecrets: false });
            });

            it("every dynamic provider the program registered has a host scenario here", () => {
                assert.ok(texts.size >= 3);
                assert.deepStrictEqual(
                    [...texts.keys()].filter((t) => !SCENARIOS[t]),
                    [],
                );
            });

            for (const [type, scenario] of Object.entries(SCENARIOS)) {
                it(`${type}: Check, Diff, Create, Update, Read, Delete and its failures`, async function () {
                    const text = texts.get(type);
                    if (!text) this.skip();
                    await scenario(host, text!);
                });
            }
        });
    }
});
