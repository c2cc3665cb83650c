/**
 * The pipeline runner against a fake stack: argument handling, --sync-every, event → progress lines,
 * summary (changes by kind, masked outputs), exit codes 0/1/2 and the missing-CLI path.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import {
    INSTALL_PULUMI_HELP,
    RunnerDeps,
    StackLike,
    isMissingPulumiCli,
    runPipeline,
} from "../../automation/runner";

const NS = "azure-databricks-mlops";
const TOKEN = "dapi-very-secret-token-0001";

function pre(op: string, type: string, name: string, planning = false): EngineEvent {
    return {
        sequence: 0,
        timestamp: 0,
        resourcePreEvent: {
            planning,
            metadata: { op, type, urn: `urn:pulumi:dev::${NS}::${type}::${name}` } as any,
        },
    };
}
function outs(op: string, type: string, name: string): EngineEvent {
    return {
        sequence: 0,
        timestamp: 0,
        resOutputsEvent: {
            metadata: { op, type, urn: `urn:pulumi:dev::${NS}::${type}::${name}` } as any,
        },
    };
}
const SYNC = "pulumi-nodejs:dynamic/scim:Sync";
/** A secret as `pulumi stack export --show-secrets` writes it (what Stack.exportStack returns). */
const inState = (plaintext: unknown) => ({
    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
    plaintext: JSON.stringify(plaintext),
});
const stateWith = (outputs: Record<string, unknown>) => ({
    version: 3,
    deployment: {
        resources: [
            {
                urn: `urn:pulumi:dev::${NS}::pulumi:pulumi:Stack::${NS}-dev`,
                type: "pulumi:pulumi:Stack",
                outputs,
            },
        ],
    },
});

class FakeStack implements StackLike {
    calls: string[] = [];
    config: Record<string, { value: string; secret?: boolean }> = {
        [`${NS}:scimSync`]: { value: '{"accountId":"x","groups":["A"]}' },
    };
    events: EngineEvent[] = [
        pre("same", "pulumi:pulumi:Stack", "azure-databricks-mlops-dev"),
        pre("create", "databricks:index/token:Token", "mlops-staging-token"),
        outs("create", "databricks:index/token:Token", "mlops-staging-token"),
        pre("update", SYNC, "scim-sync"),
        {
            sequence: 0,
            timestamp: 0,
            diagnosticEvent: {
                message: "\u001b[33mScimSync: 2 users created\u001b[0m\n",
                color: "never",
                severity: "warning",
                urn: `urn:pulumi:dev::${NS}::${SYNC}::scim-sync`,
            },
        },
        outs("update", SYNC, "scim-sync"),
        pre("same", "databricks:index/group:Group", "mlops-sp-group"),
    ];
    failWith?: unknown;
    state: unknown = stateWith({
        scimSync: { lastRunAt: "2026-01-01T00:00:00Z", errors: 0 },
        stagingToken: inState(TOKEN),
    });
    exportFails?: Error;
    async exportStack() {
        if (this.exportFails) throw this.exportFails;
        return this.state as { deployment: unknown };
    }
    async getAllConfig() {
        this.calls.push("getAllConfig");
        return this.config;
    }
    async setConfig(key: string, value: { value: string; secret?: boolean }, p?: boolean) {
        this.calls.push(`setConfig ${key}=${value.value} path=${p}`);
    }
    private async op(name: string, opts?: { onEvent?: (e: EngineEvent) => void }) {
        this.calls.push(name);
        for (const e of this.events) opts?.onEvent?.(e);
        if (this.failWith) throw this.failWith;
    }
    async preview(opts?: any) {
        await this.op("preview", opts);
        return { changeSummary: { create: 1, update: 1, same: 2 } };
    }
    async up(opts?: any) {
        await this.op("up", opts);
        return {
            summary: { result: "succeeded", resourceChanges: { create: 1, update: 1, same: 2 } },
            outputs: {
                scimSync: {
                    value: { lastRunAt: "2026-01-01T00:00:00Z", errors: 0 },
                    secret: false,
                },
                stagingToken: { value: TOKEN, secret: true },
            },
        };
    }
    async refresh(opts?: any) {
        await this.op("refresh", opts);
        return { summary: { result: "succeeded", resourceChanges: { same: 4 } } };
    }
    async destroy(opts?: any) {
        await this.op("destroy", opts);
        return { summary: { result: "succeeded", resourceChanges: { delete: 4 } } };
    }
    async outputs() {
        this.calls.push("outputs");
        return { stagingToken: { value: TOKEN, secret: true } };
    }
}

class Capture {
    text = "";
    write(s: string) {
        this.text += s;
    }
}

