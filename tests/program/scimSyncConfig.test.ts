/** The `scimSync` config section and its wiring by the root program. */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { ConfigError, Problems, loadStackConfig } from "../../program/config";
import { BOOLEAN_KEYS, readScimSync } from "../../program/config/scimSync";
import { checkScimSyncInputs, SETTING_INPUTS } from "../../providers/scimSync/inputs";
import { mocks, settle } from "../support/mocks";

const NS = "azure-databricks-mlops";
const ACCOUNT = "11111111-2222-3333-4444-555555555555";
const TENANT = "99999999-8888-7777-6666-555555555555";
const APP = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const SECRET = "config-client-secret-value-777";

/** Runs `fn` with this stack config (objects as JSON text, as the CLI passes them), then restores the previous one. */
async function withConfig<T>(
    values: Record<string, unknown>,
    secretKeys: string[],
    fn: () => T | Promise<T>,
): Promise<T> {
    const before = runtimeConfig.allConfig();
    const flat = Object.fromEntries(
        Object.entries(values).map(([k, v]) => [
            `${NS}:${k}`,
            typeof v === "string" ? v : JSON.stringify(v),
        ]),
    );
    runtimeConfig.setAllConfig(
        flat,
        secretKeys.map((k) => `${NS}:${k}`),
    );
    try {
        return await fn();
    } finally {
        runtimeConfig.setAllConfig(before, []);
    }
}

function problemsFor(values: Record<string, unknown>, secretKeys: string[] = []) {
    return withConfig(values, secretKeys, () => {
        const problems = new Problems();
        const cfg = readScimSync(new pulumi.Config(NS), problems);
        return { cfg, problems: Object.fromEntries(problems.items.map((p) => [p.key, p.reason])) };
    });
}

describe("scimSync config", () => {
    it("is optional", async () => {
        const { cfg, problems } = await problemsFor({});
        assert.strictEqual(cfg, undefined);
        assert.deepStrictEqual(problems, {});
    });

    it("reads the object and the secret keys, keeping the client secret a secret", async () => {
        const cfg = (await withConfig(
            {
                scimSync: {
                    accountId: ACCOUNT,
                    tenantId: TENANT,
                    groups: ["Data Engineers"],
                    groupSearchDepth: 2,
                    interval: "6h",
                    graphClientId: APP,
                },
                scimGraphClientSecret: SECRET,
            },
            ["scimGraphClientSecret"],
            () => readScimSync(new pulumi.Config(NS), new Problems()),
        ))!;
        assert.deepStrictEqual(cfg.groups, ["Data Engineers"]);
        assert.strictEqual(cfg.groupSearchDepth, 2);
        assert.strictEqual(cfg.interval, "6h");
        const secret = await settle(cfg.graphClientSecret!);
        assert.deepStrictEqual(secret, { value: SECRET, secret: true });
        assert.strictEqual(cfg.databricksClientSecret, undefined);
    });

    it("names each bad key in full with what would be valid", async () => {
        const { problems } = await problemsFor({
            scimSync: {
                accountId: "acme",
                groups: "Data Engineers",
                interval: "hourly",
                groupSearchDepth: 0,
                graphClientId: APP,
                graphClientSecret: "oops",
                colour: "blue",
            },
        });
        assert.match(problems[`${NS}:scimSync.accountId`], /GUID/);
        assert.match(
            problems[`${NS}:scimSync.groups`],
            /non-empty list of Entra group display names/,
        );
        assert.match(problems[`${NS}:scimSync.interval`], /30m, 6h, 1d.*PT30M/);
        assert.match(problems[`${NS}:scimSync.groupSearchDepth`], /from 1 to 10/);
        assert.match(
            problems[`${NS}:scimSync.graphClientSecret`],
            /pulumi config set --secret scimGraphClientSecret/,
        );
        assert.match(
            problems[`${NS}:scimSync.colour`],
            /not a scimSync setting; valid keys are accountId/,
        );
        assert.match(
            problems[`${NS}:scimGraphClientSecret`],
            /scimSync.graphClientId and scimGraphClientSecret go together/,
        );
        assert.ok(!JSON.stringify(problems).includes("oops"), "a misplaced secret is not echoed");
    });

    it("wants the tenant with a client secret, and a scimSync section for a secret key", async () => {
        const a = await problemsFor(
            {
                scimSync: { accountId: ACCOUNT, groups: ["A"], databricksClientId: APP },
                scimDatabricksClientSecret: SECRET,
            },
            ["scimDatabricksClientSecret"],
        );
        assert.match(
            a.problems[`${NS}:scimSync.tenantId`],
            /required with scimDatabricksClientSecret/,
        );
        const b = await problemsFor({ scimGraphClientSecret: SECRET }, ["scimGraphClientSecret"]);
        assert.match(
            b.problems[`${NS}:scimGraphClientSecret`],
            /is set but azure-databricks-mlops:scimSync is not/,
        );
        assert.ok(!JSON.stringify([a, b]).includes(SECRET));
    });

    it("treats the declared empty default of a secret key as unset, and refuses a secret stored in plain text", async () => {
        const empty = await problemsFor({
            scimSync: { accountId: ACCOUNT, groups: ["A"] },
            scimGraphClientSecret: "",
            scimDatabricksClientSecret: "",
        });
        assert.deepStrictEqual(empty.problems, {});
        assert.strictEqual(empty.cfg!.graphClientSecret, undefined);
        const plain = await problemsFor({
            scimSync: { accountId: ACCOUNT, tenantId: TENANT, groups: ["A"], graphClientId: APP },
            scimGraphClientSecret: SECRET,
        });
        assert.match(
            plain.problems[`${NS}:scimGraphClientSecret`],
            /must be set as a secret: pulumi config set --secret scimGraphClientSecret/,
        );
        assert.strictEqual(Object.keys(plain.problems).length, 1, JSON.stringify(plain.problems));
        assert.ok(!JSON.stringify(plain.problems).includes(SECRET));
    });

    it("Pulumi.yaml declares the secret keys as optional strings; Pulumi.dev.yaml's scimSync passes validation", async () => {
        const root = path.resolve(__dirname, "../../..");
        const project = yaml.load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as {
            config: Record<string, any>;
        };
        for (const k of ["scimGraphClientSecret", "scimDatabricksClientSecret"]) {
            const d = project.config[`${NS}:${k}`];
            assert.deepStrictEqual(
                [d.type, d.default, typeof d.description],
                ["string", "", "string"],
                k,
            );
        }
        assert.strictEqual(
            project.config[`${NS}:scimSync`],
            undefined,
            "optional: declaring it would make it required",
        );
        const dev = yaml.load(fs.readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8")) as {
            config: Record<string, any>;
        };
        const { cfg, problems } = await problemsFor({ scimSync: dev.config[`${NS}:scimSync`] });
        assert.deepStrictEqual(problems, {});
        assert.strictEqual(cfg!.interval, "6h");
    });

    it('on/off settings must be YAML booleans: a quoted "false" would turn writes on, so it is refused', async () => {
        const { cfg, problems } = await problemsFor({
            scimSync: {
                accountId: ACCOUNT,
                groups: ["A"],
                dryRunPrincipals: "false",
                dryRunMembers: "true",
                fullSync: true,
            },
        });
        assert.strictEqual(cfg, undefined);
        assert.deepStrictEqual(Object.keys(problems).sort(), [
            `${NS}:scimSync.dryRunMembers`,
            `${NS}:scimSync.dryRunPrincipals`,
        ]);
        assert.match(
            problems[`${NS}:scimSync.dryRunPrincipals`],
            /must be true or false \(a YAML boolean, unquoted\), got "false"/,
        );
    });

    it("BOOLEAN_KEYS are exactly the settings the provider reads as on/off", () => {
        const onOff = SETTING_INPUTS.filter((k) =>
            checkScimSyncInputs({ accountId: ACCOUNT, groups: ["A"], [k]: "maybe" }).failures.some(
                (f) => f.property === k && /true or false/.test(f.reason),
            ),
        );
        assert.deepStrictEqual([...BOOLEAN_KEYS].sort(), [...onOff].sort());
    });

    it("loadStackConfig throws one ConfigError listing the scimSync problems", async () => {
        await withConfig(
            { scimSync: { accountId: ACCOUNT, groups: [], interval: "P1M" } },
            [],
            () => {
                assert.throws(
                    () => loadStackConfig(new pulumi.Config(NS)),
                    (e: unknown) =>
                        e instanceof ConfigError &&
                        /azure-databricks-mlops:scimSync\.groups: must be a non-empty list/.test(
                            e.message,
                        ) &&
                        /azure-databricks-mlops:scimSync\.interval: must be a duration/.test(
                            e.message,
                        ),
                );
            },
        );
    });
});

