/**
 * The command lines in README.md and docs/*.md use only flags the commands have (`scim-sync`, and the
 * pipeline runner `npm run pipeline --`), and docs/scim-sync-cli.md documents every flag of `scim-sync`.
 * Flags come from the commands' own commander definitions.
 */
import * as assert from "assert";
import { buildProgram as scimProgram } from "../../scim/cli/args";
import { buildProgram as pipelineProgram } from "../../automation/args";
import { docLines, readDoc } from "./markdown";

const flagsOf = (program: { options: readonly { long?: string; short?: string }[] }) =>
    new Set(
        program.options
            .flatMap((o) => [o.long, o.short])
            .filter((f): f is string => !!f)
            .concat(["--help", "-h"]),
    );

const COMMANDS = [
    {
        name: "scim-sync",
        start: /(?:^|[\s`])(?:npx )?(?:scim-sync|node dist\/scim\/cli\.js)(?=\s)/,
        flags: flagsOf(scimProgram()),
    },
    {
        name: "pipeline",
        start: /npm run (?:--silent )?pipeline --(?=\s)/,
        flags: flagsOf(pipelineProgram()),
    },
];

describe("command-line flags in README.md and docs/*.md", () => {
    it("are flags of the command they are given to", () => {
        const bad: string[] = [];
        let seen = 0;
        for (const { where, text: line } of docLines()) {
            for (const cmd of COMMANDS) {
                const m = cmd.start.exec(line);
                if (!m) continue;
                // The command's own arguments: up to a comment, a pipe, a redirect, `&&` or the end of a code span.
                const rest = line.slice(m.index + m[0].length).split(/\s#|\||>|&&|`/)[0];
                for (const flag of rest.match(/(?<=^|[\s([])--?[A-Za-z][\w-]*/g) ?? []) {
                    seen++;
                    if (!cmd.flags.has(flag)) bad.push(`${where}: ${cmd.name} has no ${flag}`);
                }
            }
        }
        assert.ok(seen > 10, `found command lines (${seen} flags)`);
        assert.deepStrictEqual(bad, []);
    });

    it("docs/scim-sync-cli.md documents every flag of scim-sync", () => {
        const doc = readDoc("docs/scim-sync-cli.md");
        const missing = scimProgram()
            .options.map((o) => o.long!)
            .filter((flag) => !new RegExp("\\| `" + flag + "[ `]").test(doc));
        assert.deepStrictEqual(missing, []);
    });
});
