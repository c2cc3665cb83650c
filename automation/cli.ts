/**
 * `npm run pipeline -- --stack NAME (--preview | --up | --refresh | --destroy) [--sync-every 30m] [--json]`:
 * the runner on LocalWorkspace with this project's folder (the one holding Pulumi.yaml).
 */
import * as path from "path";
import { EXIT_FAILED, StackLike, runPipeline } from "./runner";

/** dist/automation/cli.js → the project root. */
const PROJECT_DIR = path.resolve(__dirname, "..", "..");

async function openStack(stackName: string): Promise<StackLike> {
    // Loaded here so `--help` and usage errors answer without loading the Automation API.
    const { LocalWorkspace } =
        require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
    return LocalWorkspace.createOrSelectStack({ stackName, workDir: PROJECT_DIR });
}

runPipeline(process.argv.slice(2), {
    openStack,
    stdout: process.stdout,
    stderr: process.stderr,
}).then(
    (code) => {
        process.exitCode = code;
    },
    (e) => {
        process.stderr.write(
            `pipeline: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`,
        );
        process.exitCode = EXIT_FAILED;
    },
);
