/** `node dist/scim/cli/main.js` as a child process, async (the emulators answer from this process's event loop). */
import { execFile } from "child_process";
import * as path from "path";

export const CLI = path.resolve(__dirname, "../../../scim/cli/main.js");

export interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
    ms: number;
}

export function cli(args: string[], env: Record<string, string>, timeout = 30_000): Promise<Run> {
    const started = Date.now();
    return new Promise((resolve) => {
        execFile(
            process.execPath,
            [CLI, ...args],
            { env: { PATH: process.env.PATH ?? "", ...env }, timeout },
            (error, stdout, stderr) =>
                resolve({
                    code: error ? (typeof error.code === "number" ? error.code : null) : 0,
                    stdout,
                    stderr,
                    ms: Date.now() - started,
                }),
        );
    });
}
