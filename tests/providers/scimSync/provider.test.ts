/**
 * ScimSync provider methods with an injected fake engine: schedule due / not due, dry run, state
 * carried between runs, identity changes, faults (partial failure keeps state), secrets kept out.
 */
import * as assert from "assert";
import type { SyncState, PlannedChange } from "../../../scim/contract/api";
import { ScimSyncFailure, scimSyncMethods } from "../../../providers/scimSync/methods";
import { FakeEngine, fakeSummary } from "./fakeEngine";
import { UNKNOWN } from "../../../core/unknown";

const ACCOUNT = "11111111-2222-3333-4444-555555555555";
const TENANT = "99999999-8888-7777-6666-555555555555";
const APP = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const GRAPH_SECRET = "graph-client-secret-value-XYZ";
const DBX_TOKEN = "dapi-databricks-token-value-123";

function state(n: number): SyncState {
    return {
        version: 1,
        usersDeltaLink: `https://graph/users/delta?token=${n}`,
        ids: { [`obj-${n}`]: `scim-${n}` },
        syncedGroups: ["g1"],
        listedGroups: ["Data Engineers"],
    };
}

const PLAN: PlannedChange[] = [
    { op: "create", kind: "user", key: "ann@contoso.com" },
    { op: "add-members", kind: "group", key: "Data Engineers", detail: "+1" },
];

function setup(startAt = "2026-01-01T00:00:00.000Z") {
    const engine = new FakeEngine();
    const clock = { now: new Date(startAt) };
    let ids = 0;
    const methods = scimSyncMethods({
        runSync: (o) => engine.runSync(o),
        tokenProvider: (api) => async () => `${api}-token`,
        now: () => clock.now,
        newId: () => `scim-sync-${++ids}`,
    });
    const advance = (minutes: number) =>
        (clock.now = new Date(clock.now.getTime() + minutes * 60_000));
    return { engine, clock, methods, advance };
}

async function checked(methods: ReturnType<typeof scimSyncMethods>, news: Record<string, any>) {
    const r = await methods.check({}, news);
    assert.deepStrictEqual(r.failures, [], JSON.stringify(r.failures));
    return r.inputs;
}

const BASE = {
    accountId: ACCOUNT,
    tenantId: TENANT,
    groups: ["Data Engineers"],
    graphClientId: APP,
    graphClientSecret: GRAPH_SECRET,
    databricksToken: DBX_TOKEN,
    interval: "30m",
    version: "1",
};

