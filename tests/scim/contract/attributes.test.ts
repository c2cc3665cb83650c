/**
 * The description of the synced attributes drives the whole sync: every attribute of every kind is
 * selected and read from Graph, read from the account, compared and patched (or sent on create) as its
 * entry says, through the real clients, planner and executor against the emulators. A test-only table
 * with one more attribute reaches the select list, the comparison, the POST and the PATCH without any
 * change to the reader, planner or executor.
 */
import * as assert from "assert";
import {
    ATTRIBUTES,
    SYNCED,
    SyncedAttribute,
    SyncedAttributes,
} from "../../../scim/contract/attributes";
import { PrincipalKind } from "../../../scim/contract/model";
import { AccountClient, parseScimError, scimBaseUrl } from "../../../scim/clients/account";
import { GraphClient, parseGraphError } from "../../../scim/clients/graph";
import { JsonClient } from "../../../scim/clients/http";
import { emptyState } from "../../../scim/engine/state";
import { Context } from "../../../scim/engine/gather";
import { gatherFull } from "../../../scim/engine/readFull";
import { planSync } from "../../../scim/engine/planner";
import { executePlan } from "../../../scim/engine/executor";
import { emulatorSuite, Emulators, FAST_RETRIES, GRAPH_TOKEN, SCIM_TOKEN } from "../fixture";
import { readDoc, sections } from "../../docs/markdown";

/** Changes what the account is sent and answers, for an attribute the emulator does not keep. */
interface AccountAdapter {
    readonly send: (method: string, body: any) => any;
    readonly answer: (method: string, url: URL, body: any) => void;
}

/** A JsonClient that keeps every request it is asked to send (the real one sends it). */
class RecordingClient extends JsonClient {
    readonly sent: { method: string; url: URL; body: any }[] = [];
    adapter?: AccountAdapter;
    override async request<T = any>(
        method: string,
        pathOrUrl: string,
        body?: unknown,
        okStatuses?: readonly number[],
    ) {
        const url = new URL(this.url(pathOrUrl));
        this.sent.push({ method, url, body });
        const a = this.adapter;
        const res = await super.request<T>(
            method,
            pathOrUrl,
            a ? a.send(method, body) : body,
            okStatuses,
        );
        a?.answer(method, url, res.body);
        return res;
    }
}

const KINDS: readonly PrincipalKind[] = ["user", "servicePrincipal", "group"];
const COLLECTION: Record<PrincipalKind, string> = {
    user: "Users",
    servicePrincipal: "ServicePrincipals",
    group: "Groups",
};

/** The engine's full read, plan and apply, on clients that record what they send. */
async function syncOnce(
    em: Emulators,
    attributes: SyncedAttributes = SYNCED,
    adapter?: AccountAdapter,
) {
    const common = { concurrency: 4, retryPolicy: FAST_RETRIES };
    const graphHttp = new RecordingClient({
        ...common,
        api: "graph",
        baseUrl: em.graph.url,
        token: async () => GRAPH_TOKEN,
        parseError: parseGraphError,
    });
    const scimHttp = new RecordingClient({
        ...common,
        api: "scim",
        baseUrl: scimBaseUrl(em.scim.host, em.scim.accountId),
        token: async () => SCIM_TOKEN,
        parseError: parseScimError,
    });
    scimHttp.adapter = adapter;
    const account = new AccountClient(scimHttp, attributes);
    const ctx: Context = {
        options: em.options({ groups: ["Team"], groupSearchDepth: 2 }),
        depth: 2,
        concurrency: 4,
        log: em.logger(),
        graph: new GraphClient(graphHttp, FAST_RETRIES, undefined, attributes),
        account,
        state: emptyState(),
        errors: [],
        listedIds: new Map(),
    };
    const gathered = await gatherFull(ctx);
    const plan = planSync(gathered.desired, gathered.actual, { attributes });
    const result = await executePlan(plan, account, {
        dryRunMembers: false,
        concurrency: 4,
        attributes,
    });
    assert.deepStrictEqual([...ctx.errors, ...plan.errors, ...result.errors], []);
    return { gathered, plan, result, graph: graphHttp.sent, scim: scimHttp.sent };
}

type Run = Awaited<ReturnType<typeof syncOnce>>;

