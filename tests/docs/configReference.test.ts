/**
 * docs/configuration.md against the code: every key that Pulumi.yaml declares or a config reader
 * reads is documented, secrets are marked as such, the full example passes the program's validation, and
 * every `pulumi config set` command and config YAML sample in README.md and docs/*.md names real keys.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "../../program/config";
import { stackConfigEnv } from "../../demo/stackConfig";
import {
    checkConfigPath,
    declaredKeys,
    keysReadByReaders,
    NS,
    NESTED_NAMES,
    pathSegments,
    secretTopLevelKeys,
    withRawConfig,
} from "./configKeys";
import {
    codeBlocks,
    docLines,
    inCodeSpan,
    markdownFiles,
    PACKAGE_ROOT,
    readDoc,
    sections,
} from "./markdown";

const DOC = "docs/configuration.md";

function fullExample(): string {
    const example = sections(readDoc(DOC)).get("Full example");
    assert.ok(example, `${DOC} has a "## Full example" section`);
    const block = codeBlocks(DOC, example).find((b) => b.info === "yaml");
    assert.ok(block, `the Full example section of ${DOC} has a yaml block`);
    return block.code;
}

function exampleEnv() {
    const projectYaml = fs.readFileSync(path.join(PACKAGE_ROOT, "Pulumi.yaml"), "utf8");
    return stackConfigEnv(projectYaml, fullExample(), "example");
}

/** Top-level keys: declared in Pulumi.yaml, read with no config, and read with the full example set. */
function allTopLevelKeys(): string[] {
    const env = exampleEnv();
    return [
        ...new Set([
            ...declaredKeys().keys(),
            ...keysReadByReaders(),
            ...keysReadByReaders(env.config, env.secretKeys),
        ]),
    ].sort();
}

/** The row of the top-level table that names `key` in a code span. */
function topLevelRow(key: string): string | undefined {
    const table = sections(readDoc(DOC)).get("Top-level keys") ?? "";
    return table
        .split("\n")
        .find((line) => line.startsWith("|") && inCodeSpan(line.split("|")[1] ?? "", key));
}