describe("ScimSync provider (fake engine)", () => {
    describe("check", () => {
        it("fills defaults and keeps the inputs it was given", async () => {
            const { methods } = setup();
            const inputs = await checked(methods, {
                ...BASE,
                groups: [" Data Engineers ", "Data Engineers", "Admins"],
            });
            assert.deepStrictEqual(inputs.groups, ["Data Engineers", "Admins"]);
            assert.strictEqual(inputs.groupSearchDepth, 1);
            assert.strictEqual(inputs.concurrency, 10);
            assert.strictEqual(inputs.fullSync, false);
            assert.strictEqual(inputs.dryRunPrincipals, false);
            assert.strictEqual(inputs.dryRunMembers, false);
            assert.strictEqual(inputs.graphClientSecret, GRAPH_SECRET);
        });

        it("names every bad property with what would be valid, and never echoes a secret", async () => {
            const { methods } = setup();
            const r = await methods.check(
                {},
                {
                    accountId: "not-a-guid",
                    groups: [],
                    groupSearchDepth: 11,
                    concurrency: 0,
                    interval: "soon",
                    fullSync: "yes",
                    accountHost: "http://accounts.example.com",
                    graphClientSecret: GRAPH_SECRET,
                    databricksToken: DBX_TOKEN,
                    databricksClientId: APP,
                    databricksClientSecret: "another-secret-value",
                },
            );
            const by = Object.fromEntries(r.failures.map((f) => [f.property, f.reason]));
            assert.match(by.accountId, /GUID/);
            assert.match(
                by.groups,
                /non-empty list of Entra group display names, got an empty list/,
            );
            assert.match(by.groupSearchDepth, /from 1 to 10, got 11/);
            assert.match(by.concurrency, /from 1 to 64, got 0/);
            assert.match(by.interval, /30m, 6h, 1d.*PT30M/);
            assert.match(by.fullSync, /true or false/);
            assert.match(
                by.accountHost,
                /^plain http:\/\/ is allowed only for loopback hosts \(127.0.0.1, localhost, ::1\); use https:\/\//,
            );
            assert.match(by.graphClientSecret, /graphClientId and graphClientSecret go together/);
            const tenantReasons = r.failures
                .filter((f) => f.property === "tenantId")
                .map((f) => f.reason);
            assert.deepStrictEqual(tenantReasons.length, 2);
            assert.match(tenantReasons[0], /required with graphClientSecret/);
            assert.match(tenantReasons[1], /required with databricksClientSecret/);
            assert.match(by.databricksToken, /either databricksToken or databricksClientId/);
            const text = JSON.stringify(r.failures);
            for (const s of [GRAPH_SECRET, DBX_TOKEN, "another-secret-value"])
                assert.ok(!text.includes(s));
        });

        it("accepts http:// only for loopback hosts (the emulators)", async () => {
            const { methods } = setup();
            await checked(methods, {
                ...BASE,
                accountHost: "http://127.0.0.1:8443",
                graphUrl: "http://localhost:9000/v1.0",
            });
        });

        it("accepts no credentials at all (ambient Azure credentials at run time)", async () => {
            const { methods } = setup();
            const inputs = await checked(methods, { accountId: ACCOUNT, groups: ["Admins"] });
            assert.strictEqual(inputs.graphToken, undefined);
            assert.strictEqual(inputs.graphClientSecret, undefined);
        });
    });

    describe("schedule", () => {
        it("creates with a first sync, then syncs only once the interval has passed since lastRunAt", async () => {
            const { engine, methods, advance, clock } = setup();
            const inputs = await checked(methods, BASE);
            engine.answers.push({ state: state(1), summary: fakeSummary(), plan: PLAN });
            const created = await methods.create(inputs);
            assert.strictEqual(created.id, "scim-sync-1");
            assert.strictEqual(engine.calls.length, 1);
            assert.strictEqual(engine.calls[0].state, undefined, "the first run has no state");
            assert.strictEqual(created.outs.lastRunAt, "2026-01-01T00:00:00.000Z");

            advance(29);
            assert.deepStrictEqual(await methods.diff(created.id, created.outs, inputs), {
                changes: false,
                replaces: [],
                deleteBeforeReplace: false,
            });
            advance(1);
            const due = await methods.diff(created.id, created.outs, inputs);
            assert.strictEqual(due.changes, true);
            assert.deepStrictEqual(due.replaces, [], "a schedule-only change never replaces");

            engine.answers.push({
                state: state(2),
                summary: fakeSummary({ mode: "incremental" }),
                plan: [],
            });
            const updated = await methods.update(created.id, created.outs, inputs);
            assert.deepStrictEqual(
                engine.calls[1].state,
                state(1),
                "the state of run 1 is handed to run 2",
            );
            assert.deepStrictEqual(updated.outs.state, state(2));
            assert.strictEqual(updated.outs.lastRunAt, clock.now.toISOString());
            assert.strictEqual(
                (await methods.diff(created.id, updated.outs, inputs)).changes,
                false,
            );
        });

        it("without an interval, syncs only when inputs change", async () => {
            const { engine, methods, advance } = setup();
            const inputs = await checked(methods, { ...BASE, interval: undefined });
            engine.answers.push({ state: state(1), summary: fakeSummary(), plan: [] });
            const { id, outs } = await methods.create(inputs);
            advance(60 * 24 * 365);
            assert.strictEqual((await methods.diff(id, outs, inputs)).changes, false);
            const more = await checked(methods, {
                ...BASE,
                interval: undefined,
                groups: ["Data Engineers", "Admins"],
            });
            const d = await methods.diff(id, outs, more);
            assert.strictEqual(d.changes, true);
            assert.deepStrictEqual(d.replaces, []);
        });

        it("an input change syncs before the interval is due; a version bump too", async () => {
            const { engine, methods } = setup();
            const inputs = await checked(methods, BASE);
            engine.answers.push({ state: state(1), summary: fakeSummary(), plan: [] });
            const { id, outs } = await methods.create(inputs);
            for (const change of [
                { groupSearchDepth: 2 },
                { dryRunMembers: true },
                { version: "2" },
                { interval: "6h" },
            ]) {
                const news = await checked(methods, { ...BASE, ...change });
                assert.strictEqual(
                    (await methods.diff(id, outs, news)).changes,
                    true,
                    JSON.stringify(change),
                );
            }
        });

        it("drops the carried state when the account or tenant changes (ids would be wrong)", async () => {
            const { engine, methods } = setup();
            const inputs = await checked(methods, BASE);
            engine.answers.push({ state: state(1), summary: fakeSummary(), plan: [] });
            const { id, outs } = await methods.create(inputs);
            const other = await checked(methods, {
                ...BASE,
                accountId: "22222222-2222-3333-4444-555555555555",
            });
            engine.answers.push({ state: state(9), summary: fakeSummary(), plan: [] });
            await methods.update(id, outs, other);
            assert.strictEqual(engine.calls[1].state, undefined);
            assert.strictEqual(
                engine.calls[1].account.accountId,
                "22222222-2222-3333-4444-555555555555",
            );
        });
    });

    describe("run", () => {
        it("passes every option to the engine", async () => {
            const { engine, methods } = setup();
            const inputs = await checked(methods, {
                ...BASE,
                groups: ["A", "B"],
                groupSearchDepth: 3,
                fullSync: true,
                dryRunMembers: true,
                concurrency: 4,
                accountHost: "https://127.0.0.1:1234",
                graphUrl: "https://127.0.0.1:5678/v1.0",
            });
            engine.answers.push({ state: state(1), summary: fakeSummary(), plan: [] });
            await methods.create(inputs);
            const o = engine.calls[0];
            assert.deepStrictEqual(o.groups, ["A", "B"]);
            assert.strictEqual(o.groupSearchDepth, 3);
            assert.strictEqual(o.fullSync, true);
            assert.strictEqual(o.dryRunMembers, true);
            assert.strictEqual(o.dryRunPrincipals, false);
            assert.strictEqual(o.concurrency, 4);
            assert.strictEqual(o.account.host, "https://127.0.0.1:1234");
            assert.strictEqual(o.account.accountId, ACCOUNT);
            assert.strictEqual(o.graph.url, "https://127.0.0.1:5678/v1.0");
            assert.strictEqual(await o.graph.token(), "graph-token");
            assert.strictEqual(await o.account.token(), "databricks-token");
        });

        it("passes the safety settings (removal guard, adoption, deactivation) to the engine; defaults 50, off, off, off", async () => {
            const { engine, methods } = setup();
            const defaults = await checked(methods, BASE);
            assert.deepStrictEqual(
                [
                    defaults.maxRemovalPercent,
                    defaults.allowMassRemoval,
                    defaults.allowGroupAdoption,
                    defaults.deactivateDeleted,
                ],
                [50, false, false, false],
            );
            const inputs = await checked(methods, {
                ...BASE,
                maxRemovalPercent: 20,
                allowMassRemoval: true,
                allowGroupAdoption: true,
                deactivateDeleted: true,
            });
            engine.answers.push({ state: state(1), summary: fakeSummary(), plan: [] });
            await methods.create(inputs);
            const o = engine.calls[0];
            assert.deepStrictEqual(
                [
                    o.maxRemovalPercent,
                    o.allowMassRemoval,
                    o.allowGroupAdoption,
                    o.deactivateDeleted,
                ],
                [20, true, true, true],
            );
            const bad = await methods.check(
                {},
                { ...BASE, maxRemovalPercent: 101, deactivateDeleted: "sometimes" },
            );
            assert.deepStrictEqual(
                bad.failures.map((f) => `${f.property}: ${f.reason}`),
                [
                    "maxRemovalPercent: must be a whole number from 0 to 100, got 101",
                    'deactivateDeleted: must be true or false, got "sometimes"',
                ],
            );
        });

        it("the change report of every run is in `changes` (names, ids, status), with deactivations counted", async () => {
            const { engine, methods } = setup();
            const change: PlannedChange = {
                op: "deactivate",
                kind: "user",
                key: "bob@contoso.com",
                entraId: "u2",
                scimId: "11",
                detail: "deleted in Entra ID: active → false",
                status: "applied",
            };
            engine.answers.push({
                state: state(1),
                summary: fakeSummary({
                    deactivated: { users: 1, servicePrincipals: 0, groups: 0 },
                }),
                plan: [...PLAN, change],
            });
            const { outs } = await methods.create(await checked(methods, BASE));
            assert.deepStrictEqual(outs.changes, [...PLAN, change]);
            assert.strictEqual(outs.changeCount, 3);
            assert.deepStrictEqual(outs.deactivated, { users: 1, servicePrincipals: 0, groups: 0 });
            assert.deepStrictEqual(outs.plannedChanges, [], "not a dry run");
        });

        it("reports counts; lists planned changes only in a dry run", async () => {
            const { engine, methods } = setup();
            const live = await checked(methods, BASE);
            engine.answers.push({
                state: state(1),
                summary: fakeSummary({
                    updated: { users: 1, servicePrincipals: 0, groups: 2 },
                    membersRemoved: 4,
                }),
                plan: PLAN,
            });
            const { outs } = await methods.create(live);
            assert.deepStrictEqual(outs.created, { users: 2, servicePrincipals: 1, groups: 1 });
            assert.deepStrictEqual(outs.updated, { users: 1, servicePrincipals: 0, groups: 2 });
            assert.strictEqual(outs.membersAdded, 3);
            assert.strictEqual(outs.membersRemoved, 4);
            assert.strictEqual(outs.errors, 0);
            assert.deepStrictEqual(outs.plannedChanges, []);
            assert.strictEqual(outs.plannedChangeCount, 2);

            const dry = await checked(methods, { ...BASE, dryRunPrincipals: true });
            engine.answers.push({
                state: state(1),
                summary: fakeSummary({
                    dryRun: true,
                    created: { users: 0, servicePrincipals: 0, groups: 0 },
                }),
                plan: PLAN,
            });
            const d = await methods.create(dry);
            assert.strictEqual(engine.calls[1].dryRunPrincipals, true);
            assert.deepStrictEqual(d.outs.plannedChanges, PLAN);
        });

        it("keeps secrets out of the outputs", async () => {
            const { engine, methods } = setup();
            const inputs = await checked(methods, BASE);
            engine.answers.push({ state: state(1), summary: fakeSummary(), plan: PLAN });
            const { outs } = await methods.create(inputs);
            const text = JSON.stringify(outs);
            assert.ok(!text.includes(GRAPH_SECRET) && !text.includes(DBX_TOKEN));
            assert.strictEqual(outs.graphClientId, APP, "non-secret inputs are echoed for diff");
            for (const k of [
                "graphClientSecret",
                "graphToken",
                "databricksClientSecret",
                "databricksToken",
            ])
                assert.ok(!(k in outs), k);
        });

        it("delete never calls the engine (principals stay in the account)", async () => {
            const { engine, methods } = setup();
            await methods.delete();
            assert.strictEqual(engine.calls.length, 0);
        });
    });

    describe("faults", () => {
        it("an engine error on create rejects with id + properties, so the next up retries as an update", async () => {
            const { engine, methods } = setup();
            const inputs = await checked(methods, BASE);
            engine.answers.push(
                new Error(`Graph 401 for Bearer abc.def.ghi using ${GRAPH_SECRET}`),
            );
            const err = await methods.create(inputs).then(
                () => assert.fail("should reject"),
                (e) => e,
            );
            assert.ok(err instanceof ScimSyncFailure);
            assert.strictEqual(err.id, "scim-sync-1");
            assert.deepStrictEqual(err.reasons, ["Graph 401 for Bearer [secret] using [secret]"]);
            assert.ok(!err.message.includes(GRAPH_SECRET) && !err.message.includes("abc.def.ghi"));
            assert.strictEqual(err.properties.lastRunAt, undefined);
            assert.strictEqual(err.properties.accountId, ACCOUNT);
            assert.strictEqual((await methods.diff(err.id, err.properties, inputs)).changes, true);
        });

        it("an engine error on update keeps the previous state and lastRunAt; the next run retries with that state", async () => {
            const { engine, methods, advance } = setup();
            const inputs = await checked(methods, BASE);
            engine.answers.push({ state: state(1), summary: fakeSummary(), plan: [] });
            const { id, outs } = await methods.create(inputs);
            advance(31);
            engine.answers.push(new Error("socket hang up"));
            const err: ScimSyncFailure = await methods.update(id, outs, inputs).then(
                () => assert.fail("should reject"),
                (e) => e,
            );
            assert.deepStrictEqual(err.properties.state, state(1));
            assert.strictEqual(err.properties.lastRunAt, outs.lastRunAt);
            assert.strictEqual(err.properties.lastError, "socket hang up");
            assert.deepStrictEqual(err.properties.created, outs.created);

            advance(1); // well before the next interval: the failure alone makes it due
            assert.strictEqual((await methods.diff(id, err.properties, inputs)).changes, true);
            engine.answers.push({ state: state(2), summary: fakeSummary(), plan: [] });
            const retried = await methods.update(id, err.properties, inputs);
            assert.deepStrictEqual(engine.calls[2].state, state(1));
            assert.strictEqual(retried.outs.lastError, undefined);
            assert.strictEqual((await methods.diff(id, retried.outs, inputs)).changes, false);
        });

        it("a run with failed operations rejects but records the engine's new state and counts", async () => {
            const { engine, methods } = setup();
            const inputs = await checked(methods, BASE);
            engine.answers.push({ state: state(1), summary: fakeSummary(), plan: [] });
            const { id, outs } = await methods.create(inputs);
            engine.answers.push({
                state: state(2),
                summary: fakeSummary({
                    errors: 2,
                    errorMessages: ["PATCH group g1: 500", `create user: token ${DBX_TOKEN}`],
                }),
                plan: [],
            });
            const err: ScimSyncFailure = await methods.update(id, outs, inputs).then(
                () => assert.fail("should reject"),
                (e) => e,
            );
            assert.deepStrictEqual(err.properties.state, state(2));
            assert.strictEqual(err.properties.errors, 2);
            assert.strictEqual(
                err.properties.lastRunAt,
                outs.lastRunAt,
                "a failed run is not a successful run",
            );
            assert.deepStrictEqual(err.reasons, [
                "PATCH group g1: 500",
                "create user: token [secret]",
            ]);
            assert.ok(!JSON.stringify(err.properties).includes(DBX_TOKEN));
        });
    });
});

describe("ScimSync provider during preview (unknown inputs)", () => {
    it("check leaves values not known yet alone (no failure, passed through); diff assumes a change", async () => {
        const { methods } = setup();
        const r = await methods.check(
            {},
            { ...BASE, accountId: UNKNOWN, groups: [UNKNOWN], groupSearchDepth: UNKNOWN },
        );
        assert.deepStrictEqual(r.failures, []);
        assert.strictEqual(r.inputs.accountId, UNKNOWN);
        assert.deepStrictEqual(r.inputs.groups, [UNKNOWN]);
        assert.strictEqual(r.inputs.groupSearchDepth as unknown, UNKNOWN);
        const known = await checked(methods, BASE);
        const outs = { ...known, lastRunAt: new Date().toISOString() };
        assert.strictEqual((await methods.diff("id", outs, known)).changes, false);
        assert.strictEqual((await methods.diff("id", outs, r.inputs)).changes, true);
    });

    it("still reports the known bad values", async () => {
        const { methods } = setup();
        const r = await methods.check({}, { ...BASE, accountId: UNKNOWN, interval: "often" });
        assert.deepStrictEqual(
            r.failures.map((f) => f.property),
            ["interval"],
        );
    });
});
