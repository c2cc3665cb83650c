#!/usr/bin/env node
/**
 * `scim-sync`: the Entra ID → Databricks account SCIM sync as a command (package `bin`). Everything it
 * does is in run.ts; this file wires the real engine, credentials, streams and progress bar.
 */
import type { TokenProvider } from "../contract";
import { DATABRICKS_SCOPE, GRAPH_SCOPE, tokenProviderFor } from "../clients";
import { progressBar } from "./progress";
import { EXIT_FAILED, runCli, secretScrubber } from "./run";
import { runSync } from "../engine";

/** DefaultAzureCredential (environment, workload/managed identity, Azure CLI) for one API; @azure/identity loads on first use. */
function ambientTokenProvider(api: "graph" | "databricks"): TokenProvider {
    return tokenProviderFor({ kind: "default" }, api === "graph" ? GRAPH_SCOPE : DATABRICKS_SCOPE);
}

// `scim-sync --help | head` closes stdout early: not an error worth a stack trace.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
});

// Ctrl-C / SIGTERM: stop the engine cleanly (no new requests, state file untouched); a second one kills.
const abort = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
        process.stderr.write(`\nscim-sync: ${signal}: stopping ...\n`);
        abort.abort(new Error(`interrupted by ${signal}`));
    });
}

runCli(process.argv.slice(2), {
    runSync,
    ambientTokenProvider,
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    createProgressBar: progressBar,
    signal: abort.signal,
}).then(
    (code) => {
        process.exitCode = code;
    },
    (e) => {
        // Unexpected: report without a stack that might quote request data.
        process.stderr.write(
            secretScrubber(process.env)(
                `scim-sync: unexpected error: ${e instanceof Error ? e.message : String(e)}`,
            ) + "\n",
        );
        process.exitCode = EXIT_FAILED;
    },
);
