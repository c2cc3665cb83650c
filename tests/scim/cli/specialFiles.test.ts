/**
 * A device or a FIFO given as the groups file or the state file is refused at once, naming it; the
 * CLI runs as a child process with a time limit, so the test ends even where the CLI would hang.
 */
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const CLI = path.resolve(__dirname, "../../../scim/cli/main.js");

/** The CLI as a child, killed (SIGKILL: a process blocked opening a FIFO runs no signal handler) after 15 s. */
function runCliProcess(args: string[], env: Record<string, string>) {
    const r = spawnSync(process.execPath, [CLI, ...args], {
        encoding: "utf8",
        env: { PATH: process.env.PATH, ...env },
        timeout: 15_000,
        killSignal: "SIGKILL",
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ENV = {
    DATABRICKS_ACCOUNT_ID: "11111111-2222-3333-4444-555555555555",
    GRAPH_TOKEN: "g",
    DATABRICKS_TOKEN: "d",
};

describe("scim-sync command: special files", function () {
    this.timeout(60_000);
    let dir: string;
    let fifo: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "scim-special-"));
        fifo = path.join(dir, "pipe");
        execFileSync("mkfifo", [fifo]);
        fs.writeFileSync(path.join(dir, "g.json"), JSON.stringify(["A"]));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    for (const [what, file, kind] of [
        ["/dev/zero", () => "/dev/zero", /is a device, not a regular file/],
        ["a FIFO", () => fifo, /is a FIFO \(named pipe\), not a regular file/],
    ] as const) {
        it(`${what} as --groups-json-file exits 2 at once, naming it`, () => {
            const started = Date.now();
            const r = runCliProcess(
                ["--groups-json-file", file(), "--state-file", path.join(dir, "s.json")],
                ENV,
            );
            assert.strictEqual(r.code, 2, r.stderr);
            assert.match(r.stderr, kind);
            assert.ok(Date.now() - started < 15_000);
        });

        it(`${what} as --state-file exits 2 at once, naming it`, () => {
            const r = runCliProcess(
                ["--groups-json-file", path.join(dir, "g.json"), "--state-file", file()],
                ENV,
            );
            assert.strictEqual(r.code, 2, r.stderr);
            assert.match(r.stderr, kind);
        });
    }
});
