/**
 * The consumer program of tests/install/fixture in an installed consumer: copied in, type-checked with
 * the TypeScript compiler API under the module resolutions users' tsconfigs have (`node`, the setting
 * of Pulumi's TypeScript templates; `node16`; `bundler`), emitted, and run under mocks in a child
 * process with the consumer's own `@pulumi/pulumi`.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { PACKAGE_ROOT } from "../support/consumerFolder";
import { Consumer, run } from "./installs";

const FIXTURE = path.join(PACKAGE_ROOT, "tests", "install", "fixture");

export type Resolution = "node" | "node16" | "bundler";

const OPTIONS: Record<Resolution, ts.CompilerOptions> = {
    node: { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 },
    node16: { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 },
    bundler: { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler },
};

/** Copies program.ts, run.js and the mock engine into the consumer folder. */
export function placeProgram(consumer: Consumer): void {
    fs.copyFileSync(path.join(FIXTURE, "program.ts"), path.join(consumer.dir, "program.ts"));
    fs.copyFileSync(path.join(FIXTURE, "run.js"), path.join(consumer.dir, "run.js"));
    // The mock engine and the module it requires (it depends on @pulumi/pulumi only, resolved from the consumer).
    for (const f of ["mockEngine.js", "registryState.js"])
        fs.copyFileSync(path.join(PACKAGE_ROOT, "dist", "demo", f), path.join(consumer.dir, f));
}

/**
 * Type-checks program.ts under `resolution` (emitting program.js when `emit`); returns the
 * diagnostics as `file:line TSnnnn message` lines (empty when it compiles).
 */
export function compileProgram(consumer: Consumer, resolution: Resolution, emit = false): string[] {
    const program = ts.createProgram([path.join(consumer.dir, "program.ts")], {
        target: ts.ScriptTarget.ES2022,
        lib: ["lib.es2022.d.ts"],
        strict: true,
        esModuleInterop: true,
        skipLibCheck: true,
        types: [],
        rootDir: consumer.dir,
        outDir: consumer.dir,
        noEmit: !emit,
        ...OPTIONS[resolution],
    });
    const diagnostics = [
        ...ts.getPreEmitDiagnostics(program),
        ...(emit ? program.emit().diagnostics : []),
    ];
    return diagnostics.map((d) => {
        const where =
            d.file && d.start !== undefined
                ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}`
                : "(global)";
        return `${where} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    });
}

export interface ProgramRun {
    pulumiVersion: string;
    packageFile: string;
    outputs: Record<string, unknown>;
    resources: {
        type: string;
        name: string;
        parentType?: string;
        provider?: string;
        secretInputs: string[];
    }[];
    dynamicClasses: { entry: string; name: string; built: boolean }[];
    providers: { type: string; name: string; text: string }[];
}

/** Runs the emitted program.js under mocks in the consumer folder; resolves what run.js recorded. */
export async function runProgram(consumer: Consumer): Promise<ProgramRun> {
    const out = path.join(consumer.dir, "run-result.json");
    fs.rmSync(out, { force: true });
    await run(process.execPath, ["run.js", out], consumer.dir, 120_000);
    return JSON.parse(fs.readFileSync(out, "utf8")) as ProgramRun;
}

export interface PreparedConsumer {
    readonly consumer: Consumer;
    /** Diagnostics per resolution checked (empty lists when the program compiles). */
    readonly diagnostics: Map<Resolution, string[]>;
    readonly result: ProgramRun;
}

/** Resolutions per install path; the first emits program.js. TypeScript's `node` (node10) resolution has no
 * package self-reference, so the repository itself is checked with the two that have it. */
export const RESOLUTIONS: Record<Consumer["kind"], Resolution[]> = {
    tarball: ["node", "node16", "bundler"],
    git: ["node", "node16", "bundler"],
    repo: ["node16", "bundler"],
};

const prepared = new Map<string, Promise<PreparedConsumer>>();

/** Installs (once per process), places, compiles and runs the consumer program for `kind`; shared by the install and host tests. */
export function preparedConsumer(
    kind: Consumer["kind"],
    make: () => Promise<Consumer>,
): Promise<PreparedConsumer> {
    let p = prepared.get(kind);
    if (!p) {
        p = (async () => {
            const consumer = await make();
            placeProgram(consumer);
            const diagnostics = new Map<Resolution, string[]>();
            for (const [i, r] of RESOLUTIONS[kind].entries())
                diagnostics.set(r, compileProgram(consumer, r, i === 0));
            return { consumer, diagnostics, result: await runProgram(consumer) };
        })();
        prepared.set(kind, p);
    }
    return p;
}