function harness(stack = new FakeStack(), open?: (name: string) => Promise<StackLike>) {
    const stdout = new Capture();
    const stderr = new Capture();
    const opened: string[] = [];
    const deps: RunnerDeps = {
        openStack: open ?? (async (name) => (opened.push(name), stack)),
        stdout,
        stderr,
    };
    return { stack, stdout, stderr, opened, run: (...argv: string[]) => runPipeline(argv, deps) };
}

describe("pipeline runner (fake stack)", () => {
    it("--up: opens the stack by name, streams progress lines, prints changes by kind and masked outputs", async () => {
        const h = harness();
        assert.strictEqual(await h.run("--stack", "dev", "--up"), 0, h.stderr.text);
        assert.deepStrictEqual(h.opened, ["dev"]);
        assert.deepStrictEqual(h.stack.calls, ["up"]);
        const out = h.stdout.text;
        assert.match(out, /\+ create databricks:index\/token:Token mlops-staging-token \.\.\./);
        assert.match(out, /done create databricks:index\/token:Token mlops-staging-token/);
        assert.match(out, /~ update pulumi-nodejs:dynamic\/scim:Sync scim-sync/);
        assert.match(out, /warning scim-sync: ScimSync: 2 users created/);
        assert.ok(!out.includes("\u001b["), "colour codes stripped");
        assert.ok(!/same .*mlops-sp-group/.test(out), "unchanged resources make no line");
        assert.match(out, /pulumi up on stack dev: succeeded/);
        assert.match(out, /changes: 1 create, 1 update, 2 same/);
        assert.match(out, /pulumi-nodejs:dynamic\/scim:Sync: 1 update/);
        assert.match(out, /stagingToken: \[secret\]/);
        assert.match(out, /scimSync: \{"lastRunAt":"2026-01-01T00:00:00Z","errors":0\}/);
        assert.ok(!(out + h.stderr.text).includes(TOKEN));
    });

    it("--json: stdout is exactly the summary; progress goes to stderr", async () => {
        const h = harness();
        assert.strictEqual(await h.run("--stack", "org/prod", "--up", "--json"), 0);
        const s = JSON.parse(h.stdout.text);
        assert.deepStrictEqual(s, {
            ok: true,
            exitCode: 0,
            stack: "org/prod",
            operation: "up",
            changes: { create: 1, update: 1, same: 2 },
            changesByType: { "databricks:index/token:Token": { create: 1 }, [SYNC]: { update: 1 } },
            outputs: {
                scimSync: { lastRunAt: "2026-01-01T00:00:00Z", errors: 0 },
                stagingToken: "[secret]",
            },
            failedResources: [],
        });
        assert.match(h.stderr.text, /update pulumi-nodejs:dynamic\/scim:Sync scim-sync/);
    });

    it("--preview, --refresh and --destroy call their operation and report its changes", async () => {
        for (const [flag, expected] of [
            ["--preview", /changes: 1 create, 1 update, 2 same/],
            ["--refresh", /changes: 4 same/],
            ["--destroy", /changes: 4 delete/],
        ] as const) {
            const h = harness();
            assert.strictEqual(await h.run("--stack", "dev", flag), 0, flag);
            assert.ok(h.stack.calls.includes(flag.slice(2)), `${flag} → ${h.stack.calls}`);
            assert.ok(!h.stack.calls.includes("up"));
            assert.match(h.stdout.text, expected);
        }
        const refresh = harness();
        await refresh.run("--stack", "dev", "--refresh");
        assert.match(
            refresh.stdout.text,
            /stagingToken: \[secret\]/,
            "refresh shows the stack outputs, masked",
        );
    });

    it("--sync-every sets scimSync.interval (as a path) before the operation", async () => {
        const h = harness();
        assert.strictEqual(await h.run("--stack", "dev", "--up", "--sync-every", "6h"), 0);
        assert.deepStrictEqual(h.stack.calls, [
            "getAllConfig",
            `setConfig ${NS}:scimSync.interval=6h path=true`,
            "up",
        ]);
    });

    it("--sync-every on a stack without scimSync config is a usage error (exit 2), nothing runs", async () => {
        const h = harness();
        h.stack.config = {};
        assert.strictEqual(await h.run("--stack", "dev", "--up", "--sync-every", "30m"), 2);
        assert.match(
            h.stderr.text,
            /--sync-every needs the stack's azure-databricks-mlops:scimSync config/,
        );
        assert.deepStrictEqual(h.stack.calls, ["getAllConfig"]);
    });

    it("a failed operation exits 1 with the CLI's error and the failed resources, secrets still masked", async () => {
        const stack = new FakeStack();
        stack.events.push({
            sequence: 0,
            timestamp: 0,
            resOpFailedEvent: {
                status: 1,
                steps: 1,
                metadata: {
                    op: "update",
                    type: SYNC,
                    urn: `urn:pulumi:dev::${NS}::${SYNC}::scim-sync`,
                } as any,
            },
        });
        stack.failWith = Object.assign(
            new Error(
                "code: 255\n stdout: \n stderr: error: SCIM sync failed: PATCH group A: HTTP 500\n    at Object.x (file.js:1:1)",
            ),
            {
                commandResult: {
                    stderr: "error: update failed\nerror: SCIM sync failed: PATCH group A: HTTP 500\n",
                },
            },
        );
        const h = harness(stack);
        assert.strictEqual(await h.run("--stack", "dev", "--up", "--json"), 1);
        const s = JSON.parse(h.stdout.text);
        assert.strictEqual(s.ok, false);
        assert.strictEqual(s.exitCode, 1);
        assert.match(s.error, /SCIM sync failed: PATCH group A: HTTP 500/);
        assert.deepStrictEqual(s.failedResources, [`${SYNC} scim-sync`]);

        const human = harness(stack);
        assert.strictEqual(await human.run("--stack", "dev", "--up"), 1);
        assert.match(human.stdout.text, /pulumi up on stack dev: FAILED/);
        assert.match(human.stdout.text, /FAILED update pulumi-nodejs:dynamic\/scim:Sync scim-sync/);
        assert.match(human.stderr.text, /pulumi up failed:\nerror: update failed/);
        assert.ok(!human.stderr.text.includes("at Object.x"));
    });

    it("a stack that cannot be opened exits 1 with the reason", async () => {
        const h = harness(undefined, async () => {
            throw Object.assign(new Error("failed"), {
                commandResult: { stderr: "error: no Pulumi.yaml project file found" },
            });
        });
        assert.strictEqual(await h.run("--stack", "dev", "--preview"), 1);
        assert.match(
            h.stderr.text,
            /cannot open stack dev: error: no Pulumi.yaml project file found/,
        );
    });

    describe("missing Pulumi CLI → exit 2 with how to install it", () => {
        const sdkError = Object.assign(
            new Error(
                "code: -2\n stdout: \n stderr: Command failed with ENOENT: pulumi version\nspawn pulumi ENOENT\n err?: Error: Command failed with ENOENT: pulumi version",
            ),
            {
                commandResult: {
                    stderr: "Command failed with ENOENT: pulumi version\nspawn pulumi ENOENT",
                    err: { code: "ENOENT" },
                },
            },
        );
        it("recognises the SDK's ENOENT error and shell 'command not found' texts, not other failures", () => {
            assert.ok(isMissingPulumiCli(sdkError));
            assert.ok(isMissingPulumiCli(new Error("/bin/sh: 1: pulumi: not found")));
            assert.ok(isMissingPulumiCli(new Error("bash: pulumi: command not found")));
            assert.ok(
                isMissingPulumiCli(
                    new Error("'pulumi' is not recognized as an internal or external command"),
                ),
            );
            assert.ok(!isMissingPulumiCli(new Error("error: stack 'dev' not found")));
            assert.ok(
                !isMissingPulumiCli(
                    Object.assign(
                        new Error("ENOENT: no such file or directory, open 'Pulumi.dev.yaml'"),
                        { code: "ENOENT" },
                    ),
                ),
            );
        });

        it("when opening the stack", async () => {
            const h = harness(undefined, async () => {
                throw sdkError;
            });
            assert.strictEqual(await h.run("--stack", "dev", "--up"), 2);
            assert.ok(h.stderr.text.includes(INSTALL_PULUMI_HELP));
            assert.match(h.stderr.text, /curl -fsSL https:\/\/get.pulumi.com \| sh/);
        });

        it("for real: the built runner with no pulumi on PATH", () => {
            const cli = path.resolve(__dirname, "../../automation/cli.js");
            const r = spawnSync(process.execPath, [cli, "--stack", "dev", "--preview"], {
                encoding: "utf8",
                env: { PATH: path.dirname(process.execPath), HOME: process.env.HOME },
                timeout: 20_000,
            });
            assert.strictEqual(r.status, 2, r.stderr);
            assert.match(r.stderr, /The Pulumi CLI was not found on PATH/);
            assert.match(r.stderr, /https:\/\/www.pulumi.com\/docs\/install\//);
        });
    });

    describe("bad usage → exit 2, stack never opened", () => {
        const cases: Array<[string[], RegExp]> = [
            [["--up"], /--stack NAME is required/],
            [["--stack", "dev"], /choose one operation: --preview, --up, --refresh or --destroy/],
            [
                ["--stack", "dev", "--up", "--destroy"],
                /choose only one operation, got --up and --destroy/,
            ],
            [
                ["--stack", "dev", "--up", "--sync-every", "soon"],
                /--sync-every must be a duration like 30m, 6h, 1d/,
            ],
            [
                ["--stack", "dev", "--destroy", "--sync-every", "1h"],
                /--sync-every applies to --up and --preview/,
            ],
            [["--stack", "dev stack", "--up"], /--stack must be a stack name/],
            [["--stack", "dev", "--up", "--force"], /unknown option '--force'/],
        ];
        for (const [argv, message] of cases) {
            it(argv.join(" "), async () => {
                const h = harness();
                assert.strictEqual(await h.run(...argv), 2);
                assert.match(h.stderr.text, message);
                assert.deepStrictEqual(h.opened, []);
            });
        }

        it("--help lists every option and exits 0", async () => {
            const h = harness();
            assert.strictEqual(await h.run("--help"), 0);
            for (const f of [
                "--stack",
                "--preview",
                "--up",
                "--refresh",
                "--destroy",
                "--sync-every",
                "--json",
                "Exit codes",
            ]) {
                assert.ok(h.stdout.text.includes(f), f);
            }
            assert.deepStrictEqual(h.opened, []);
        });
    });
});

describe("pipeline runner: secrets nested in outputs (pulumi/pulumi#8170)", () => {
    const AAD_STAGING = "eyJ0eXAiOiJKV1QiLCJhbGciOi-staging-aad-token";
    const AAD_PROD = "eyJ0eXAiOiJKV1QiLCJhbGciOi-prod-aad-token";
    /** What the Automation API returns for the root program's per-project token output: plain text, secret: false. */
    function nestedStack(): FakeStack {
        const stack = new FakeStack();
        const tokens = {
            churn: {
                stagingServicePrincipalAadToken: AAD_STAGING,
                prodServicePrincipalAadToken: AAD_PROD,
            },
        };
        const projects = { churn: { projectDirectoryPath: "/Projects/churn", ids: ["a", "b"] } };
        Object.assign(stack, {
            up: async (opts?: any) => {
                for (const e of stack.events) opts?.onEvent?.(e);
                return {
                    summary: { result: "succeeded", resourceChanges: { same: 3 } },
                    outputs: {
                        projectServicePrincipalAadTokens: { value: tokens, secret: false },
                        projects: { value: projects, secret: false },
                        stagingToken: { value: TOKEN, secret: true },
                    },
                };
            },
        });
        stack.state = stateWith({
            projectServicePrincipalAadTokens: {
                churn: {
                    stagingServicePrincipalAadToken: inState(AAD_STAGING),
                    prodServicePrincipalAadToken: inState(AAD_PROD),
                },
            },
            projects,
            stagingToken: inState(TOKEN),
        });
        return stack;
    }

    it('--up --json: a secret inside an object output is "[secret]" in the summary; its non-secret siblings stay', async () => {
        const h = harness(nestedStack());
        assert.strictEqual(await h.run("--stack", "dev", "--up", "--json"), 0, h.stderr.text);
        const all = h.stdout.text + h.stderr.text;
        for (const t of [AAD_STAGING, AAD_PROD, TOKEN])
            assert.ok(!all.includes(t), `leaked ${t.slice(0, 20)}…`);
        assert.deepStrictEqual(JSON.parse(h.stdout.text).outputs, {
            projectServicePrincipalAadTokens: {
                churn: {
                    stagingServicePrincipalAadToken: "[secret]",
                    prodServicePrincipalAadToken: "[secret]",
                },
            },
            projects: { churn: { projectDirectoryPath: "/Projects/churn", ids: ["a", "b"] } },
            stagingToken: "[secret]",
        });
    });

    it("human summary too", async () => {
        const h = harness(nestedStack());
        assert.strictEqual(await h.run("--stack", "dev", "--up"), 0);
        assert.match(
            h.stdout.text,
            /projectServicePrincipalAadTokens: \{"churn":\{"stagingServicePrincipalAadToken":"\[secret\]"/,
        );
        assert.ok(!h.stdout.text.includes(AAD_STAGING));
    });

    it("when the state cannot be read, object outputs are masked whole (fail closed) with a warning; scalars as the API flags them", async () => {
        const stack = nestedStack();
        stack.exportFails = new Error("error: could not export stack");
        const h = harness(stack);
        assert.strictEqual(await h.run("--stack", "dev", "--up", "--json"), 0);
        assert.deepStrictEqual(JSON.parse(h.stdout.text).outputs, {
            projectServicePrincipalAadTokens: "[secret]",
            projects: "[secret]",
            stagingToken: "[secret]",
        });
        assert.match(h.stderr.text, /cannot read the stack state to find nested secrets/);
        assert.ok(!(h.stdout.text + h.stderr.text).includes(AAD_STAGING));
    });
});
