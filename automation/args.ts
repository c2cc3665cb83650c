/**
 * Arguments of the pipeline runner: `--stack NAME (--preview | --up | --refresh | --destroy)
 * [--sync-every 30m] [--json]`. Parsing only; a problem is a {@link UsageError} (exit code 2).
 */
import { Command, CommanderError, Option } from "commander";
import { INTERVAL_FORMATS, parseInterval } from "../core/interval";

export type Operation = "preview" | "up" | "refresh" | "destroy";
const OPERATIONS: readonly Operation[] = ["preview", "up", "refresh", "destroy"];

export interface PipelineArgs {
    readonly stack: string;
    readonly operation: Operation;
    /** Sets `scimSync.interval` before the operation. */
    readonly syncEvery?: string;
    readonly json: boolean;
}

export class UsageError extends Error {}
export class HelpShown extends Error {}

export function buildProgram(): Command {
    return new Command("pipeline")
        .usage(
            "--stack NAME (--preview | --up | --refresh | --destroy) [--sync-every 30m] [--json]",
        )
        .description(
            "Runs one Pulumi operation on a stack of this project with the Automation API, for CI/CD pipelines.",
        )
        .addOption(
            new Option(
                "--stack <name>",
                "stack to operate on (created when it does not exist), e.g. dev or myorg/prod",
            ),
        )
        .addOption(new Option("--preview", "show what `up` would change"))
        .addOption(new Option("--up", "apply the program (and run a due SCIM sync)"))
        .addOption(new Option("--refresh", "refresh the stack's state from the cloud"))
        .addOption(
            new Option(
                "--destroy",
                "delete the stack's resources (the SCIM sync never deletes account principals)",
            ),
        )
        .addOption(
            new Option(
                "--sync-every <interval>",
                `set azure-databricks-mlops:scimSync.interval first: ${INTERVAL_FORMATS}`,
            ),
        )
        .addOption(
            new Option(
                "--json",
                "print the summary as JSON on stdout (progress lines go to stderr)",
            ),
        )
        .helpOption("-h, --help", "show this help")
        .addHelpText(
            "after",
            "\nExit codes: 0 success, 1 the operation failed, 2 bad usage or the Pulumi CLI is missing.\n" +
                "\nExamples:\n" +
                "  npm run pipeline -- --stack dev --preview\n" +
                "  npm run pipeline -- --stack prod --up --sync-every 6h --json\n",
        )
        .allowExcessArguments(false)
        .exitOverride();
}

export function parsePipelineArgs(
    argv: readonly string[],
    write: (s: string) => void,
): PipelineArgs {
    const program = buildProgram().configureOutput({
        writeOut: write,
        writeErr: () => undefined,
        outputError: () => undefined,
    });
    try {
        program.parse([...argv], { from: "user" });
    } catch (e) {
        if (e instanceof CommanderError) {
            if (e.code === "commander.helpDisplayed" || e.code === "commander.help")
                throw new HelpShown();
            throw new UsageError(e.message.replace(/^error: /, ""));
        }
        throw e;
    }
    const o = program.opts();
    if (!o.stack || !String(o.stack).trim()) throw new UsageError("--stack NAME is required");
    if (!/^[A-Za-z0-9_.\-/]+$/.test(o.stack)) {
        throw new UsageError(
            `--stack must be a stack name like dev or org/project/prod (letters, digits, - _ . /), got ${JSON.stringify(String(o.stack).slice(0, 60))}`,
        );
    }
    const chosen = OPERATIONS.filter((op) => o[op]);
    if (chosen.length !== 1) {
        throw new UsageError(
            chosen.length === 0
                ? "choose one operation: --preview, --up, --refresh or --destroy"
                : `choose only one operation, got ${chosen.map((c) => `--${c}`).join(" and ")}`,
        );
    }
    if (o.syncEvery !== undefined) {
        const parsed = parseInterval(o.syncEvery);
        if ("error" in parsed) throw new UsageError(`--sync-every ${parsed.error}`);
        if (chosen[0] === "destroy" || chosen[0] === "refresh") {
            throw new UsageError(`--sync-every applies to --up and --preview, not --${chosen[0]}`);
        }
    }
    return { stack: o.stack, operation: chosen[0], syncEvery: o.syncEvery, json: !!o.json };
}
