/** Runs `npm run demo`'s script in a child process; the example stack's run is shared by every demo test. */
import * as assert from "assert";
import { execFile } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../../..");
const RUN = path.join(ROOT, "dist", "demo", "run.js");

export interface DemoRun {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs the demo with these arguments, without the caller's stack config in the environment. */
export function runDemo(args: string[] = []): Promise<DemoRun> {
    return new Promise((resolve) => {
        execFile(
            process.execPath,
            [RUN, ...args],
            {
                cwd: ROOT,
                env: { ...process.env, PULUMI_CONFIG: "", PULUMI_CONFIG_SECRET_KEYS: "" },
            },
            (err, stdout, stderr) =>
                resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
    });
}

let devRun: Promise<DemoRun> | undefined;

/** The demo of Pulumi.dev.yaml, run once per test process. */
export function devDemo(): Promise<DemoRun> {
    devRun ??= runDemo();
    return devRun;
}

/** Asserts that the demo's output has each of these lines; the first one missing fails, named. */
export function assertShows(stdout: string, lines: string[]): void {
    for (const line of lines) assert.ok(stdout.includes(line), `missing: ${line}`);
}
