#!/usr/bin/env node
/**
 * `scim-sync`: the Entra ID → Databricks account SCIM sync as a command (package `bin`). Everything it
 * does is in cliRun.ts; this file wires the real engine, credentials, streams and progress bar.
 */
import * as cliProgress from "cli-progress";
import type { TokenProvider } from "./api";
import { EXIT_FAILED, OutStream, ProgressBar, runCli } from "./cliRun";

function engine(): typeof import("./index") {
    // Loaded on first use so that `--help` and usage errors answer without loading the engine.
    return require("./index");
}

/** DefaultAzureCredential (environment, workload/managed identity, Azure CLI) for one API. */
function ambientTokenProvider(api: "graph" | "databricks"): TokenProvider {
    const scim = engine();
    return scim.tokenProviderFor({ kind: "default" }, api === "graph" ? scim.GRAPH_SCOPE : scim.DATABRICKS_SCOPE);
}

function progressBar(stream: OutStream): ProgressBar {
    const multi = new cliProgress.MultiBar(
        { stream: stream as NodeJS.WritableStream, format: " {phase} [{bar}] {value}/{total}", hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
    );
    let bar: cliProgress.SingleBar | undefined;
    let phase = "";
    return {
        update(p) {
            if (!bar) bar = multi.create(p.total, p.done, { phase: p.phase });
            if (p.phase !== phase) {
                phase = p.phase;
                bar.setTotal(Math.max(p.total, 1));
            }
            bar.update(p.done, { phase: p.phase });
        },
        log: (line) => multi.log(line),
        stop: () => multi.stop(),
    };
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
    runSync: (options) => engine().runSync(options),
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
        process.stderr.write(`scim-sync: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = EXIT_FAILED;
    },
);
