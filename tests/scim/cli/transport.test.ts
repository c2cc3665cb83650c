/**
 * `scim-sync` as a child process, where transport failures, files and warnings reach the user: an
 * unreachable host ends the command at once with host and cause; every file it writes is mode 600;
 * a temp file left by a killed write is removed; no MaxListenersExceededWarning on stderr; a token
 * passed as --account-id is not echoed; a paced run against rate-limited emulators gets no 429.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { Emulators, seedMediumTenant, seedSmallTenant } from "../fixture";
import { cli } from "./cliChild";

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe("scim-sync command: transport, files, warnings", function () {
    this.timeout(20_000);
    const em = new Emulators();
    let dir: string;
    before(() => em.start());
    after(() => em.stop());
    beforeEach(() => {
        em.clear();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "scim-cli-transport-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const env = (extra: Record<string, string> = {}) => em.cliEnv(extra);
    const groupsFile = (names: string[]) => {
        const f = path.join(dir, "groups.json");
        fs.writeFileSync(f, JSON.stringify(names));
        return f;
    };

    it("an unreachable account host: exit 1 within a second or two, one line with host and cause", async () => {
        seedSmallTenant(em.graph);
        const server = net.createServer();
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        const port = (server.address() as net.AddressInfo).port;
        await new Promise<void>((r) => server.close(() => r()));
        const r = await cli(
            [
                "--groups-json-file",
                groupsFile(["Data Team"]),
                "--state-file",
                path.join(dir, "s.json"),
                "--debug",
            ],
            env({ DATABRICKS_HOST: `http://127.0.0.1:${port}` }),
        );
        assert.strictEqual(r.code, 1, r.stderr);
        assert.ok(r.ms < 4_000, `the command took ${r.ms} ms (retries of a refused connection?)`);
        const failed = r.stderr.split("\n").filter((l) => l.startsWith("scim-sync: sync failed:"));
        assert.deepStrictEqual(failed.length, 1, r.stderr);
        assert.match(
            failed[0],
            new RegExp(
                `^scim-sync: sync failed: scim: cannot reach 127\\.0\\.0\\.1:${port}: connection refused \\(ECONNREFUSED\\)`,
            ),
        );
        assert.ok(!/retry \d+ in/.test(r.stderr), "no retry of a refused connection");
        const after = r.stderr
            .slice(r.stderr.indexOf("scim-sync: sync failed:"))
            .split("\n")
            .slice(1)
            .filter((l) => l !== "");
        assert.deepStrictEqual(after, [], "nothing runs (or logs) after the failure is printed");
    });

    it("writes the state and --save-graph-response-json with mode 600, and removes a temp file left by a killed write", async function () {
        if (process.platform === "win32") this.skip();
        seedSmallTenant(em.graph);
        const state = path.join(dir, "state.json");
        const saved = path.join(dir, "graph.json");
        const leftover = path.join(dir, ".state.json.4242.1764547200000.tmp");
        fs.writeFileSync(leftover, '{"version":1,"ids":{');
        fs.writeFileSync(saved, "[]", { mode: 0o644 });
        const r = await cli(
            [
                "--groups-json-file",
                groupsFile(["Data Team"]),
                "--group-search-depth",
                "3",
                "--state-file",
                state,
                "--save-graph-response-json",
                saved,
            ],
            env(),
        );
        assert.strictEqual(r.code, 0, r.stderr);
        assert.strictEqual(mode(state), 0o600);
        assert.strictEqual(mode(saved), 0o600, "names, UPNs and memberships: owner only");
        assert.ok(!fs.existsSync(leftover), "the leftover temp file was removed");
        assert.match(
            r.stderr,
            /info: removed \.state\.json\.4242\.1764547200000\.tmp, left by an interrupted write of /,
        );
        assert.deepStrictEqual(fs.readdirSync(dir).sort(), [
            "graph.json",
            "groups.json",
            "state.json",
        ]);
    });

    it("a default run prints no MaxListenersExceededWarning, also at high --worker-threads", async () => {
        const t = seedMediumTenant(em.graph, 200, 24);
        em.graph.server.settings.latencyMs = 5;
        em.scim.server.settings.latencyMs = 5;
        const groups = groupsFile(t.names);
        for (const extra of [[], ["--worker-threads", "32"]]) {
            const r = await cli(
                [
                    "--groups-json-file",
                    groups,
                    "--group-search-depth",
                    "2",
                    "--state-file",
                    path.join(dir, `s${extra.length}.json`),
                    ...extra,
                ],
                env(),
            );
            assert.strictEqual(r.code, 0, r.stderr);
            assert.ok(!/MaxListenersExceededWarning|abort listeners/.test(r.stderr), r.stderr);
            assert.ok(!/\(node:\d+\)/.test(r.stderr), `a Node warning on stderr: ${r.stderr}`);
        }
    });

    it("a PAT or JWT passed as --account-id is not echoed in the usage error", async () => {
        const pat = "dapi0123456789abcdef0123456789abcdef";
        for (const value of [pat, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"]) {
            const r = await cli(
                ["--groups-json-file", groupsFile(["Data Team"]), "--account-id", value],
                { PATH: process.env.PATH ?? "" },
            );
            assert.strictEqual(r.code, 2);
            assert.match(
                r.stderr,
                /--account-id \/ DATABRICKS_ACCOUNT_ID must be a GUID .*got a value of \d+ characters \(not shown\)/,
            );
            assert.ok(
                !r.stderr.includes(value) && !r.stderr.includes(value.slice(0, 12)),
                r.stderr,
            );
        }
        const typo = await cli(
            ["--groups-json-file", groupsFile(["Data Team"]), "--account-id", "1111-2222"],
            { PATH: process.env.PATH ?? "" },
        );
        assert.match(typo.stderr, /got "1111-2222"/, "a mistyped GUID is still shown");
    });

    it("a bad --rate-limits is a usage error naming the flag and the valid keys", async () => {
        const r = await cli(
            ["--groups-json-file", groupsFile(["Data Team"]), "--rate-limits", "scim.writes=5"],
            env({ SCIM_SYNC_RATE_LIMITS: "" }),
        );
        assert.strictEqual(r.code, 2);
        assert.match(
            r.stderr,
            /--rate-limits \/ SCIM_SYNC_RATE_LIMITS: "scim\.writes=5" is not a rate limit; expected e\.g\. .*keys: graph\.reads, scim\.reads, scim\.lists, scim\.creates, scim\.patches/,
        );
    });
});
