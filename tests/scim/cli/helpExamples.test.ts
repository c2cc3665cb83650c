/**
 * The examples `scim-sync --help` prints work as shown, in order, from a first run (no state file): none
 * is a usage error (exit 2) once `<account id>` is filled in and groups.json exists.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { HelpShown, parseCliArgs } from "../../../scim/cli/args";
import { EXIT_USAGE, runCli } from "../../../scim/cli/run";
import { FakeEngine, fakeSummary } from "../../providers/scimSync/fakeEngine";

const ACCOUNT = "11111111-2222-3333-4444-555555555555";

/** The example command lines of the help text, arguments only (comments dropped). */
export function helpExamples(help: string): string[][] {
    const at = help.indexOf("\nExamples");
    assert.ok(at >= 0, "the help has examples");
    return help
        .slice(at)
        .split("\n")
        .filter((l) => /^\s+scim-sync\b/.test(l))
        .map((l) => l.replace(/#.*$/, "").trim().split(/\s+/).slice(1));
}

describe("scim-sync --help examples", () => {
    let help = "";
    let cwd: string;
    let dir: string;
    before(() => {
        assert.throws(
            () => parseCliArgs(["--help"], {}, { out: (s) => (help += s), err: () => undefined }),
            (e: unknown) => e instanceof HelpShown,
        );
        cwd = process.cwd();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "scim-help-"));
        fs.writeFileSync(path.join(dir, "groups.json"), JSON.stringify(["Data Engineers"]));
        process.chdir(dir);
    });
    after(() => process.chdir(cwd));

    it("run in order from a first run without a usage error", async () => {
        const examples = helpExamples(help);
        assert.ok(examples.length >= 3, `found the examples (${examples.length})`);
        const engine = new FakeEngine();
        const codes: string[] = [];
        for (const argv of examples) {
            engine.answers.push(
                async (o) =>
                    ({
                        summary: fakeSummary(),
                        plan: [],
                        state: {
                            version: 1,
                            ids: {},
                            syncedGroups: [],
                            listedGroups: [...o.groups],
                        },
                    }) as any,
            );
            let stderr = "";
            const code = await runCli(
                argv.map((a) => (a === "<account" ? ACCOUNT : a)).filter((a) => a !== "id>"),
                {
                    runSync: (o) => engine.runSync(o),
                    ambientTokenProvider: () => async () => "t",
                    env: {},
                    stdout: { write: () => true },
                    stderr: { write: (s: string) => (stderr += s) },
                },
            );
            if (code === EXIT_USAGE) codes.push(`scim-sync ${argv.join(" ")}: ${stderr.trim()}`);
        }
        assert.deepStrictEqual(codes, []);
    });
});
