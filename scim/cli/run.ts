/**
 * What the `scim-sync` CLI does, with its outside world injected (engine, token providers, streams,
 * environment) so tests can run it in-process; `main.ts` wires the real ones. Returns the exit code.
 */
import type {
    PlannedChange,
    SyncCounts,
    SyncLogger,
    SyncOptions,
    SyncResult,
    SyncState,
    SyncSummary,
    TokenProvider,
} from "../contract";
import { CliArgs, HelpShown, UsageError, parseCliArgs } from "./args";
import { ApiEndpoint, failureHint, withCredentialHint } from "./credentialHints";
import { graphSnapshot } from "./graphSnapshot";
import {
    readRegularFile,
    removeStaleTemps,
    writeFileAtomic,
    readStateFile,
    writeStateFile,
} from "../engine";
import { scrubberFor } from "../../core/scrub";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const NO_ACCOUNT = "00000000-0000-0000-0000-000000000000";

export interface OutStream {
    write(text: string): unknown;
    readonly isTTY?: boolean;
}

export interface ProgressBar {
    update(progress: { phase: string; done: number; total: number }): void;
    log(line: string): void;
    stop(): void;
}

export interface CliDeps {
    runSync(options: SyncOptions): Promise<SyncResult>;
    /** Token provider for one API when no explicit token is in the environment (DefaultAzureCredential). */
    ambientTokenProvider(api: "graph" | "databricks"): TokenProvider;
    env: NodeJS.ProcessEnv;
    stdout: OutStream;
    stderr: OutStream;
    /** Aborts the run (Ctrl-C): the engine stops, the state file is left as it was, exit 1. */
    signal?: AbortSignal;
    /** Creates the progress bar; called only when stderr is a TTY and --json is off. */
    createProgressBar?(stderr: OutStream): ProgressBar;
}

/** The machine-readable summary printed by `--json`. */
export interface CliJsonSummary {
    readonly ok: boolean;
    readonly exitCode: number;
    readonly stateFile: string;
    readonly groups: readonly string[];
    readonly summary?: SyncSummary;
    readonly plan?: readonly PlannedChange[];
    readonly error?: string;
}

