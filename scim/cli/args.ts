/**
 * Arguments of the `scim-sync` CLI: the flags of grusin-db/uc-azure-account-scim-sync-py with the same
 * meaning, plus state file, account/Graph endpoints and `--json`. Parsing and validation only (pure:
 * the environment is passed in); errors are usage errors (exit code 2).
 */
import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError, Option } from "commander";
import { checkCliHost, collectAllowHost } from "./hosts";
import { DEFAULT_MAX_REMOVAL_PERCENT, RateLimits } from "../contract";
import { parseRateLimits } from "../clients";
import { DEFAULT_ACCOUNT_HOST, DEFAULT_GRAPH_URL, MAX_GROUP_SEARCH_DEPTH } from "../engine";

export const DEFAULT_STATE_FILE = "scim-sync-state.json";
const MAX_DEPTH = MAX_GROUP_SEARCH_DEPTH;
const MAX_WORKERS = 64;

export interface CliArgs {
    readonly groupsJsonFile?: string;
    readonly fullSync: boolean;
    readonly dryRunPrincipals: boolean;
    readonly dryRunMembers: boolean;
    readonly workerThreads: number;
    /** Absent unless given: the engine keeps the depth recorded in the state. */
    readonly groupSearchDepth?: number;
    readonly queryGraphOnly: boolean;
    readonly saveGraphResponseJson?: string;
    readonly verbose: boolean;
    readonly debug: boolean;
    readonly stateFile: string;
    readonly accountId?: string;
    readonly accountHost: string;
    readonly graphUrl: string;
    /** --allow-host: host names trusted besides the Azure clouds' own (scim/hosts). */
    readonly allowHosts: readonly string[];
    readonly json: boolean;
    readonly maxRemovalPercent?: number;
    readonly allowMassRemoval: boolean;
    readonly allowGroupAdoption: boolean;
    readonly allowPrincipalAdoption: boolean;
    readonly deactivateDeleted: boolean;
    readonly report?: string;
    /** --rate-limits / SCIM_SYNC_RATE_LIMITS: the classes named (hard ceilings); undefined = the defaults, adapting. */
    readonly rateLimits?: Partial<RateLimits>;
}