/** The `$select` of the members reads (inside $batch) and of a kind's "from now" delta link. */
function memberSelect(run: Run): string[] {
    const urls = run.graph
        .filter((r) => r.url.pathname.endsWith("/$batch"))
        .flatMap((r) => r.body.requests.map((q: { url: string }) => q.url))
        .filter((u: string) => /\/members\?/.test(u));
    assert.ok(urls.length > 0, "members were read through $batch");
    return new URL(urls[0], "https://x").searchParams.get("$select")!.split(",");
}
function deltaSelect(run: Run, kind: PrincipalKind): string[] {
    const feed = { user: "users", servicePrincipal: "servicePrincipals", group: "groups" }[kind];
    const r = run.graph.find((q) => q.url.pathname.endsWith(`/${feed}/delta`));
    return r!.url.searchParams.get("$select")!.split(",");
}
function listAttributes(run: Run, kind: PrincipalKind): string[] {
    const r = run.scim.find(
        (q) => q.method === "GET" && q.url.pathname.endsWith(`/${COLLECTION[kind]}`),
    );
    return r!.url.searchParams.get("attributes")!.split(",");
}
function replaces(run: Run, kind: PrincipalKind, scimId: string): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const r of run.scim)
        if (r.method === "PATCH" && r.url.pathname.endsWith(`/${COLLECTION[kind]}/${scimId}`))
            for (const op of r.body.Operations) if (op.op === "replace") out.set(op.path, op.value);
    return out;
}
function created(run: Run, kind: PrincipalKind, key: string): Record<string, unknown> {
    const keyAttribute = SYNCED.keys[kind].scim;
    const r = run.scim.find(
        (q) =>
            q.method === "POST" &&
            q.url.pathname.endsWith(`/${COLLECTION[kind]}`) &&
            q.body[keyAttribute] === key,
    );
    assert.ok(r, `a ${kind} "${key}" was created`);
    return r.body;
}

