/**
 * The TypeScript samples of README.md and docs/*.md (fences `ts` / `typescript`) type-check against
 * the built package, imported by name from a consumer folder (node16 resolution, so the package's
 * `exports` decide what `azure-databricks-mlops` and `azure-databricks-mlops/providers` are).
 *
 * Every sample must type-check as written: imports, argument names and types, outputs, and every name
 * it uses. A sample that continues an earlier one or uses the reader's own resources (`peSubnet.id`)
 * declares those names, typed, in an HTML comment right above its fence, which Markdown does not show:
 * `<!-- ts-prelude … -->`.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import * as yaml from "js-yaml";
import { makeConsumerFolder } from "../support/consumerFolder";
import { CodeBlock, codeBlocks, markdownFiles, readDoc } from "./markdown";

/** A sample with a misspelt argument and an undeclared name, compiled alongside, to show the check reports such mistakes. */
const CANARY = `import { AadToken } from "azure-databricks-mlops";\nnew AadToken("t", { tenantId: "t", clientId: "c", clientSecrett: "s" });\nexport const subnet = peSubnet.id;\n`;

interface Sample extends CodeBlock {
    /** Declarations from the `<!-- ts-prelude … -->` comment right above the fence ("" without one). */
    readonly prelude: string;
}

/** The `<!-- ts-prelude … -->` comment that ends on the line right above the fence at 1-based `fenceLine`. */
export function preludeAbove(text: string, fenceLine: number): string {
    const lines = text.split("\n");
    const end = fenceLine - 2;
    if (!/-->\s*$/.test(lines[end] ?? "")) return "";
    let start = end;
    while (start >= 0 && !/^\s*<!--/.test(lines[start])) start--;
    if (start < 0 || !/^\s*<!-- ts-prelude\b/.test(lines[start])) return "";
    return lines.slice(start + 1, end).join("\n");
}

function tsSamples(): Sample[] {
    return markdownFiles().flatMap((f) => {
        const text = readDoc(f);
        return codeBlocks(f, text)
            .filter((b) => /^(ts|typescript)\b/.test(b.info))
            .map((b) => ({ ...b, prelude: preludeAbove(text, b.line - 1) }));
    });
}

describe("TypeScript samples in README.md and docs/*.md", function () {
    this.timeout(120_000);
    let samples: Sample[];
    let files: string[];
    let canary: string;
    let diagnostics: readonly ts.Diagnostic[];

    before(() => {
        samples = tsSamples();
        const dir = makeConsumerFolder("doc-samples");
        files = samples.map((s, i) => {
            const file = path.join(dir, `sample${i}.ts`);
            // The prelude on the sample's first line keeps diagnostics' line numbers those of the doc.
            fs.writeFileSync(
                file,
                s.prelude.replace(/\n/g, " ") + (s.prelude ? " " : "") + s.code + "\n",
            );
            return file;
        });
        canary = path.join(dir, "canary.ts");
        fs.writeFileSync(canary, CANARY);
        const program = ts.createProgram([...files, canary], {
            target: ts.ScriptTarget.ES2022,
            module: ts.ModuleKind.Node16,
            moduleResolution: ts.ModuleResolutionKind.Node16,
            moduleDetection: ts.ModuleDetectionKind.Force,
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            esModuleInterop: true,
            types: [],
        });
        diagnostics = ts.getPreEmitDiagnostics(program);
    });

    it("type-check against the package's published typings", () => {
        assert.ok(
            samples.some((s) => s.file === "README.md"),
            "README.md has ts samples",
        );
        const problems: string[] = [];
        for (const d of diagnostics) {
            if (d.file?.fileName === canary) continue;
            const i = d.file ? files.indexOf(d.file.fileName) : -1;
            const sample = samples[i];
            const where =
                sample && d.file && d.start !== undefined
                    ? `${sample.file}:${sample.line + d.file.getLineAndCharacterOfPosition(d.start).line}`
                    : (d.file?.fileName ?? "(global)");
            problems.push(
                `${where}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
            );
        }
        assert.deepStrictEqual(problems, []);
    });

    it("the check is real: a misspelt argument and an undeclared name in a sample are reported", () => {
        const messages = diagnostics
            .filter((d) => d.file?.fileName === canary)
            .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
        assert.ok(
            messages.some((m) => /clientSecrett/.test(m)),
            messages.join("\n"),
        );
        assert.ok(
            messages.some((m) => /Cannot find name 'peSubnet'/.test(m)),
            messages.join("\n"),
        );
    });

    it("use the example stack's workspace hosts (Pulumi.dev.yaml), each with its own workspace id", () => {
        const dev = yaml.load(readDoc("Pulumi.dev.yaml")) as { config: Record<string, any> };
        const ws = dev.config["azure-databricks-mlops:workspaces"];
        const hosts = new Set(["dev", "staging", "prod"].map((e) => ws[e].host as string));
        const bad: string[] = [];
        let seen = 0;
        for (const s of samples) {
            for (const m of s.code.matchAll(
                /"(https:\/\/[^"]*azuredatabricks\.net)"(?:,\s*workspaceId:\s*"(\d+)")?/g,
            )) {
                seen++;
                if (!hosts.has(m[1]))
                    bad.push(`${s.file}:${s.line}: host ${m[1]} is not one of Pulumi.dev.yaml's`);
                if (m[2] !== undefined && !m[1].startsWith(`https://adb-${m[2]}.`))
                    bad.push(`${s.file}:${s.line}: workspaceId ${m[2]} is not ${m[1]}'s`);
            }
        }
        assert.ok(seen >= 10, `found hosts in samples (${seen})`);
        assert.deepStrictEqual(bad, []);
    });

    it("a docs sample's prelude is read from the comment right above its fence", () => {
        const text =
            "x\n<!-- ts-prelude why\ndeclare const a: string;\n-->\n```ts\nconsole.log(a);\n```\n";
        assert.strictEqual(preludeAbove(text, 5), "declare const a: string;");
        assert.strictEqual(preludeAbove("<!-- other -->\n```ts\n```\n", 2), "");
        assert.ok(
            samples.some((s) => s.prelude !== ""),
            "some docs sample has a prelude",
        );
    });
});
