/**
 * The scim-sync CLI in-process with a fake engine: flag → option mapping, exit codes 0/1/2, --json
 * shape, state file reuse, progress bar only on a TTY, tokens never printed.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { SyncResult, SyncState } from "../../../scim/contract/api";
import { CliDeps, runCli } from "../../../scim/cli/run";
import type { DesiredPrincipal } from "../../../scim/contract/model";
import { FakeEngine, fakeSummary } from "../../providers/scimSync/fakeEngine";
import { readReport } from "./report";

const ACCOUNT = "11111111-2222-3333-4444-555555555555";
const GRAPH_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.graph-token-body";
const DBX_TOKEN = "dapi0123456789abcdef-databricks";

class Capture {
    text = "";
    constructor(readonly isTTY = false) {}
    write(s: string) {
        this.text += s;
        return true;
    }
}

function state(groups: string[], n = 1): SyncState {
    return {
        version: 1,
        usersDeltaLink: `https://graph.example/delta?t=${n}`,
        ids: { a: "1" },
        syncedGroups: ["g-1"],
        listedGroups: groups,
    };
}

/** What the fake engine answers for a run that ends with `st`: by default a full run without error. */
function result(st: SyncState, summary = fakeSummary(), plan: SyncResult["plan"] = []): SyncResult {
    return { state: st, summary, plan };
}

function harness(opts: { tty?: boolean; env?: Record<string, string> } = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scim-cli-"));
    const engine = new FakeEngine();
    const stdout = new Capture();
    const stderr = new Capture(opts.tty ?? false);
    const bar = { updates: [] as any[], logs: [] as string[], stopped: 0 };
    const deps: CliDeps = {
        runSync: (o) => engine.runSync(o),
        ambientTokenProvider: (api) => async () => `ambient-${api}`,
        env: { DATABRICKS_ACCOUNT_ID: ACCOUNT, ...(opts.env ?? {}) },
        stdout,
        stderr,
        createProgressBar: () => ({
            update: (p) => bar.updates.push(p),
            log: (l) => bar.logs.push(l),
            stop: () => bar.stopped++,
        }),
    };
    const file = (name: string, content: unknown) => {
        const p = path.join(dir, name);
        fs.writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
        return p;
    };
    const run = (...argv: string[]) => runCli(argv, deps);
    const stateFile = path.join(dir, "state.json");
    return {
        dir,
        calls: engine.calls,
        answers: engine.answers,
        stdout,
        stderr,
        bar,
        deps,
        file,
        run,
        /** A run with a groups file that lists `groups` and the state file, then `flags`. */
        sync: (groups: unknown, ...flags: string[]) =>
            run("--groups-json-file", file("g.json", groups), "--state-file", stateFile, ...flags),
        stateFile,
        /** The state file as the last run wrote it. */
        savedState: () => JSON.parse(fs.readFileSync(stateFile, "utf8")),
    };
}

