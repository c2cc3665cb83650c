/** The Graph and SCIM emulators answer in the documented shapes (API-NOTES A and B). */
import * as assert from "assert";
import { GraphEmulator } from "../../emulators/graph";
import { ScimEmulator } from "../../emulators/scim";

describe("Graph and SCIM emulators (documented shapes)", () => {
    const graph = new GraphEmulator();
    const scim = new ScimEmulator();
    const auth = { Authorization: "Bearer t" };
    before(() => Promise.all([graph.start(), scim.start()]));
    after(() => Promise.all([graph.stop(), scim.stop()]));
    beforeEach(() => {
        graph.clear();
        scim.clear();
    });

    const scimUrl = (path: string) =>
        `${scim.host}/api/2.0/accounts/${scim.accountId}/scim/v2${path}`;
    const call = async (url: string, init: RequestInit = {}) => {
        const r = await fetch(url, {
            ...init,
            headers: { ...auth, "Content-Type": "application/json", ...(init.headers ?? {}) },
        });
        return {
            status: r.status,
            headers: r.headers,
            body: (await r.json().catch(() => undefined)) as any,
        };
    };

    it("SCIM: ListResponse pages by startIndex/count and ends with an empty Resources page", async () => {
        for (let i = 0; i < 3; i++)
            scim.seedUser({ userName: `u${i}@x.com`, displayName: `U${i}`, active: true });
        const first = await call(scimUrl("/Users?startIndex=1&count=2"));
        assert.deepStrictEqual(first.body.schemas, [
            "urn:ietf:params:scim:api:messages:2.0:ListResponse",
        ]);
        assert.deepStrictEqual(
            [
                first.body.totalResults,
                first.body.startIndex,
                first.body.itemsPerPage,
                first.body.Resources.length,
            ],
            [3, 1, 2, 2],
        );
        assert.strictEqual(
            (await call(scimUrl("/Users?startIndex=3&count=2"))).body.Resources.length,
            1,
        );
        assert.deepStrictEqual(
            (await call(scimUrl("/Users?startIndex=4&count=2"))).body.Resources,
            [],
        );
        const filtered = await call(
            scimUrl(`/Users?filter=${encodeURIComponent('userName eq "U1@X.COM"')}`),
        );
        assert.deepStrictEqual(
            filtered.body.Resources.map((u: any) => u.userName),
            ["u1@x.com"],
        );
        assert.strictEqual(
            (await call(scimUrl(`/Users?filter=${encodeURIComponent("userName eq 'u1@x.com'")}`)))
                .status,
            400,
            "single quotes are refused",
        );
    });

    it("SCIM: 409 with the real duplicate messages in the SCIM error envelope; groups list without members, GET with", async () => {
        scim.seedUser({ userName: "a@x.com", displayName: "A", active: true });
        const dup = await call(scimUrl("/Users"), {
            method: "POST",
            body: JSON.stringify({ userName: "A@x.com" }),
        });
        assert.strictEqual(dup.status, 409);
        assert.deepStrictEqual(dup.body.schemas, ["urn:ietf:params:scim:api:messages:2.0:Error"]);
        assert.strictEqual(dup.body.status, "409");
        assert.match(dup.body.detail, /^User with email A@x.com already exists in this account/);
        const g = await call(scimUrl("/Groups"), {
            method: "POST",
            body: JSON.stringify({
                displayName: "G",
                members: [{ value: scim.userByName("a@x.com")!.id }],
            }),
        });
        assert.strictEqual(g.status, 201);
        assert.strictEqual(
            (
                await call(scimUrl("/Groups"), {
                    method: "POST",
                    body: JSON.stringify({ displayName: "G" }),
                })
            ).body.detail,
            "Group with name G already exists.",
        );
        assert.strictEqual((await call(scimUrl("/Groups"))).body.Resources[0].members, undefined);
        assert.deepStrictEqual(
            (await call(scimUrl(`/Groups/${g.body.id}`))).body.members.map((m: any) => m.value),
            [scim.userByName("a@x.com")!.id],
        );
    });

    it("SCIM: PATCH needs the PatchOp schema and refuses a bare string member value (invalidSyntax); DELETE is refused and counted", async () => {
        const g = scim.seedGroup("G");
        const bad = await call(scimUrl(`/Groups/${g.id}`), {
            method: "PATCH",
            body: JSON.stringify({
                schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                Operations: [{ op: "add", path: "members", value: "123" }],
            }),
        });
        assert.deepStrictEqual([bad.status, bad.body.scimType], [400, "invalidSyntax"]);
        assert.strictEqual(
            (
                await call(scimUrl(`/Groups/${g.id}`), {
                    method: "PATCH",
                    body: JSON.stringify({ Operations: [] }),
                })
            ).status,
            400,
        );
        assert.strictEqual(
            (await call(scimUrl(`/Groups/${g.id}`), { method: "DELETE" })).status,
            405,
        );
        assert.strictEqual(scim.deletes(), 1);
        assert.ok(scim.groupByName("G"));
    });

    it("Graph: $batch holds at most 20 requests with unique ids; members page with @odata.nextLink", async () => {
        const group = graph.addGroup("G");
        for (let i = 0; i < 3; i++)
            graph.addMember(group.id, graph.addUser({ userPrincipalName: `u${i}@x.com` }).id);
        const requests = (n: number, id = (i: number) => String(i)) =>
            Array.from({ length: n }, (_, i) => ({
                id: id(i),
                method: "GET",
                url: `/groups/${group.id}/members?$top=2`,
            }));
        const tooMany = await call(`${graph.url}/$batch`, {
            method: "POST",
            body: JSON.stringify({ requests: requests(21) }),
        });
        assert.deepStrictEqual([tooMany.status, tooMany.body.error.code], [400, "BadRequest"]);
        assert.strictEqual(
            (
                await call(`${graph.url}/$batch`, {
                    method: "POST",
                    body: JSON.stringify({ requests: requests(2, () => "same") }),
                })
            ).status,
            400,
        );
        const ok = await call(`${graph.url}/$batch`, {
            method: "POST",
            body: JSON.stringify({ requests: requests(1) }),
        });
        const page = ok.body.responses[0].body;
        assert.deepStrictEqual(
            page.value.map((m: any) => m["@odata.type"]),
            ["#microsoft.graph.user", "#microsoft.graph.user"],
        );
        const next = await call(page["@odata.nextLink"]);
        assert.deepStrictEqual(
            [next.body.value.length, next.body["@odata.nextLink"]],
            [1, undefined],
        );
        // Only what $select names comes back (with @odata.type and id), on later pages too.
        const selected = await call(
            `${graph.url}/groups/${group.id}/members?$select=id,userPrincipalName&$top=2`,
        );
        assert.deepStrictEqual(Object.keys(selected.body.value[0]).sort(), [
            "@odata.type",
            "id",
            "userPrincipalName",
        ]);
        const rest = await call(selected.body["@odata.nextLink"]);
        assert.deepStrictEqual(rest.body.value[0].displayName, undefined);
    });

    it("Graph: delta links return only later changes; expired links answer 410 (with Location) or 400 syncStateNotFound", async () => {
        const group = graph.addGroup("G");
        const latest = await call(
            `${graph.url}/groups/delta?$select=displayName,members&$deltatoken=latest`,
        );
        assert.deepStrictEqual(latest.body.value, []);
        const user = graph.addUser({ userPrincipalName: "u@x.com" });
        graph.addMember(group.id, user.id);
        const changes = await call(latest.body["@odata.deltaLink"]);
        assert.deepStrictEqual(changes.body.value, [
            {
                id: group.id,
                displayName: "G",
                "members@delta": [{ "@odata.type": "#microsoft.graph.user", id: user.id }],
            },
        ]);
        const quiet = await call(changes.body["@odata.deltaLink"]);
        assert.deepStrictEqual(quiet.body.value, []);
        graph.expireDeltaLinks("410");
        const gone = await call(quiet.body["@odata.deltaLink"]);
        assert.deepStrictEqual([gone.status, gone.body.error.code], [410, "resyncRequired"]);
        assert.match(gone.headers.get("location") ?? "", /\/groups\/delta\?\$deltatoken=$/);
        graph.expireDeltaLinks("syncStateNotFound");
        const expired = await call(quiet.body["@odata.deltaLink"]);
        assert.deepStrictEqual(
            [expired.status, expired.body.error.code],
            [400, "syncStateNotFound"],
        );
    });
});
