/**
 * The pipeline runner's logic: one Pulumi operation on a stack of this project, progress lines from
 * engine events, a summary (changes by kind, outputs with secrets masked), exit codes 0/1/2. The stack
 * comes from an injected factory, so tests drive it with a fake; `cli.ts` uses LocalWorkspace.
 */
import type { EngineEvent, OpMap, OutputMap } from "@pulumi/pulumi/automation";
import { HelpShown, Operation, PipelineArgs, UsageError, parsePipelineArgs } from "./args";
import { ChangeTally, formatEvent } from "./events";
import { SECRET_MASK, maskOutputs, stackOutputsInState } from "./secretMask";

export { SECRET_MASK, maskOutputs };

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const NS = "azure-databricks-mlops";

interface OpOptions {
    onEvent?: (event: EngineEvent) => void;
    color?: "never";
}

/** The part of `automation.Stack` the runner uses. */
export interface StackLike {
    getAllConfig(): Promise<Record<string, { value: string; secret?: boolean }>>;
    setConfig(
        key: string,
        value: { value: string; secret?: boolean },
        path?: boolean,
    ): Promise<void>;
    preview(opts?: OpOptions): Promise<{ changeSummary: OpMap }>;
    up(
        opts?: OpOptions,
    ): Promise<{ summary: { result: string; resourceChanges?: OpMap }; outputs: OutputMap }>;
    refresh(opts?: OpOptions): Promise<{ summary: { result: string; resourceChanges?: OpMap } }>;
    destroy(opts?: OpOptions): Promise<{ summary: { result: string; resourceChanges?: OpMap } }>;
    outputs(): Promise<OutputMap>;
    /** The stack's state (`pulumi stack export`): where the secrets inside outputs are. */
    exportStack(): Promise<{ deployment: unknown }>;
}

export interface Out {
    write(text: string): unknown;
}

export interface RunnerDeps {
    /** Creates or selects the stack (LocalWorkspace on this project's folder in production). */
    openStack(stackName: string): Promise<StackLike>;
    stdout: Out;
    stderr: Out;
}

/** The summary printed at the end (`--json` prints exactly this). */
export interface PipelineSummary {
    readonly ok: boolean;
    readonly exitCode: number;
    readonly stack: string;
    readonly operation: Operation;
    /** Resource counts by operation, from the engine's summary (`same` included). */
    readonly changes: OpMap;
    /** Changed resources by type and operation, from the engine events. */
    readonly changesByType: Record<string, Record<string, number>>;
    /** Stack outputs; secret values replaced by "[secret]" at any depth. */
    readonly outputs: Record<string, unknown>;
    readonly failedResources: readonly string[];
    readonly error?: string;
}

export const INSTALL_PULUMI_HELP =
    "The Pulumi CLI was not found on PATH; the Automation API runs it for every operation.\n" +
    "Install it, then check with `pulumi version`:\n" +
    "  Linux/macOS:     curl -fsSL https://get.pulumi.com | sh   (or: brew install pulumi/tap/pulumi)\n" +
    "  Windows:         winget install pulumi   (or: choco install pulumi)\n" +
    "  GitHub Actions:  uses: pulumi/actions@v6 (installs the CLI), before this step\n" +
    "  Azure DevOps:    the Pulumi task (pulumi.build-and-release-task) or the install script above\n" +
    "See https://www.pulumi.com/docs/install/";

/** Whether an error means the `pulumi` binary could not be started. */
export function isMissingPulumiCli(e: unknown): boolean {
    const err = e as
        | {
              code?: unknown;
              syscall?: unknown;
              message?: unknown;
              commandResult?: { err?: { code?: unknown } };
          }
        | undefined;
    if (!err) return false;
    // The Automation API wraps execa's spawn error: the command could not start at all.
    if (err.commandResult?.err?.code === "ENOENT") return true;
    const message = typeof err.message === "string" ? err.message : String(e);
    return (
        /spawn \S*pulumi ENOENT/i.test(message) ||
        /ENOENT:? \S*pulumi( version)?/i.test(message) ||
        /pulumi: (command )?not found/i.test(message) ||
        /'pulumi' is not recognized/i.test(message) ||
        (err.code === "ENOENT" &&
            typeof err.syscall === "string" &&
            /^spawn .*pulumi/.test(err.syscall))
    );
}

/** The useful part of a failed operation's error: the CLI's stderr lines, without the stack trace. */
export function errorText(e: unknown): string {
    const err = e as { commandResult?: { stderr?: string }; message?: string };
    const stderr = err?.commandResult?.stderr?.trim();
    const text = stderr || (err?.message ?? String(e));
    const lines = text.split("\n").filter((l) => l.trim() && !/^\s+at /.test(l));
    return lines.slice(0, 20).join("\n");
}

