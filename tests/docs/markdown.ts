/**
 * Reading the user-facing Markdown (README.md and docs/*.md) for the documentation tests: fenced
 * code blocks, relative links, headings and their GitHub anchors, sections. Pure; no Pulumi.
 */
import * as fs from "fs";
import * as path from "path";
import { PACKAGE_ROOT } from "../support/consumerFolder";

export { PACKAGE_ROOT };

/** README.md and every docs/*.md, as paths relative to the package root. */
export function markdownFiles(): string[] {
    const docs = fs
        .readdirSync(path.join(PACKAGE_ROOT, "docs"))
        .filter((f) => f.endsWith(".md"))
        .sort()
        .map((f) => `docs/${f}`);
    return ["README.md", ...docs];
}

export function readDoc(rel: string): string {
    return fs.readFileSync(path.join(PACKAGE_ROOT, rel), "utf8");
}

export interface DocLine {
    /** `file:line` (1-based), for failure messages. */
    readonly where: string;
    readonly text: string;
}

/** Every line of README.md and docs/*.md, in file order, for tests that scan command lines. */
export function docLines(): DocLine[] {
    return markdownFiles().flatMap((file) =>
        readDoc(file)
            .split("\n")
            .map((text, i) => ({ where: `${file}:${i + 1}`, text })),
    );
}

export interface CodeBlock {
    readonly file: string;
    /** 1-based line of the first line of code (after the opening fence). */
    readonly line: number;
    /** The fence's info string, e.g. `ts` or `bash`. */
    readonly info: string;
    readonly code: string;
}

/** Fenced code blocks (``` or ~~~, possibly indented, as in list items). */
export function codeBlocks(file: string, text: string): CodeBlock[] {
    const lines = text.split("\n");
    const blocks: CodeBlock[] = [];
    for (let i = 0; i < lines.length; i++) {
        const open = /^(\s*)(`{3,}|~{3,})\s*([^`]*)$/.exec(lines[i]);
        if (!open) continue;
        const [, indent, fence, info] = open;
        const body: string[] = [];
        let j = i + 1;
        for (; j < lines.length; j++) {
            if (
                new RegExp(`^\\s*${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`).test(
                    lines[j],
                )
            )
                break;
            body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
        }
        blocks.push({ file, line: i + 2, info: info.trim(), code: body.join("\n") });
        i = j;
    }
    return blocks;
}

/** The text outside fenced code blocks (links and headings inside code are not Markdown). */
export function proseOnly(text: string): string {
    const lines = text.split("\n");
    let fence: string | undefined;
    return lines
        .map((line) => {
            const m = /^\s*(`{3,}|~{3,})/.exec(line);
            if (
                m &&
                (fence === undefined || (m[1][0] === fence[0] && m[1].length >= fence.length))
            ) {
                fence = fence === undefined ? m[1] : undefined;
                return "";
            }
            return fence === undefined ? line : "";
        })
        .join("\n");
}

export interface Link {
    readonly target: string;
    readonly line: number;
}

/** Inline links and images `[text](target)` / `![alt](target)` in the prose, with their line numbers. */
export function links(text: string): Link[] {
    const out: Link[] = [];
    proseOnly(text)
        .split("\n")
        .forEach((line, i) => {
            // Inline code spans are not links.
            const prose = line.replace(/`[^`]*`/g, "");
            for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
                out.push({ target: m[1], line: i + 1 });
        });
    return out;
}

/** GitHub's anchor ids for the headings of a Markdown text (duplicates get -1, -2, …). */
export function headingAnchors(text: string): Set<string> {
    const anchors = new Set<string>();
    const seen = new Map<string, number>();
    for (const line of proseOnly(text).split("\n")) {
        const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
        if (!m) continue;
        const slug = githubSlug(m[1]);
        const n = seen.get(slug) ?? 0;
        anchors.add(n === 0 ? slug : `${slug}-${n}`);
        seen.set(slug, n + 1);
    }
    return anchors;
}

/** GitHub's slug: lower case, markup and punctuation dropped (but `-` and `_` kept), spaces to `-`. */
export function githubSlug(heading: string): string {
    return heading
        .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");
}

/**
 * The `## ` sections of a text, by heading text (level-2 headings only; a section runs to the next
 * level-2 heading and includes its subsections).
 */
export function sections(text: string): Map<string, string> {
    const out = new Map<string, string>();
    let current: string | undefined;
    let body: string[] = [];
    const flush = () => {
        if (current !== undefined) out.set(current, body.join("\n"));
    };
    const prose = proseOnly(text).split("\n");
    text.split("\n").forEach((line, i) => {
        const m = /^##\s+(.*?)\s*$/.exec(prose[i]);
        if (m) {
            flush();
            current = m[1];
            body = [];
        } else body.push(line);
    });
    flush();
    return out;
}

/** Whether `name` appears as a word inside some inline code span of `text` (e.g. `name`, `a.name`, `<env>.name`). */
export function inCodeSpan(text: string, name: string): boolean {
    const word = new RegExp(
        `(^|[^A-Za-z0-9_])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^A-Za-z0-9_])`,
    );
    for (const m of text.matchAll(/`([^`\n]+)`/g)) if (word.test(m[1])) return true;
    return false;
}
