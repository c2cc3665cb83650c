/**
 * ScimSync through its serialized provider (as Pulumi stores and runs it) against the Graph, SCIM and
 * Entra token emulators: first sync, not due / due on schedule, incremental with carried state, dry
 * run, client-secret credentials resolved at run time, faults with partial failure and recovery.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ScimSync } from "../../../providers";
import { mocks } from "../../support/mocks";
import { loadSerializedProvider } from "../../support/serializedProvider";
import {
    accountSnapshot,
    Emulators,
    GRAPH_TOKEN,
    SCIM_TOKEN,
    seedSmallTenant,
} from "../../scim/fixture";
import { TokenEmulator } from "../../../emulators/token";

const TYPE = "pulumi-nodejs:dynamic/scim:Sync";
const TENANT = "77777777-7777-4777-8777-777777777777";
const GRAPH_APP = "88888888-8888-4888-8888-888888888888";
const DBX_APP = "99999999-9999-4999-8999-999999999999";
const GRAPH_SECRET = "scim-sync-graph-secret~Qx4.Lm9-Uv2";
const DBX_SECRET = "scim-sync-dbx-secret~Rw7.Jk1-Tz8";

describe("ScimSync serialized provider against the emulators", () => {
    const em = new Emulators();
    const entra = new TokenEmulator({
        tenants: [TENANT],
        clients: { [GRAPH_APP]: GRAPH_SECRET, [DBX_APP]: DBX_SECRET },
    });
    let provider: pulumi.dynamic.ResourceProvider;
    let t: ReturnType<typeof seedSmallTenant>;

    before(async () => {
        await Promise.all([em.start(), entra.start()]);
        mocks.reset();
        // The provider text Pulumi would store for a ScimSync; loaded from it, not from the module.
        ({ provider } = await loadSerializedProvider(
            () => new ScimSync("sync", { accountId: em.scim.accountId, groups: ["Data Team"] }),
            TYPE,
            "sync",
        ));
    });
    after(() => Promise.all([em.stop(), entra.stop()]));
    beforeEach(() => {
        em.clear();
        entra.reset();
        t = seedSmallTenant(em.graph);
    });
    afterEach(() => assert.strictEqual(em.scim.deletes(), 0, "never a DELETE"));

    const args = (over: Record<string, unknown> = {}) => ({
        accountId: em.scim.accountId,
        accountHost: em.scim.host,
        graphUrl: em.graph.url,
        groups: ["Data Team"],
        groupSearchDepth: 3,
        interval: "30m",
        graphToken: GRAPH_TOKEN,
        databricksToken: SCIM_TOKEN,
        version: "1",
        // These tests are about the provider, not the account's rate limits (tests/scim/clients/pacing.test.ts is).
        rateLimits: "off",
        ...over,
    });
    async function checked(over: Record<string, unknown> = {}) {
        const r = await provider.check!({}, args(over));
        assert.deepStrictEqual(r.failures, []);
        return r.inputs;
    }
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const noSecrets = (value: unknown) => {
        const text = JSON.stringify(value);
        for (const s of [GRAPH_TOKEN, SCIM_TOKEN, GRAPH_SECRET, DBX_SECRET])
            assert.ok(!text.includes(s), "a secret leaked");
    };

    it("creates with a full sync, skips when not due, syncs incrementally with the carried state when due", async () => {
        const inputs = await checked();
        const created = await provider.create!(inputs);
        const outs = created.outs;
        assert.deepStrictEqual(outs.created, { users: 4, servicePrincipals: 1, groups: 3 });
        assert.strictEqual(outs.summary.mode, "full");
        assert.strictEqual(outs.errors, 0);
        assert.strictEqual(Object.keys(outs.state.ids).length, 8);
        assert.ok(outs.state.usersDeltaLink);
        assert.ok(Date.now() - Date.parse(outs.lastRunAt) < 60_000);
        assert.deepStrictEqual(outs.plannedChanges, [], "not a dry run");
        assert.strictEqual(accountSnapshot(em.scim).users.length, 4);
        noSecrets(outs);

        // Just ran: `pulumi up` does nothing.
        assert.strictEqual((await provider.diff!(created.id, outs, inputs)).changes, false);

        // 31 minutes later, with a change in Entra: due; the update reads only the change.
        const frank = em.graph.addUser({
            userPrincipalName: "frank@contoso.com",
            displayName: "Frank",
        });
        em.graph.addMember(t.analysts.id, frank.id);
        const later = { ...outs, lastRunAt: ago(31) };
        const due = await provider.diff!(created.id, later, inputs);
        assert.deepStrictEqual(due, { changes: true, replaces: [], deleteBeforeReplace: false });
        em.resetCounters();
        const updated = (await provider.update!(created.id, later, inputs)).outs;
        assert.strictEqual(
            updated.summary.mode,
            "incremental",
            "the state from the outputs was used",
        );
        assert.deepStrictEqual(updated.created, { users: 1, servicePrincipals: 0, groups: 0 });
        assert.strictEqual(updated.membersAdded, 1);
        assert.strictEqual(Object.keys(updated.state.ids).length, 9);
        assert.ok(Date.parse(updated.lastRunAt) > Date.parse(later.lastRunAt));
        noSecrets(updated);
    });

    it("dry run: lists planned changes in the outputs and writes nothing", async () => {
        const inputs = await checked({ dryRunPrincipals: true, dryRunMembers: true });
        const { outs } = await provider.create!(inputs);
        assert.deepStrictEqual(accountSnapshot(em.scim), {
            users: [],
            servicePrincipals: [],
            groups: [],
        });
        const keys = outs.plannedChanges.map((p: any) => `${p.op} ${p.kind} ${p.key}`);
        assert.ok(keys.includes("create user alice@contoso.com"), keys.join("\n"));
        assert.ok(keys.includes("create servicePrincipal 9a7c1f0e-0000-4000-8000-00000000e71a"));
        assert.ok(keys.includes("create group Data Team"));
        assert.strictEqual(outs.plannedChangeCount, outs.plannedChanges.length);
        assert.strictEqual(outs.summary.dryRun, true);
    });

    it("the removal guard fails the update without writing; `changes` shows the blocked removal by name", async () => {
        const created = await provider.create!(await checked());
        for (const m of [t.alice, t.bob, t.etl]) em.graph.removeMember(t.dataTeam.id, m.id);
        em.resetCounters();
        const inputs = await checked({ interval: "1m" });
        const failure = await provider.update!(
            created.id,
            { ...created.outs, lastRunAt: ago(5) },
            inputs,
        ).then(
            () => assert.fail("the guard must fail the run"),
            (e) => e,
        );
        assert.match(
            failure.message,
            /removal guard: group "Data Team" would remove 3 of its 4 members \(75%\)/,
        );
        assert.strictEqual(em.scim.writeCalls(), 0);
        const outs = failure.properties;
        assert.deepStrictEqual(
            outs.changes.map((c: any) => `${c.op} ${c.key} ${c.status}`),
            ["remove-members Data Team blocked"],
        );
        assert.deepStrictEqual(outs.changes[0].members.map((m: any) => m.name).sort(), [
            "Alice",
            "Bob",
            "etl",
        ]);
        assert.deepStrictEqual(outs.state, created.outs.state, "the state is not advanced");
        const allowed = (
            await provider.update!(
                created.id,
                outs,
                await checked({ interval: "1m", allowMassRemoval: true }),
            )
        ).outs;
        assert.strictEqual(allowed.membersRemoved, 3);
        assert.ok(allowed.changes.every((c: any) => c.status === "applied"));
        noSecrets(allowed);
    });

    it("client secrets: tokens minted at run time from the Entra emulator for both audiences", async () => {
        em.graph.token = undefined; // the emulators accept any bearer; the Entra emulator records what it issued
        em.scim.token = undefined;
        const inputs = await checked({
            graphToken: undefined,
            databricksToken: undefined,
            tenantId: TENANT,
            authorityHost: entra.authorityHost,
            graphClientId: GRAPH_APP,
            graphClientSecret: GRAPH_SECRET,
            databricksClientId: DBX_APP,
            databricksClientSecret: DBX_SECRET,
        });
        const { outs } = await provider.create!(inputs);
        assert.strictEqual(outs.errors, 0);
        assert.strictEqual(accountSnapshot(em.scim).users.length, 4);
        const issued = entra.issued.map((i) => `${i.clientId} ${i.scope}`).sort();
        assert.deepStrictEqual(
            [...new Set(issued)],
            [
                `${GRAPH_APP} https://graph.microsoft.com/.default`,
                `${DBX_APP} 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default`,
            ],
        );
        noSecrets(outs);
        em.graph.token = GRAPH_TOKEN;
        em.scim.token = SCIM_TOKEN;
    });

    it("a refused token fails create with id + properties (no secret), and the next update recovers", async () => {
        // As the host passes them: check's inputs plus the serialized provider text.
        const bad = {
            ...(await checked({ databricksToken: "expired-dbx-token-0000" })),
            __provider: "exports.handler = () => ({});",
        };
        const err: any = await provider.create!(bad).then(
            () => assert.fail("should fail"),
            (e) => e,
        );
        assert.ok(err.id, "partial failure carries the id, so Pulumi records the resource");
        assert.strictEqual(
            err.properties.__provider,
            bad.__provider,
            "kept, so a later delete can load the provider from the state",
        );
        assert.match(err.reasons[0], /401/);
        assert.match(err.message, /SCIM sync failed/);
        assert.strictEqual(err.properties.lastRunAt, undefined);
        assert.ok(err.properties.lastError);
        assert.ok(
            !JSON.stringify([err.message, err.reasons, err.properties]).includes(
                "expired-dbx-token-0000",
            ),
        );
        assert.deepStrictEqual(accountSnapshot(em.scim).users, []);

        const good = await checked();
        assert.strictEqual(
            (await provider.diff!(err.id, err.properties, good)).changes,
            true,
            "a failed run is retried",
        );
        const { outs } = await provider.update!(err.id, err.properties, good);
        assert.strictEqual(outs.errors, 0);
        assert.strictEqual(outs.lastError, undefined);
        assert.strictEqual(accountSnapshot(em.scim).users.length, 4);
    });

    it("a transient SCIM 503 is retried inside the run", async () => {
        em.scim.server.failNext("scim:users:post", "503", 1);
        const { outs } = await provider.create!(await checked());
        assert.strictEqual(outs.errors, 0);
        assert.strictEqual(accountSnapshot(em.scim).users.length, 4);
    });

    it("a listed group missing in Entra: failed run, state of what worked kept, lastRunAt not advanced", async () => {
        const first = await provider.create!(await checked());
        const inputs = await checked({ groups: ["Data Team", "Ghosts"] });
        const err: any = await provider.update!(first.id, first.outs, inputs).then(
            () => assert.fail("should fail"),
            (e) => e,
        );
        assert.strictEqual(err.id, first.id);
        assert.match(err.reasons.join(" "), /Ghosts/);
        assert.strictEqual(err.properties.errors, 1);
        assert.strictEqual(err.properties.lastRunAt, first.outs.lastRunAt);
        assert.ok(err.properties.state.ids && Object.keys(err.properties.state.ids).length >= 8);
    });

    it("delete leaves the account untouched", async () => {
        const { id, outs } = await provider.create!(await checked());
        const before = accountSnapshot(em.scim);
        em.resetCounters();
        await provider.delete!(id, outs);
        assert.deepStrictEqual(accountSnapshot(em.scim), before);
        assert.strictEqual(
            em.scim.server.count("scim:users:post") + em.graph.server.count("graph:groups:list"),
            0,
        );
    });
});
