/**
 * Day 2 follow-up: since the SP-acting providers authenticate with the created client secret
 * (azure-client-secret), the first `pulumi up` in create mode must not hand them a secret Entra does
 * not accept yet (AADSTS700016 / 7000215 until a new app and secret replicate). The secret is released
 * once one token was minted with it, in the program; an older secret is released without any call.
 */
import * as assert from "assert";
import { mocks } from "../support/mocks";
import { afterEntraAccepts, FRESH_SECRET_MS } from "../../principals/entraReplication";
import { WorkspaceServicePrincipal } from "../../principals/servicePrincipal";
import { FAST_RETRY, SECRET, TENANT, CLIENT, tokenEmulator } from "../providers/aadToken/fixtures";
import * as databricks from "@pulumi/databricks";
import { HOSTS } from "../workspaces/fixtures";

const PASSWORD = "azuread:index/applicationPassword:ApplicationPassword";
const APP = "azuread:index/application:Application";

describe("day 2: a created client secret reaches the providers only once Entra accepts it", () => {
    const em = tokenEmulator();
    before(() => em.start());
    after(() => em.stop());
    beforeEach(() => em.reset());

    const probe = (
        startDate: string | undefined,
        retry = { ...FAST_RETRY, maxAttempts: 6, badCredentialRetryMs: 60_000 },
    ) =>
        afterEntraAccepts({
            tenantId: TENANT,
            clientId: CLIENT,
            clientSecret: SECRET,
            startDate,
            authorityHost: em.authorityHost,
            retry,
        });

    it("a fresh secret: waits while Entra does not know the app yet, then resolves to the secret", async () => {
        em.clients.delete(CLIENT);
        // The app "replicates" after two refusals.
        let refusals = 0;
        const replicate = setInterval(() => {
            if (em.count("token") >= 2 && refusals++ === 0) em.clients.set(CLIENT, SECRET);
        }, 1);
        try {
            assert.strictEqual(await probe(new Date().toISOString()), SECRET);
        } finally {
            clearInterval(replicate);
        }
        assert.ok(em.count("token") >= 3, `token calls: ${em.count("token")}`);
    });

    it("a secret older than the fresh window: resolves at once, no call to Entra", async () => {
        assert.strictEqual(
            await probe(new Date(Date.now() - FRESH_SECRET_MS - 1000).toISOString()),
            SECRET,
        );
        assert.strictEqual(await probe(undefined), SECRET);
        assert.strictEqual(em.count("token") + em.count("openid-config"), 0);
    });

    it("an authority host outside the Azure clouds: refused before the secret is sent, unless allowed by name", async () => {
        const fresh = new Date().toISOString();
        const elsewhere = {
            tenantId: TENANT,
            clientId: CLIENT,
            clientSecret: SECRET,
            startDate: fresh,
            authorityHost: "https://login.example.com",
            retry: FAST_RETRY,
        };
        await assert.rejects(
            afterEntraAccepts(elsewhere),
            /authorityHost: login\.example\.com is not an Entra authority host .*allowHosts/,
        );
        // Allowed by name, it is called: 127.0.0.2 is not on the trusted list, and nothing listens there, so the
        // probe fails on the connection, not on the host check (and never leaves this machine).
        await assert.rejects(
            afterEntraAccepts({
                ...elsewhere,
                authorityHost: "https://127.0.0.2:9",
                allowHosts: ["127.0.0.2"],
            }),
            (e: Error) => !/authorityHost:/.test(e.message),
        );
        assert.strictEqual(em.count("token"), 0);
    });

    it("still refused after the bounded wait: fails naming the app and the AADSTS code, with the advice to rerun, never the secret", async () => {
        em.clients.set(CLIENT, "another-secret");
        const e = await probe(new Date().toISOString(), {
            ...FAST_RETRY,
            maxAttempts: 2,
            badCredentialRetryMs: 60_000,
        }).then(
            () => assert.fail("expected a failure"),
            (err: Error) => err,
        );
        assert.match(
            e.message,
            new RegExp(`new Entra app ${CLIENT}.*AADSTS7000215.*run pulumi up again`),
        );
        assert.ok(!e.message.includes(SECRET));
        assert.strictEqual(em.count("token"), 2);
    });

    it("WorkspaceServicePrincipal in create mode: clientSecret resolves only after Entra accepted the new password", async () => {
        mocks.reset();
        em.clients.delete(CLIENT);
        mocks.onNewResource(APP, () => ({ clientId: CLIENT }));
        mocks.onNewResource(PASSWORD, () => ({
            value: SECRET,
            startDate: new Date().toISOString(),
        }));
        let callsWhenResolved = -1;
        let replicated = false;
        const replicate = setInterval(() => {
            if (!replicated && em.count("token") >= 1) {
                replicated = true;
                em.clients.set(CLIENT, SECRET);
            }
        }, 1);
        try {
            await mocks.run(() => {
                const sp = new WorkspaceServicePrincipal("sp", {
                    provider: new databricks.Provider("staging", { host: HOSTS.staging }),
                    displayName: "sp",
                    principal: { mode: "create", tenantId: TENANT },
                    authorityHost: em.authorityHost,
                    mintAadToken: false,
                });
                return {
                    secret: sp.clientSecret!.apply((v) => {
                        callsWhenResolved = em.count("token");
                        return v;
                    }),
                };
            });
        } finally {
            clearInterval(replicate);
            mocks.onNewResource(APP, undefined);
            mocks.onNewResource(PASSWORD, undefined);
        }
        assert.ok(
            callsWhenResolved >= 2,
            `the secret resolved after ${callsWhenResolved} token call(s): before Entra accepted it`,
        );
        assert.strictEqual(em.issued.length, 1, "one token minted, with the new secret");
    });
});
