import * as assert from "assert";
import {
    AccountPrincipal,
    ActualState,
    DesiredPrincipal,
    DesiredState,
    matchKey,
} from "../../../scim/contract/model";
import { describePlan, planSync } from "../../../scim/engine/planner";

const user = (
    entraId: string,
    key: string,
    displayName = key,
    active = true,
): DesiredPrincipal => ({ kind: "user", entraId, key, displayName, active });
const group = (entraId: string, name: string): DesiredPrincipal => ({
    kind: "group",
    entraId,
    key: name,
    displayName: name,
    active: true,
});

function desired(
    principals: DesiredPrincipal[],
    memberships: Record<string, string[]>,
): DesiredState {
    return {
        principals: new Map(principals.map((p) => [p.entraId, p])),
        memberships: new Map(Object.entries(memberships)),
    };
}
function actual(
    principals: AccountPrincipal[],
    members: Record<string, string[]> = {},
    known: Record<string, string> = {},
): ActualState {
    return {
        byKey: new Map(principals.map((p) => [matchKey(p.kind, p.key), p])),
        byEntraId: new Map(principals.filter((p) => p.externalId).map((p) => [p.externalId!, p])),
        known: new Map(Object.entries(known)),
        members: new Map(Object.entries(members).map(([g, m]) => [g, new Set(m)])),
    };
}

