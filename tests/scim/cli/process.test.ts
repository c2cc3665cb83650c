/** The built `scim-sync` command as a child process (`node dist/scim/cli/main.js`): help, usage errors. */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const CLI = path.resolve(__dirname, "../../../scim/cli/main.js");

export function runCliProcess(
    args: string[],
    env: Record<string, string | undefined> = {},
    cwd?: string,
) {
    const r = spawnSync(process.execPath, [CLI, ...args], {
        encoding: "utf8",
        cwd,
        env: {
            PATH: process.env.PATH,
            NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS,
            ...env,
        },
        timeout: 20_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const FLAGS = [
    "--groups-json-file",
    "--full-sync",
    "--dry-run-security-principals",
    "--dry-run-members",
    "--worker-threads",
    "--group-search-depth",
    "--query-graph-only",
    "--save-graph-response-json",
    "--verbose",
    "--debug",
    "--state-file",
    "--account-id",
    "--account-host",
    "--graph-url",
    "--json",
    "--help",
];

describe("scim-sync command (child process)", () => {
    it("is the package's bin, with a node shebang", () => {
        const pkg = JSON.parse(
            fs.readFileSync(path.resolve(__dirname, "../../../../package.json"), "utf8"),
        );
        assert.strictEqual(pkg.bin["scim-sync"], "dist/scim/cli/main.js");
        assert.ok(fs.readFileSync(CLI, "utf8").startsWith("#!/usr/bin/env node\n"));
    });

    it("--help documents every flag, the environment and the exit codes, and exits 0", () => {
        const r = runCliProcess(["--help"]);
        assert.strictEqual(r.code, 0, r.stderr);
        for (const flag of FLAGS) assert.ok(r.stdout.includes(flag), `help lacks ${flag}`);
        for (const env of [
            "GRAPH_TOKEN",
            "DATABRICKS_TOKEN",
            "DATABRICKS_ACCOUNT_ID",
            "DATABRICKS_HOST",
            "GRAPH_URL",
            "DefaultAzureCredential",
        ]) {
            assert.ok(r.stdout.includes(env), `help lacks ${env}`);
        }
        assert.match(r.stdout, /Exit codes: 0 success, 1 failed sync.*2 bad usage/);
    });

    it("--version prints the package.json version and exits 0", () => {
        const pkg = JSON.parse(
            fs.readFileSync(path.resolve(__dirname, "../../../../package.json"), "utf8"),
        );
        for (const flag of ["--version", "-V"]) {
            const r = runCliProcess([flag]);
            assert.strictEqual(r.code, 0, r.stderr);
            assert.strictEqual(r.stdout, `${pkg.version}\n`);
        }
    });

    it("bad usage exits 2 with the reason and a pointer to --help on stderr", () => {
        const r = runCliProcess(["--group-search-depth", "deep"]);
        assert.strictEqual(r.code, 2);
        assert.match(
            r.stderr,
            /scim-sync: --group-search-depth must be a whole number from 1 to 10, got "deep"/,
        );
        assert.match(r.stderr, /Run scim-sync --help/);
        assert.strictEqual(r.stdout, "");
        const missing = runCliProcess(["--groups-json-file", "groups.json"], {});
        assert.strictEqual(missing.code, 2);
        assert.match(missing.stderr, /pass --account-id or set DATABRICKS_ACCOUNT_ID/);
    });
});
