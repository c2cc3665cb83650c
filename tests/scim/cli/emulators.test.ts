/**
 * `node dist/scim/cli/main.js` as a child process against the Graph and SCIM emulators: a full first run,
 * the state file written atomically and reused by an incremental second run, a dry run that writes
 * nothing, --save-graph-response-json, exit 1 on a failed sync, and no token in any output.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { accountSnapshot, Emulators, GRAPH_TOKEN, SCIM_TOKEN, seedSmallTenant } from "../fixture";
import { cli, Run } from "./cliChild";
import { readReport } from "./report";

describe("scim-sync command against the emulators", () => {
    const em = new Emulators();
    const outputs: string[] = [];
    let dir: string;
    let t: ReturnType<typeof seedSmallTenant>;
    before(() => em.start());
    after(async () => {
        await em.stop();
        const all = outputs.join("\n");
        assert.ok(all.length > 0);
        for (const token of [GRAPH_TOKEN, SCIM_TOKEN])
            assert.ok(!all.includes(token), "a token appeared in the CLI's output");
    });
    beforeEach(() => {
        em.clear();
        t = seedSmallTenant(em.graph);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "scim-cli-e2e-"));
        fs.writeFileSync(path.join(dir, "groups.json"), JSON.stringify(["Data Team"]));
    });
    afterEach(() => assert.strictEqual(em.scim.deletes(), 0, "the sync never sends DELETE"));

    // Behaviour, not the real accounts' rate limits (tests/scim/clients/pacing.test.ts runs paced).
    const env = () => em.cliEnv();
    async function run(args: string[], e: Record<string, string> = env()): Promise<Run> {
        const r = await cli(args, e);
        outputs.push(r.stdout, r.stderr);
        return r;
    }
    const stateFile = () => path.join(dir, "state.json");

    it("first run full, second run incremental from the state file; --json summaries; exit 0", async () => {
        const first = await run([
            "--groups-json-file",
            path.join(dir, "groups.json"),
            "--group-search-depth",
            "3",
            "--state-file",
            stateFile(),
            "--json",
            "--debug",
        ]);
        assert.strictEqual(first.code, 0, first.stderr);
        const s1 = JSON.parse(first.stdout);
        assert.strictEqual(s1.ok, true);
        assert.strictEqual(s1.summary.mode, "full");
        assert.deepStrictEqual(s1.summary.created, { users: 4, servicePrincipals: 1, groups: 3 });
        assert.deepStrictEqual(s1.groups, ["Data Team"]);
        assert.ok(s1.plan.length >= 8);
        assert.strictEqual(accountSnapshot(em.scim).users.length, 4);

        const state = JSON.parse(fs.readFileSync(stateFile(), "utf8"));
        assert.deepStrictEqual(state.listedGroups, ["Data Team"]);
        assert.ok(
            state.groupsDeltaLink && state.usersDeltaLink,
            "delta links kept for the next run",
        );
        assert.strictEqual(Object.keys(state.ids).length, 8);
        assert.deepStrictEqual(
            fs.readdirSync(dir).filter((f) => f !== "groups.json" && f !== "state.json"),
            [],
            "no temp file left",
        );

        // A change in Entra; the next run needs no groups file and reads only what changed.
        const frank = em.graph.addUser({
            userPrincipalName: "frank@contoso.com",
            displayName: "Frank",
        });
        em.graph.addMember(t.analysts.id, frank.id);
        em.resetCounters();
        const second = await run([
            "--state-file",
            stateFile(),
            "--group-search-depth",
            "3",
            "--json",
        ]);
        assert.strictEqual(second.code, 0, second.stderr);
        const s2 = JSON.parse(second.stdout);
        assert.strictEqual(s2.summary.mode, "incremental");
        assert.deepStrictEqual(s2.summary.created, { users: 1, servicePrincipals: 0, groups: 0 });
        assert.strictEqual(s2.summary.membersAdded, 1);
        assert.deepStrictEqual(s2.groups, ["Data Team"], "groups come from the state file");
        assert.ok(
            accountSnapshot(em.scim).groups.some(
                (g) => g.startsWith("Analysts|") && g.includes("frank@contoso.com"),
            ),
        );
        assert.notDeepStrictEqual(
            JSON.parse(fs.readFileSync(stateFile(), "utf8")).groupsDeltaLink,
            state.groupsDeltaLink,
        );
    });

    it("a group removed from the groups file is no longer synced, and nothing is deleted", async () => {
        const groupsFile = path.join(dir, "groups.json");
        fs.writeFileSync(groupsFile, JSON.stringify(["Data Team", "Other"]));
        const first = await run([
            "--groups-json-file",
            groupsFile,
            "--state-file",
            stateFile(),
            "--json",
        ]);
        assert.strictEqual(first.code, 0, first.stderr);
        assert.deepStrictEqual(em.scim.memberNames("Other"), ["erin@contoso.com"]);
        const erinId = em.scim.userByName("erin@contoso.com")!.id;

        // Other's membership changes in Entra, and Other leaves the file.
        const frank = em.graph.addUser({
            userPrincipalName: "frank@contoso.com",
            displayName: "Frank",
        });
        em.graph.addMember(t.other.id, frank.id);
        em.graph.removeMember(t.other.id, t.erin.id);
        fs.writeFileSync(groupsFile, JSON.stringify(["Data Team"]));
        em.resetCounters();
        const second = await run([
            "--groups-json-file",
            groupsFile,
            "--state-file",
            stateFile(),
            "--json",
        ]);
        assert.strictEqual(second.code, 0, second.stderr);
        const s2 = JSON.parse(second.stdout);
        assert.deepStrictEqual(s2.groups, ["Data Team"]);
        assert.strictEqual(
            s2.summary.mode,
            "full",
            "the engine sees the name dropped: one full read of the remaining groups",
        );
        assert.deepStrictEqual([s2.summary.membersAdded, s2.summary.membersRemoved], [0, 0]);
        assert.deepStrictEqual(s2.plan, []);
        assert.match(
            second.stderr,
            /warning: no longer in --groups-json-file, so no longer synced: Other\. Nothing is deleted/,
        );
        assert.deepStrictEqual(
            em.scim.memberNames("Other"),
            ["erin@contoso.com"],
            "Other keeps its members: frank not added, erin not removed",
        );
        assert.strictEqual(
            em.scim.users.get(erinId)?.userName,
            "erin@contoso.com",
            "erin stays in the account",
        );
        assert.strictEqual(em.scim.userByName("frank@contoso.com"), undefined);
        assert.strictEqual(em.scim.writeCalls(), 0);
        const state = JSON.parse(fs.readFileSync(stateFile(), "utf8"));
        assert.deepStrictEqual(state.listedGroups, ["Data Team"]);
        assert.ok(!state.syncedGroups.includes(t.other.id));

        // Later incremental runs (with or without the file) apply Data Team's changes, never Other's.
        em.graph.addMember(t.other.id, t.alice.id);
        em.graph.removeMember(t.dataTeam.id, t.bob.id);
        em.resetCounters();
        const third = await run(["--state-file", stateFile(), "--json"]);
        assert.strictEqual(third.code, 0, third.stderr);
        const s3 = JSON.parse(third.stdout);
        assert.deepStrictEqual(
            [s3.groups, s3.summary.mode, s3.summary.membersRemoved, s3.summary.membersAdded],
            [["Data Team"], "incremental", 1, 0],
        );
        assert.ok(!em.scim.memberNames("Data Team").includes("bob@contoso.com"));
        assert.deepStrictEqual(em.scim.memberNames("Other"), ["erin@contoso.com"]);
        assert.ok(
            em.scim.userByName("bob@contoso.com"),
            "bob left Data Team but stays in the account",
        );
    });

    it("a dry run lists the plan and writes nothing to the account", async () => {
        const r = await run([
            "--groups-json-file",
            path.join(dir, "groups.json"),
            "--full-sync",
            "--dry-run-security-principals",
            "--dry-run-members",
            "--state-file",
            stateFile(),
            "--verbose",
        ]);
        assert.strictEqual(r.code, 0, r.stderr);
        assert.match(r.stdout, /SCIM sync \(full, dry run\): ok/);
        assert.match(r.stdout, /would create: 2 users, 1 service principal, 1 group/);
        assert.match(r.stdout, /create user alice@contoso.com/);
        assert.deepStrictEqual(accountSnapshot(em.scim), {
            users: [],
            servicePrincipals: [],
            groups: [],
        });
    });

    it("--query-graph-only --save-graph-response-json writes what Graph returned, calls no account, needs no account id", async () => {
        const saved = path.join(dir, "graph.json");
        const { DATABRICKS_ACCOUNT_ID: _id, DATABRICKS_TOKEN: _t, ...noAccount } = env();
        const r = await run(
            [
                "--groups-json-file",
                path.join(dir, "groups.json"),
                "--group-search-depth",
                "2",
                "--query-graph-only",
                "--save-graph-response-json",
                saved,
                "--state-file",
                stateFile(),
            ],
            noAccount,
        );
        assert.strictEqual(r.code, 0, r.stderr);
        const g = JSON.parse(fs.readFileSync(saved, "utf8"));
        assert.deepStrictEqual(
            g.groups.map((x: any) => [x.displayName, x.level]),
            [
                ["Data Team", 1],
                ["Analysts", 2],
            ],
        );
        assert.deepStrictEqual(
            g.users.map((u: any) => u.userName),
            ["alice@contoso.com", "bob@contoso.com", "carol@contoso.com"],
        );
        assert.deepStrictEqual(
            g.servicePrincipals.map((s: any) => s.applicationId),
            ["9a7c1f0e-0000-4000-8000-00000000e71a"],
        );
        assert.deepStrictEqual(
            g.nestedGroups,
            [],
            "Interns is below the search depth: neither read nor listed",
        );
        assert.strictEqual(
            em.scim.server.count("scim:users:post") + em.scim.server.count("scim:users:list"),
            0,
        );
        assert.ok(!fs.existsSync(stateFile()));
    });

    it("exit 1 when the sync fails (account token refused), with the reason, no token, the state file untouched", async () => {
        const bad = "wrong-databricks-token-123456";
        const r = await run(
            [
                "--groups-json-file",
                path.join(dir, "groups.json"),
                "--state-file",
                stateFile(),
                "--json",
            ],
            { ...env(), DATABRICKS_TOKEN: bad },
        );
        assert.strictEqual(r.code, 1, r.stderr);
        const s = JSON.parse(r.stdout);
        assert.strictEqual(s.ok, false);
        assert.match(s.error, /401/);
        assert.match(r.stderr, /sync failed/);
        assert.ok(!(r.stdout + r.stderr).includes(bad));
        assert.ok(!fs.existsSync(stateFile()), "no state written by a stopped run");
    });

    it("exit 1 when a listed group does not exist (a failed operation), state still written", async () => {
        fs.writeFileSync(
            path.join(dir, "groups.json"),
            JSON.stringify(["Data Team", "No Such Group"]),
        );
        const r = await run([
            "--groups-json-file",
            path.join(dir, "groups.json"),
            "--state-file",
            stateFile(),
        ]);
        assert.strictEqual(r.code, 1, r.stderr);
        assert.match(r.stdout, /FAILED, 1 error/);
        assert.match(r.stderr, /No Such Group/);
        assert.ok(fs.existsSync(stateFile()));
        assert.strictEqual(
            accountSnapshot(em.scim).users.length,
            2,
            "the group that exists was synced",
        );
    });

    it("a scheduled run without --group-search-depth keeps the state's depth: nested groups stay, no full sync", async () => {
        const groups = path.join(dir, "groups.json");
        const first = await run([
            "--groups-json-file",
            groups,
            "--group-search-depth",
            "3",
            "--state-file",
            stateFile(),
        ]);
        assert.strictEqual(first.code, 0, first.stderr);
        const before = accountSnapshot(em.scim);
        em.resetCounters();
        const r = await run(["--groups-json-file", groups, "--state-file", stateFile(), "--json"]);
        assert.strictEqual(r.code, 0, r.stderr);
        assert.strictEqual(JSON.parse(r.stdout).summary.mode, "incremental");
        assert.match(r.stderr, /groupSearchDepth 3, kept from the state/);
        assert.doesNotMatch(r.stderr, /groupSearchDepth changed/);
        assert.deepStrictEqual(accountSnapshot(em.scim), before);
    });

    it("--report writes one JSON line per change with names and ids; the removal guard's blocked change is in it", async () => {
        const groups = path.join(dir, "groups.json");
        const report = path.join(dir, "changes.jsonl");
        const first = await run([
            "--groups-json-file",
            groups,
            "--group-search-depth",
            "2",
            "--state-file",
            stateFile(),
            "--report",
            report,
        ]);
        assert.strictEqual(first.code, 0, first.stderr);
        const created = readReport(report);
        const alice = created.find((c) => c.op === "create" && c.key === "alice@contoso.com");
        assert.deepStrictEqual(
            [alice.kind, alice.entraId, alice.scimId, alice.status],
            ["user", t.alice.id, em.scim.userByName("alice@contoso.com")!.id, "applied"],
        );
        const inline = created.find((c) => c.op === "add-members" && c.key === "Data Team");
        assert.ok(
            inline.members.some(
                (m: any) =>
                    m.name === "bob@contoso.com" &&
                    m.entraId === t.bob.id &&
                    m.scimId === em.scim.userByName("bob@contoso.com")!.id,
            ),
        );

        for (const m of [t.alice, t.bob, t.etl]) em.graph.removeMember(t.dataTeam.id, m.id);
        em.resetCounters();
        const r = await run(["--state-file", stateFile(), "--report", report]);
        assert.strictEqual(r.code, 1, r.stderr);
        assert.match(
            r.stderr,
            /error: removal guard: group "Data Team" would remove 3 of its 4 members \(75%\)/,
        );
        assert.strictEqual(em.scim.writeCalls(), 0);
        const lines = readReport(report);
        assert.deepStrictEqual(
            lines.map((l) => [l.op, l.key, l.status]),
            [["remove-members", "Data Team", "blocked"]],
        );
        assert.deepStrictEqual(lines[0].members.map((m: any) => m.name).sort(), [
            "Alice",
            "Bob",
            "etl",
        ]);
        assert.strictEqual(fs.statSync(report).mode & 0o777, 0o600);
    });

    it("exit 2 on bad usage, before any request", async () => {
        const r = await run([
            "--groups-json-file",
            path.join(dir, "groups.json"),
            "--worker-threads",
            "0",
        ]);
        assert.strictEqual(r.code, 2);
        assert.match(r.stderr, /--worker-threads must be a whole number from 1 to 64/);
        assert.strictEqual(
            em.graph.server.count("graph:groups:list") + em.graph.server.count("graph:batch"),
            0,
        );
    });
});
