/**
 * The TypeScript samples of README.md and docs/*.md (fences `ts` / `typescript`) type-check against
 * the built package, imported by name from a consumer folder (node16 resolution, so the package's
 * `exports` decide what `azure-databricks-mlops` and `azure-databricks-mlops/providers` are).
 *
 * README samples are complete programs. A docs sample may refer to the reader's own variables
 * (`peSubnet.id`, `stagingHost`): names it never declares are tolerated (they type as `any`);
 * everything else — imports, argument names and types, outputs — must type-check.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { makeConsumerFolder } from "../consumerFolder";
import { CodeBlock, codeBlocks, markdownFiles, readDoc } from "./markdown";

/** Undeclared names (and callback parameters that are untyped only because of them), in docs samples. */
const TOLERATED_IN_DOCS = new Set([2304, 2552, 18004, 7006, 7031]);

/** A sample with a misspelt argument, compiled alongside, to show the check reports such mistakes. */
const CANARY = `import { AadToken } from "azure-databricks-mlops";\nnew AadToken("t", { tenantId: "t", clientId: "c", clientSecrett: "s" });\n`;

function tsSamples(): CodeBlock[] {
    return markdownFiles().flatMap((f) => codeBlocks(f, readDoc(f)).filter((b) => /^(ts|typescript)\b/.test(b.info)));
}

describe("TypeScript samples in README.md and docs/*.md", function () {
    this.timeout(120_000);
    let samples: CodeBlock[];
    let files: string[];
    let canary: string;
    let diagnostics: readonly ts.Diagnostic[];

    before(() => {
        samples = tsSamples();
        const dir = makeConsumerFolder("doc-samples");
        files = samples.map((s, i) => {
            const file = path.join(dir, `sample${i}.ts`);
            fs.writeFileSync(file, s.code + "\n");
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
        assert.ok(samples.some((s) => s.file === "README.md"), "README.md has ts samples");
        const problems: string[] = [];
        for (const d of diagnostics) {
            if (d.file?.fileName === canary) continue;
            const i = d.file ? files.indexOf(d.file.fileName) : -1;
            const sample = samples[i];
            if (sample && sample.file !== "README.md" && TOLERATED_IN_DOCS.has(d.code)) continue;
            const where = sample && d.file && d.start !== undefined ? `${sample.file}:${sample.line + d.file.getLineAndCharacterOfPosition(d.start).line}` : d.file?.fileName ?? "(global)";
            problems.push(`${where}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
        }
        assert.deepStrictEqual(problems, []);
    });

    it("the check is real: a misspelt argument in a sample is reported", () => {
        const messages = diagnostics.filter((d) => d.file?.fileName === canary).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
        assert.ok(messages.some((m) => /clientSecrett/.test(m)), messages.join("\n"));
    });
});