describe("scim-sync CLI (in-process, fake engine)", () => {
    it("maps every flag to the engine's options", async () => {
        const h = harness({ env: { GRAPH_TOKEN, DATABRICKS_TOKEN: DBX_TOKEN } });
        const groups = h.file("groups.json", ["Data Engineers", "Data Scientists"]);
        h.answers.push(result(state(["Data Engineers", "Data Scientists"])));
        const code = await h.run(
            "--groups-json-file",
            groups,
            "--full-sync",
            "--dry-run-security-principals",
            "--dry-run-members",
            "--worker-threads",
            "4",
            "--group-search-depth",
            "3",
            "--state-file",
            h.stateFile,
            "--account-host",
            "https://127.0.0.1:9443",
            "--graph-url",
            "http://localhost:9444/v1.0",
        );
        assert.strictEqual(code, 0, h.stderr.text);
        const o = h.calls[0];
        assert.deepStrictEqual(o.groups, ["Data Engineers", "Data Scientists"]);
        assert.strictEqual(o.fullSync, true);
        assert.strictEqual(o.dryRunPrincipals, true);
        assert.strictEqual(
            o.dryRunMembers,
            false,
            "both dry runs = write nothing = dryRunPrincipals alone",
        );
        assert.strictEqual(o.queryGraphOnly, false);
        assert.strictEqual(o.concurrency, 4);
        assert.strictEqual(o.groupSearchDepth, 3);
        assert.strictEqual(o.account.accountId, ACCOUNT);
        assert.strictEqual(o.account.host, "https://127.0.0.1:9443");
        assert.strictEqual(o.graph.url, "http://localhost:9444/v1.0");
        assert.strictEqual(await o.graph.token(), GRAPH_TOKEN);
        assert.strictEqual(await o.account.token(), DBX_TOKEN);
        assert.strictEqual(o.state, undefined);
    });

    it("maps the safety flags: removal guard, adoption, deactivation; --report writes one JSON line per change", async () => {
        const h = harness({ env: { GRAPH_TOKEN, DATABRICKS_TOKEN: DBX_TOKEN } });
        const report = path.join(h.dir, "out", "changes.jsonl");
        h.answers.push({
            state: state(["A"]),
            summary: fakeSummary({
                errors: 1,
                errorMessages: ['removal guard: group "A" would remove 3 of its 4 members (75%)'],
                removalGuardTripped: true,
            }),
            plan: [
                {
                    op: "create",
                    kind: "user",
                    key: "ann@contoso.com",
                    entraId: "u1",
                    status: "planned",
                },
                {
                    op: "remove-members",
                    kind: "group",
                    key: "A",
                    entraId: "g1",
                    scimId: "20",
                    members: [{ name: "Bob", scimId: "11" }],
                    detail: "1 member: Bob",
                    status: "blocked",
                },
            ],
        });
        const code = await h.sync(
            ["A"],
            "--max-removal-percent",
            "30",
            "--allow-mass-removal",
            "--allow-group-adoption",
            "--deactivate-deleted",
            "--report",
            report,
        );
        assert.strictEqual(code, 1, "the guard's error fails the run");
        const o = h.calls[0];
        assert.deepStrictEqual(
            [o.maxRemovalPercent, o.allowMassRemoval, o.allowGroupAdoption, o.deactivateDeleted],
            [30, true, true, true],
        );
        const lines = readReport(report);
        assert.deepStrictEqual(
            lines.map((l) => [l.op, l.key, l.status, l.mode, l.dryRun]),
            [
                ["create", "ann@contoso.com", "planned", "full", false],
                ["remove-members", "A", "blocked", "full", false],
            ],
        );
        assert.deepStrictEqual(lines[1].members, [{ name: "Bob", scimId: "11" }]);
        assert.match(h.stdout.text, /removal guard: nothing was written/);
        assert.match(h.stdout.text, /remove-members group A \(1 member: Bob\) \[blocked\]/);
        assert.match(h.stderr.text, /error: removal guard: group "A"/);
    });

    it("refuses a --max-removal-percent outside 0-100 as a usage error", async () => {
        const h = harness();
        assert.strictEqual(
            await h.run(
                "--groups-json-file",
                h.file("g.json", ["A"]),
                "--max-removal-percent",
                "150",
            ),
            2,
        );
        assert.match(
            h.stderr.text,
            /--max-removal-percent must be a whole number from 0 to 100, got "150"/,
        );
        assert.strictEqual(h.calls.length, 0);
    });

    it("defaults: depth from the state (none given), 10 workers, public endpoints, incremental, ambient credentials; env endpoints", async () => {
        const h = harness();
        h.answers.push(result(state(["A"])), result(state(["A"])));
        assert.strictEqual(await h.sync(["A"]), 0);
        const o = h.calls[0];
        // Not given = undefined: the engine keeps the state's depth (a scheduled run must not shrink the scope).
        assert.strictEqual(o.groupSearchDepth, undefined);
        assert.deepStrictEqual(
            [o.maxRemovalPercent, o.allowMassRemoval, o.allowGroupAdoption, o.deactivateDeleted],
            [undefined, false, false, false],
        );
        assert.strictEqual(o.concurrency, 10);
        assert.strictEqual(o.fullSync, false);
        assert.strictEqual(o.account.host, "https://accounts.azuredatabricks.net");
        assert.strictEqual(o.graph.url, "https://graph.microsoft.com/v1.0");
        assert.strictEqual(await o.graph.token(), "ambient-graph");
        assert.strictEqual(await o.account.token(), "ambient-databricks");

        // A sovereign cloud's hosts, from the Databricks SDK's variable.
        h.deps.env.DATABRICKS_HOST = "https://accounts.databricks.azure.us";
        h.deps.env.GRAPH_URL = "https://graph.microsoft.us/v1.0";
        assert.strictEqual(await h.run("--state-file", h.stateFile), 0);
        assert.strictEqual(h.calls[1].account.host, "https://accounts.databricks.azure.us");
        assert.strictEqual(h.calls[1].graph.url, "https://graph.microsoft.us/v1.0");
    });

    it("writes the state file after the run and reuses it: the second run is incremental on the same groups", async () => {
        const h = harness();
        h.answers.push(result(state(["A", "B"], 1)));
        assert.strictEqual(await h.sync(["A", "B"]), 0);
        assert.deepStrictEqual(h.savedState(), state(["A", "B"], 1));
        assert.deepStrictEqual(
            fs.readdirSync(h.dir).filter((f) => f.endsWith(".tmp")),
            [],
            "no temp file left behind",
        );

        h.answers.push(result(state(["A", "B"], 2), fakeSummary({ mode: "incremental" })));
        assert.strictEqual(await h.run("--state-file", h.stateFile), 0);
        assert.deepStrictEqual(h.calls[1].state, state(["A", "B"], 1));
        assert.deepStrictEqual(
            h.calls[1].groups,
            ["A", "B"],
            "no groups file: the groups of the last run, from the state",
        );
        assert.strictEqual(h.calls[1].fullSync, false);
        assert.deepStrictEqual(h.savedState().usersDeltaLink, "https://graph.example/delta?t=2");
        assert.doesNotMatch(h.stderr.text, /warning/);
    });

    it("the groups file is the whole list: a name left out is no longer synced, with a warning that nothing is deleted", async () => {
        const h = harness();
        h.answers.push(result(state(["A", "B", "C"], 1)));
        assert.strictEqual(await h.sync(["A", "B", "C"]), 0);

        // B removed; A kept in another case (Entra matches names in any case); C listed twice.
        h.stdout.text = "";
        h.answers.push(result(state(["a", "C"], 2)));
        assert.strictEqual(await h.sync(["a", "C", "C"], "--json"), 0);
        assert.deepStrictEqual(
            h.calls[1].groups,
            ["a", "C"],
            "the file's names only, first-seen order, no duplicates",
        );
        assert.deepStrictEqual(
            h.calls[1].state,
            state(["A", "B", "C"], 1),
            "the engine gets the previous state: it sees B dropped",
        );
        assert.deepStrictEqual(JSON.parse(h.stdout.text).groups, ["a", "C"]);
        assert.match(
            h.stderr.text,
            /warning: no longer in --groups-json-file, so no longer synced: B\. Nothing is deleted: the group stays in the account/,
        );
        assert.doesNotMatch(h.stderr.text, /no longer synced: .*A/);

        // --query-graph-only syncs nothing and keeps the state: no warning.
        h.stderr.text = "";
        h.answers.push(result(state(["a", "C"], 2)));
        assert.strictEqual(await h.sync(["C"], "--query-graph-only"), 0);
        assert.deepStrictEqual(h.calls[2].groups, ["C"]);
        assert.doesNotMatch(h.stderr.text, /no longer synced/);

        // A full sync reads the file's groups only, too (the state's are not merged in).
        h.answers.push(result(state(["C"], 3)));
        assert.strictEqual(await h.sync(["C"], "--full-sync"), 0);
        assert.deepStrictEqual(h.calls[3].groups, ["C"]);
        assert.match(h.stderr.text, /no longer synced: a\. Nothing is deleted/);
    });

    it("--json prints one machine-readable summary on stdout", async () => {
        const h = harness();
        const plan = [{ op: "create" as const, kind: "user" as const, key: "ann@contoso.com" }];
        h.answers.push(result(state(["A"]), fakeSummary({ dryRun: true }), plan));
        assert.strictEqual(await h.sync(["A"], "--dry-run-security-principals", "--json"), 0);
        const out = JSON.parse(h.stdout.text);
        assert.deepStrictEqual(Object.keys(out).sort(), [
            "exitCode",
            "groups",
            "ok",
            "plan",
            "stateFile",
            "summary",
        ]);
        assert.strictEqual(out.ok, true);
        assert.strictEqual(out.exitCode, 0);
        assert.deepStrictEqual(out.groups, ["A"]);
        assert.deepStrictEqual(out.plan, plan);
        assert.strictEqual(out.summary.membersAdded, 3);
        assert.strictEqual(out.stateFile, h.stateFile);
        assert.strictEqual(h.bar.updates.length, 0);
    });

    it("the pace learnt: in the summary, in --json, and kept in the state file for the next run", async () => {
        const pacing = {
            scimCreates: { startRate: 5, rate: 24.2, ceiling: 25.1, throttled: 6, waitedMs: 1200 },
            scimPatches: { startRate: 2, rate: 2, throttled: 0, waitedMs: 0 },
            scimLists: { startRate: 4, rate: 4, max: 4, throttled: 0, waitedMs: 0 },
        };
        const rates = { scimCreates: { rate: 24.2, ceiling: 25.1 }, scimPatches: { rate: 2 } };
        for (const json of [false, true]) {
            const h = harness();
            h.answers.push(result({ ...state(["A"]), rates }, fakeSummary({ pacing })));
            assert.strictEqual(await h.sync(["A"], ...(json ? ["--json"] : [])), 0);
            if (json) assert.deepStrictEqual(JSON.parse(h.stdout.text).summary.pacing, pacing);
            // Only the classes whose rate moved; the others went as they started.
            else
                assert.match(
                    h.stdout.text,
                    /\n {2}pace learnt \(requests\/s, kept for the next run\): scimCreates 5→24 \(6× 429, throttled at 25\)\n/,
                );
            assert.deepStrictEqual(h.savedState().rates, rates);
        }
    });

    it("human output: counts, and the plan in a dry run", async () => {
        const h = harness();
        const zero = { users: 0, servicePrincipals: 0, groups: 0 };
        h.answers.push({
            // The engine applies nothing in a dry run: its counts are zero, the plan says what would happen.
            state: state(["A"]),
            summary: fakeSummary({
                dryRun: true,
                created: zero,
                updated: zero,
                membersAdded: 0,
                membersRemoved: 0,
            }),
            plan: [
                { op: "create", kind: "user", key: "ann@contoso.com" },
                { op: "create", kind: "user", key: "bob@contoso.com" },
                {
                    op: "update",
                    kind: "servicePrincipal",
                    key: "app-1",
                    detail: "active: true → false",
                },
                { op: "add-members", kind: "group", key: "A", detail: "3 members: ann, bob, cy" },
                { op: "remove-members", kind: "group", key: "A", detail: "1 member: scim:9" },
            ],
        });
        assert.strictEqual(await h.sync(["A"], "--dry-run-members"), 0);
        assert.match(h.stdout.text, /SCIM sync \(full, dry run\): ok/);
        assert.match(h.stdout.text, /would create: 2 users, 0 service principals, 0 groups/);
        assert.match(h.stdout.text, /would update: 0 users, 1 service principal, 0 groups/);
        assert.match(h.stdout.text, /members to add: 3, to remove: 1/);
        assert.match(h.stdout.text, /add-members group A \(3 members: ann, bob, cy\)/);
    });

    it("exit 1 when operations failed (state still written), and when the run stops (state kept)", async () => {
        const h = harness();
        h.answers.push(
            result(
                state(["A"], 1),
                fakeSummary({ errors: 1, errorMessages: ["PATCH group A: HTTP 500"] }),
            ),
        );
        assert.strictEqual(await h.sync(["A"]), 1);
        assert.match(h.stdout.text, /FAILED, 1 error/);
        assert.match(h.stderr.text, /error: PATCH group A: HTTP 500/);
        const written = fs.readFileSync(h.stateFile, "utf8");

        h.answers.push(new Error("Graph: 403 Authorization_RequestDenied"));
        h.stdout.text = "";
        assert.strictEqual(await h.run("--state-file", h.stateFile, "--json"), 1);
        assert.strictEqual(
            fs.readFileSync(h.stateFile, "utf8"),
            written,
            "a stopped run leaves the state file alone",
        );
        const out = JSON.parse(h.stdout.text);
        assert.strictEqual(out.ok, false);
        assert.strictEqual(out.exitCode, 1);
        assert.match(out.error, /403 Authorization_RequestDenied/);
        assert.match(h.stderr.text, /sync failed: Graph: 403/);
    });

    it("never prints a token, from the environment or a bearer header", async () => {
        const h = harness({ env: { GRAPH_TOKEN, DATABRICKS_TOKEN: DBX_TOKEN } });
        h.answers.push(async (o) => {
            o.logger!.info(`calling Graph with ${await o.graph.token()}`);
            o.logger!.warn(`Authorization: Bearer ${await o.account.token()}`);
            return result(
                state(["A"]),
                fakeSummary({ errors: 1, errorMessages: [`401 for token ${DBX_TOKEN}`] }),
            );
        });
        await h.sync(["A"], "--debug");
        h.answers.push(new Error(`request failed: Authorization: Bearer ${GRAPH_TOKEN}`));
        await h.run("--state-file", h.stateFile, "--json");
        const all = h.stdout.text + h.stderr.text + fs.readFileSync(h.stateFile, "utf8");
        assert.ok(all.includes("[secret]"));
        for (const t of [GRAPH_TOKEN, DBX_TOKEN, "graph-token-body"])
            assert.ok(!all.includes(t), `leaked ${t}`);
    });

    it("shows a progress bar only when stderr is a TTY and --json is off", async () => {
        const tty = harness({ tty: true });
        tty.answers.push(async (o) => {
            o.onProgress!({ phase: "read-graph", done: 1, total: 2 });
            o.logger!.info("half way");
            return result(state(["A"]));
        });
        assert.strictEqual(await tty.sync(["A"]), 0);
        assert.deepStrictEqual(tty.bar.updates, [{ phase: "read-graph", done: 1, total: 2 }]);
        assert.ok(
            tty.bar.logs.some((l) => l.includes("half way")),
            "logs go above the bar",
        );
        assert.strictEqual(tty.bar.stopped, 1);

        const json = harness({ tty: true });
        json.answers.push(async (o) => {
            assert.strictEqual(o.onProgress, undefined);
            return result(state(["A"]));
        });
        assert.strictEqual(await json.sync(["A"], "--json"), 0);
        assert.strictEqual(json.bar.updates.length + json.bar.stopped, 0);
    });

    it("hands the abort signal to the engine; an interrupted run exits 1 and leaves the state file alone", async () => {
        const h = harness();
        h.answers.push(result(state(["A"], 1)));
        assert.strictEqual(await h.sync(["A"]), 0);
        const before = fs.readFileSync(h.stateFile, "utf8");
        const abort = new AbortController();
        h.deps.signal = abort.signal;
        h.answers.push(async (o) => {
            assert.strictEqual(o.signal, abort.signal);
            abort.abort();
            throw new Error("sync aborted");
        });
        assert.strictEqual(await h.run("--state-file", h.stateFile), 1);
        assert.strictEqual(fs.readFileSync(h.stateFile, "utf8"), before);
        assert.match(h.stderr.text, /sync failed: sync aborted/);
    });

    it("--query-graph-only needs no account id, writes no state; --save-graph-response-json writes what Graph returned", async () => {
        const h = harness();
        delete h.deps.env.DATABRICKS_ACCOUNT_ID;
        h.answers.push(async (o) => {
            const ann: DesiredPrincipal = {
                kind: "user",
                entraId: "u1",
                key: "ann@contoso.com",
                displayName: "Ann",
                active: true,
            };
            const sub: DesiredPrincipal = {
                kind: "group",
                entraId: "g2",
                key: "Sub",
                displayName: "Sub",
                active: true,
            };
            const top: DesiredPrincipal = {
                kind: "group",
                entraId: "g1",
                key: "A",
                displayName: "A",
                active: true,
            };
            o.onGraphRead!({
                principals: new Map([
                    ["g1", top],
                    ["u1", ann],
                    ["g2", sub],
                ]),
                memberships: new Map([["g1", ["u1", "g2"]]]),
                levels: new Map([["g1", 1]]),
            });
            return result(state(["A"]));
        });
        const saved = path.join(h.dir, "graph.json");
        assert.strictEqual(
            await h.sync(["A"], "--query-graph-only", "--save-graph-response-json", saved),
            0,
        );
        assert.strictEqual(h.calls[0].queryGraphOnly, true);
        assert.match(
            h.calls[0].account.accountId,
            /^[0-9a-f-]{36}$/,
            "a well-formed placeholder id; the account is never called",
        );
        assert.ok(!fs.existsSync(h.stateFile));
        assert.deepStrictEqual(JSON.parse(fs.readFileSync(saved, "utf8")), {
            groups: [{ id: "g1", displayName: "A", level: 1, members: ["u1", "g2"] }],
            users: [{ id: "u1", userName: "ann@contoso.com", displayName: "Ann", active: true }],
            servicePrincipals: [],
            nestedGroups: [{ id: "g2", displayName: "Sub" }],
        });
    });

    describe("bad usage exits 2 with a clear message, before calling the engine", () => {
        const cases: Array<[string, (h: ReturnType<typeof harness>) => string[], RegExp]> = [
            ["unknown flag", () => ["--bogus"], /unknown option '--bogus'/],
            [
                "non-numeric worker threads",
                () => ["--worker-threads", "many"],
                /--worker-threads must be a whole number from 1 to 64, got "many"/,
            ],
            [
                "zero worker threads",
                () => ["--worker-threads", "0"],
                /--worker-threads must be a whole number from 1 to 64/,
            ],
            [
                "depth over 10",
                () => ["--group-search-depth", "11"],
                /--group-search-depth must be a whole number from 1 to 10/,
            ],
            [
                "bad account id",
                () => ["--account-id", "acme"],
                /--account-id \/ DATABRICKS_ACCOUNT_ID must be a GUID/,
            ],
            [
                "http on a public host",
                () => ["--account-host", "http://accounts.azuredatabricks.net"],
                /--account-host \/ DATABRICKS_HOST: plain http:\/\/ is allowed only for loopback hosts.*use https:\/\//,
            ],
            [
                "bad graph url",
                () => ["--graph-url", "graph"],
                /--graph-url \/ GRAPH_URL: "graph" is not a URL; expected e.g. https:\/\/host/,
            ],
            [
                "full sync without groups file",
                () => ["--full-sync"],
                /--full-sync needs --groups-json-file/,
            ],
            [
                "missing groups file",
                (h) => ["--groups-json-file", path.join(h.dir, "nope.json")],
                /cannot read --groups-json-file .*no such file/,
            ],
            [
                "groups file not JSON",
                (h) => ["--groups-json-file", h.file("g.json", "Data Engineers")],
                /is not valid JSON; expected a list of group names/,
            ],
            [
                "groups file not a list of names",
                (h) => ["--groups-json-file", h.file("g.json", { groups: ["A"] })],
                /must be a JSON list of non-empty group names/,
            ],
            [
                "no groups at all (first run without a file)",
                (h) => ["--state-file", path.join(h.dir, "none.json")],
                /no groups to sync: pass --groups-json-file/,
            ],
            [
                "an empty groups file",
                (h) => ["--groups-json-file", h.file("g.json", [])],
                /--groups-json-file .*g\.json lists no group; list at least one Entra group name/,
            ],
            [
                "corrupt state file on an incremental run",
                (h) => ["--state-file", h.file("s.json", "{not json")],
                /--state-file .*not valid JSON/,
            ],
            ["extra argument", () => ["groups.json"], /too many arguments|unknown command|excess/i],
        ];
        for (const [what, argv, message] of cases) {
            it(what, async () => {
                const h = harness();
                const code = await h.run(...argv(h));
                assert.strictEqual(code, 2, h.stderr.text);
                assert.match(h.stderr.text, message);
                assert.strictEqual(h.calls.length, 0);
                assert.strictEqual(h.stdout.text, "");
            });
        }

        it("missing account id names the flag and the variable", async () => {
            const h = harness();
            delete h.deps.env.DATABRICKS_ACCOUNT_ID;
            assert.strictEqual(await h.run("--groups-json-file", h.file("g.json", ["A"])), 2);
            assert.match(h.stderr.text, /pass --account-id or set DATABRICKS_ACCOUNT_ID/);
        });

        it("a full sync ignores a corrupt state file with a warning", async () => {
            const h = harness();
            h.answers.push(result(state(["A"])));
            const code = await h.run(
                "--groups-json-file",
                h.file("g.json", ["A"]),
                "--full-sync",
                "--state-file",
                h.file("s.json", "{not json"),
            );
            assert.strictEqual(code, 0, h.stderr.text);
            assert.match(h.stderr.text, /warning: ignoring --state-file/);
            assert.strictEqual(h.calls[0].state, undefined);
        });
    });
});
