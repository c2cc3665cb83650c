/**
 * The sync when Entra or the operator gets something wrong, each case run against the emulators:
 * a mass removal on a missing read permission, a scheduled run shrinking the depth, a renamed listed
 * group dropping out, adoption of an unrelated group, deleted users left active, one failed read
 * ending the whole run.
 */
import * as assert from "assert";
import { runSync, SyncResult } from "../../../scim";
import { accountSnapshot, emulatorSuite, Emulators, seedSmallTenant } from "../fixture";

describe("scim sync safety", () => {
    const em = new Emulators();
    let t: ReturnType<typeof seedSmallTenant>;
    emulatorSuite(em, () => (t = seedSmallTenant(em.graph)));

    const sync = (extra: Parameters<Emulators["options"]>[0]) => runSync(em.options(extra));
    const removals = (r: SyncResult) => r.plan.filter((p) => p.op === "remove-members");
    const dataTeam = () => em.scim.memberNames("Data Team");

    describe("members without identifying attributes", () => {
        for (const [type, permission] of [
            ["user", "User.Read.All"],
            ["servicePrincipal", "Application.Read.All"],
        ] as const) {
            it(`a ${type} member listed with limited information (no ${permission}) fails its group: nothing removed, the permission named`, async () => {
                const first = await sync({ groups: ["Data Team"] });
                const before = dataTeam();
                em.resetCounters();
                em.graph.unreadableTypes.add(type);
                const r = await sync({ groups: ["Data Team"], fullSync: true, state: first.state });
                assert.deepStrictEqual(removals(r), [], "no removal planned");
                assert.deepStrictEqual(dataTeam(), before, "the account group keeps its members");
                assert.strictEqual(em.scim.server.count("scim:groups:patch"), 0);
                assert.ok(r.summary.errors >= 1, "the run is failed");
                const message = r.summary.errorMessages.find((m) => m.includes('"Data Team"'));
                assert.ok(message, r.summary.errorMessages.join("\n"));
                assert.match(message!, new RegExp(permission.replace(/\./g, "\\.")));
                assert.match(message!, /Directory\.Read\.All/);
            });
        }
    });

    describe("removal guard", () => {
        it("a run that would remove more than the allowed share of a group's members writes nothing; the plan says so", async () => {
            const first = await sync({ groups: ["Data Team"], groupSearchDepth: 2 });
            for (const m of [t.alice, t.bob, t.etl]) em.graph.removeMember(t.dataTeam.id, m.id); // 3 of 4 = 75% > 50%
            em.resetCounters();
            const before = accountSnapshot(em.scim);
            const r = await sync({ groups: ["Data Team"], state: first.state });
            assert.strictEqual(em.scim.writeCalls(), 0, "no write at all");
            assert.deepStrictEqual(accountSnapshot(em.scim), before);
            assert.strictEqual(r.summary.removalGuardTripped, true);
            assert.strictEqual(r.summary.errors, 1);
            assert.match(
                r.summary.errorMessages[0],
                /Data Team.*3 of its 4 members \(75%\).*50%.*allowMassRemoval|--allow-mass-removal/,
            );
            const [removal] = removals(r);
            assert.strictEqual(removal.status, "blocked");
            // Named as the account's group listing names them (display), with their SCIM ids.
            assert.deepStrictEqual(removal.members!.map((m) => m.name).sort(), [
                "Alice",
                "Bob",
                "etl",
            ]);
            assert.ok(removal.members!.every((m) => m.scimId && /^\d+$/.test(m.scimId)));
            assert.doesNotMatch(removal.detail!, /scim:/);
            // The state is the previous one: the next run sees the same changes again.
            assert.deepStrictEqual(r.state, first.state);

            const allowed = await sync({
                groups: ["Data Team"],
                state: r.state,
                allowMassRemoval: true,
            });
            assert.strictEqual(allowed.summary.errors, 0, allowed.summary.errorMessages.join("\n"));
            assert.deepStrictEqual(dataTeam(), ["Analysts"]);
        });

        it("a configured share lets the same run through", async () => {
            const first = await sync({ groups: ["Data Team"], groupSearchDepth: 2 });
            for (const m of [t.alice, t.bob, t.etl]) em.graph.removeMember(t.dataTeam.id, m.id);
            const r = await sync({
                groups: ["Data Team"],
                state: first.state,
                maxRemovalPercent: 80,
            });
            assert.strictEqual(r.summary.errors, 0, r.summary.errorMessages.join("\n"));
            assert.strictEqual(r.summary.membersRemoved, 3);
        });

        it("a run that would empty a group stops even at 100%, unless mass removal is allowed", async () => {
            const first = await sync({ groups: ["Interns"] });
            em.graph.removeMember(t.interns.id, t.dave.id);
            const r = await sync({
                groups: ["Interns"],
                state: first.state,
                maxRemovalPercent: 100,
            });
            assert.strictEqual(r.summary.errors, 1);
            assert.match(r.summary.errorMessages[0], /"Interns".*empty/);
            assert.deepStrictEqual(em.scim.memberNames("Interns"), ["dave@fabrikam.com"]);
            await sync({ groups: ["Interns"], state: r.state, allowMassRemoval: true });
            assert.deepStrictEqual(em.scim.memberNames("Interns"), []);
        });

        it("a dry run shows the blocked removal and exits failed, without writing", async () => {
            const first = await sync({ groups: ["Data Team"], groupSearchDepth: 2 });
            for (const m of [t.alice, t.bob, t.etl]) em.graph.removeMember(t.dataTeam.id, m.id);
            em.resetCounters();
            const r = await sync({
                groups: ["Data Team"],
                state: first.state,
                dryRunPrincipals: true,
            });
            assert.strictEqual(em.scim.writeCalls(), 0);
            assert.strictEqual(removals(r)[0].status, "blocked");
            assert.strictEqual(r.summary.errors, 1);
        });
    });

    describe("settings the state remembers", () => {
        it("a run without groupSearchDepth keeps the depth of the state: incremental, nested groups stay in their parents", async () => {
            const first = await sync({ groups: ["Data Team"], groupSearchDepth: 3 });
            const before = accountSnapshot(em.scim);
            em.resetCounters();
            const r = await sync({ groups: ["Data Team"], state: first.state });
            assert.strictEqual(r.summary.mode, "incremental");
            assert.deepStrictEqual(r.plan, []);
            assert.deepStrictEqual(accountSnapshot(em.scim), before);
            assert.strictEqual(r.state.groupSearchDepth, 3);
        });

        it("an explicit other depth is a logged change", async () => {
            const first = await sync({ groups: ["Data Team"], groupSearchDepth: 3 });
            em.logs.length = 0;
            const r = await sync({
                groups: ["Data Team"],
                state: first.state,
                groupSearchDepth: 2,
                allowMassRemoval: true,
            });
            assert.strictEqual(r.summary.mode, "full");
            assert.ok(
                em.logs.some((l) => /groupSearchDepth changed from 3 to 2/.test(l)),
                em.logs.join("\n"),
            );
            assert.strictEqual(r.state.groupSearchDepth, 2);
        });
    });

    describe("listed groups by their Entra id", () => {
        it("a listed group renamed in Entra is followed by its id and the rename reported", async () => {
            const first = await sync({ groups: ["Data Team"] });
            em.graph.renameGroup(t.dataTeam.id, "Data Platform");
            em.logs.length = 0;
            const r = await sync({ groups: ["Data Team"], fullSync: true, state: first.state });
            assert.strictEqual(r.summary.errors, 0, r.summary.errorMessages.join("\n"));
            assert.ok(em.scim.groupByName("Data Platform"), "the account group is renamed");
            assert.ok(
                em.logs.some((l) => /^warn .*"Data Team".*renamed.*"Data Platform"/.test(l)),
                em.logs.join("\n"),
            );
            assert.deepStrictEqual(r.state.listedGroups, ["Data Team"]);
            // And the next incremental run still has it.
            const again = await sync({ groups: r.state.listedGroups, state: r.state });
            assert.strictEqual(again.summary.errors, 0);
            assert.ok(again.state.syncedGroups.includes(t.dataTeam.id));
        });

        it("an incremental run reports a rename of a listed group seen in the change feed, and follows it", async () => {
            const first = await sync({ groups: ["Data Team"] });
            em.graph.renameGroup(t.dataTeam.id, "Data Platform");
            em.logs.length = 0;
            const r = await sync({ groups: first.state.listedGroups, state: first.state });
            assert.strictEqual(r.summary.mode, "incremental");
            assert.strictEqual(r.summary.errors, 0, r.summary.errorMessages.join("\n"));
            assert.ok(em.scim.groupByName("Data Platform"));
            assert.ok(
                em.logs.some((l) =>
                    /^warn listed group "Data Team" was renamed in Entra ID to "Data Platform"/.test(
                        l,
                    ),
                ),
                em.logs.join("\n"),
            );
        });

        it("a listed group not found keeps failing every run until the list changes", async () => {
            const first = await sync({ groups: ["Data Team", "No Such Group"] });
            assert.strictEqual(first.summary.errors, 1);
            assert.deepStrictEqual(first.state.listedGroups, ["Data Team", "No Such Group"]);
            for (const full of [false, true]) {
                const r = await sync({
                    groups: first.state.listedGroups,
                    state: first.state,
                    fullSync: full,
                });
                assert.strictEqual(r.summary.errors, 1, `run ${full ? "full" : "incremental"}`);
                assert.match(r.summary.errorMessages[0], /"No Such Group" was not found/);
            }
            const fixed = await sync({ groups: ["Data Team"], state: first.state, fullSync: true });
            assert.strictEqual(fixed.summary.errors, 0);
        });
    });

    describe("adoption by name", () => {
        it("an account group of that name with another externalId is not adopted: an error naming both, its members kept", async () => {
            const admin = em.scim.seedUser({
                userName: "breakglass@contoso.com",
                displayName: "Break Glass",
                active: true,
            });
            const foreign = "99999999-9999-4999-8999-999999999999";
            em.scim.seedGroup("Data Team", [admin.id], foreign);
            const r = await sync({ groups: ["Data Team"] });
            assert.deepStrictEqual(
                dataTeam(),
                ["breakglass@contoso.com"],
                "hand-added members stay",
            );
            assert.strictEqual(em.scim.groupByName("Data Team")!.externalId, foreign);
            const message = r.summary.errorMessages.find((m) => m.includes(foreign));
            assert.ok(message, r.summary.errorMessages.join("\n"));
            assert.ok(message!.includes(t.dataTeam.id), message);
            assert.match(message!, /allowGroupAdoption|--allow-group-adoption/);

            const adopted = await sync({
                groups: ["Data Team"],
                allowGroupAdoption: true,
                allowMassRemoval: true,
                fullSync: true,
            });
            assert.strictEqual(adopted.summary.errors, 0, adopted.summary.errorMessages.join("\n"));
            assert.strictEqual(em.scim.groupByName("Data Team")!.externalId, t.dataTeam.id);
        });

        it("a group without externalId is adopted and given it; removal details name the members", async () => {
            const admin = em.scim.seedUser({
                userName: "breakglass@contoso.com",
                displayName: "Break Glass",
                active: true,
            });
            const alice = em.scim.seedUser({
                userName: "alice@contoso.com",
                displayName: "Alice",
                active: true,
            });
            em.scim.seedGroup("Data Team", [admin.id, alice.id]);
            const dry = await sync({ groups: ["Data Team"], dryRunMembers: true });
            const [removal] = removals(dry);
            assert.ok(removal, JSON.stringify(dry.plan));
            assert.match(removal.detail!, /breakglass@contoso\.com/);
            assert.doesNotMatch(removal.detail!, /scim:/);
            assert.deepStrictEqual(removal.members, [
                { name: "breakglass@contoso.com", scimId: admin.id },
            ]);
            const r = await sync({ groups: ["Data Team"], state: dry.state });
            assert.strictEqual(r.summary.errors, 0, r.summary.errorMessages.join("\n"));
            assert.strictEqual(em.scim.groupByName("Data Team")!.externalId, t.dataTeam.id);
        });
    });

    describe("a group that appears in the account between the read and its create (POST answered 409, adopted)", () => {
        /** Just before the sync's POST of "Data Team", someone creates it by hand with these members. */
        const appearsMeanwhile = (externalId?: string) => {
            const admins = ["breakglass@contoso.com", "ops@contoso.com", "audit@contoso.com"].map(
                (userName) => em.scim.seedUser({ userName, displayName: userName, active: true }),
            );
            em.scim.beforeCreate = (resource, body) => {
                if (
                    resource === "Groups" &&
                    body.displayName === "Data Team" &&
                    !em.scim.groupByName("Data Team")
                ) {
                    em.scim.seedGroup(
                        "Data Team",
                        admins.map((a) => a.id),
                        externalId,
                    );
                }
            };
            return admins.map((a) => a.userName).sort();
        };

        it("the removal guard holds: the adopted group's hand-added members are not removed, nothing is written to it, the run fails naming the guard", async () => {
            const admins = appearsMeanwhile();
            const r = await sync({ groups: ["Data Team"] });
            assert.strictEqual(em.scim.server.count("scim:groups:post"), 1, "the POST met 409");
            assert.deepStrictEqual(
                dataTeam(),
                admins,
                "the hand-added members stay, no member added either",
            );
            assert.strictEqual(
                em.scim.server.count("scim:groups:patch"),
                0,
                "no PATCH of the adopted group",
            );
            assert.strictEqual(
                em.scim.groupByName("Data Team")!.externalId,
                undefined,
                "not tied to the Entra group while its membership is held back",
            );
            assert.strictEqual(r.summary.membersRemoved, 0);
            assert.notStrictEqual(
                r.summary.removalGuardTripped,
                true,
                "other writes went out: the guard did not stop the whole run",
            );
            const message = r.summary.errorMessages.find((m) => /removal guard/.test(m));
            assert.ok(message, r.summary.errorMessages.join("\n"));
            assert.match(
                message!,
                /"Data Team" would remove 3 of its 3 members \(100%\), more than the 50% allowed.*nothing was written to it.*allowMassRemoval/,
            );

            // The next run plans the same removal and its guard stops it before writing; allowed, it goes ahead.
            em.scim.beforeCreate = undefined;
            em.resetCounters();
            const next = await sync({ groups: ["Data Team"], state: r.state });
            assert.strictEqual(em.scim.writeCalls(), 0);
            assert.strictEqual(next.summary.removalGuardTripped, true);
            const allowed = await sync({
                groups: ["Data Team"],
                state: next.state,
                allowMassRemoval: true,
            });
            assert.strictEqual(allowed.summary.errors, 0, allowed.summary.errorMessages.join("\n"));
            assert.deepStrictEqual(dataTeam(), [
                "9a7c1f0e-0000-4000-8000-00000000e71a",
                "alice@contoso.com",
                "bob@contoso.com",
            ]);
        });

        it("allowMassRemoval lets the adoption replace the members, as in a planned run", async () => {
            appearsMeanwhile();
            const r = await sync({ groups: ["Data Team"], allowMassRemoval: true });
            assert.strictEqual(r.summary.errors, 0, r.summary.errorMessages.join("\n"));
            assert.deepStrictEqual(dataTeam(), [
                "9a7c1f0e-0000-4000-8000-00000000e71a",
                "alice@contoso.com",
                "bob@contoso.com",
            ]);
            assert.strictEqual(r.summary.membersRemoved, 3);
            assert.strictEqual(em.scim.groupByName("Data Team")!.externalId, t.dataTeam.id);
        });

        it("a group of a limited-information Entra list removes nothing when adopted", async () => {
            const admins = appearsMeanwhile();
            em.graph.unreadableTypes.add("servicePrincipal");
            const r = await sync({ groups: ["Data Team"], allowMassRemoval: true });
            assert.ok(
                r.summary.errorMessages.some((m) => /"Data Team".*Application\.Read\.All/.test(m)),
                r.summary.errorMessages.join("\n"),
            );
            for (const a of admins) assert.ok(dataTeam().includes(a), `${a} stays: ${dataTeam()}`);
            assert.strictEqual(r.summary.membersRemoved, 0);
        });

        it("a foreign externalId is not adopted on the 409 path either: an error naming both ids, the group left as it is", async () => {
            const foreign = "99999999-9999-4999-8999-999999999999";
            const admins = appearsMeanwhile(foreign);
            const r = await sync({ groups: ["Data Team"], allowMassRemoval: true });
            assert.strictEqual(em.scim.server.count("scim:groups:post"), 1, "the POST met 409");
            assert.deepStrictEqual(dataTeam(), admins);
            assert.strictEqual(em.scim.groupByName("Data Team")!.externalId, foreign);
            assert.strictEqual(em.scim.server.count("scim:groups:patch"), 0);
            const message = r.summary.errorMessages.find((m) => m.includes(foreign));
            assert.ok(message, r.summary.errorMessages.join("\n"));
            assert.ok(message!.includes(t.dataTeam.id), message);
            assert.match(message!, /allowGroupAdoption|--allow-group-adoption/);
            assert.ok(
                !r.state.ids[t.dataTeam.id],
                "the state does not record the foreign group as ours",
            );
        });
    });

    describe("deactivation of principals deleted or disabled in Entra", () => {
        it("off by default: a user deleted in Entra stays active (it leaves the group)", async () => {
            const first = await sync({ groups: ["Data Team"], groupSearchDepth: 2 });
            em.graph.deleteObject(t.bob.id);
            const r = await sync({ groups: ["Data Team"], state: first.state });
            assert.strictEqual(em.scim.userByName("bob@contoso.com")!.active, true);
            assert.ok(!r.plan.some((p) => p.op === "deactivate"));
        });

        it("incremental: a deleted user and a deleted service principal are deactivated by PATCH, listed in plan and summary", async () => {
            const first = await sync({ groups: ["Data Team"], groupSearchDepth: 2 });
            em.graph.deleteObject(t.bob.id);
            em.graph.deleteObject(t.etl.id);
            const dry = await sync({
                groups: ["Data Team"],
                state: first.state,
                deactivateDeleted: true,
                dryRunPrincipals: true,
            });
            assert.deepStrictEqual(
                dry.plan
                    .filter((p) => p.op === "deactivate")
                    .map((p) => `${p.kind} ${p.key} ${p.status}`)
                    .sort(),
                [
                    "servicePrincipal 9a7c1f0e-0000-4000-8000-00000000e71a planned",
                    "user bob@contoso.com planned",
                ],
            );
            assert.deepStrictEqual(dry.summary.deactivated, {
                users: 1,
                servicePrincipals: 1,
                groups: 0,
            });
            assert.strictEqual(
                em.scim.userByName("bob@contoso.com")!.active,
                true,
                "a dry run writes nothing",
            );
            em.resetCounters();
            const r = await sync({
                groups: ["Data Team"],
                state: first.state,
                deactivateDeleted: true,
            });
            assert.strictEqual(r.summary.errors, 0, r.summary.errorMessages.join("\n"));
            assert.strictEqual(em.scim.userByName("bob@contoso.com")!.active, false);
            assert.strictEqual([...em.scim.servicePrincipals.values()][0].active, false);
            assert.deepStrictEqual(r.summary.deactivated, {
                users: 1,
                servicePrincipals: 1,
                groups: 0,
            });
            assert.strictEqual(em.scim.server.count("scim:users:patch"), 1);
            assert.strictEqual(em.scim.server.count("scim:sps:patch"), 1);
        });

        it("full: a deleted user and a disabled user no longer in any synced group are deactivated", async () => {
            const first = await sync({ groups: ["Data Team"], groupSearchDepth: 2 });
            em.graph.deleteObject(t.bob.id);
            em.graph.updateUser(t.alice.id, { accountEnabled: false });
            em.graph.removeMember(t.dataTeam.id, t.alice.id);
            const r = await sync({
                groups: ["Data Team"],
                state: first.state,
                fullSync: true,
                deactivateDeleted: true,
            });
            assert.strictEqual(r.summary.errors, 0, r.summary.errorMessages.join("\n"));
            assert.strictEqual(em.scim.userByName("bob@contoso.com")!.active, false);
            assert.strictEqual(em.scim.userByName("alice@contoso.com")!.active, false);
            assert.deepStrictEqual(r.summary.deactivated, {
                users: 2,
                servicePrincipals: 0,
                groups: 0,
            });
        });
    });

    describe("a failed read fails only what depends on it", () => {
        it("members of one nested group that cannot be read: the other groups are synced, the summary names it", async () => {
            em.graph.deniedMemberReads.add(t.interns.id);
            const r = await sync({ groups: ["Data Team"], groupSearchDepth: 3 });
            assert.strictEqual(r.summary.errors, 1, r.summary.errorMessages.join("\n"));
            assert.match(r.summary.errorMessages[0], /"Interns"/);
            assert.match(r.summary.errorMessages[0], /403/);
            assert.deepStrictEqual(dataTeam(), [
                "9a7c1f0e-0000-4000-8000-00000000e71a",
                "Analysts",
                "alice@contoso.com",
                "bob@contoso.com",
            ]);
            assert.deepStrictEqual(em.scim.memberNames("Analysts"), [
                "Interns",
                "carol@contoso.com",
            ]);
            // The failed group is read again next run (a failed full run keeps no delta links).
            assert.strictEqual(r.state.groupsDeltaLink, undefined);
        });

        it("an account group that cannot be read in an incremental run: only its membership waits, the rest is applied", async () => {
            const first = await sync({ groups: ["Data Team", "Other"], groupSearchDepth: 2 });
            const frank = em.graph.addUser({
                userPrincipalName: "frank@contoso.com",
                displayName: "Frank",
            });
            em.graph.addMember(t.dataTeam.id, frank.id);
            em.graph.addMember(t.other.id, frank.id);
            em.resetCounters();
            // Every GET of Other answers 500 (more than the retries); Data Team's reads go through.
            em.scim.brokenReads.add(em.scim.groupByName("Other")!.id);
            const r = await sync({ groups: ["Data Team", "Other"], state: first.state });
            em.scim.brokenReads.clear();
            assert.strictEqual(r.summary.mode, "incremental");
            assert.strictEqual(r.summary.errors, 1, r.summary.errorMessages.join("\n"));
            assert.match(
                r.summary.errorMessages[0],
                /group "Other": its members could not be read from the account/,
            );
            assert.ok(em.scim.memberNames("Data Team").includes("frank@contoso.com"));
            assert.deepStrictEqual(em.scim.memberNames("Other"), ["erin@contoso.com"]);
            assert.strictEqual(
                r.state.groupsDeltaLink,
                first.state.groupsDeltaLink,
                "the change is replayed next run",
            );
            const again = await sync({ groups: ["Data Team", "Other"], state: r.state });
            assert.strictEqual(again.summary.errors, 0, again.summary.errorMessages.join("\n"));
            assert.deepStrictEqual(em.scim.memberNames("Other"), [
                "erin@contoso.com",
                "frank@contoso.com",
            ]);
        });

        it("an account list that keeps failing ends the whole run before any write; the rerun finds a renamed group by its externalId instead of creating a second", async () => {
            const first = await sync({ groups: ["Data Team"], groupSearchDepth: 2 });
            em.graph.renameGroup(t.analysts.id, "Analytics");
            em.resetCounters();
            em.scim.server.failNext("scim:groups:list", "503", 50);
            // No state (lost, or a full run after the delta links expired): only the group list shows the rename.
            const failed = await sync({ groups: ["Data Team"], groupSearchDepth: 2 }).then(
                () => assert.fail("the run should fail"),
                (e: Error) => e,
            );
            assert.match(failed.message, /503/);
            assert.strictEqual(em.scim.writeCalls(), 0, "nothing written without the group list");
            em.resetCounters();
            const rerun = await sync({ groups: ["Data Team"], groupSearchDepth: 2 });
            assert.strictEqual(rerun.summary.errors, 0, rerun.summary.errorMessages.join("\n"));
            assert.strictEqual(em.scim.server.count("scim:groups:post"), 0, "no second group");
            assert.strictEqual(
                em.scim.groupByName("Analytics")!.id,
                first.state.ids[t.analysts.id],
                "the account group was renamed",
            );
        });
    });
});
