/**
 * The request budget reaches the engine from every place a user sets it: `--rate-limits` and
 * SCIM_SYNC_RATE_LIMITS (CLI), the ScimSync `rateLimits` input, the stack config `scimSync.rateLimits`;
 * a bad value is refused there, naming the setting and the valid keys, before anything runs.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { UNPACED } from "../../../scim";
import { CliDeps, runCli } from "../../../scim/cli/run";
import { scimSyncMethods } from "../../../providers/scimSync/methods";
import { Problems } from "../../../program/config";
import { readScimSync } from "../../../program/config/scimSync";
import { FakeEngine, fakeSummary } from "./fakeEngine";

const ACCOUNT = "11111111-2222-3333-4444-555555555555";
const NS = "azure-databricks-mlops";
const answer = () => ({
    state: { version: 1 as const, ids: {}, syncedGroups: [], listedGroups: ["G"] },
    summary: fakeSummary(),
    plan: [],
});

async function cliOptions(argv: string[], env: Record<string, string> = {}) {
    const engine = new FakeEngine();
    engine.answers.push(answer());
    let stderr = "";
    const deps: CliDeps = {
        runSync: (o) => engine.runSync(o),
        ambientTokenProvider: () => async () => "t",
        env: { DATABRICKS_ACCOUNT_ID: ACCOUNT, ...env },
        stdout: { write: () => true },
        stderr: { write: (s: string) => (stderr += s) },
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scim-rate-"));
    fs.writeFileSync(path.join(dir, "g.json"), '["G"]');
    try {
        const code = await runCli(
            [
                "--groups-json-file",
                path.join(dir, "g.json"),
                "--state-file",
                path.join(dir, "s.json"),
                "--query-graph-only",
                ...argv,
            ],
            deps,
        );
        return { code, options: engine.calls[0], stderr };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("rate limits: from the CLI, the ScimSync input and the stack config to the engine", () => {
    it("CLI: --rate-limits (the classes named, as ceilings), else SCIM_SYNC_RATE_LIMITS, else the engine's defaults", async () => {
        const flag = await cliOptions(["--rate-limits", "scim.creates=3"], {
            SCIM_SYNC_RATE_LIMITS: "off",
        });
        assert.strictEqual(flag.code, 0, flag.stderr);
        assert.deepStrictEqual(flag.options.rateLimits, { scimCreates: 3 });
        assert.deepStrictEqual(
            (await cliOptions([], { SCIM_SYNC_RATE_LIMITS: "off" })).options.rateLimits,
            UNPACED,
        );
        assert.strictEqual((await cliOptions([])).options.rateLimits, undefined);
        const bad = await cliOptions(["--rate-limits", "scim.creates=-1"]);
        assert.strictEqual(bad.code, 2);
        assert.strictEqual(bad.options, undefined, "the engine was not called");
        assert.match(
            bad.stderr,
            /--rate-limits \/ SCIM_SYNC_RATE_LIMITS: "scim\.creates=-1" is not a rate limit/,
        );
    });

    it("ScimSync: rateLimits is checked, kept as given and passed parsed to the engine", async () => {
        const engine = new FakeEngine();
        const methods = scimSyncMethods({
            runSync: (o) => engine.runSync(o),
            tokenProvider: () => async () => "t",
            now: () => new Date(0),
            newId: () => "id",
        });
        const base = {
            accountId: ACCOUNT,
            groups: ["G"],
            graphToken: "g-token",
            databricksToken: "d-token",
            version: "1",
        };
        const bad = await methods.check({}, { ...base, rateLimits: "scim.creates=5,scim.lots=2" });
        assert.deepStrictEqual(
            bad.failures.map((f) => f.property),
            ["rateLimits"],
        );
        assert.match(
            bad.failures[0].reason,
            /"scim\.lots=2" is not a rate limit; .*keys: graph\.reads/,
        );
        const ok = await methods.check({}, { ...base, rateLimits: "scim.patches=1" });
        assert.deepStrictEqual(ok.failures, []);
        assert.strictEqual(ok.inputs.rateLimits, "scim.patches=1");
        engine.answers.push(answer());
        const out = await methods.create(ok.inputs);
        assert.deepStrictEqual(engine.calls[0].rateLimits, { scimPatches: 1 });
        assert.strictEqual(out.outs.rateLimits, "scim.patches=1", "echoed like the other settings");
        const none = await methods.check({}, base);
        engine.answers.push(answer());
        await methods.create(none.inputs);
        assert.strictEqual(engine.calls[1].rateLimits, undefined, "unset = the engine's defaults");
    });

    it("stack config: scimSync.rateLimits is read, and a bad one is named by its full key", async () => {
        const read = (rateLimits: string) => {
            const before = runtimeConfig.allConfig();
            runtimeConfig.setAllConfig(
                {
                    [`${NS}:scimSync`]: JSON.stringify({
                        accountId: ACCOUNT,
                        groups: ["G"],
                        rateLimits,
                    }),
                },
                [],
            );
            try {
                const problems = new Problems();
                return {
                    cfg: readScimSync(new pulumi.Config(NS), problems),
                    problems: problems.items,
                };
            } finally {
                runtimeConfig.setAllConfig(before, []);
            }
        };
        assert.strictEqual(read("scim.creates=2").cfg?.rateLimits, "scim.creates=2");
        const bad = read("creates=2");
        assert.strictEqual(bad.cfg, undefined);
        assert.deepStrictEqual(
            bad.problems.map((p) => p.key),
            [`${NS}:scimSync.rateLimits`],
        );
    });
});