export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
    // Scrubbed from the first line on: a usage error may quote a token passed as another flag.
    const scrub = secretScrubber(deps.env);
    const err = (line: string) => deps.stderr.write(scrub(line) + "\n");
    const out: OutStream = { write: (text: string) => deps.stdout.write(scrub(text)) };
    let args: CliArgs;
    try {
        args = parseCliArgs(argv, deps.env, {
            out: (s) => deps.stdout.write(s),
            err: (s) => deps.stderr.write(s),
        });
    } catch (e) {
        if (e instanceof HelpShown) return EXIT_OK;
        if (e instanceof UsageError) {
            err(`scim-sync: ${e.message}`);
            err("Run scim-sync --help for the list of options.");
            return EXIT_USAGE;
        }
        throw e;
    }

    let previous: SyncState | undefined;
    let groups: string[];
    try {
        previous = readState(args.stateFile, args.fullSync, err);
        groups = groupsToSync(
            previous,
            args.groupsJsonFile ? readGroupsFile(args.groupsJsonFile) : undefined,
        );
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        err(`scim-sync: ${e.message}`);
        return EXIT_USAGE;
    }
    if (groups.length === 0) {
        err(
            args.groupsJsonFile
                ? `scim-sync: --groups-json-file ${args.groupsJsonFile} lists no group; list at least one Entra group name, e.g. ["Data Engineers"]`
                : "scim-sync: no groups to sync: pass --groups-json-file FILE (a JSON list of Entra group names) on the first run",
        );
        return EXIT_USAGE;
    }

    const useBar = !args.json && !!deps.stderr.isTTY && !!deps.createProgressBar;
    const bar = useBar ? deps.createProgressBar!(deps.stderr) : undefined;
    const line = (text: string) => (bar ? bar.log(scrub(text) + "\n") : err(scrub(text)));
    const logger: SyncLogger = {
        info: (m) => line(`info: ${m}`),
        warn: (m) => line(`warning: ${m}`),
        debug: (m) => (args.debug ? line(`debug: ${m}`) : undefined),
    };

    // Token failures and refused calls name the API, its host and what to set (credentialHints.ts).
    const endpoints: ApiEndpoint[] = [
        { api: "graph", url: args.graphUrl, explicitToken: !!deps.env.GRAPH_TOKEN },
        { api: "databricks", url: args.accountHost, explicitToken: !!deps.env.DATABRICKS_TOKEN },
    ];
    const token = (api: "graph" | "databricks"): TokenProvider => {
        const explicit = api === "graph" ? deps.env.GRAPH_TOKEN : deps.env.DATABRICKS_TOKEN;
        return withCredentialHint(
            explicit ? async () => explicit : deps.ambientTokenProvider(api),
            endpoints.find((e) => e.api === api)!,
        );
    };

    // --query-graph-only syncs nothing and keeps the state: nothing stops being synced.
    const dropped =
        args.groupsJsonFile && !args.queryGraphOnly ? droppedGroups(previous, groups) : [];
    if (dropped.length > 0) {
        logger.warn(
            `no longer in --groups-json-file, so no longer synced: ${dropped.join(", ")}. Nothing is deleted: ` +
                "the group stays in the account with the members it has now, and its members stay too.",
        );
    }
    // A write killed half-way (kill -9, power loss) leaves a temp file next to its target; the target itself is intact.
    for (const file of [args.stateFile, args.saveGraphResponseJson, args.report]) {
        for (const name of file ? removeStaleTemps(file) : [])
            logger.info(`removed ${name}, left by an interrupted write of ${file}`);
    }
    logger.info(
        `${args.fullSync ? "full" : "incremental"} sync of ${groups.length} group(s)${previous ? "" : " (no state file yet: first run)"}`,
    );
    if (args.verbose) for (const g of groups) logger.info(`group: ${g}`);

    let result: SyncResult;
    try {
        result = await deps.runSync({
            groups,
            groupSearchDepth: args.groupSearchDepth,
            fullSync: args.fullSync,
            dryRunPrincipals: args.dryRunPrincipals,
            // Both flags (as the original tool allowed) = write nothing, which is what dryRunPrincipals does.
            dryRunMembers: args.dryRunMembers && !args.dryRunPrincipals,
            queryGraphOnly: args.queryGraphOnly,
            concurrency: args.workerThreads,
            maxRemovalPercent: args.maxRemovalPercent,
            allowMassRemoval: args.allowMassRemoval,
            allowGroupAdoption: args.allowGroupAdoption,
            allowPrincipalAdoption: args.allowPrincipalAdoption,
            allowHosts: args.allowHosts,
            deactivateDeleted: args.deactivateDeleted,
            rateLimits: args.rateLimits,
            graph: { url: args.graphUrl, token: token("graph") },
            // --query-graph-only never calls the account; the engine still wants an id of the right shape.
            account: {
                host: args.accountHost,
                accountId: args.accountId ?? NO_ACCOUNT,
                token: token("databricks"),
            },
            state: previous,
            logger,
            onProgress: bar ? (p) => bar.update(p) : undefined,
            signal: deps.signal,
            onGraphRead: args.saveGraphResponseJson
                ? (tree) => {
                      writeFileAtomic(
                          args.saveGraphResponseJson!,
                          JSON.stringify(graphSnapshot(tree), null, 2) + "\n",
                      );
                      logger.info(
                          `saved what was read from Graph to ${args.saveGraphResponseJson}`,
                      );
                  }
                : undefined,
        });
    } catch (e) {
        bar?.stop();
        const message = scrub(e instanceof Error ? e.message : String(e));
        const hint = failureHint(e, endpoints);
        err(`scim-sync: sync failed: ${message}${hint ? ` — ${hint}` : ""}`);
        if (args.json)
            printJson(out, {
                ok: false,
                exitCode: EXIT_FAILED,
                stateFile: args.stateFile,
                groups,
                error: message,
            });
        return EXIT_FAILED;
    }
    bar?.stop();

    // The engine's state reflects what was applied, also when some operations failed.
    if (!args.queryGraphOnly) writeStateFile(args.stateFile, result.state);
    if (args.report) {
        writeFileAtomic(args.report, reportLines(result, scrub));
        logger.info(`wrote ${result.plan.length} change(s) to ${args.report}`);
    }

    const summary: SyncSummary = {
        ...result.summary,
        errorMessages: result.summary.errorMessages.map(scrub),
    };
    const code = summary.errors > 0 ? EXIT_FAILED : EXIT_OK;
    if (args.json) {
        printJson(out, {
            ok: code === EXIT_OK,
            exitCode: code,
            stateFile: args.stateFile,
            groups,
            summary,
            plan: result.plan,
        });
    } else {
        out.write(
            formatSummary(
                summary,
                result.plan,
                args.verbose ||
                    summary.dryRun ||
                    args.queryGraphOnly ||
                    summary.removalGuardTripped === true,
            ),
        );
    }
    for (const m of summary.errorMessages) err(`error: ${m}`);
    return code;
}