describe("scim planner (pure)", () => {
    it("creates what is missing, new groups with their members inline, principals before groups", () => {
        const d = desired([group("g1", "Team"), user("u1", "a@x.com"), user("u2", "b@x.com")], {
            g1: ["u1", "u2"],
        });
        const plan = planSync(d, actual([]));
        assert.deepStrictEqual(
            plan.ops.map((o) =>
                o.type === "create"
                    ? `create ${o.principal.key} ${JSON.stringify(o.members ?? null)}`
                    : o.type,
            ),
            ["create a@x.com null", "create b@x.com null", 'create Team ["u1","u2"]'],
        );
    });

    it("matches users case-insensitively, updates display name and active, and never plans a deletion", () => {
        const d = desired([group("g1", "Team"), user("u1", "Alice@X.com", "Alice B", false)], {
            g1: ["u1"],
        });
        const a = actual(
            [
                { kind: "user", id: "10", key: "alice@x.com", displayName: "Alice", active: true },
                { kind: "user", id: "11", key: "gone@x.com", displayName: "Gone", active: true },
                { kind: "group", id: "20", key: "Team", displayName: "Team", externalId: "g1" },
            ],
            { "20": ["10"] },
        );
        const plan = planSync(d, a);
        assert.strictEqual(plan.ops.length, 1);
        const op = plan.ops[0];
        assert.ok(op.type === "update");
        assert.deepStrictEqual(
            [op.scimId, op.set, op.was],
            [
                "10",
                { displayName: "Alice B", active: false },
                { displayName: "Alice", active: true },
            ],
        );
        assert.deepStrictEqual(
            describePlan(plan.ops, (id) => id),
            [
                {
                    op: "update",
                    kind: "user",
                    key: "Alice@X.com",
                    detail: 'displayName: "Alice" → "Alice B"; active: true → false',
                    entraId: "u1",
                    scimId: "10",
                    status: "planned",
                },
            ],
        );
    });

    it("makes membership equal to Entra's in one operation per group: adds (new and existing principals) and removes", () => {
        const d = desired(
            [
                group("g1", "Team"),
                user("u1", "a@x.com"),
                user("u2", "b@x.com"),
                user("u3", "new@x.com"),
            ],
            { g1: ["u1", "u2", "u3"] },
        );
        const a = actual(
            [
                { kind: "group", id: "20", key: "Team", displayName: "Team", externalId: "g1" },
                { kind: "user", id: "10", key: "a@x.com", displayName: "a@x.com", active: true },
                { kind: "user", id: "11", key: "b@x.com", displayName: "b@x.com", active: true },
            ],
            { "20": ["10", "99", "98"] }, // 99, 98: members added by hand in the account
        );
        const plan = planSync(d, a);
        const members = plan.ops.filter((o) => o.type === "members");
        assert.strictEqual(members.length, 1);
        assert.deepStrictEqual(members[0], {
            type: "members",
            group: d.principals.get("g1"),
            scimId: "20",
            add: ["u2", "u3"],
            remove: ["98", "99"],
        });
        assert.deepStrictEqual(
            describePlan(plan.ops, (id) => d.principals.get(id)!.key).map(
                (c) => `${c.op} ${c.key} ${c.detail}`,
            ),
            [
                "create new@x.com new@x.com",
                "add-members Team 2 members: b@x.com, new@x.com",
                "remove-members Team 2 members: scim:98, scim:99",
            ],
        );
    });

    it("plans nothing when both sides agree, trusting known ids whose attributes were not read", () => {
        const d = desired([group("g1", "Team"), user("u1", "a@x.com"), user("u2", "b@x.com")], {
            g1: ["u1", "u2"],
        });
        const a = actual(
            [
                { kind: "group", id: "20", key: "Team", displayName: "Team", externalId: "g1" },
                { kind: "user", id: "10", key: "a@x.com", displayName: "a@x.com", active: true },
            ],
            { "20": ["10", "11"] },
            { u2: "11" },
        );
        assert.deepStrictEqual(planSync(d, a).ops, []);
    });

    it("renames a group found by externalId after a rename in Entra instead of creating a second one", () => {
        const d = desired([group("g1", "Team 2")], { g1: [] });
        const a = actual(
            [{ kind: "group", id: "20", key: "Team", displayName: "Team", externalId: "g1" }],
            { "20": [] },
        );
        const plan = planSync(d, a);
        assert.deepStrictEqual(
            plan.ops.map((o) => o.type),
            ["update"],
        );
        assert.strictEqual(plan.existing.get("g1"), "20");
    });

    it("creates a user whose userName changed (the account cannot rename) and says so", () => {
        const d = desired([user("u1", "alice.new@x.com")], {});
        const a = actual([
            {
                kind: "user",
                id: "10",
                key: "alice@x.com",
                displayName: "Alice",
                active: true,
                externalId: "u1",
            },
        ]);
        const plan = planSync(d, a);
        assert.deepStrictEqual(
            plan.ops.map((o) => o.type),
            ["create"],
        );
        assert.match(
            plan.warnings[0],
            /userName changed from "alice@x.com" to "alice.new@x.com".*never deleted/,
        );
    });

    it("syncs only the first of two Entra groups with the same name, with a warning", () => {
        const d = desired([group("g1", "Team"), group("g2", "Team"), user("u1", "a@x.com")], {
            g1: ["u1"],
            g2: ["u1"],
        });
        const plan = planSync(d, actual([]));
        assert.deepStrictEqual(
            plan.ops.filter((o) => o.type === "create" && o.principal.kind === "group").length,
            1,
        );
        assert.match(plan.warnings[0], /same name/);
    });

    it("refuses to plan a synced existing group whose members were not read", () => {
        const d = desired([group("g1", "Team")], { g1: [] });
        assert.throws(
            () =>
                planSync(
                    d,
                    actual([{ kind: "group", id: "20", key: "Team", displayName: "Team" }]),
                ),
            /members of group "Team" \(20\) were not read/,
        );
    });

    describe("safety", () => {
        const team = (members: string[], externalId?: string) =>
            actual(
                [
                    { kind: "group", id: "20", key: "Team", displayName: "Team", externalId },
                    {
                        kind: "user",
                        id: "10",
                        key: "a@x.com",
                        displayName: "a@x.com",
                        active: true,
                    },
                ],
                { "20": members },
            );

        it("the removal guard names a group losing more than the allowed share, and any group left empty; allowMassRemoval lifts it", () => {
            const d = desired([group("g1", "Team"), user("u1", "a@x.com")], { g1: ["u1"] });
            const plan = planSync(d, team(["10", "11", "12"], "g1")); // removes 2 of 3
            assert.deepStrictEqual(
                plan.guard.map((g) => g.groupEntraId),
                ["g1"],
            );
            assert.match(
                plan.guard[0].message,
                /"Team" would remove 2 of its 3 members \(67%\), more than the 50% allowed/,
            );
            assert.deepStrictEqual(
                planSync(d, team(["10", "11", "12"], "g1"), { maxRemovalPercent: 70 }).guard,
                [],
            );
            const empty = desired([group("g1", "Team")], { g1: [] });
            assert.match(
                planSync(empty, team(["10"], "g1"), { maxRemovalPercent: 100 }).guard[0].message,
                /would remove all 1 of its members and leave it empty/,
            );
            assert.deepStrictEqual(
                planSync(empty, team(["10"], "g1"), { allowMassRemoval: true }).guard,
                [],
            );
        });

        it("an incomplete group (limited-information members) gets its adds and no removal", () => {
            const d: DesiredState = {
                ...desired([group("g1", "Team"), user("u1", "a@x.com")], { g1: ["u1"] }),
                incomplete: new Map([["g1", "limited"]]),
            };
            const plan = planSync(d, team(["11", "12"], "g1"));
            assert.deepStrictEqual(
                plan.ops.filter((o) => o.type === "members"),
                [
                    {
                        type: "members",
                        group: d.principals.get("g1"),
                        scimId: "20",
                        add: ["u1"],
                        remove: [],
                    },
                ],
            );
            assert.deepStrictEqual(plan.guard, []);
        });

        it("does not adopt an account group whose externalId names another Entra object; without externalId it is adopted and given it", () => {
            const d = desired([group("g1", "Team"), user("u1", "a@x.com")], { g1: ["u1"] });
            const foreign = planSync(d, team(["11"], "other"));
            assert.deepStrictEqual(
                foreign.ops.filter((o) => o.type === "members" || o.principal.kind === "group"),
                [],
            );
            assert.match(
                foreign.errors[0],
                /"Team".*SCIM id 20.*externalId other.*g1.*not adopted/,
            );
            const allowed = planSync(d, team(["11"], "other"), {
                allowGroupAdoption: true,
                allowMassRemoval: true,
            });
            assert.ok(allowed.ops.some((o) => o.type === "update" && o.set.externalId === "g1"));
            const bare = planSync(d, team(["10"]));
            assert.deepStrictEqual(
                bare.ops.map((o) => (o.type === "update" ? o.set : o.type)),
                [{ externalId: "g1" }],
            );
        });

        it("deactivates a gone principal once: not one still desired, already inactive, or with another externalId", () => {
            const acc = (id: string, active: boolean, externalId?: string): AccountPrincipal => ({
                kind: "user",
                id,
                key: `${id}@x.com`,
                displayName: id,
                active,
                externalId,
            });
            const d: DesiredState = {
                ...desired([user("u1", "a@x.com")], {}),
                gone: [
                    { entraId: "u1", account: acc("10", true), reason: "disabled" },
                    { entraId: "u2", account: acc("11", true, "u2"), reason: "deleted" },
                    { entraId: "u3", account: acc("12", false), reason: "deleted" },
                    { entraId: "u4", account: acc("13", true, "someone-else"), reason: "deleted" },
                ],
            };
            const ops = planSync(
                d,
                actual([
                    {
                        kind: "user",
                        id: "10",
                        key: "a@x.com",
                        displayName: "a@x.com",
                        active: true,
                    },
                ]),
            ).ops;
            assert.deepStrictEqual(
                ops.map((o) => (o.type === "deactivate" ? `${o.scimId} ${o.reason}` : o.type)),
                ["11 deleted"],
            );
            assert.deepStrictEqual(
                describePlan(ops, (id) => id),
                [
                    {
                        op: "deactivate",
                        kind: "user",
                        key: "11@x.com",
                        detail: "deleted in Entra ID: active → false",
                        entraId: "u2",
                        scimId: "11",
                        status: "planned",
                    },
                ],
            );
        });
    });
});