describe("docs/configuration.md", () => {
    it("finds the keys from the code (sanity: the readers and Pulumi.yaml are read)", () => {
        const keys = allTopLevelKeys();
        for (const k of [
            "workspaces",
            "stagingClientSecret",
            "projects",
            "projectCredentials",
            "mlRegistry",
            "scimSync",
            "scimGraphClientSecret",
        ]) {
            assert.ok(keys.includes(k), `${k} among ${keys.join(", ")}`);
        }
    });

    it("every key Pulumi.yaml declares is read by the config readers", () => {
        const read = keysReadByReaders();
        const unread = [...declaredKeys().keys()].filter((k) => !read.has(k));
        assert.deepStrictEqual(
            unread,
            [],
            "declared in Pulumi.yaml but never read by program/config/*.ts",
        );
    });

    it("lists every top-level key in its top-level table", () => {
        const missing = allTopLevelKeys().filter((k) => topLevelRow(k) === undefined);
        assert.deepStrictEqual(
            missing,
            [],
            `keys missing from the "Top-level keys" table of ${DOC}`,
        );
    });

    it("marks exactly the secret keys as secret (set with --secret)", () => {
        const env = exampleEnv();
        // Secret keys by the readers' lists, and keys the example can only give as `secure:` values (projectCredentials).
        const secret = new Set([
            ...secretTopLevelKeys(),
            ...env.secretKeys.map((k) => k.replace(/^[^:]*:/, "")),
        ]);
        assert.ok(
            secret.has("projectCredentials"),
            "the full example sets projectCredentials with secure: values",
        );
        const wrong = allTopLevelKeys().filter(
            (k) => /\*\*yes\*\*/.test(topLevelRow(k) ?? "") !== secret.has(k),
        );
        assert.deepStrictEqual(wrong, [], "rows whose Secret column disagrees with the code");
    });

    it("says which declared keys the Pulumi CLI requires (declared without a default) and no others", () => {
        const wrong: string[] = [];
        for (const k of allTopLevelKeys()) {
            const cliRequires = declaredKeys().get(k)?.hasDefault === false;
            const saysSo = /Pulumi CLI requires/.test((topLevelRow(k) ?? "").split("|")[3] ?? "");
            if (cliRequires !== saysSo)
                wrong.push(
                    `${k}: ${cliRequires ? "declared without a default, so the CLI requires it" : "not required by the CLI"}`,
                );
        }
        assert.deepStrictEqual(wrong, [], "the Required column must follow Pulumi.yaml");
    });

    it("documents every nested key of each section in that section", () => {
        const bySection = sections(readDoc(DOC));
        const missing: string[] = [];
        for (const [top, names] of Object.entries(NESTED_NAMES)) {
            const section = bySection.get(`\`${top}\``);
            if (section === undefined) {
                missing.push(`## \`${top}\``);
                continue;
            }
            for (const n of names) if (!inCodeSpan(section, n)) missing.push(`${top}: ${n}`);
        }
        assert.deepStrictEqual(missing, []);
    });

    it("its full example passes the program's validation and configures every section", () => {
        const env = exampleEnv();
        const config = withRawConfig(env.config, env.secretKeys, () =>
            loadStackConfig(new pulumi.Config(NS)),
        );
        assert.ok(config.workspaces, "workspaces");
        assert.deepStrictEqual(
            config.projects.map((p) => p.name),
            ["churn", "fraud"],
        );
        assert.ok(config.mlRegistry, "mlRegistry");
        assert.ok(config.scimSync, "scimSync");
        const topLevel = Object.keys(env.config).map((k) => k.replace(/^[^:]*:/, ""));
        for (const k of topLevel) assert.strictEqual(checkConfigPath([k]), undefined, k);
    });

    it("every `pulumi config set` in README.md and docs/*.md names a real key (with --path for nested ones)", () => {
        const bad: string[] = [];
        let seen = 0;
        for (const { where, text: line } of docLines()) {
            for (const m of line.matchAll(/pulumi config set\b([^`#\n]*)/g)) {
                const tokens = [...m[1].matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map(
                    (t) => t[1] ?? t[2] ?? t[3],
                );
                const flags = tokens.filter((t) => t.startsWith("--"));
                const key = tokens.find((t) => !t.startsWith("-"));
                if (key !== undefined) seen++;
                if (key === undefined) continue; // prose naming the command, not a command
                if (/^[^:]+:/.test(key) && !key.startsWith("azure-databricks-mlops:")) continue; // another project's key (a consumer's, docs/multi-language.md)
                const bare = key.replace(/^azure-databricks-mlops:/, "");
                const nested = /[.[]/.test(bare);
                if (nested && !flags.includes("--path"))
                    bad.push(`${where}: ${key} is nested, so it needs --path`);
                const why = checkConfigPath(nested ? pathSegments(bare) : [bare]);
                if (why) bad.push(`${where}: ${key}: ${why}`);
                const top = pathSegments(bare)[0];
                const isSecret = secretTopLevelKeys().includes(top) || top === "projectCredentials";
                if (isSecret && !flags.includes("--secret"))
                    bad.push(`${where}: ${key} is a secret; use --secret`);
            }
        }
        assert.ok(seen > 0, "found pulumi config set commands");
        assert.deepStrictEqual(bad, []);
    });

    it("every config YAML sample in README.md and docs/*.md, and Pulumi.dev.yaml, uses only real keys", () => {
        const bad: string[] = [];
        const walk = (where: string, value: unknown, segments: string[]) => {
            const why = checkConfigPath(segments);
            if (why) return void bad.push(`${where}: ${segments.join(".")}: ${why}`);
            if (Array.isArray(value))
                value.forEach((v, i) => walk(where, v, [...segments, String(i)]));
            else if (value !== null && typeof value === "object" && !("secure" in value)) {
                for (const [k, v] of Object.entries(value)) walk(where, v, [...segments, k]);
            }
        };
        const samples = markdownFiles().flatMap((f) =>
            codeBlocks(f, readDoc(f)).filter((b) => b.info === "yaml"),
        );
        samples.push({
            file: "Pulumi.dev.yaml",
            line: 1,
            info: "yaml",
            code: fs.readFileSync(path.join(PACKAGE_ROOT, "Pulumi.dev.yaml"), "utf8"),
        });
        let checked = 0;
        for (const b of samples) {
            const doc = yaml.load(b.code) as { config?: Record<string, unknown> } | undefined;
            for (const [k, v] of Object.entries(doc?.config ?? {})) {
                if (!k.startsWith(`${NS}:`)) continue;
                checked++;
                walk(`${b.file}:${b.line}`, v, [k.slice(NS.length + 1)]);
            }
        }
        assert.ok(checked >= 10, `found config samples (${checked} keys)`);
        assert.deepStrictEqual(bad, []);
    });

    it("lists every stack output of the root program", () => {
        const source = fs.readFileSync(path.join(PACKAGE_ROOT, "index.ts"), "utf8");
        const outputs = [...source.matchAll(/^export\s+(?:const|let|var)\s+(\w+)/gm)].map(
            (m) => m[1],
        );
        // The sections' outputs (program/<section>.ts) are the keys one indentation level inside the
        // object each `…Outputs` function returns (undefined ones are not exported).
        const programDir = path.join(PACKAGE_ROOT, "program");
        for (const file of fs.readdirSync(programDir).filter((f) => f.endsWith(".ts"))) {
            const lines = fs.readFileSync(path.join(programDir, file), "utf8").split("\n");
            lines.forEach((line, i) => {
                if (!/^function \w+Outputs\(/.test(line)) return;
                const start = lines.findIndex((l, j) => j > i && /^ {4}return \{$/.test(l));
                for (let j = start + 1; j < lines.length && !/^ {4}\};$/.test(lines[j]); j++) {
                    const key = /^ {8}(\w+):/.exec(lines[j]);
                    if (key) outputs.push(key[1]);
                }
            });
        }
        for (const o of [
            "configuredSections",
            "devSecretScopeNameForStaging",
            "scimSync",
            "mlRegistry",
            "projectServicePrincipalClientSecrets",
        ]) {
            assert.ok(
                outputs.includes(o),
                `found the root program's exports (${o}): ${outputs.join(", ")}`,
            );
        }
        const table = sections(readDoc(DOC)).get("Stack outputs") ?? "";
        const rows = table
            .split("\n")
            .filter((l) => l.startsWith("|"))
            .map((l) => l.split("|")[1]);
        assert.deepStrictEqual(
            outputs.filter((o) => !rows.some((r) => inCodeSpan(r, o))),
            [],
            `outputs missing from the "Stack outputs" table of ${DOC}`,
        );
        // And every `pulumi stack output <name>` in the docs names one of them.
        const named = markdownFiles().flatMap((f) =>
            [...readDoc(f).matchAll(/pulumi stack output (?:--[a-z-]+ )*([A-Za-z]\w*)/g)].map(
                (m) => `${f}: ${m[1]}`,
            ),
        );
        assert.deepStrictEqual(
            named.filter((n) => !outputs.includes(n.split(": ")[1])),
            [],
        );
    });

    it("the path checker refuses what the readers would refuse", () => {
        assert.strictEqual(checkConfigPath(pathSegments("workspaces.prod.auth.method")), undefined);
        assert.strictEqual(
            checkConfigPath(pathSegments("projectCredentials.churn.staging.clientSecret")),
            undefined,
        );
        assert.strictEqual(checkConfigPath(pathSegments("scimSync.groups[0]")), undefined);
        assert.match(
            checkConfigPath(pathSegments("scimSync.graphClientSecret"))!,
            /graphClientSecret is not a key of scimSync/,
        );
        assert.match(
            checkConfigPath(pathSegments("workspaces.test.host"))!,
            /test is not a key of workspaces/,
        );
        assert.match(checkConfigPath(["stagingSecret"])!, /not a key of the stack config/);
    });
});