/** A usage error: printed with a hint to `--help`, exit code 2. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** Help or version was printed: exit 0 without running. */
export class HelpShown extends Error {}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function wholeNumber(flag: string, min: number, max: number) {
    return (value: string): number => {
        if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
            throw new UsageError(
                `${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
            );
        }
        return Number(value);
    };
}

/** An option parser whose Error becomes a UsageError (exit 2). */
function usageParser<T>(parse: (value: string, previous: T) => T) {
    return (value: string, previous: T): T => {
        try {
            return parse(value, previous);
        } catch (e) {
            throw new UsageError(e instanceof Error ? e.message : String(e));
        }
    };
}

/** This package's version, from its package.json (two levels above dist/scim). */
export function packageVersion(): string {
    return (
        JSON.parse(
            fs.readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8"),
        ) as {
            version: string;
        }
    ).version;
}

export function buildProgram(): Command {
    return new Command("scim-sync")
        .description(
            "Sync Entra ID groups with their users, service principals and nested groups into the Azure " +
                "Databricks account over SCIM. Never deletes a principal. Incremental by default (Graph delta " +
                "links kept in the state file); --full-sync reads every listed group again.",
        )
        .addOption(
            new Option(
                "--groups-json-file <file>",
                "JSON file with the list of Entra group display names to sync; a group left out of it is no longer synced (nothing is deleted). Without it, an incremental run syncs the groups of the last run (from --state-file)",
            ),
        )
        .addOption(
            new Option(
                "--full-sync",
                "sync every group of --groups-json-file in full instead of using the Graph change feed (delta links)",
            ),
        )
        .addOption(
            new Option(
                "--dry-run-security-principals",
                "change nothing; list the users, service principals and groups that would be created or updated (membership is not synced until those exist)",
            ),
        )
        .addOption(
            new Option(
                "--dry-run-members",
                "apply principal changes but not group membership; list the members that would be added or removed",
            ),
        )
        .addOption(
            new Option("--worker-threads <n>", `concurrent requests per API, 1-${MAX_WORKERS}`)
                .argParser(wholeNumber("--worker-threads", 1, MAX_WORKERS))
                .default(10),
        )
        .addOption(
            new Option(
                "--group-search-depth <n>",
                `nested group search depth: 1 = only the listed groups, 2 = also their child groups, ... (max ${MAX_DEPTH}; default: the depth of the last run, from --state-file, else 1)`,
            ).argParser(wholeNumber("--group-search-depth", 1, MAX_DEPTH)),
        )
        .addOption(
            new Option(
                "--query-graph-only",
                "only read Microsoft Graph (no Databricks account calls, no changes); combine with --save-graph-response-json to inspect what a sync would cover",
            ),
        )
        .addOption(
            new Option(
                "--save-graph-response-json <file>",
                "save what was read from Graph (groups, users, service principals, members) to this JSON file",
            ),
        )
        .addOption(new Option("--verbose", "list every planned change and the groups being synced"))
        .addOption(
            new Option(
                "--debug",
                "more detail: one line per API call (method, path, status, ms, retry number) and each retry with its wait; never tokens",
            ),
        )
        .addOption(
            new Option(
                "--state-file <file>",
                "state kept between runs (delta links, id map, synced groups); read at start, written atomically after the run",
            ).default(DEFAULT_STATE_FILE),
        )
        .addOption(
            new Option(
                "--account-id <id>",
                "Databricks account id (GUID) [env: DATABRICKS_ACCOUNT_ID]",
            ),
        )
        .addOption(
            new Option(
                "--account-host <url>",
                `Databricks accounts host [env: DATABRICKS_HOST] (default: "${DEFAULT_ACCOUNT_HOST}")`,
            ),
        )
        .addOption(
            new Option(
                "--graph-url <url>",
                `Microsoft Graph base URL [env: GRAPH_URL] (default: "${DEFAULT_GRAPH_URL}")`,
            ),
        )
        .addOption(
            new Option(
                "--allow-host <host>",
                "send tokens to this host too (repeatable or comma-separated); without it only the Databricks account, Graph and Entra hosts of the Azure public and sovereign clouds, and loopback, are accepted",
            ).argParser(usageParser(collectAllowHost)),
        )
        .addOption(
            new Option(
                "--rate-limits <spec>",
                "hard ceilings in requests per second per API and operation class, e.g. scim.creates=3,scim.patches=1; 0 or off = unpaced. Classes not named start from the rate the last run learnt (--state-file), else the documented defaults (graph.reads=350, scim.reads=20, scim.lists=4, scim.creates=5, scim.patches=2), and adapt to the 429s [env: SCIM_SYNC_RATE_LIMITS]",
            ),
        )
        .addOption(
            new Option(
                "--json",
                "print a machine-readable summary on stdout (no progress bar; logs stay on stderr)",
            ),
        )
        .addOption(
            new Option(
                "--max-removal-percent <n>",
                `removal guard: the largest share (0-100) of a group's members one run may remove; a run over it, or one that would empty a group, writes nothing (default: ${DEFAULT_MAX_REMOVAL_PERCENT})`,
            ).argParser(wholeNumber("--max-removal-percent", 0, 100)),
        )
        .addOption(
            new Option(
                "--allow-mass-removal",
                "lift the removal guard for this run (a group may lose any share of its members, or become empty)",
            ),
        )
        .addOption(
            new Option(
                "--allow-group-adoption",
                "adopt an account group of a listed name whose externalId names another Entra object (default: an error, the group is left alone)",
            ),
        )
        .addOption(
            new Option(
                "--allow-principal-adoption",
                "adopt an account user or service principal of the same userName/applicationId whose externalId names another Entra object (default: refused by name, the account's is left alone)",
            ),
        )
        .addOption(
            new Option(
                "--deactivate-deleted",
                "deactivate (active=false, never delete) users and service principals synced before that were deleted or disabled in Entra ID",
            ),
        )
        .addOption(
            new Option(
                "--report <file>",
                "write one JSON line per planned or applied change (names, Entra and SCIM ids, status) to this file",
            ),
        )
        .version(packageVersion(), "-V, --version", "print the version of the installed package")
        .helpOption("-h, --help", "show this help")
        .addHelpText(
            "after",
            "\nAuthentication:\n" +
                "  GRAPH_TOKEN, DATABRICKS_TOKEN   bearer tokens for Graph and the Databricks account, if set;\n" +
                "                                  otherwise DefaultAzureCredential (AZURE_TENANT_ID, AZURE_CLIENT_ID,\n" +
                "                                  AZURE_CLIENT_SECRET, workload or managed identity, az login).\n" +
                "  Graph needs GroupMember.Read.All, User.Read.All and Application.Read.All (application\n" +
                "  permissions); the Databricks identity must be an account admin.\n" +
                "\nExit codes: 0 success, 1 failed sync (operations failed or the run stopped), 2 bad usage.\n" +
                "\nExamples (in order, from a first run; or set DATABRICKS_ACCOUNT_ID instead of --account-id):\n" +
                "  scim-sync --query-graph-only --groups-json-file groups.json --group-search-depth 2 --save-graph-response-json graph.json\n" +
                "  scim-sync --account-id <account id> --groups-json-file groups.json --full-sync --dry-run-security-principals --dry-run-members\n" +
                "  scim-sync --account-id <account id> --groups-json-file groups.json --full-sync\n" +
                "  scim-sync --account-id <account id>   # incremental: the last run's groups, changes since then\n",
        )
        .allowExcessArguments(false)
        .exitOverride();
}

