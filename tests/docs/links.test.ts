/**
 * Every relative link in README.md and docs/*.md points at a file that exists, and its `#anchor` at a
 * heading of that file; README.md links every doc in docs/.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    githubSlug,
    headingAnchors,
    links,
    markdownFiles,
    PACKAGE_ROOT,
    readDoc,
    sections,
} from "./markdown";

describe("links in README.md and docs/*.md", () => {
    it("relative links point at existing files and headings", () => {
        const bad: string[] = [];
        let checked = 0;
        for (const file of markdownFiles()) {
            for (const { target, line } of links(readDoc(file))) {
                if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
                const [rel, anchor] = target.split("#", 2);
                const resolved =
                    rel === ""
                        ? path.join(PACKAGE_ROOT, file)
                        : path.resolve(path.dirname(path.join(PACKAGE_ROOT, file)), decodeURI(rel));
                checked++;
                if (!resolved.startsWith(PACKAGE_ROOT) || !fs.existsSync(resolved)) {
                    bad.push(`${file}:${line}: ${target}: no such file`);
                    continue;
                }
                if (
                    anchor &&
                    resolved.endsWith(".md") &&
                    !headingAnchors(fs.readFileSync(resolved, "utf8")).has(anchor)
                ) {
                    bad.push(`${file}:${line}: ${target}: no heading with that anchor`);
                }
            }
        }
        assert.ok(checked > 0, "found relative links");
        assert.deepStrictEqual(bad, []);
    });

    it("README.md's Documentation list links every doc in docs/", () => {
        const list = sections(readDoc("README.md")).get("Documentation");
        assert.ok(list, "README.md has a ## Documentation section");
        const linked = new Set(links(list).map((l) => l.target.split("#")[0]));
        const missing = markdownFiles()
            .filter((f) => f.startsWith("docs/"))
            .filter((f) => !linked.has(f));
        assert.deepStrictEqual(missing, []);
    });

    it("every `docs/<name>.md` named in the sources, config files and docs exists", () => {
        const skip = new Set(["node_modules", "dist", ".git", ".tmp"]);
        const bad: string[] = [];
        let seen = 0;
        const visit = (dir: string) => {
            for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                if (skip.has(entry.name)) continue;
                const full = path.join(dir, entry.name);
                if (entry.isDirectory()) visit(full);
                else if (/\.(ts|md|ya?ml)$/.test(entry.name)) {
                    fs.readFileSync(full, "utf8")
                        .split("\n")
                        .forEach((line, i) => {
                            for (const m of line.matchAll(/\bdocs\/[A-Za-z0-9_-]+\.md\b/g)) {
                                seen++;
                                if (!fs.existsSync(path.join(PACKAGE_ROOT, m[0])))
                                    bad.push(
                                        `${path.relative(PACKAGE_ROOT, full)}:${i + 1}: ${m[0]}`,
                                    );
                            }
                        });
                }
            }
        };
        visit(PACKAGE_ROOT);
        assert.ok(seen > 0, "found mentions of docs");
        assert.deepStrictEqual(bad, []);
    });

    it("anchors follow GitHub's rules", () => {
        assert.strictEqual(githubSlug("`mlRegistry`"), "mlregistry");
        assert.strictEqual(
            githubSlug("Before the first `pulumi up`: at least one PAT must exist"),
            "before-the-first-pulumi-up-at-least-one-pat-must-exist",
        );
        assert.deepStrictEqual(
            [...headingAnchors("# A\n## A\n```\n# not a heading\n```\n")],
            ["a", "a-1"],
        );
    });
});