/** The --report file: one JSON object a line per change, each with the run's time and mode. */
export function reportLines(
    result: SyncResult,
    scrub: (text: string) => string = (t) => t,
): string {
    const at = new Date().toISOString();
    const { mode, dryRun } = result.summary;
    return result.plan
        .map(
            (p) =>
                scrub(
                    JSON.stringify({
                        at,
                        mode,
                        dryRun,
                        ...p,
                        status: p.status ?? (dryRun ? "planned" : "applied"),
                    }),
                ) + "\n",
        )
        .join("");
}

function printJson(out: OutStream, summary: CliJsonSummary): void {
    out.write(JSON.stringify(summary, null, 2) + "\n");
}

/** Removes the explicit tokens and client secret of the environment from text, and anything shaped like a token (scim/scrub). */
export function secretScrubber(env: NodeJS.ProcessEnv): (text: string) => string {
    return scrubberFor([env.GRAPH_TOKEN, env.DATABRICKS_TOKEN, env.AZURE_CLIENT_SECRET]);
}

/**
 * Reads the state file (absent = first run). An unreadable one stops an incremental run (usage error);
 * a full sync does not need it, so it warns and starts from scratch.
 */
function readState(
    file: string,
    fullSync: boolean,
    err: (line: string) => void,
): SyncState | undefined {
    try {
        return readStateFile(file);
    } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (!fullSync) throw new UsageError(`--state-file ${message}`);
        err(`warning: ignoring --state-file ${message}`);
        return undefined;
    }
}

/** The groups JSON file of the original tool: a JSON list of Entra group display names. */
export function readGroupsFile(file: string): string[] {
    let text: string;
    try {
        text = readRegularFile(file);
    } catch (e: any) {
        throw new UsageError(
            `cannot read --groups-json-file ${file}: ${e?.code === "ENOENT" ? "no such file" : (e?.message ?? e)}`,
        );
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        throw new UsageError(
            `--groups-json-file ${file} is not valid JSON; expected a list of group names like ["Data Engineers", "Data Scientists"]`,
        );
    }
    if (!Array.isArray(parsed) || parsed.some((g) => typeof g !== "string" || g.trim() === "")) {
        throw new UsageError(
            `--groups-json-file ${file} must be a JSON list of non-empty group names like ["Data Engineers", "Data Scientists"]`,
        );
    }
    return parsed.map((g: string) => g.trim());
}

/**
 * The groups of this run. The groups file, when given, is the whole list: a name removed from it is
 * no longer synced. Without it (an incremental run), the groups listed on the last run, from the state.
 */
export function groupsToSync(
    state: SyncState | undefined,
    fromFile: readonly string[] | undefined,
): string[] {
    return [...new Set(fromFile ?? state?.listedGroups ?? [])];
}

/** Names listed on the last run that this run's list no longer holds (Entra matches names in any case). */
export function droppedGroups(state: SyncState | undefined, groups: readonly string[]): string[] {
    const now = new Set(groups.map((g) => g.toLowerCase()));
    return (state?.listedGroups ?? []).filter((g) => !now.has(g.toLowerCase()));
}

