import * as assert from "assert";
import { runSync, SyncResult } from "../../../scim";
import { accountSnapshot, emulatorSuite, Emulators, seedSmallTenant } from "../fixture";

describe("scim sync against the Graph and SCIM emulators", () => {
    const em = new Emulators();
    let t: ReturnType<typeof seedSmallTenant>;
    emulatorSuite(em, () => (t = seedSmallTenant(em.graph)));

    const sync = (extra: Parameters<Emulators["options"]>[0]) => runSync(em.options(extra));

    it("first sync: creates users, the SP and nested groups with members inline, matching ids in externalId", async () => {
        const r = await sync({ groups: ["Data Team"], groupSearchDepth: 3 });
        assert.deepStrictEqual(accountSnapshot(em.scim), {
            users: [
                `alice@contoso.com|Alice|true|${t.alice.id}`,
                `bob@contoso.com|Bob|true|${t.bob.id}`,
                `carol@contoso.com|Carol|true|${t.carol.id}`,
                `dave@fabrikam.com|Dave|true|${t.dave.id}`,
            ],
            servicePrincipals: [`9a7c1f0e-0000-4000-8000-00000000e71a|etl|true|${t.etl.id}`],
            groups: [
                `Analysts|${t.analysts.id}: Interns, carol@contoso.com`,
                `Data Team|${t.dataTeam.id}: 9a7c1f0e-0000-4000-8000-00000000e71a, Analysts, alice@contoso.com, bob@contoso.com`,
                `Interns|${t.interns.id}: dave@fabrikam.com`,
            ],
        });
        // Lower bound of writes: one POST per principal, groups with their members inline, no PATCH.
        assert.strictEqual(em.scim.server.count("scim:users:post"), 4);
        assert.strictEqual(em.scim.server.count("scim:sps:post"), 1);
        assert.strictEqual(em.scim.server.count("scim:groups:post"), 3);
        assert.strictEqual(em.scim.server.count("scim:groups:patch"), 0);
        assert.deepStrictEqual(r.summary, {
            mode: "full",
            dryRun: false,
            created: { users: 4, servicePrincipals: 1, groups: 3 },
            updated: { users: 0, servicePrincipals: 0, groups: 0 },
            membersAdded: 7,
            membersRemoved: 0,
            errors: 0,
            errorMessages: [],
            deactivated: { users: 0, servicePrincipals: 0, groups: 0 },
        });
        assert.deepStrictEqual(r.state.listedGroups, ["Data Team"]);
        assert.deepStrictEqual(
            [...r.state.syncedGroups].sort(),
            [t.analysts.id, t.dataTeam.id, t.interns.id].sort(),
        );
        assert.strictEqual(r.state.ids[t.alice.id], em.scim.userByName("alice@contoso.com")!.id);
        assert.match(r.state.groupsDeltaLink!, /deltatoken=/);
    });

    it("an immediate rerun is incremental, reads only the three delta links and writes nothing", async () => {
        const first = await sync({ groups: ["Data Team"], groupSearchDepth: 3 });
        em.resetCounters();
        const before = accountSnapshot(em.scim);
        const r = await sync({ groups: ["Data Team"], groupSearchDepth: 3, state: first.state });
        assert.strictEqual(r.summary.mode, "incremental");
        assert.deepStrictEqual(r.plan, []);
        assert.strictEqual(em.scim.server.total("scim:"), 0, "no SCIM call at all");
        assert.deepStrictEqual([...em.graph.server.counters.keys()].sort(), [
            "graph:delta:groups",
            "graph:delta:sps",
            "graph:delta:users",
        ]);
        assert.deepStrictEqual(accountSnapshot(em.scim), before);
    });

    it("incremental run applies adds, removes, renames and a disabled user; the removed user is kept", async () => {
        const first = await sync({ groups: ["Data Team"], groupSearchDepth: 3 });
        const frank = em.graph.addUser({
            userPrincipalName: "frank@contoso.com",
            displayName: "Frank",
        });
        em.graph.addMember(t.analysts.id, frank.id);
        em.graph.removeMember(t.dataTeam.id, t.bob.id);
        em.graph.renameGroup(t.interns.id, "Interns 2026");
        em.graph.updateUser(t.alice.id, { displayName: "Alice Smith" });
        em.graph.updateUser(t.carol.id, { accountEnabled: false });
        em.graph.updateUser(t.erin.id, { displayName: "Erin (not synced)" });
        em.resetCounters();
        const r = await sync({ groups: ["Data Team"], groupSearchDepth: 3, state: first.state });
        assert.strictEqual(r.summary.mode, "incremental");
        assert.deepStrictEqual(accountSnapshot(em.scim), {
            users: [
                `alice@contoso.com|Alice Smith|true|${t.alice.id}`,
                `bob@contoso.com|Bob|true|${t.bob.id}`,
                `carol@contoso.com|Carol|false|${t.carol.id}`,
                `dave@fabrikam.com|Dave|true|${t.dave.id}`,
                `frank@contoso.com|Frank|true|${frank.id}`,
            ],
            servicePrincipals: [`9a7c1f0e-0000-4000-8000-00000000e71a|etl|true|${t.etl.id}`],
            groups: [
                `Analysts|${t.analysts.id}: Interns 2026, carol@contoso.com, frank@contoso.com`,
                `Data Team|${t.dataTeam.id}: 9a7c1f0e-0000-4000-8000-00000000e71a, Analysts, alice@contoso.com`,
                `Interns 2026|${t.interns.id}: dave@fabrikam.com`,
            ],
        });
        assert.strictEqual(
            em.scim.userByName("erin@contoso.com"),
            undefined,
            "users outside synced groups are not synced",
        );
        // One PATCH per changed group (Analysts + Data Team membership, Interns rename), one per changed user, one POST.
        assert.strictEqual(em.scim.server.count("scim:groups:patch"), 3);
        assert.strictEqual(em.scim.server.count("scim:users:patch"), 2);
        assert.strictEqual(em.scim.server.count("scim:users:post"), 1);
        assert.strictEqual(
            em.scim.server.count("scim:users:list"),
            2,
            "the new member's lookup, and the account count for the limit check",
        );
        assert.strictEqual(
            em.graph.server.count("batch>graph:members"),
            2,
            "only the two groups whose membership changed are re-read",
        );
        assert.deepStrictEqual(
            [
                r.summary.created.users,
                r.summary.updated.users,
                r.summary.updated.groups,
                r.summary.membersAdded,
                r.summary.membersRemoved,
            ],
            [1, 2, 1, 1, 1],
        );
        // And the next run is quiet again.
        em.resetCounters();
        const again = await sync({ groups: ["Data Team"], groupSearchDepth: 3, state: r.state });
        assert.deepStrictEqual(again.plan, []);
        assert.strictEqual(em.scim.writeCalls(), 0);
    });

    for (const [depth, groups] of [
        [
            1,
            [`Data Team: 9a7c1f0e-0000-4000-8000-00000000e71a, alice@contoso.com, bob@contoso.com`],
        ],
        [
            2,
            [
                `Analysts: carol@contoso.com`,
                `Data Team: 9a7c1f0e-0000-4000-8000-00000000e71a, Analysts, alice@contoso.com, bob@contoso.com`,
            ],
        ],
        [
            3,
            [
                `Analysts: Interns, carol@contoso.com`,
                `Data Team: 9a7c1f0e-0000-4000-8000-00000000e71a, Analysts, alice@contoso.com, bob@contoso.com`,
                `Interns: dave@fabrikam.com`,
            ],
        ],
    ] as const) {
        it(`nested groups at groupSearchDepth ${depth}: groups of every level down to ${depth} are synced with their members`, async () => {
            await sync({ groups: ["Data Team"], groupSearchDepth: depth });
            assert.deepStrictEqual(
                accountSnapshot(em.scim).groups.map((g) => g.replace(/\|[^:]*/, "")),
                groups,
            );
        });
    }

    it("a deeper groupSearchDepth on a later run forces a full read and adds the deeper groups", async () => {
        const first = await sync({ groups: ["Data Team"], groupSearchDepth: 1 });
        const r = await sync({ groups: ["Data Team"], groupSearchDepth: 3, state: first.state });
        assert.strictEqual(r.summary.mode, "full");
        assert.strictEqual(em.scim.groups.size, 3);
    });

    it("dryRunPrincipals writes nothing, lists creations and membership, and returns the state unchanged", async () => {
        const r = await sync({
            groups: ["Data Team"],
            groupSearchDepth: 2,
            dryRunPrincipals: true,
        });
        assert.strictEqual(em.scim.writeCalls(), 0);
        assert.strictEqual(
            em.scim.users.size + em.scim.groups.size + em.scim.servicePrincipals.size,
            0,
        );
        assert.deepStrictEqual(
            r.plan.map((c) => `${c.op} ${c.kind} ${c.key}`),
            [
                "create user alice@contoso.com",
                "create user bob@contoso.com",
                "create user carol@contoso.com",
                "create servicePrincipal 9a7c1f0e-0000-4000-8000-00000000e71a",
                "create group Data Team",
                "add-members group Data Team",
                "create group Analysts",
                "add-members group Analysts",
            ],
        );
        assert.strictEqual(r.summary.dryRun, true);
        assert.deepStrictEqual(r.state, {
            version: 1,
            ids: {},
            syncedGroups: [],
            listedGroups: [],
            groupLevels: {},
        });
    });

    it("dryRunMembers creates and updates principals but only lists membership changes; delta links are kept", async () => {
        const first = await sync({ groups: ["Data Team"], groupSearchDepth: 1 });
        em.graph.removeMember(t.dataTeam.id, t.bob.id);
        em.graph.addMember(t.dataTeam.id, t.erin.id);
        em.resetCounters();
        const r = await sync({
            groups: ["Data Team"],
            groupSearchDepth: 1,
            dryRunMembers: true,
            state: first.state,
        });
        assert.ok(em.scim.userByName("erin@contoso.com"), "the new member is created");
        assert.strictEqual(
            em.scim.server.count("scim:groups:patch"),
            0,
            "membership is not written",
        );
        assert.deepStrictEqual(em.scim.memberNames("Data Team"), [
            "9a7c1f0e-0000-4000-8000-00000000e71a",
            "alice@contoso.com",
            "bob@contoso.com",
        ]);
        assert.deepStrictEqual(
            r.plan.map((c) => `${c.op} ${c.key} ${c.detail}`),
            [
                "create erin@contoso.com Erin",
                "add-members Data Team 1 member: erin@contoso.com",
                // Named (the account's display name), not scim:<id>.
                "remove-members Data Team 1 member: Bob",
            ],
        );
        assert.strictEqual(
            r.state.groupsDeltaLink,
            first.state.groupsDeltaLink,
            "membership changes will be seen again",
        );
        const applied = await sync({ groups: ["Data Team"], groupSearchDepth: 1, state: r.state });
        assert.deepStrictEqual(em.scim.memberNames("Data Team"), [
            "9a7c1f0e-0000-4000-8000-00000000e71a",
            "alice@contoso.com",
            "erin@contoso.com",
        ]);
        assert.strictEqual(applied.summary.created.users, 0);
    });

    it("never deletes: principals removed from Entra, from groups, or unknown to Entra stay in the account", async () => {
        const stranger = em.scim.seedUser({
            userName: "stranger@contoso.com",
            displayName: "Stranger",
            active: true,
        });
        const first = await sync({ groups: ["Data Team"], groupSearchDepth: 3 });
        em.graph.removeMember(t.interns.id, t.dave.id);
        em.graph.users.delete(t.dave.id);
        em.graph.removeMember(t.dataTeam.id, t.analysts.id);
        // Interns loses its only member: emptying a group needs allowMassRemoval (the removal guard).
        const r = await sync({
            groups: ["Data Team"],
            groupSearchDepth: 3,
            state: first.state,
            allowMassRemoval: true,
        });
        const full = await sync({
            groups: ["Data Team"],
            groupSearchDepth: 3,
            fullSync: true,
            state: r.state,
        });
        assert.strictEqual(full.summary.mode, "full");
        assert.ok(em.scim.users.has(stranger.id));
        assert.ok(em.scim.userByName("dave@fabrikam.com"));
        assert.ok(em.scim.groupByName("Analysts") && em.scim.groupByName("Interns"));
        assert.deepStrictEqual(em.scim.memberNames("Interns"), []);
        assert.deepStrictEqual(em.scim.memberNames("Data Team"), [
            "9a7c1f0e-0000-4000-8000-00000000e71a",
            "alice@contoso.com",
            "bob@contoso.com",
        ]);
    });

    it("adopts principals that already exist in the account (matched by userName, applicationId, displayName)", async () => {
        em.scim.seedUser({
            userName: "ALICE@contoso.com",
            displayName: "Alice (old)",
            active: false,
        });
        em.scim.seedGroup("Data Team", []);
        const r = await sync({ groups: ["Data Team"], groupSearchDepth: 1 });
        assert.strictEqual(em.scim.users.size, 2);
        assert.strictEqual(em.scim.groups.size, 1);
        assert.deepStrictEqual(accountSnapshot(em.scim).users[0], "ALICE@contoso.com|Alice|true|");
        assert.deepStrictEqual(em.scim.memberNames("Data Team"), [
            "9a7c1f0e-0000-4000-8000-00000000e71a",
            "ALICE@contoso.com",
            "bob@contoso.com",
        ]);
        assert.deepStrictEqual(
            [r.summary.created.users, r.summary.updated.users, r.summary.membersAdded],
            [1, 1, 3],
        );
    });

    it("a group newly added to the groups file gets a full read the first time, the rest stays incremental", async () => {
        const first = await sync({ groups: ["Data Team"], groupSearchDepth: 1 });
        em.resetCounters();
        const r = await sync({
            groups: ["Data Team", "Other"],
            groupSearchDepth: 1,
            state: first.state,
        });
        assert.strictEqual(r.summary.mode, "incremental");
        assert.deepStrictEqual(em.scim.memberNames("Other"), ["erin@contoso.com"]);
        assert.strictEqual(
            em.graph.server.count("batch>graph:members"),
            1,
            "only the new group's members are read",
        );
        assert.deepStrictEqual(r.state.listedGroups, ["Data Team", "Other"]);
    });

    it("a group name dropped from the groups file forces a full read; the group stays in the account", async () => {
        const first = await sync({ groups: ["Data Team", "Other"], groupSearchDepth: 1 });
        const r = await sync({ groups: ["Data Team"], groupSearchDepth: 1, state: first.state });
        assert.strictEqual(r.summary.mode, "full");
        assert.ok(em.scim.groupByName("Other"));
        assert.ok(!r.state.syncedGroups.includes(t.other.id));
    });

    for (const how of ["410", "syncStateNotFound"] as const) {
        it(`an expired delta link (${how}) falls back to a full read that still converges`, async () => {
            const first = await sync({ groups: ["Data Team"], groupSearchDepth: 3 });
            em.graph.expireDeltaLinks(how);
            em.graph.removeMember(t.dataTeam.id, t.alice.id);
            const r = await sync({
                groups: ["Data Team"],
                groupSearchDepth: 3,
                state: first.state,
            });
            assert.strictEqual(r.summary.mode, "full");
            assert.ok(
                em.logs.some(
                    (l) => l.startsWith("warn") && /delta link is no longer valid/.test(l),
                ),
            );
            assert.deepStrictEqual(em.scim.memberNames("Data Team"), [
                "9a7c1f0e-0000-4000-8000-00000000e71a",
                "Analysts",
                "bob@contoso.com",
            ]);
            const next = await sync({ groups: ["Data Team"], groupSearchDepth: 3, state: r.state });
            assert.strictEqual(next.summary.mode, "incremental");
        });
    }

    it("reports a listed group missing from Entra (or refused by Graph) as an error and still syncs the others", async () => {
        const long = "x".repeat(130);
        const r = await sync({ groups: ["Data Team", "No Such Group", long], groupSearchDepth: 1 });
        assert.match(
            r.summary.errorMessages[0],
            /^group "No Such Group" was not found in Entra ID/,
        );
        assert.match(
            r.summary.errorMessages[1],
            /^group "x+" could not be looked up in Entra ID: graph GET \/groups failed: HTTP 400 Request_BadRequest/,
        );
        assert.strictEqual(r.summary.errors, 2);
        assert.ok(em.scim.groupByName("Data Team"));
        // Kept listed: a run without the groups file fails the same way; only found names have an id.
        assert.deepStrictEqual(r.state.listedGroups, ["Data Team", "No Such Group", long]);
        assert.deepStrictEqual(Object.keys(r.state.listedGroupIds ?? {}), ["Data Team"]);
    });

    it("pages through large groups and SCIM lists (members over several pages, account over several list pages)", async () => {
        const big = em.graph.addGroup("Big");
        for (let i = 0; i < 250; i++)
            em.graph.addMember(
                big.id,
                em.graph.addUser({ userPrincipalName: `u${i}@contoso.com` }).id,
            );
        for (let i = 0; i < 230; i++)
            em.scim.seedUser({
                userName: `other${i}@contoso.com`,
                displayName: `o${i}`,
                active: true,
            });
        em.graph.memberPageMax = 100;
        const r: SyncResult = await sync({ groups: ["Big"] });
        assert.strictEqual(r.summary.created.users, 250);
        assert.strictEqual(em.scim.memberNames("Big").length, 250);
        assert.strictEqual(
            em.graph.server.count("batch>graph:members"),
            3,
            "three member pages of 100",
        );
        assert.strictEqual(
            em.scim.server.count("scim:users:list"),
            4,
            "three list pages and the empty one that ends the list",
        );
    });

    it("incremental: a group newly nested into a synced group is synced with its members, down to the depth only", async () => {
        const first = await sync({ groups: ["Data Team"], groupSearchDepth: 2 });
        const ops = em.graph.addGroup("Ops");
        const deep = em.graph.addGroup("Ops Deep");
        em.graph.addMember(ops.id, t.erin.id);
        em.graph.addMember(ops.id, deep.id);
        em.graph.addMember(deep.id, t.carol.id);
        em.graph.addMember(t.dataTeam.id, ops.id); // level 2 under Data Team
        const r = await sync({ groups: ["Data Team"], groupSearchDepth: 2, state: first.state });
        assert.strictEqual(r.summary.mode, "incremental");
        assert.deepStrictEqual(
            em.scim.memberNames("Ops"),
            ["erin@contoso.com"],
            "level 2 = the depth: its nested group is not followed",
        );
        assert.strictEqual(em.scim.groupByName("Ops Deep"), undefined);
        assert.ok(em.scim.memberNames("Data Team").includes("Ops"));
        assert.strictEqual(r.state.groupLevels?.[ops.id], 2);
        assert.ok(r.state.syncedGroups.includes(ops.id));
        // Membership changes inside the newly synced group are followed by the next incremental run.
        em.graph.addMember(ops.id, t.bob.id);
        await sync({ groups: ["Data Team"], groupSearchDepth: 2, state: r.state });
        assert.deepStrictEqual(em.scim.memberNames("Ops"), ["bob@contoso.com", "erin@contoso.com"]);
    });

    it("resubmits $batch items answered 429 or 503 inside a 200 batch", async () => {
        em.graph.batchItemFaults.push(429, 503);
        const r = await sync({ groups: ["Data Team"], groupSearchDepth: 3 });
        assert.strictEqual(r.summary.errors, 0);
        // The lookup item is answered 429, resubmitted, answered 503, resubmitted, then served.
        assert.strictEqual(em.graph.server.faultCounters.get("batch>graph:groups:list:429"), 1);
        assert.strictEqual(em.graph.server.faultCounters.get("batch>graph:groups:list:503"), 1);
        assert.strictEqual(
            em.graph.server.count("graph:batch"),
            6,
            "one lookup and three member batches, plus the two resubmissions",
        );
        assert.strictEqual(em.scim.groups.size, 3);
    });

    it("finds a listed group whatever the case of its name, and names it in the account as Entra does", async () => {
        const r = await sync({ groups: ["data team"], groupSearchDepth: 1 });
        assert.deepStrictEqual(r.summary.errorMessages, []);
        assert.ok(em.scim.groupByName("Data Team"));
        assert.deepStrictEqual(r.state.listedGroups, ["data team"]);
    });

    it("does not follow a delta link that points away from the configured Graph URL: full read instead", async () => {
        const first = await sync({ groups: ["Data Team"], groupSearchDepth: 1 });
        const forged = {
            ...first.state,
            groupsDeltaLink: "https://attacker.example.com/v1.0/groups/delta?$deltatoken=1",
        };
        const r = await sync({ groups: ["Data Team"], groupSearchDepth: 1, state: forged });
        assert.strictEqual(r.summary.mode, "full");
        assert.ok(em.logs.some((l) => /does not point at http:\/\/127\.0\.0\.1/.test(l)));
    });

    it("in a large account, looks up the few synced users by filter instead of listing every page", async () => {
        for (let i = 0; i < 450; i++)
            em.scim.seedUser({
                userName: `other${i}@contoso.com`,
                displayName: `o${i}`,
                active: true,
            });
        em.scim.seedUser({ userName: "bob@contoso.com", displayName: "Bob (old)", active: true }); // on the 5th page
        const r = await sync({ groups: ["Data Team"], groupSearchDepth: 1 });
        assert.strictEqual(
            em.scim.server.count("scim:users:list"),
            3,
            "first page + one lookup per user (alice, bob), not 5 more pages",
        );
        assert.strictEqual(em.scim.users.size, 452, "bob adopted, alice created");
        assert.deepStrictEqual([r.summary.created.users, r.summary.updated.users], [1, 1]);
        assert.strictEqual(em.scim.userByName("bob@contoso.com")!.displayName, "Bob");
    });

    it("a principal deleted by hand in the account: the incremental run reports it, a full sync re-creates it", async () => {
        const first = await sync({ groups: ["Data Team", "Other"], groupSearchDepth: 1 });
        const erin = em.scim.userByName("erin@contoso.com")!;
        em.scim.users.delete(erin.id);
        em.scim.groups.get(em.scim.groupByName("Other")!.id)!.members.delete(erin.id);
        em.graph.addMember(t.dataTeam.id, t.erin.id);
        const r = await sync({
            groups: ["Data Team", "Other"],
            groupSearchDepth: 1,
            state: first.state,
        });
        assert.strictEqual(r.summary.errors, 1);
        assert.match(
            r.summary.errorMessages[0],
            /update members of group "Data Team": .*HTTP 404.*a full sync re-creates it/,
        );
        assert.strictEqual(
            r.state.groupsDeltaLink,
            first.state.groupsDeltaLink,
            "a failed change is replayed next run, not lost",
        );
        const full = await sync({
            groups: ["Data Team", "Other"],
            groupSearchDepth: 1,
            state: r.state,
            fullSync: true,
        });
        assert.strictEqual(full.summary.errors, 0);
        assert.ok(em.scim.memberNames("Data Team").includes("erin@contoso.com"));
        assert.deepStrictEqual(em.scim.memberNames("Other"), ["erin@contoso.com"]);
    });

    it("a change whose write fails after every retry is not lost: the next incremental run applies it", async () => {
        const first = await sync({ groups: ["Data Team"], groupSearchDepth: 1 });
        em.graph.removeMember(t.dataTeam.id, t.bob.id);
        em.scim.server.failNext("scim:groups:patch", "500", 10);
        const failed = await sync({
            groups: ["Data Team"],
            groupSearchDepth: 1,
            state: first.state,
        });
        assert.strictEqual(failed.summary.errors, 1);
        assert.match(
            failed.summary.errorMessages[0],
            /update members of group "Data Team": scim PATCH .* HTTP 500/,
        );
        assert.ok(em.scim.memberNames("Data Team").includes("bob@contoso.com"));
        const next = await sync({
            groups: ["Data Team"],
            groupSearchDepth: 1,
            state: failed.state,
        });
        assert.strictEqual(next.summary.errors, 0);
        assert.strictEqual(next.summary.mode, "incremental");
        assert.ok(!em.scim.memberNames("Data Team").includes("bob@contoso.com"));
    });

    it("a nesting cycle (A ⊃ B ⊃ A) is created anyway: the member that closes the cycle follows by PATCH", async () => {
        const a = em.graph.addGroup("Cycle A");
        const b = em.graph.addGroup("Cycle B");
        em.graph.addMember(a.id, b.id);
        em.graph.addMember(b.id, a.id);
        em.graph.addMember(a.id, t.alice.id);
        const r = await sync({ groups: ["Cycle A"], groupSearchDepth: 3 });
        assert.strictEqual(r.summary.errors, 0, r.summary.errorMessages.join("; "));
        assert.deepStrictEqual(em.scim.memberNames("Cycle A"), ["Cycle B", "alice@contoso.com"]);
        assert.deepStrictEqual(em.scim.memberNames("Cycle B"), ["Cycle A"]);
        assert.strictEqual(em.scim.server.count("scim:groups:post"), 2);
        assert.strictEqual(em.scim.server.count("scim:groups:patch"), 1);
        em.resetCounters();
        await sync({ groups: ["Cycle A"], groupSearchDepth: 3, fullSync: true });
        assert.strictEqual(em.scim.writeCalls(), 0);
    });

    it("merges delta pages where one group comes back several times with slices of members@delta", async () => {
        const first = await sync({ groups: ["Data Team"], groupSearchDepth: 2 });
        em.graph.addMember(t.dataTeam.id, t.erin.id);
        em.graph.removeMember(t.dataTeam.id, t.alice.id);
        em.graph.addMember(t.analysts.id, t.bob.id);
        em.resetCounters();
        em.graph.deltaPageSize = 2;
        em.graph.deltaMembersPerItem = 1;
        const r = await sync({ groups: ["Data Team"], groupSearchDepth: 2, state: first.state });
        assert.strictEqual(
            em.graph.server.count("graph:delta:groups"),
            2,
            "three group items on pages of two",
        );
        assert.deepStrictEqual(em.scim.memberNames("Data Team"), [
            "9a7c1f0e-0000-4000-8000-00000000e71a",
            "Analysts",
            "bob@contoso.com",
            "erin@contoso.com",
        ]);
        assert.deepStrictEqual(em.scim.memberNames("Analysts"), [
            "bob@contoso.com",
            "carol@contoso.com",
        ]);
        assert.strictEqual(
            em.scim.server.count("scim:groups:patch"),
            2,
            "one PATCH per group, not per slice",
        );
        assert.strictEqual(r.summary.errors, 0);
    });

    it("queryGraphOnly reads Graph only and hands the tree to onGraphRead", async () => {
        let seen: string[] = [];
        const r = await sync({
            groups: ["Data Team"],
            groupSearchDepth: 2,
            queryGraphOnly: true,
            onGraphRead: (tree) => (seen = [...tree.memberships.keys()]),
        });
        assert.deepStrictEqual(seen.sort(), [t.analysts.id, t.dataTeam.id].sort());
        assert.strictEqual(em.scim.server.total(), 0);
        assert.deepStrictEqual(r.plan, []);
    });

    it("incremental: a service principal renamed and disabled in Entra is updated; an older state without its link still works", async () => {
        const first = await sync({ groups: ["Data Team"], groupSearchDepth: 1 });
        assert.match(
            first.state.servicePrincipalsDeltaLink!,
            /servicePrincipals\/delta\?\$deltatoken=/,
        );
        em.graph.updateServicePrincipal(t.etl.id, {
            displayName: "etl (retired)",
            accountEnabled: false,
        });
        em.resetCounters();
        const r = await sync({ groups: ["Data Team"], groupSearchDepth: 1, state: first.state });
        assert.deepStrictEqual(accountSnapshot(em.scim).servicePrincipals, [
            `9a7c1f0e-0000-4000-8000-00000000e71a|etl (retired)|false|${t.etl.id}`,
        ]);
        assert.deepStrictEqual(
            [
                em.scim.server.count("scim:sps:get"),
                em.scim.server.count("scim:sps:patch"),
                r.summary.updated.servicePrincipals,
            ],
            [1, 1, 1],
        );
        const { servicePrincipalsDeltaLink: _dropped, ...older } = r.state;
        em.resetCounters();
        const again = await sync({ groups: ["Data Team"], groupSearchDepth: 1, state: older });
        assert.strictEqual(again.summary.mode, "incremental");
        assert.strictEqual(em.graph.server.count("graph:delta:sps"), 0);
        assert.strictEqual(
            again.state.servicePrincipalsDeltaLink,
            undefined,
            "taken again by the next full run",
        );
    });

    it("rejects plain http for a non-loopback host and bad options before any call", async () => {
        await assert.rejects(
            runSync({
                ...em.options({ groups: ["Data Team"] }),
                graph: { url: "http://graph.example.com/v1.0", token: async () => "x" },
            }),
            /graph URL \(--graph-url \/ GRAPH_URL\): plain http:\/\/ is allowed only for loopback hosts/,
        );
        await assert.rejects(
            sync({ groups: [], groupSearchDepth: 11, concurrency: 0 }),
            (e: Error) =>
                [
                    "groups: list at least one",
                    "groupSearchDepth: must be an integer from 1 to 10",
                    "concurrency: must be an integer from 1 to 100",
                ].every((s) => e.message.includes(s)),
        );
        assert.strictEqual(em.graph.server.total() + em.scim.server.total(), 0);
    });
});
