/**
 * What the stack's own YAML file says that the runtime cannot: whether a value was written `secure:`.
 * Pulumi marks config secret per top-level key, so one `secure:` leaf inside `projectCredentials`
 * makes the whole key secret at run time, and a plaintext sibling (a client secret pasted without
 * `--secret`) looks the same as the encrypted ones — while it sits unencrypted in the file.
 */
import * as fs from "fs";
import * as path from "path";

/** Paths (`<project>.<env>.<leaf>`) under `<ns>:projectCredentials` whose value is plain text, not `secure:`. */
export function plaintextCredentials(stackYaml: string, ns: string): string[] {
    const yaml = require("js-yaml") as typeof import("js-yaml");
    let doc: any;
    try {
        doc = yaml.load(stackYaml);
    } catch {
        return []; // not ours to judge: Pulumi itself reports a broken stack file
    }
    const creds = doc?.config?.[`${ns}:projectCredentials`];
    const out: string[] = [];
    const visit = (v: unknown, at: string[]) => {
        if (v !== null && typeof v === "object" && !Array.isArray(v)) {
            if ("secure" in (v as object)) return;
            for (const [k, child] of Object.entries(v as object)) visit(child, [...at, k]);
        } else if (v !== undefined && v !== null && at.length > 0) out.push(at.join("."));
    };
    visit(creds, []);
    return out;
}

/** The stack file `Pulumi.<stack>.yaml` in `dir` (the program's folder during `pulumi up`), if there is one. */
export function readStackFile(dir: string, stack: string): string | undefined {
    if (!stack || /[/\\]/.test(stack)) return undefined;
    try {
        return fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8");
    } catch {
        return undefined;
    }
}
