/**
 * A broken or hostile server (a proxy, a captive portal, a compromised host) in place of Graph or
 * the account: its answers are believed only in the documented shape, redirects are errors, and
 * every read is bounded — each test here used to hang, crash or succeed silently.
 */
import * as assert from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import { runSync } from "../../../scim";
import { AccountClient, parseScimError, scimBaseUrl } from "../../../scim/clients/account";
import {
    MAX_BODY_BYTES,
    MAX_ITEMS_PER_COLLECTION,
    MAX_PAGES_PER_COLLECTION,
} from "../../../scim/clients/bounds";
import { GraphClient, parseGraphError } from "../../../scim/clients/graph";
import { JsonClient } from "../../../scim/clients/http";
import { emulatorSuite, Emulators, FAST_RETRIES, seedSmallTenant } from "../fixture";

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

/** A loopback server whose answers each test writes; counts requests. */
class Hostile {
    handler: Handler = (_q, _b, res) => res.writeHead(404).end();
    requests = 0;
    private server?: http.Server;
    url = "";
    async start(): Promise<void> {
        this.server = http.createServer((req, res) => {
            this.requests++;
            let body = "";
            req.on("data", (c) => (body += c));
            req.on("end", () => this.handler(req, body, res));
        });
        await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }
    async stop(): Promise<void> {
        this.server?.closeAllConnections();
        await new Promise<void>((r) => this.server!.close(() => r()));
    }
}

const json = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
) =>
    res
        .writeHead(status, { "Content-Type": "application/json", ...headers })
        .end(typeof body === "string" ? body : JSON.stringify(body));
const ACCOUNT_ID = "11111111-2222-4333-8444-555555555555";
const client = (api: "graph" | "scim", baseUrl: string) =>
    new JsonClient({
        api,
        baseUrl,
        token: async () => "t0ken",
        concurrency: 4,
        retryPolicy: FAST_RETRIES,
        parseError: api === "graph" ? parseGraphError : parseScimError,
    });