describe("scim synced attributes: one description drives reads, comparison and PATCH", () => {
    const em = new Emulators();
    const ids: Record<string, string> = {};
    const scimIds: Record<string, string> = {};
    emulatorSuite(em, () => {
        const g = em.graph;
        // Existing in the account with other values: compared and patched.
        const alice = g.addUser({
            userPrincipalName: "alice@contoso.com",
            displayName: "Alice Entra",
            accountEnabled: false,
        });
        const robot = g.addServicePrincipal({
            appId: "0b7e2c8e-0000-4000-8000-0000000000aa",
            displayName: "Robot Entra",
            accountEnabled: false,
        });
        // New: created with their attributes.
        const bob = g.addUser({ userPrincipalName: "bob@contoso.com", displayName: "Bob Entra" });
        const newbot = g.addServicePrincipal({
            appId: "0b7e2c8e-0000-4000-8000-0000000000bb",
            displayName: "Newbot Entra",
        });
        const team = g.addGroup("Team");
        const nested = g.addGroup("Nested");
        const fresh = g.addGroup("Fresh");
        for (const m of [alice, robot, bob, newbot, nested, fresh]) g.addMember(team.id, m.id);
        g.addMember(nested.id, alice.id);
        g.addMember(fresh.id, bob.id);
        Object.assign(ids, {
            alice: alice.id,
            robot: robot.id,
            bob: bob.id,
            newbot: newbot.id,
            team: team.id,
            nested: nested.id,
            fresh: fresh.id,
        });
        const s = em.scim;
        scimIds.alice = s.seedUser({
            userName: "alice@contoso.com",
            displayName: "Alice Account",
            active: true,
            externalId: alice.id,
        }).id;
        scimIds.robot = s.seedServicePrincipal({
            applicationId: robot.appId,
            displayName: "Robot Account",
            active: true,
            externalId: robot.id,
        }).id;
        // Adopted by name without externalId: it gets the Entra id.
        scimIds.team = s.seedGroup("Team").id;
        // Found by externalId under an older name: renamed.
        scimIds.nested = s.seedGroup("Nested Account", [scimIds.alice], nested.id).id;
    });

    /**
     * What each attribute must do for each kind in this tenant: Entra's value, the account's value
     * read, the PATCH `replace` value (absent: none sent), and the value in the POST of a new one
     * (absent: not sent). Keys: the existing and the new principal of the kind.
     */
    interface Expected {
        entra: unknown;
        account: unknown;
        patch?: unknown;
        create?: unknown;
    }
    const principals = {
        user: {
            existing: "alice",
            key: "alice@contoso.com",
            fresh: "bob",
            freshKey: "bob@contoso.com",
        },
        servicePrincipal: {
            existing: "robot",
            key: "0b7e2c8e-0000-4000-8000-0000000000aa",
            fresh: "newbot",
            freshKey: "0b7e2c8e-0000-4000-8000-0000000000bb",
        },
        group: { existing: "team", key: "Team", fresh: "fresh", freshKey: "Fresh" },
    } as const;
    const expected = (): Record<string, Partial<Record<PrincipalKind, Expected>>> => ({
        displayName: {
            user: {
                entra: "Alice Entra",
                account: "Alice Account",
                patch: "Alice Entra",
                create: "Bob Entra",
            },
            servicePrincipal: {
                entra: "Robot Entra",
                account: "Robot Account",
                patch: "Robot Entra",
                create: "Newbot Entra",
            },
            // Team's name agrees; the group found by externalId ("Nested Account") is checked below.
            group: { entra: "Team", account: "Team", create: "Fresh" },
        },
        active: {
            // Sent as a string in PATCH, a boolean in POST.
            user: { entra: false, account: true, patch: "false", create: true },
            servicePrincipal: { entra: false, account: true, patch: "false", create: true },
            // Account groups have no `active`: not read, not sent.
            group: { entra: true, account: undefined },
        },
        externalId: {
            // A user's or SP's externalId is read (the takeover check) but never overwritten.
            user: { entra: ids.alice, account: ids.alice, create: ids.bob },
            servicePrincipal: { entra: ids.robot, account: ids.robot, create: ids.newbot },
            group: { entra: ids.team, account: undefined, patch: ids.team, create: ids.fresh },
        },
    });

    it("the cases below cover every attribute and kind of the description", () => {
        const described = ATTRIBUTES.flatMap((a) =>
            KINDS.filter((k) => a.kinds[k]).map((k) => `${a.name}/${k}`),
        );
        const cases = Object.entries(expected()).flatMap(([name, byKind]) =>
            Object.keys(byKind).map((k) => `${name}/${k}`),
        );
        assert.deepStrictEqual(cases.sort(), described.sort());
    });

    it("docs/scim-sync.md lists the described attributes and no other", () => {
        const table = sections(readDoc("docs/scim-sync.md")).get("Synced attributes") ?? "";
        const rows = [...table.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]);
        assert.deepStrictEqual(
            rows,
            ATTRIBUTES.map((a) => a.name),
        );
    });

    it("every attribute of every kind is read from Graph, read from the account, compared, patched and sent on create as described", async () => {
        const run = await syncOnce(em);
        const members = memberSelect(run);
        const want = expected();
        for (const attribute of ATTRIBUTES) {
            for (const kind of KINDS) {
                const rule = attribute.kinds[kind];
                if (!rule) continue;
                const at = `${attribute.name} of a ${kind}`;
                const e = want[attribute.name][kind]!;
                const who = principals[kind];
                // Graph: selected in the members read and in the kind's delta feed, mapped to the desired value.
                for (const field of rule.graphSelect) {
                    assert.ok(members.includes(field), `${at}: members $select has ${field}`);
                    if (field !== "id")
                        assert.ok(
                            deltaSelect(run, kind).includes(field),
                            `${at}: delta $select has ${field}`,
                        );
                }
                const desired = run.gathered.desired.principals.get(ids[who.existing]) as any;
                assert.deepStrictEqual(desired[attribute.desired], e.entra, `${at}: Entra's value`);
                // Account: named in the list attributes when read, parsed from the answer.
                assert.strictEqual(
                    listAttributes(run, kind).includes(attribute.name),
                    rule.fromScim,
                    `${at}: list attributes`,
                );
                const actual = [...run.gathered.actual.byKey.values()].find(
                    (p) => p.id === scimIds[who.existing],
                ) as any;
                assert.deepStrictEqual(
                    actual[attribute.name],
                    e.account,
                    `${at}: the account's value`,
                );
                // Compared and patched: one replace with the described value, or none.
                const sent = replaces(run, kind, scimIds[who.existing]);
                assert.deepStrictEqual(sent.get(attribute.name), e.patch, `${at}: PATCH replace`);
                if (e.patch !== undefined)
                    assert.ok(rule.differs, `${at}: patched only with a comparison`);
                // Created: in the POST of the new principal, or not at all.
                assert.deepStrictEqual(
                    created(run, kind, who.freshKey)[attribute.name],
                    e.create,
                    `${at}: POST`,
                );
            }
        }
        // A group renamed in Entra (found by externalId) gets Entra's name by PATCH.
        assert.strictEqual(replaces(run, "group", scimIds.nested).get("displayName"), "Nested");
    });

    it("the real table reads exactly these fields from Graph and the account", async () => {
        const run = await syncOnce(em);
        const set = (fields: string[]) => [...fields].sort();
        assert.deepStrictEqual(
            set(memberSelect(run)),
            set([
                "id",
                "displayName",
                "userPrincipalName",
                "mail",
                "userType",
                "accountEnabled",
                "appId",
            ]),
        );
        assert.deepStrictEqual(
            set(deltaSelect(run, "user")),
            set(["displayName", "userPrincipalName", "mail", "userType", "accountEnabled"]),
        );
        assert.deepStrictEqual(deltaSelect(run, "servicePrincipal"), [
            "appId",
            "displayName",
            "accountEnabled",
        ]);
        assert.deepStrictEqual(deltaSelect(run, "group"), ["displayName", "members"]);
        assert.deepStrictEqual(listAttributes(run, "user"), [
            "id",
            "userName",
            "displayName",
            "active",
            "externalId",
        ]);
        assert.deepStrictEqual(listAttributes(run, "servicePrincipal"), [
            "id",
            "applicationId",
            "displayName",
            "active",
            "externalId",
        ]);
        assert.deepStrictEqual(listAttributes(run, "group"), ["id", "displayName", "externalId"]);
    });

    it("after the PATCHes both sides agree: a second read plans no update", async () => {
        await syncOnce(em);
        assert.strictEqual(em.scim.users.get(scimIds.alice)!.displayName, "Alice Entra");
        assert.strictEqual(em.scim.users.get(scimIds.alice)!.active, false);
        assert.strictEqual(em.scim.servicePrincipals.get(scimIds.robot)!.active, false);
        assert.strictEqual(em.scim.groups.get(scimIds.team)!.externalId, ids.team);
        assert.strictEqual(em.scim.groups.get(scimIds.nested)!.displayName, "Nested");
        const again = await syncOnce(em);
        assert.deepStrictEqual(
            again.plan.ops.filter((o) => o.type !== "members"),
            [],
            "nothing differs any more",
        );
        assert.deepStrictEqual(
            again.scim.filter((r) => r.method === "PATCH" || r.method === "POST"),
            [],
        );
    });

    describe("a test-only table with one more attribute", () => {
        // Entra's department for users, kept in an account attribute of the same name.
        // Names the model does not have: the engine's tables are typed `SyncedAttribute<string, string>`.
        const department: SyncedAttribute<string, string> = {
            name: "department",
            desired: "department",
            parse: (raw) => (raw === undefined ? undefined : String(raw)),
            patchValue: (v) => v,
            kinds: {
                user: {
                    graphSelect: ["department"],
                    fromGraph: (o) => o.department ?? "",
                    fromScim: true,
                    onCreate: true,
                    differs: (desired, actual) => actual !== desired,
                },
            },
        };
        const withDepartment = new SyncedAttributes([...ATTRIBUTES, department]);

        it("reaches the select list, the account read, the comparison, the POST and the PATCH", async () => {
            // Graph answers every field of its stored object; the account keeps unknown attributes
            // only in this test's fake, so the account side is recorded from the PATCH and POST sent.
            Object.assign(em.graph.users.get(ids.alice)!, { department: "Data" });
            Object.assign(em.graph.users.get(ids.bob)!, { department: "Finance" });
            const run = await syncOnce(em, withDepartment, departmentInAccount());
            assert.ok(memberSelect(run).includes("department"));
            assert.ok(deltaSelect(run, "user").includes("department"));
            assert.ok(!deltaSelect(run, "servicePrincipal").includes("department"));
            assert.ok(listAttributes(run, "user").includes("department"));
            assert.ok(!listAttributes(run, "group").includes("department"));
            const update = run.plan.ops.find(
                (o) => o.type === "update" && o.principal.entraId === ids.alice,
            );
            assert.deepStrictEqual(update?.type === "update" && update.set, {
                displayName: "Alice Entra",
                active: false,
                department: "Data",
            });
            assert.deepStrictEqual(update?.type === "update" && update.was, {
                displayName: "Alice Account",
                active: true,
                department: "Sales",
            });
            assert.deepStrictEqual(
                run.scim.find(
                    (r) =>
                        r.method === "PATCH" && r.url.pathname.endsWith(`/Users/${scimIds.alice}`),
                )?.body.Operations,
                [
                    { op: "replace", path: "displayName", value: "Alice Entra" },
                    { op: "replace", path: "active", value: "false" },
                    { op: "replace", path: "department", value: "Data" },
                ],
            );
            assert.strictEqual(created(run, "user", "bob@contoso.com").department, "Finance");
            // The same tenant with the real table selects and sends no department.
            const plain = await syncOnce(em);
            assert.ok(!memberSelect(plain).includes("department"));
            assert.ok(!listAttributes(plain, "user").includes("department"));
        });
    });

    /**
     * The account's side of the test-only attribute: alice's `department` is "Sales", and what is sent
     * of it is recorded but kept from the emulator, whose PATCH refuses paths it does not know.
     */
    function departmentInAccount(): AccountAdapter {
        return {
            send: (method, body) => {
                if (method === "PATCH")
                    return {
                        ...body,
                        Operations: body.Operations.filter((o: any) => o.path !== "department"),
                    };
                if (method === "POST") {
                    const { department: _sent, ...rest } = body;
                    return rest;
                }
                return body;
            },
            answer: (method, url, body) => {
                if (method !== "GET" || !url.pathname.endsWith("/Users")) return;
                for (const r of body?.Resources ?? [])
                    if (r.id === scimIds.alice) r.department = "Sales";
            },
        };
    }
});
