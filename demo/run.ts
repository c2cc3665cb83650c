/**
 * `npm run demo [stack]`: runs the root program offline for Pulumi.<stack>.yaml (default `dev`) under the
 * Pulumi mock engine and prints the resource tree `pulumi up` would create, then the stack outputs.
 * Nothing is deployed and no credential is needed. Secrets print as [secret]; `secure:` config values
 * (which cannot be decrypted offline) become placeholders that are secrets too.
 *
 * Options: `--config-dir <dir>` reads Pulumi.yaml and Pulumi.<stack>.yaml from another folder (the
 * program is always this package's root program). A path to a stack file instead of a stack name
 * (`npm run demo -- examples/stacks/Pulumi.trio.yaml`) runs that file with this project's Pulumi.yaml.
 *
 * Exit codes: 0 shown; 1 invalid stack config (the ConfigError is printed) or the program failed.
 */
import * as path from "path";
import type * as pulumiTypes from "@pulumi/pulumi";
import { readStackConfigEnv, stackNameOf } from "./stackConfig";

/** The folder holding Pulumi.yaml: the project root (this file runs from dist/demo). */
export const PROJECT_DIR = path.resolve(__dirname, "../..");

async function main(argv: string[]): Promise<number> {
    const args = [...argv];
    const at = args.indexOf("--config-dir");
    const configDir = at >= 0 ? path.resolve(args.splice(at, 2)[1] ?? ".") : PROJECT_DIR;
    const file =
        args[0] !== undefined && /\.ya?ml$/.test(args[0]) ? path.resolve(args[0]) : undefined;
    const stack = file ? stackNameOf(file) : (args[0] ?? "dev");
    const env = readStackConfigEnv(configDir, stack, file);
    // Before @pulumi/pulumi is loaded: the SDK reads the stack config from these.
    process.env.PULUMI_CONFIG = JSON.stringify(env.config);
    process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(env.secretKeys);
    process.env.AZURE_DATABRICKS_MLOPS_MOCK_STACK = stack;

    const { mocks, isWireSecret, settle } =
        require("./mockEngine") as typeof import("./mockEngine");
    const { formatTree, formatValue, SECRET_MASK } = require("./tree") as typeof import("./tree");

    // Invokes the programs make (demo/invokes.ts, shared with the load-cost benchmark).
    const { answerDemoInvokes } = require("./invokes") as typeof import("./invokes");
    answerDemoInvokes(mocks);

    let program: Record<string, unknown> = {};
    try {
        await mocks.run(() => {
            program = require(path.join(PROJECT_DIR, "dist", "index.js")) as Record<
                string,
                unknown
            >;
            return program;
        });
    } catch (e) {
        const err = e as Error;
        if (err?.name === "ConfigError" || err?.name === "InputPropertiesError") {
            console.error(err.message);
            console.error(
                `\nFix the settings above in ${file ?? `Pulumi.${stack}.yaml`} (see docs/), then run npm run demo again.`,
            );
            return 1;
        }
        console.error(`The program failed under the mock engine: ${err?.stack ?? String(e)}`);
        return 1;
    }

    const opts = { isSecretValue: isWireSecret };
    const resources = mocks.resources;
    const count = resources.filter((r) => r.type !== "pulumi:pulumi:Stack").length;
    console.log(
        `azure-databricks-mlops — offline demo of stack "${stack}" (${file ? path.relative(process.cwd(), file) : `Pulumi.${stack}.yaml`}) under the Pulumi mock engine.`,
    );
    console.log(
        `Nothing is deployed. Secrets show as ${SECRET_MASK}; ids like mocked::<type>::<name> stand for ids Azure and Databricks assign.\n`,
    );
    console.log(`Resources \`pulumi up\` would create (${count}):\n`);
    console.log(formatTree(resources, opts));

    console.log(`\nStack outputs:`);
    for (const [name, value] of Object.entries(program)) {
        if (value === undefined) continue;
        // settle() says whether the output (or anything inside it) is secret.
        const { value: v, secret } = await settle(value as pulumiTypes.Input<unknown>);
        const shown = secret ? SECRET_MASK : formatValue(v, opts);
        console.log(`  ${name}: ${shown}`);
    }
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
        console.error((e as Error)?.message ?? String(e));
        process.exit(1);
    },
);
