#!/usr/bin/env node
/**
 * `scim-sync`: the Entra ID → Databricks account SCIM sync as a command (package `bin`). Everything it
 * does is in cliRun.ts; this file wires the real engine, credentials, streams and progress bar.
 */
import * as cliProgress from "cli-progress";
import type { TokenProvider } from "./api";
import { EXIT_FAILED, OutStream, ProgressBar, runCli } from "./cliRun";

const DATABRICKS_SCOPE = "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default";

function engine(): any {
    return require("./index");
}

/** DefaultAzureCredential through the engine's token provider factory. */
function ambientTokenProvider(api: "graph" | "databricks"): TokenProvider {
    const scim = engine();
    if (typeof scim.tokenProviderFor !== "function") {
        throw new Error("set GRAPH_TOKEN and DATABRICKS_TOKEN: this build has no ambient credential support");
    }
    return scim.tokenProviderFor({ scope: api === "graph" ? scim.GRAPH_SCOPE : DATABRICKS_SCOPE });
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

runCli(process.argv.slice(2), {
    runSync: (options) => engine().runSync(options),
    ambientTokenProvider,
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    createProgressBar: progressBar,
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
