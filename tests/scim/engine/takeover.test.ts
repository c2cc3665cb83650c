/**
 * One Entra identity must not take over another's account principal: users match on userName, and a
 * B2B guest's userName is its mail, which an invitation can make equal to an internal user's. An
 * account user or service principal whose externalId names another Entra object is refused by name
 * and left as it is, unless adoption is explicitly allowed.
 */
import * as assert from "assert";
import { runSync } from "../../../scim";
import { accountSnapshot, emulatorSuite, Emulators } from "../fixture";

describe("scim sync: no takeover across externalIds", () => {
    const em = new Emulators();
    let ceo: { id: string };
    let guest: { id: string };
    emulatorSuite(em, () => {
        ceo = em.graph.addUser({ userPrincipalName: "ceo@contoso.com", displayName: "The CEO" });
        guest = em.graph.addUser({
            userPrincipalName: "ceo_contoso.com#EXT#@contoso.onmicrosoft.com",
            mail: "ceo@contoso.com",
            userType: "Guest",
            displayName: "Guest",
        });
        em.graph.addMember(em.graph.addGroup("Executives").id, ceo.id);
        em.graph.addMember(em.graph.addGroup("Admins").id, guest.id);
    });
    const sync = (extra: Parameters<Emulators["options"]>[0]) => runSync(em.options(extra));
    const ceoUser = () => em.scim.userByName("ceo@contoso.com")!;

    for (const mode of ["full", "incremental"] as const) {
        it(`${mode}: a guest whose mail is the CEO's userName is refused by name; the CEO's user is untouched and joins no group`, async () => {
            const first = await sync({ groups: ["Executives"] });
            assert.strictEqual(first.summary.errors, 0, first.summary.errorMessages.join("\n"));
            const before = { ...ceoUser() };
            assert.strictEqual(before.externalId, ceo.id);
            // The admin group becomes synced: a full run, or a listed group added to an incremental one.
            const r = await sync({
                groups: ["Executives", "Admins"],
                state: first.state,
                fullSync: mode === "full",
            });
            assert.deepStrictEqual(
                { ...ceoUser() },
                before,
                "the CEO's account user keeps its name, externalId and state",
            );
            assert.deepStrictEqual(
                em.scim.memberNames("Admins"),
                [],
                "the CEO's user is not put in the guest's group",
            );
            assert.strictEqual(em.scim.server.count("scim:users:patch"), 0);
            const message = r.summary.errorMessages.find((m) => m.includes(guest.id));
            assert.ok(message, r.summary.errorMessages.join("\n"));
            assert.match(message!, /user "ceo@contoso\.com".*refused.*externalId/);
            assert.ok(message!.includes(ceo.id), message);
            assert.match(message!, /allowPrincipalAdoption|--allow-principal-adoption/);
            assert.strictEqual(
                r.state.ids[guest.id],
                undefined,
                "the state maps the guest to nothing",
            );

            // Disabling the guest later deactivates nothing of the CEO's.
            em.graph.updateUser(guest.id, { accountEnabled: false });
            em.graph.removeMember(em.graph.groupByName("Admins").id, guest.id);
            await sync({
                groups: ["Executives", "Admins"],
                state: r.state,
                fullSync: true,
                deactivateDeleted: true,
            });
            assert.strictEqual(ceoUser().active, true);
        });
    }

    it("the CEO and the guest in one synced group: the CEO's user is synced, the guest refused, whatever the order", async () => {
        em.graph.addMember(em.graph.groupByName("Admins").id, ceo.id);
        const first = await sync({ groups: ["Executives"] });
        const r = await sync({ groups: ["Admins"], state: first.state, fullSync: true });
        assert.deepStrictEqual(em.scim.memberNames("Admins"), ["ceo@contoso.com"]);
        assert.strictEqual(ceoUser().externalId, ceo.id);
        assert.ok(
            r.summary.errorMessages.some((m) => m.includes(guest.id) && /refused/.test(m)),
            r.summary.errorMessages.join("\n"),
        );
    });

    it("a user that appears in the account between the read and its create (409) is refused too", async () => {
        em.scim.beforeCreate = (resource, body) => {
            if (
                resource === "Users" &&
                String(body.userName).toLowerCase() === "ceo@contoso.com" &&
                !em.scim.userByName("ceo@contoso.com")
            ) {
                em.scim.seedUser({
                    userName: "ceo@contoso.com",
                    displayName: "The CEO",
                    active: true,
                    externalId: ceo.id,
                });
            }
        };
        const r = await sync({ groups: ["Admins"] });
        assert.strictEqual(em.scim.server.count("scim:users:post"), 1, "the POST met 409");
        assert.deepStrictEqual(
            { ...ceoUser(), id: "" },
            {
                id: "",
                userName: "ceo@contoso.com",
                displayName: "The CEO",
                active: true,
                externalId: ceo.id,
            },
        );
        assert.deepStrictEqual(em.scim.memberNames("Admins"), []);
        assert.ok(
            r.summary.errorMessages.some(
                (m) => m.includes(guest.id) && m.includes(ceo.id) && /refused/.test(m),
            ),
            r.summary.errorMessages.join("\n"),
        );
        assert.strictEqual(r.state.ids[guest.id], undefined);
    });

    it("a service principal whose account namesake has another externalId is refused; allowPrincipalAdoption adopts it", async () => {
        const sp = em.graph.addServicePrincipal({
            appId: "11111111-2222-4333-8444-555555555555",
            displayName: "deployer",
        });
        em.graph.addMember(em.graph.groupByName("Admins").id, sp.id);
        const other = "99999999-9999-4999-8999-999999999999";
        em.scim.seedServicePrincipal({
            applicationId: sp.appId,
            displayName: "someone else's",
            active: true,
            externalId: other,
        });
        const r = await sync({ groups: ["Admins"] });
        assert.ok(
            r.summary.errorMessages.some(
                (m) =>
                    /service principal "11111111-2222-4333-8444-555555555555".*refused/.test(m) &&
                    m.includes(other),
            ),
            r.summary.errorMessages.join("\n"),
        );
        assert.deepStrictEqual(accountSnapshot(em.scim).servicePrincipals, [
            `${sp.appId}|someone else's|true|${other}`,
        ]);
        const allowed = await sync({
            groups: ["Admins"],
            allowPrincipalAdoption: true,
            fullSync: true,
        });
        assert.ok(
            !allowed.summary.errorMessages.some((m) => m.includes(sp.appId)),
            allowed.summary.errorMessages.join("\n"),
        );
        assert.ok(em.scim.memberNames("Admins").includes(sp.appId));
    });

    it("an account user without externalId (made by hand) is still adopted", async () => {
        em.scim.seedUser({ userName: "ceo@contoso.com", displayName: "ceo", active: true });
        const r = await sync({ groups: ["Executives"] });
        assert.strictEqual(r.summary.errors, 0, r.summary.errorMessages.join("\n"));
        assert.deepStrictEqual(em.scim.memberNames("Executives"), ["ceo@contoso.com"]);
        assert.strictEqual(em.scim.users.size, 1);
    });
});