/**
 * Parses argv (without node and script) with the environment; throws {@link UsageError} or
 * {@link HelpShown}. `write` receives help text and commander's own messages.
 */
export function parseCliArgs(
    argv: readonly string[],
    env: NodeJS.ProcessEnv,
    write: { out(s: string): void; err(s: string): void },
): CliArgs {
    const program = buildProgram().configureOutput({
        writeOut: write.out,
        writeErr: () => undefined, // commander errors become UsageError with the same text
        outputError: () => undefined,
    });
    try {
        program.parse([...argv], { from: "user" });
    } catch (e) {
        if (e instanceof UsageError) throw e;
        if (e instanceof CommanderError) {
            if (
                e.code === "commander.helpDisplayed" ||
                e.code === "commander.help" ||
                e.code === "commander.version"
            )
                throw new HelpShown();
            // An argParser's UsageError arrives wrapped by commander in some versions.
            throw new UsageError(e.message.replace(/^error: /, ""));
        }
        throw e;
    }
    const o = program.opts();
    const accountId: string | undefined = o.accountId ?? (env.DATABRICKS_ACCOUNT_ID || undefined);
    const accountHost: string = o.accountHost ?? (env.DATABRICKS_HOST || DEFAULT_ACCOUNT_HOST);
    const graphUrl: string = o.graphUrl ?? (env.GRAPH_URL || DEFAULT_GRAPH_URL);

    if (!o.queryGraphOnly) {
        if (!accountId)
            throw new UsageError(
                "the Databricks account id is required: pass --account-id or set DATABRICKS_ACCOUNT_ID",
            );
    }
    if (accountId !== undefined && !GUID.test(accountId)) {
        // Echoed only when it looks like a mistyped GUID: anything else may be a token pasted into the wrong setting.
        const shown = /^[0-9a-f-]{1,40}$/i.test(accountId)
            ? JSON.stringify(accountId)
            : `a value of ${accountId.length} characters (not shown)`;
        throw new UsageError(
            `--account-id / DATABRICKS_ACCOUNT_ID must be a GUID like 00000000-0000-0000-0000-000000000000, got ${shown}`,
        );
    }
    const allowHosts: string[] = o.allowHost ?? [];
    for (const [setting, value, role] of [
        ["--account-host / DATABRICKS_HOST", accountHost, "account"],
        ["--graph-url / GRAPH_URL", graphUrl, "graph"],
    ] as const) {
        try {
            checkCliHost(value, setting, role, allowHosts);
        } catch (e) {
            throw new UsageError(e instanceof Error ? e.message : String(e));
        }
    }
    if (o.fullSync && !o.groupsJsonFile) {
        throw new UsageError(
            "--full-sync needs --groups-json-file: a full sync reads the groups listed in that file",
        );
    }
    if (o.stateFile === "") throw new UsageError("--state-file must not be empty");
    const rateSpec: string | undefined = o.rateLimits ?? (env.SCIM_SYNC_RATE_LIMITS || undefined);
    const rateLimits = rateSpec === undefined ? undefined : parseRateLimits(rateSpec);
    if (rateLimits && "error" in rateLimits)
        throw new UsageError(`--rate-limits / SCIM_SYNC_RATE_LIMITS: ${rateLimits.error}`);

    return {
        groupsJsonFile: o.groupsJsonFile,
        fullSync: !!o.fullSync,
        dryRunPrincipals: !!o.dryRunSecurityPrincipals,
        dryRunMembers: !!o.dryRunMembers,
        workerThreads: o.workerThreads,
        groupSearchDepth: o.groupSearchDepth,
        queryGraphOnly: !!o.queryGraphOnly,
        saveGraphResponseJson: o.saveGraphResponseJson,
        verbose: !!o.verbose,
        debug: !!o.debug,
        stateFile: o.stateFile,
        accountId,
        accountHost,
        graphUrl,
        allowHosts,
        json: !!o.json,
        maxRemovalPercent: o.maxRemovalPercent,
        allowMassRemoval: !!o.allowMassRemoval,
        allowGroupAdoption: !!o.allowGroupAdoption,
        allowPrincipalAdoption: !!o.allowPrincipalAdoption,
        deactivateDeleted: !!o.deactivateDeleted,
        report: o.report,
        rateLimits,
    };
}
