/**
 * The minimal stack files of examples/stacks/ (one per use, docs/getting-started.md): each is read
 * by the stack-config reader with exactly the sections it is for, holds no plain-text secret, and
 * runs through the root program under the mock engine (the demo) creating that use's resources and
 * no other section's.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig, StackConfig } from "../../program/config";
import { readStackConfigEnv } from "../../demo/stackConfig";
import { PACKAGE_ROOT, readDoc } from "../docs/markdown";
import { DemoRun, runDemo } from "./runDemo";

const NS = "azure-databricks-mlops";
const DIR = path.join(PACKAGE_ROOT, "examples", "stacks");

const TRIO = "azure-databricks-mlops:index:MlopsWorkspaces";
const PROJECT = "azure-databricks-mlops:index:MlopsProject";
const REGISTRY = "azure-databricks-mlops:index:MlRegistry";
const SYNC = "pulumi-nodejs:dynamic/scim:Sync";
const TOKEN = "databricks:index/token:Token";
const CATALOG = "databricks:index/catalog:Catalog";

/** Per stack file: the sections it sets, and resource types its run must and must not create. */
const USES: Record<
    string,
    {
        sections: (keyof StackConfig)[];
        has: string[];
        lacks: string[];
        check?: (c: StackConfig) => void;
    }
> = {
    "Pulumi.trio.yaml": {
        sections: ["workspaces"],
        has: [TRIO, TOKEN],
        lacks: [PROJECT, REGISTRY, SYNC, CATALOG],
    },
    "Pulumi.trio-projects.yaml": {
        sections: ["workspaces", "projects"],
        has: [TRIO, PROJECT],
        lacks: [REGISTRY, SYNC],
    },
    "Pulumi.unity-catalog.yaml": {
        sections: ["workspaces"],
        has: [TRIO, CATALOG],
        lacks: [TOKEN, PROJECT, REGISTRY, SYNC],
        check: (c) => assert.strictEqual(c.workspaces?.modelRegistry, "unity-catalog"),
    },
    "Pulumi.registry.yaml": {
        sections: ["mlRegistry"],
        has: [REGISTRY],
        lacks: [TRIO, SYNC, "pulumi:providers:databricks"],
    },
    "Pulumi.sync.yaml": {
        sections: ["scimSync"],
        has: [SYNC],
        lacks: [TRIO, REGISTRY, "pulumi:providers:databricks"],
        // Starts as a dry run; booleans, not strings.
        check: (c) =>
            assert.deepStrictEqual(
                [c.scimSync?.dryRunPrincipals, c.scimSync?.dryRunMembers],
                [true, true],
            ),
    },
};

/** Reads a stack file through the config reader, as `pulumi up` would give it to the program. */
function readStack(file: string): StackConfig {
    const env = readStackConfigEnv(PACKAGE_ROOT, file, path.join(DIR, file));
    const saved = pulumi.runtime.allConfig();
    pulumi.runtime.setAllConfig(env.config, env.secretKeys);
    try {
        return loadStackConfig(new pulumi.Config(NS));
    } finally {
        pulumi.runtime.setAllConfig(saved, []);
    }
}

const setSections = (c: StackConfig) =>
    Object.entries(c)
        .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
        .map(([k]) => k)
        .sort();

describe("examples/stacks: one minimal stack file per use", function () {
    this.timeout(60_000);
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".yaml"));

    it("each file is one of the uses tested here, and docs/getting-started.md shows each", () => {
        assert.deepStrictEqual(files.sort(), Object.keys(USES).sort());
        const guide = readDoc("docs/getting-started.md");
        const missing = files.filter((f) => !guide.includes(`examples/stacks/${f}`));
        assert.deepStrictEqual(missing, []);
        // The guide's offline checks are the demo runs below.
        const commands = [...guide.matchAll(/npm run demo -- (examples\/stacks\/\S+?)`/g)].map(
            (m) => m[1],
        );
        assert.deepStrictEqual(
            [...new Set(commands)].sort(),
            files.map((f) => `examples/stacks/${f}`).sort(),
        );
    });

    it("use the hosts of the demo's Pulumi.dev.yaml, so what the guide shows matches the demo", () => {
        const hostsOf = (f: string) => {
            const raw = readStackConfigEnv(
                PACKAGE_ROOT,
                f,
                f.startsWith("Pulumi.dev") ? path.join(PACKAGE_ROOT, f) : path.join(DIR, f),
            ).config[`${NS}:workspaces`];
            const ws = raw ? (JSON.parse(raw) as Record<string, { host: string }>) : undefined;
            return ws && ["dev", "staging", "prod"].map((e) => ws[e].host);
        };
        const expected = hostsOf("Pulumi.dev.yaml");
        for (const f of files) {
            const hosts = hostsOf(f);
            if (hosts) assert.deepStrictEqual(hosts, expected, f);
        }
    });

    for (const [file, use] of Object.entries(USES)) {
        describe(file, () => {
            let run: DemoRun;
            before(async () => {
                run = await runDemo([path.join("examples", "stacks", file)]);
            });

            it(`sets exactly ${use.sections.join(" + ")} and passes the config reader`, () => {
                const config = readStack(file);
                assert.deepStrictEqual(setSections(config), [...use.sections].sort());
                use.check?.(config);
            });

            it("keeps every secret as a `secure:` value (set with pulumi config set --secret)", () => {
                const env = readStackConfigEnv(PACKAGE_ROOT, file, path.join(DIR, file));
                for (const [key, value] of Object.entries(env.config)) {
                    if (value !== "" && /Secret|AadToken|Credentials$/.test(key))
                        assert.ok(env.secretKeys.includes(key), `${key} is secure`);
                    assert.doesNotMatch(value, /"secure"/, key);
                }
            });

            it("runs under the mock engine with this use's resources and no other section's", () => {
                assert.strictEqual(run.code, 0, run.stderr);
                const types = new Set(
                    [...run.stdout.matchAll(/([\w-]+:[\w/.-]*:[\w]+)  /g)].map((m) => m[1]),
                );
                assert.deepStrictEqual(
                    use.has.filter((t) => !types.has(t)),
                    [],
                    "missing",
                );
                assert.deepStrictEqual(
                    use.lacks.filter((t) => types.has(t)),
                    [],
                    "not expected",
                );
            });
        });
    }

    it("a stack of a bare `workspaces: {}` is still refused with what the trio needs (no section is silently skipped)", () => {
        const saved = pulumi.runtime.allConfig();
        pulumi.runtime.setAllConfig({ [`${NS}:workspaces`]: "{}" }, []);
        try {
            assert.throws(() => loadStackConfig(new pulumi.Config(NS)), /workspaces\.dev/);
        } finally {
            pulumi.runtime.setAllConfig(saved, []);
        }
    });
});