function counts(c: SyncCounts): string {
    const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
    return `${n(c.users, "user", "users")}, ${n(c.servicePrincipals, "service principal", "service principals")}, ${n(c.groups, "group", "groups")}`;
}

/** In a dry run the engine applies nothing, so what it would do is counted from the plan. */
export function plannedCounts(
    plan: readonly PlannedChange[],
): Pick<SyncSummary, "created" | "updated" | "membersAdded" | "membersRemoved"> {
    const zero = (): { users: number; servicePrincipals: number; groups: number } => ({
        users: 0,
        servicePrincipals: 0,
        groups: 0,
    });
    const created = zero();
    const updated = zero();
    let membersAdded = 0;
    let membersRemoved = 0;
    const bucket = (kind: PlannedChange["kind"]) =>
        kind === "user" ? "users" : kind === "servicePrincipal" ? "servicePrincipals" : "groups";
    for (const p of plan) {
        // Membership details start with the count ("3 members: ...").
        const n = Number(/^(\d+) member/.exec(p.detail ?? "")?.[1] ?? 1);
        if (p.op === "create") created[bucket(p.kind)]++;
        else if (p.op === "update") updated[bucket(p.kind)]++;
        else if (p.op === "deactivate")
            continue; // counted by the engine (summary.deactivated)
        else if (p.op === "add-members") membersAdded += n;
        else membersRemoved += n;
    }
    return { created, updated, membersAdded, membersRemoved };
}

export function formatSummary(
    s: SyncSummary,
    plan: readonly PlannedChange[],
    listPlan: boolean,
): string {
    const c = s.dryRun ? { ...s, ...plannedCounts(plan) } : s;
    const lines = [
        `SCIM sync (${s.mode}${s.dryRun ? ", dry run" : ""}): ${s.errors > 0 ? `FAILED, ${s.errors} error(s)` : "ok"}`,
        `  ${s.dryRun ? "would create" : "created"}: ${counts(c.created)}`,
        `  ${s.dryRun ? "would update" : "updated"}: ${counts(c.updated)}`,
        `  members ${s.dryRun ? "to add" : "added"}: ${c.membersAdded}, ${s.dryRun ? "to remove" : "removed"}: ${c.membersRemoved}`,
    ];
    const off = s.deactivated;
    if (off && off.users + off.servicePrincipals > 0)
        lines.push(`  ${s.dryRun ? "would deactivate" : "deactivated"}: ${counts(off)}`);
    if (s.removalGuardTripped)
        lines.push(
            "  removal guard: nothing was written (see the errors; --allow-mass-removal to go ahead)",
        );
    // The classes whose rate adapted this run; the state keeps the end rates for the next run.
    const adapted = Object.entries(s.pacing ?? {}).filter(
        ([, p]) => p.throttled > 0 || p.rate !== p.startRate,
    );
    if (adapted.length > 0) {
        const r = (x: number) => (x >= 10 ? x.toFixed(0) : String(Math.round(x * 100) / 100));
        const one = ([k, p]: [string, NonNullable<SyncSummary["pacing"]>[string]]) =>
            `${k} ${r(p.startRate)}→${r(p.rate)}${p.throttled > 0 ? ` (${p.throttled}× 429, throttled at ${r(p.ceiling ?? p.rate)})` : ""}${p.max !== undefined ? ` [max ${p.max}]` : ""}`;
        lines.push(
            `  pace learnt (requests/s, kept for the next run): ${adapted.map(one).join(", ")}`,
        );
    }
    if (listPlan && plan.length > 0) {
        lines.push(`  ${s.dryRun ? "planned changes" : "changes"} (${plan.length}):`);
        for (const p of plan)
            lines.push(
                `    ${p.op} ${p.kind} ${p.key}${p.detail ? ` (${p.detail})` : ""}${p.status === "blocked" || p.status === "failed" ? ` [${p.status}]` : ""}`,
            );
    }
    return lines.join("\n") + "\n";
}
