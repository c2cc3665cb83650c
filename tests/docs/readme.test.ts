/**
 * README.md's promises: it opens with exactly the two commands a newcomer runs, which are real npm
 * scripts, and every component its table names is exported by the package (or is its bin).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { codeBlocks, docLines, PACKAGE_ROOT, readDoc } from "./markdown";

const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
    bin: Record<string, string>;
};

describe("README.md", () => {
    it("opens with exactly `npm ci && npm run demo` and `npm test`, both real scripts", () => {
        const text = readDoc("README.md");
        const first = codeBlocks("README.md", text)[0];
        assert.ok(first && first.line <= 4, "the first code block is right under the title");
        const commands = first.code
            .split("\n")
            .map((l) => l.replace(/#.*$/, "").trim())
            .filter(Boolean);
        assert.deepStrictEqual(commands, ["npm ci && npm run demo", "npm test"]);
        assert.ok(pkg.scripts.demo && pkg.scripts.test, "package.json has demo and test scripts");
    });

    it("every `npm run <script>` in README.md and docs/*.md is a script of package.json", () => {
        const bad: string[] = [];
        let seen = 0;
        for (const { where, text: line } of docLines()) {
            for (const m of line.matchAll(/\bnpm run (?:--?[a-z-]+ )*([A-Za-z0-9:_-]+)/g)) {
                seen++;
                if (!(m[1] in pkg.scripts)) bad.push(`${where}: npm run ${m[1]}`);
            }
        }
        assert.ok(seen > 0, "found npm run commands");
        assert.deepStrictEqual(bad, []);
    });

    it("every component in its table is exported by the package (or is its bin)", async () => {
        const text = readDoc("README.md");
        const table = text.split("\n").filter((l) => /^\| `/.test(l));
        const names = table.flatMap((row) =>
            [...row.split("|")[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]),
        );
        assert.ok(names.length >= 5, `found the component table: ${names.join(", ")}`);
        const api = (await import(
            path.join(PACKAGE_ROOT, "dist", "publicApi", "index.js")
        )) as Record<string, unknown>;
        const missing = names.filter((n) => typeof api[n] !== "function" && !(n in pkg.bin));
        assert.deepStrictEqual(missing, []);
    });
});