describe("root program: scimSync → ScimSync", () => {
    beforeEach(() => mocks.reset());

    it("registers one ScimSync from the config and exports its summary", async () => {
        let exported: Record<string, any> = {};
        const outputs = await withConfig(
            {
                scimSync: {
                    accountId: ACCOUNT,
                    tenantId: TENANT,
                    groups: ["Data Engineers", "Data Scientists"],
                    interval: "30m",
                    dryRunPrincipals: true,
                    graphClientId: APP,
                },
                scimGraphClientSecret: SECRET,
            },
            ["scimGraphClientSecret"],
            () =>
                mocks.run(() => {
                    const file = require.resolve("../../index");
                    delete require.cache[file];
                    return (exported = require(file));
                }),
        );
        const sync = mocks.one("pulumi-nodejs:dynamic/scim:Sync", "scim-sync");
        assert.strictEqual(sync.inputs.accountId, ACCOUNT);
        assert.deepStrictEqual(sync.inputs.groups, ["Data Engineers", "Data Scientists"]);
        assert.strictEqual(sync.inputs.interval, "30m");
        assert.strictEqual(sync.inputs.dryRunPrincipals, true);
        assert.strictEqual(sync.inputs.graphClientSecret, SECRET);
        assert.ok(sync.secretInputs.has("graphClientSecret"));
        assert.ok(outputs.scimSync, "the stack exports a scimSync summary");
        assert.deepStrictEqual(Object.keys(outputs.scimSync).sort(), [
            "changeCount",
            "created",
            "deactivated",
            "errors",
            "lastError",
            "lastRunAt",
            "membersAdded",
            "membersRemoved",
            "plannedChangeCount",
            "updated",
        ]);
        // The lists name people: their own output, secret, so the counts above stay readable.
        const changes = await settle(exported.scimSyncChanges);
        assert.strictEqual(changes.secret, true, "scimSyncChanges is a secret output");
        assert.deepStrictEqual(Object.keys(changes.value as object).sort(), [
            "changes",
            "plannedChanges",
        ]);
    });
});
