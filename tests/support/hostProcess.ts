/**
 * Runs a serialized dynamic provider the way the engine's dynamic-provider host does: in a fresh node
 * process, `require-from-string` with no file name, the program's folder as working directory. Shared
 * by the AadToken and ScimSync tests, from a consumer program (tests/support/consumerFolder.ts) and from this
 * project's own folder.
 */
import { execFile } from "child_process";
import * as path from "path";
import { PACKAGE_ROOT } from "./consumerFolder";

/** The project root (this file runs from dist/tests). */
export const PROJECT_ROOT = PACKAGE_ROOT;

/**
 * Loads the provider text in `providerFile` in a fresh process from `cwd`, runs its `check` on `news`,
 * then `body` (JavaScript that sees `provider`, `inputs`, `failures` and writes its result to stdout).
 * Resolves stdout; rejects with stderr when the process fails.
 */
export function runInHost(
    providerFile: string,
    news: unknown,
    body: string,
    cwd: string,
    timeoutMs = 30_000,
): Promise<string> {
    const script = `
const requireFromString = require(process.argv[1]);
const text = require("fs").readFileSync(process.argv[2], "utf8");
const news = JSON.parse(process.argv[3]);
(async () => {
    const provider = requireFromString(text).handler();
    const { inputs, failures } = await provider.check({}, news);
    ${body}
})().catch((e) => { process.stderr.write(String(e && e.message)); process.exit(1); });
`;
    // The CA path in the test script is relative to the project; a consumer runs elsewhere.
    const env = {
        ...process.env,
        NODE_EXTRA_CA_CERTS: path.join(PROJECT_ROOT, "emulators/certs/ca.pem"),
    };
    return new Promise<string>((resolve, reject) =>
        execFile(
            process.execPath,
            [
                "-e",
                script,
                require.resolve("require-from-string"),
                providerFile,
                JSON.stringify(news),
            ],
            { cwd, env, timeout: timeoutMs },
            (error, out, err) =>
                error ? reject(new Error(`host run failed: ${err}`)) : resolve(out),
        ),
    );
}
