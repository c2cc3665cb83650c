/**
 * The built pipeline runner as a pipeline runs it (`node dist/automation/cli.js`), over the real
 * Automation API (LocalWorkspace, Stack), with a stand-in `pulumi` first on PATH that answers the CLI
 * commands the Automation API issues (version, stack select, up with an event log, stack output masked
 * and with --show-secrets, stack history, stack export). The outputs are shaped as the CLI prints a
 * stack whose object output holds secrets (pulumi/pulumi#8170): masked only inside, so the Automation
 * API reports the whole output as not secret.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const AAD_STAGING = "eyJ0eXAiOiJKV1QiLCJhbGciOi-fake-staging-aad";
const AAD_PROD = "eyJ0eXAiOiJKV1QiLCJhbGciOi-fake-prod-aad";
const APP_ID = "11111111-1111-1111-1111-111111111111";

const plaintext = {
    projectServicePrincipalAadTokens: {
        churn: {
            stagingServicePrincipalAadToken: AAD_STAGING,
            prodServicePrincipalAadToken: AAD_PROD,
        },
    },
    stagingServicePrincipalApplicationId: APP_ID,
};
const answers = {
    version: "v3.150.0\n",
    masked: {
        projectServicePrincipalAadTokens: {
            churn: {
                stagingServicePrincipalAadToken: "[secret]",
                prodServicePrincipalAadToken: "[secret]",
            },
        },
        stagingServicePrincipalApplicationId: APP_ID,
    },
    plaintext,
    history: [
        {
            version: 2,
            kind: "update",
            startTime: "2026-01-01T00:00:00Z",
            message: "",
            environment: {},
            config: {},
            result: "succeeded",
            resourceChanges: { same: 3 },
        },
    ],
    export: {
        version: 3,
        deployment: {
            resources: [
                {
                    urn: "urn:pulumi:dev::azure-databricks-mlops::pulumi:pulumi:Stack::azure-databricks-mlops-dev",
                    type: "pulumi:pulumi:Stack",
                    outputs: {
                        projectServicePrincipalAadTokens: {
                            churn: {
                                stagingServicePrincipalAadToken: {
                                    ...SIG,
                                    plaintext: JSON.stringify(AAD_STAGING),
                                },
                                prodServicePrincipalAadToken: {
                                    ...SIG,
                                    plaintext: JSON.stringify(AAD_PROD),
                                },
                            },
                        },
                        stagingServicePrincipalApplicationId: APP_ID,
                    },
                },
            ],
        },
    },
};

/** A `pulumi` that answers from FAKE_PULUMI_ANSWERS and logs its argv to FAKE_PULUMI_LOG. */
const FAKE_PULUMI = `#!/usr/bin/env node
const fs = require("fs");
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_PULUMI_LOG, JSON.stringify(args) + "\\n");
const a = JSON.parse(fs.readFileSync(process.env.FAKE_PULUMI_ANSWERS, "utf8"));
const out = (v) => process.stdout.write(typeof v === "string" ? v : JSON.stringify(v));
if (args[0] === "version") out(a.version);
else if (args[0] === "up" || args[0] === "refresh") {
    const i = args.indexOf("--event-log");
    const summary = { sequence: 1, timestamp: 0, summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges: { same: 3 }, policyPacks: {} } };
    if (i >= 0) fs.writeFileSync(args[i + 1], JSON.stringify(summary) + "\\n");
} else if (args[0] === "stack" && args[1] === "output") out(args.includes("--show-secrets") ? a.plaintext : a.masked);
else if (args[0] === "stack" && args[1] === "history") out(a.history);
else if (args[0] === "stack" && args[1] === "export") out(a.export);
`;

describe("pipeline runner over the Automation API with a stand-in pulumi CLI", () => {
    let dir: string;
    const run = (...argv: string[]) => {
        const cli = path.resolve(__dirname, "../../automation/cli.js");
        return spawnSync(process.execPath, [cli, ...argv], {
            encoding: "utf8",
            timeout: 60_000,
            env: {
                ...process.env,
                PATH: `${dir}${path.delimiter}${process.env.PATH}`,
                FAKE_PULUMI_LOG: path.join(dir, "log"),
                FAKE_PULUMI_ANSWERS: path.join(dir, "answers.json"),
                PULUMI_SKIP_UPDATE_CHECK: "true",
            },
        });
    };
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
        fs.writeFileSync(path.join(dir, "pulumi"), FAKE_PULUMI, { mode: 0o755 });
        fs.writeFileSync(path.join(dir, "answers.json"), JSON.stringify(answers));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    for (const op of ["--up", "--refresh"]) {
        it(`${op} --json: secrets nested in an output are "[secret]", nowhere in stdout or stderr`, () => {
            const r = run("--stack", "dev", op, "--json");
            assert.strictEqual(r.status, 0, r.stderr + r.stdout);
            for (const t of [AAD_STAGING, AAD_PROD])
                assert.ok(!(r.stdout + r.stderr).includes(t), "an AAD token leaked");
            const summary = JSON.parse(r.stdout);
            assert.deepStrictEqual(summary.outputs, {
                projectServicePrincipalAadTokens: {
                    churn: {
                        stagingServicePrincipalAadToken: "[secret]",
                        prodServicePrincipalAadToken: "[secret]",
                    },
                },
                stagingServicePrincipalApplicationId: APP_ID,
            });
            const calls = fs
                .readFileSync(path.join(dir, "log"), "utf8")
                .trim()
                .split("\n")
                .map((l) => JSON.parse(l) as string[]);
            assert.ok(
                calls.some((c) => c[0] === "stack" && c[1] === "export"),
                "the runner read the stack state",
            );
        });
    }
});
