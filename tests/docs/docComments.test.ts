/**
 * Doc comments reach the typings users read in their editors: a `/** … *\/` is attached to the
 * declaration right after it, so one followed by another doc comment is lost, leaving its
 * declaration undescribed.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PACKAGE_ROOT } from "./markdown";
import { PACKAGE_FOLDERS } from "../architecture/importRules";

function sources(): string[] {
    return PACKAGE_FOLDERS.flatMap((d) =>
        fs
            .readdirSync(path.join(PACKAGE_ROOT, d), { recursive: true, encoding: "utf8" })
            .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
            .map((f) => path.join(d, f)),
    );
}

/**
 * `file:line` of each doc comment followed, after blank space only, by another doc comment. A file's
 * opening comment describes the file, not a declaration, and is not counted.
 */
export function orphanedDocComments(file: string, text: string): string[] {
    const found: string[] = [];
    for (const m of text.matchAll(/\/\*\*(?:(?!\*\/)[\s\S])*\*\/\s*(?=\/\*\*)/g)) {
        if (/^(#!.*\n)?\s*$/.test(text.slice(0, m.index))) continue;
        found.push(`${file}:${text.slice(0, m.index).split("\n").length}`);
    }
    return found;
}

describe("doc comments in the package's sources", () => {
    it("none is orphaned (directly followed by another doc comment)", () => {
        const files = sources();
        assert.ok(files.length > 50, `read the sources (${files.length})`);
        const orphans = files.flatMap((f) =>
            orphanedDocComments(f, fs.readFileSync(path.join(PACKAGE_ROOT, f), "utf8")),
        );
        assert.deepStrictEqual(orphans, []);
    });

    it("finds an orphan", () => {
        const text =
            "/** file */\n/** x */\nexport const x = 1;\n/** a */\n/** b */\nexport interface B {}\n/** c */\nexport interface C {}\n";
        assert.deepStrictEqual(orphanedDocComments("x.ts", text), ["x.ts:4"]);
    });
});