describe("scim sync against a hostile or broken server", () => {
    const hostile = new Hostile();
    const elsewhere = new Hostile();
    before(() => Promise.all([hostile.start(), elsewhere.start()]));
    after(() => Promise.all([hostile.stop(), elsewhere.stop()]));
    beforeEach(() => {
        hostile.requests = 0;
        elsewhere.requests = 0;
    });
    const account = () => new AccountClient(client("scim", scimBaseUrl(hostile.url, ACCOUNT_ID)));
    const graph = () => new GraphClient(client("graph", `${hostile.url}/v1.0`), FAST_RETRIES);
    const host = () => new URL(hostile.url).host;

    describe("shapes: a 2xx answer is believed only in the documented shape", () => {
        const em = new Emulators();
        emulatorSuite(em, () => seedSmallTenant(em.graph));
        /** The sync against the Graph emulator and this hostile account: lists empty, creates answered by `create`. */
        const syncAgainst = (create: Handler) => {
            hostile.handler = (req, body, res) => {
                if (req.method === "GET") return json(res, 200, { totalResults: 0, Resources: [] });
                if (req.method === "POST") return create(req, body, res);
                json(res, 200, {});
            };
            return runSync(
                em.options({
                    groups: ["Interns"],
                    account: {
                        host: hostile.url,
                        accountId: ACCOUNT_ID,
                        token: async () => "t0ken",
                    },
                }),
            );
        };

        for (const [what, answer] of [
            ["{} (no id)", (res: http.ServerResponse) => json(res, 201, {})],
            [
                "an HTML page",
                (res: http.ServerResponse) =>
                    res
                        .writeHead(200, { "Content-Type": "text/html" })
                        .end("<html>Sign in to the Wi-Fi</html>"),
            ],
            ["a numeric id", (res: http.ServerResponse) => json(res, 201, { id: 7 })],
        ] as const) {
            it(`a create answered ${what} fails naming host, method and status; the state maps nothing to "undefined"`, async () => {
                const r = await syncAgainst((_q, _b, res) => answer(res));
                assert.ok(r.summary.errors >= 1, "the run is failed");
                const message = r.summary.errorMessages.find((m) =>
                    m.includes(
                        `scim POST ${host()}/api/2.0/accounts/${ACCOUNT_ID}/scim/v2/Users answered HTTP`,
                    ),
                );
                assert.ok(message, r.summary.errorMessages.join("\n"));
                assert.match(message!, /no string id/);
                assert.deepStrictEqual(
                    Object.values(r.state.ids),
                    [],
                    "no Entra object is mapped to an id",
                );
                assert.strictEqual(
                    r.state.groupsDeltaLink,
                    undefined,
                    "the next run reads everything again",
                );
            });
        }

        it("a Graph user or service principal whose key is not a string fails with a clear message", async () => {
            const odd = em.graph.addUser({
                userPrincipalName: 12345 as unknown as string,
                displayName: "Odd",
            });
            em.graph.addMember(em.graph.groupByName("Interns").id, odd.id);
            await assert.rejects(
                runSync(em.options({ groups: ["Interns"] })),
                new RegExp(
                    `graph: user ${odd.id} has a userPrincipalName that is a number, not a string`,
                ),
            );
            em.graph.removeMember(em.graph.groupByName("Interns").id, odd.id);
            const sp = em.graph.addServicePrincipal({
                appId: { id: 1 } as unknown as string,
                displayName: "odd",
            });
            em.graph.addMember(em.graph.groupByName("Interns").id, sp.id);
            await assert.rejects(
                runSync(em.options({ groups: ["Interns"] })),
                /graph: servicePrincipal .* has a appId that is a object, not a string/,
            );
        });

        it("a Graph member whose display name or accountEnabled is not Graph's type fails with a clear message, before any write", async () => {
            const interns = em.graph.groupByName("Interns").id;
            const writes = () =>
                em.scim.server.count("scim:users:post") + em.scim.server.count("scim:users:patch");
            const writesBefore = writes();
            const named = em.graph.addUser({
                userPrincipalName: "named@contoso.com",
                displayName: 42 as unknown as string,
            });
            em.graph.addMember(interns, named.id);
            await assert.rejects(
                runSync(em.options({ groups: ["Interns"] })),
                new RegExp(
                    `graph: user ${named.id} has a displayName that is a number, not a string`,
                ),
            );
            em.graph.removeMember(interns, named.id);
            const enabled = em.graph.addUser({
                userPrincipalName: "enabled@contoso.com",
                displayName: "Enabled?",
                accountEnabled: "false" as unknown as boolean,
            });
            em.graph.addMember(interns, enabled.id);
            await assert.rejects(
                runSync(em.options({ groups: ["Interns"] })),
                new RegExp(
                    `graph: user ${enabled.id} has a accountEnabled that is a string, not a boolean`,
                ),
            );
            assert.strictEqual(writes(), writesBefore, "no user created or patched");
        });

        it("a list answered {} (no totalResults) fails the run with host, method and status, before any write", async () => {
            hostile.handler = (req, _b, res) =>
                req.method === "GET" ? json(res, 200, {}) : json(res, 500, {});
            await assert.rejects(
                runSync(
                    em.options({
                        groups: ["Interns"],
                        account: {
                            host: hostile.url,
                            accountId: ACCOUNT_ID,
                            token: async () => "t0ken",
                        },
                    }),
                ),
                (e: Error) =>
                    e.name === "ShapeError" &&
                    e.message.includes(
                        `scim GET ${host()}/api/2.0/accounts/${ACCOUNT_ID}/scim/v2/`,
                    ) &&
                    /HTTP 200 but its totalResults is not a number/.test(e.message),
            );
            assert.ok(hostile.requests >= 1);
        });

        it("a list whose Resources is not an array is refused", async () => {
            hostile.handler = (_q, _b, res) =>
                json(res, 200, { totalResults: 1, Resources: { id: "1" } });
            await assert.rejects(
                account().listAll("user"),
                /scim GET .*Users answered HTTP 200 but its Resources is not an array/,
            );
        });

        it("a Graph page whose value is not an array is refused (delta and $batch members)", async () => {
            hostile.handler = (req, _b, res) =>
                req.url!.includes("$batch")
                    ? json(res, 200, {
                          responses: [{ id: "0", status: 200, body: { value: "x" } }],
                      })
                    : json(res, 200, { value: {} });
            await assert.rejects(
                graph().delta("users", `${hostile.url}/v1.0/users/delta?$deltatoken=a`),
                new RegExp(
                    `graph GET ${host()}/v1\\.0/users/delta answered HTTP 200 but its value is not an array`,
                ),
            );
            await assert.rejects(
                graph().readMembers(["g1"]),
                /graph GET .*\/groups\/g1\/members answered HTTP 200 but its value is not an array/,
            );
            hostile.handler = (_q, _b, res) => json(res, 200, { responses: "none" });
            await assert.rejects(
                graph().readMembers(["g1"]),
                /graph POST .*\/\$batch answered HTTP 200 but its responses is not an array/,
            );
        });

        it("a redirect is an error: the POST body (names, Entra ids) never reaches the other host", async () => {
            const r = await syncAgainst((_q, _b, res) =>
                res.writeHead(307, { Location: `${elsewhere.url}/steal` }).end(),
            );
            assert.strictEqual(elsewhere.requests, 0, "nothing was sent to the redirect's target");
            const message = r.summary.errorMessages.find((m) => /HTTP 307/.test(m));
            assert.ok(message, r.summary.errorMessages.join("\n"));
            assert.ok(
                message!.includes(`${host()} redirects to ${new URL(elsewhere.url).host}`),
                message,
            );
            assert.match(message!, /redirects are not followed/);
            assert.deepStrictEqual(Object.values(r.state.ids), []);
        });
    });

    describe("bounds: every read ends", function () {
        // Before the bounds these ran until the test timed out (or Node ran out of memory).
        this.timeout(60_000);

        it("a Graph delta nextLink that repeats is a paging loop: an error after two pages", async () => {
            hostile.handler = (req, _b, res) =>
                json(res, 200, {
                    value: [],
                    "@odata.nextLink": `${hostile.url}/v1.0/users/delta?$skiptoken=same`,
                });
            await assert.rejects(
                graph().delta("users", `${hostile.url}/v1.0/users/delta?$deltatoken=a`),
                /users delta feed: the server sent a link it had sent before/,
            );
            assert.ok(hostile.requests <= 3, `${hostile.requests} requests`);
        });

        it("a Graph members nextLink that repeats (inside $batch) is a paging loop", async () => {
            hostile.handler = (_q, body, res) => {
                const [request] = JSON.parse(body).requests;
                json(res, 200, {
                    responses: [
                        {
                            id: request.id,
                            status: 200,
                            body: {
                                value: [],
                                "@odata.nextLink": `${hostile.url}/v1.0/groups/g1/members?$skiptoken=same`,
                            },
                        },
                    ],
                });
            };
            await assert.rejects(
                graph().readMembers(["g1"]),
                /members of group g1: the server sent a link it had sent before/,
            );
        });

        it(`a Graph delta feed of endless distinct links stops at ${MAX_PAGES_PER_COLLECTION} pages`, async () => {
            let n = 0;
            hostile.handler = (_q, _b, res) =>
                json(res, 200, {
                    value: [],
                    "@odata.nextLink": `${hostile.url}/v1.0/users/delta?$skiptoken=${n++}`,
                });
            await assert.rejects(
                graph().delta("users", `${hostile.url}/v1.0/users/delta?$deltatoken=a`),
                new RegExp(`more than ${MAX_PAGES_PER_COLLECTION} pages`),
            );
            assert.strictEqual(hostile.requests, MAX_PAGES_PER_COLLECTION + 1);
        });

        /** A SCIM list whose pages never empty: every page holds `count` new principals. */
        const endlessList = (totalResults: number) => {
            let next = 0;
            hostile.handler = (req, _b, res) => {
                const count = Number(new URL(req.url!, hostile.url).searchParams.get("count"));
                json(res, 200, {
                    totalResults,
                    Resources: Array.from({ length: count }, () => ({
                        id: String(++next),
                        userName: `u${next}@x.com`,
                    })),
                });
            };
        };

        it(`a SCIM list whose pages never empty stops at ${MAX_ITEMS_PER_COLLECTION} items`, async () => {
            endlessList(10);
            await assert.rejects(
                account().listAll("user"),
                new RegExp(`Users list: more than ${MAX_ITEMS_PER_COLLECTION} items`),
            );
        });

        it("totalResults 1e9 is clamped: pages of 1 would take too many pages (refused at once), pages of 100 end at the item bound", async () => {
            hostile.handler = (_q, _b, res) =>
                json(res, 200, {
                    totalResults: 1e9,
                    Resources: [{ id: "1", userName: "a@x.com" }],
                });
            await assert.rejects(
                account().listAll("user"),
                new RegExp(
                    `claims ${MAX_ITEMS_PER_COLLECTION} items in pages of 1, more than ${MAX_PAGES_PER_COLLECTION} pages`,
                ),
            );
            assert.strictEqual(hostile.requests, 1);
            assert.strictEqual(await account().total("user"), MAX_ITEMS_PER_COLLECTION);
            endlessList(1e9);
            await assert.rejects(account().listAll("user"), /more than \d+ items/);
        });

        it(`a response body larger than ${MAX_BODY_BYTES} bytes is refused while it streams (never buffered whole)`, async () => {
            let sent = 0;
            hostile.handler = (_q, _b, res) => {
                res.writeHead(200, { "Content-Type": "application/json" });
                const chunk = Buffer.alloc(1024 * 1024, 0x20);
                const pump = () => {
                    while (!res.destroyed && sent < 4 * MAX_BODY_BYTES) {
                        sent += chunk.length;
                        if (!res.write(chunk)) return void res.once("drain", pump);
                    }
                    res.end();
                };
                res.on("close", () => undefined);
                pump();
            };
            const rssBefore = process.memoryUsage().rss;
            await assert.rejects(
                account().listAll("user"),
                new RegExp(
                    `scim GET ${host()}/.*/Users: the response body is larger than ${MAX_BODY_BYTES} bytes`,
                ),
            );
            assert.ok(
                sent < 2 * MAX_BODY_BYTES,
                `the client stopped reading early (${sent} bytes sent)`,
            );
            assert.ok(
                process.memoryUsage().rss - rssBefore < 4 * MAX_BODY_BYTES,
                "memory stayed bounded",
            );
            // A declared Content-Length over the bound is refused before the body is read.
            hostile.handler = (_q, _b, res) =>
                res.writeHead(200, { "Content-Length": String(MAX_BODY_BYTES + 1) }).end();
            await assert.rejects(account().listAll("user"), /larger than/);
        });
    });
});