export async function runPipeline(argv: readonly string[], deps: RunnerDeps): Promise<number> {
    const err = (s: string) => deps.stderr.write(s + "\n");
    let args: PipelineArgs;
    try {
        args = parsePipelineArgs(argv, (s) => deps.stdout.write(s));
    } catch (e) {
        if (e instanceof HelpShown) return EXIT_OK;
        if (e instanceof UsageError) {
            err(`pipeline: ${e.message}`);
            err("Run with --help for the options.");
            return EXIT_USAGE;
        }
        throw e;
    }
    // With --json, stdout carries only the summary.
    const progress = (s: string) => (args.json ? deps.stderr : deps.stdout).write(s + "\n");

    let stack: StackLike;
    try {
        stack = await deps.openStack(args.stack);
    } catch (e) {
        if (isMissingPulumiCli(e)) {
            err(`pipeline: ${INSTALL_PULUMI_HELP}`);
            return EXIT_USAGE;
        }
        err(`pipeline: cannot open stack ${args.stack}: ${errorText(e)}`);
        return EXIT_FAILED;
    }

    const tally = new ChangeTally();
    const onEvent = (event: EngineEvent) => {
        tally.add(event);
        const line = formatEvent(event);
        if (line) progress(line);
    };
    // Secrets nested in an output are not flagged by the Automation API (pulumi/pulumi#8170): find them in the state.
    const masked = async (outs: OutputMap): Promise<Record<string, unknown>> => {
        let state: Record<string, unknown> | undefined;
        try {
            state = stackOutputsInState(await stack.exportStack());
        } catch (e) {
            progress(
                `warning: cannot read the stack state to find nested secrets (${errorText(e).split("\n")[0]}); object outputs are shown as ${SECRET_MASK}`,
            );
        }
        return maskOutputs(outs, state);
    };
    let changes: OpMap = {};
    let outputs: Record<string, unknown> = {};
    let error: string | undefined;
    try {
        if (args.syncEvery) {
            const config = await stack.getAllConfig();
            if (!(`${NS}:scimSync` in config)) {
                err(
                    `pipeline: --sync-every needs the stack's ${NS}:scimSync config (accountId, groups, ...); set it first (see docs/scheduling.md)`,
                );
                return EXIT_USAGE;
            }
            await stack.setConfig(
                `${NS}:scimSync.interval`,
                { value: args.syncEvery, secret: false },
                true,
            );
            progress(`set ${NS}:scimSync.interval = ${args.syncEvery}`);
        }
        progress(`pulumi ${args.operation} on stack ${args.stack} ...`);
        const opts: OpOptions = { onEvent, color: "never" };
        switch (args.operation) {
            case "preview":
                changes = (await stack.preview(opts)).changeSummary;
                break;
            case "up": {
                const r = await stack.up(opts);
                changes = r.summary.resourceChanges ?? {};
                outputs = await masked(r.outputs);
                break;
            }
            case "refresh":
                changes = (await stack.refresh(opts)).summary.resourceChanges ?? {};
                outputs = await masked(await stack.outputs());
                break;
            case "destroy":
                changes = (await stack.destroy(opts)).summary.resourceChanges ?? {};
                break;
        }
    } catch (e) {
        if (isMissingPulumiCli(e)) {
            err(`pipeline: ${INSTALL_PULUMI_HELP}`);
            return EXIT_USAGE;
        }
        error = errorText(e);
    }

    const exitCode = error === undefined ? EXIT_OK : EXIT_FAILED;
    const summary: PipelineSummary = {
        ok: exitCode === EXIT_OK,
        exitCode,
        stack: args.stack,
        operation: args.operation,
        changes,
        changesByType: tally.toJSON(),
        outputs,
        failedResources: tally.failed,
        ...(error !== undefined ? { error } : {}),
    };
    if (args.json) deps.stdout.write(JSON.stringify(summary, null, 2) + "\n");
    else deps.stdout.write(formatSummary(summary));
    if (error !== undefined && !args.json)
        err(`pipeline: pulumi ${args.operation} failed:\n${error}`);
    return exitCode;
}

export function formatSummary(s: PipelineSummary): string {
    const lines = [`pulumi ${s.operation} on stack ${s.stack}: ${s.ok ? "succeeded" : "FAILED"}`];
    const ops = Object.entries(s.changes).filter(([, n]) => (n ?? 0) > 0);
    lines.push(`changes: ${ops.length ? ops.map(([op, n]) => `${n} ${op}`).join(", ") : "none"}`);
    for (const [type, byOp] of Object.entries(s.changesByType)) {
        lines.push(
            `  ${type}: ${Object.entries(byOp)
                .map(([op, n]) => `${n} ${op}`)
                .join(", ")}`,
        );
    }
    if (s.failedResources.length) lines.push(`failed: ${s.failedResources.join(", ")}`);
    const keys = Object.keys(s.outputs);
    if (keys.length) {
        lines.push("outputs:");
        for (const k of keys) {
            const v = s.outputs[k];
            lines.push(`  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
        }
    }
    return lines.join("\n") + "\n";
}
