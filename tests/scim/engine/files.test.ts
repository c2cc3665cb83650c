/**
 * Files the CLI writes (state, --save-graph-response-json, the change report): mode 600, written
 * atomically through an unpredictable temp name created exclusively, removed when the write fails,
 * the directory fsync'd; temp files left by a killed write removed on the next run.
 */
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { emptyState, writeStateFile } from "../../../scim";
import { FILE_MODE, removeStaleTemps, writeFileAtomic } from "../../../scim/engine/files";

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe("scim file writer", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "scim-files-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("writes mode 600, also over an existing world-readable file and under umask 000", function () {
        if (process.platform === "win32") this.skip();
        const file = path.join(dir, "state.json");
        fs.writeFileSync(file, "{}", { mode: 0o644 });
        const old = process.umask(0);
        try {
            writeStateFile(file, emptyState());
        } finally {
            process.umask(old);
        }
        assert.strictEqual(mode(file), 0o600);
        assert.strictEqual(FILE_MODE, 0o600);
        assert.deepStrictEqual(JSON.parse(fs.readFileSync(file, "utf8")), emptyState());
    });

    it("opens an unpredictable temp name with exclusive create ('wx'), fsyncs file and directory", () => {
        const opened: { file: string; flags: unknown; mode: unknown }[] = [];
        let fsyncs = 0;
        // The module object itself (the `import * as` namespace has only getters onto it).
        const nodeFs: typeof fs = require("fs");
        const realOpen = nodeFs.openSync;
        const realFsync = nodeFs.fsyncSync;
        (nodeFs as any).openSync = (file: string, flags: unknown, m: unknown) => {
            opened.push({ file, flags, mode: m });
            return realOpen(file, flags as any, m as any);
        };
        (nodeFs as any).fsyncSync = (fd: number) => {
            fsyncs++;
            return realFsync(fd);
        };
        try {
            writeFileAtomic(path.join(dir, "a.json"), "1");
            writeFileAtomic(path.join(dir, "a.json"), "2");
        } finally {
            (nodeFs as any).openSync = realOpen;
            (nodeFs as any).fsyncSync = realFsync;
        }
        const temps = opened.filter((o) => o.file.endsWith(".tmp"));
        assert.strictEqual(temps.length, 2);
        for (const t of temps) {
            assert.strictEqual(t.flags, "wx");
            assert.strictEqual(t.mode, 0o600);
            assert.match(path.basename(t.file), /^\.a\.json\.[0-9a-f]{16}\.tmp$/);
            assert.ok(
                !path.basename(t.file).includes(String(process.pid)),
                "the pid makes the name predictable",
            );
        }
        assert.notStrictEqual(temps[0].file, temps[1].file);
        if (process.platform !== "win32") {
            assert.ok(
                opened.some((o) => o.file === dir && o.flags === "r"),
                "the directory is opened to be fsync'd",
            );
            assert.strictEqual(fsyncs, 4, "file and directory, twice");
        }
        assert.strictEqual(fs.readFileSync(path.join(dir, "a.json"), "utf8"), "2");
    });

    it("a failed write leaves no temp file and the old content in place", () => {
        const target = path.join(dir, "state.json");
        fs.mkdirSync(target); // a directory where the file should go: the rename fails
        fs.writeFileSync(path.join(target, "keep"), "x");
        assert.throws(() => writeStateFile(target, emptyState()));
        assert.deepStrictEqual(fs.readdirSync(dir), ["state.json"], "temp file removed");
        assert.deepStrictEqual(fs.readdirSync(target), ["keep"]);
    });

    it("removes temp files left by an interrupted write (old and new names), nothing else", () => {
        const file = path.join(dir, "state.json");
        fs.writeFileSync(file, "{}");
        const left = [".state.json.12345.1764547200000.tmp", ".state.json.0a1b2c3d4e5f6a7b.tmp"];
        for (const n of left) fs.writeFileSync(path.join(dir, n), "{half");
        const others = [".other.json.123.tmp", ".state.json.notes.tmp", "state.json.bak"];
        for (const n of others) fs.writeFileSync(path.join(dir, n), "");
        assert.deepStrictEqual(removeStaleTemps(file).sort(), [...left].sort());
        assert.deepStrictEqual(fs.readdirSync(dir).sort(), [...others, "state.json"].sort());
        assert.deepStrictEqual(removeStaleTemps(path.join(dir, "missing-dir", "s.json")), []);
    });

    it("kill -9 in the middle of writing: the state file is always whole, and the leftover temp goes on the next run", async function () {
        if (process.platform === "win32") this.skip();
        this.timeout(10_000);
        const file = path.join(dir, "state.json");
        const state = path.resolve(__dirname, "../../../scim/engine/state.js");
        // A writer that never stops: big states, one after another, until it is killed.
        const script = `const { writeStateFile } = require(${JSON.stringify(state)});
            const ids = {}; for (let i = 0; i < 20000; i++) ids["entra-" + i] = "scim-" + i;
            for (let n = 0; ; n++) writeStateFile(${JSON.stringify(file)}, { version: 1, ids, syncedGroups: [String(n)], listedGroups: [] });`;
        for (let round = 0; round < 4; round++) {
            const child = spawn(process.execPath, ["-e", script], { stdio: "ignore" });
            await new Promise((r) => setTimeout(r, 150 + round * 40));
            child.kill("SIGKILL");
            await new Promise((r) => child.once("exit", r));
            if (fs.existsSync(file)) {
                const parsed = JSON.parse(fs.readFileSync(file, "utf8"));
                assert.strictEqual(
                    Object.keys(parsed.ids).length,
                    20000,
                    "a whole state, never half of one",
                );
            }
            removeStaleTemps(file);
            assert.deepStrictEqual(
                fs.readdirSync(dir).filter((n) => n.endsWith(".tmp")),
                [],
                "no temp file after the next run's cleanup",
            );
        }
    });
});
