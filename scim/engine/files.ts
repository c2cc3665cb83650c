/**
 * The one way the CLI writes a file (state, --save-graph-response-json, the change report): owner
 * read/write only (mode 600, as they hold names, UPNs, memberships and ids), atomically (a temp file
 * in the same directory with an unpredictable name, created exclusively, fsync'd, renamed over the
 * target, then the directory fsync'd so the rename survives a power loss). A failed write removes
 * its temp file; one left by a killed process is removed by the next run (removeStaleTemps).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

/** Mode of every file the CLI writes. */
export const FILE_MODE = 0o600;

function tempPrefix(file: string): string {
    return `.${path.basename(file)}.`;
}

/** Writes `text` to `file` atomically with mode 600; throws (leaving no temp file) on failure. */
export function writeFileAtomic(file: string, text: string): void {
    const target = path.resolve(file);
    const dir = path.dirname(target);
    fs.mkdirSync(dir, { recursive: true });
    // Unpredictable and exclusive ('wx'): nobody can plant a file or symlink under the name in advance.
    const tmp = path.join(dir, `${tempPrefix(target)}${crypto.randomBytes(8).toString("hex")}.tmp`);
    const fd = fs.openSync(tmp, "wx", FILE_MODE);
    try {
        try {
            fs.writeFileSync(fd, text);
            fs.fsyncSync(fd);
        } finally {
            fs.closeSync(fd);
        }
        fs.renameSync(tmp, target);
    } catch (e) {
        fs.rmSync(tmp, { force: true });
        throw e;
    }
    syncDirectory(dir);
}

/** fsync of the directory: makes the rename durable. Windows cannot open a directory for that; skipped there. */
function syncDirectory(dir: string): void {
    if (process.platform === "win32") return;
    const fd = fs.openSync(dir, "r");
    try {
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
}

/**
 * Removes temp files of `file` left by a write that was killed (`.<name>.<random>.tmp`, and the
 * older `.<name>.<pid>.<time>.tmp`). A temp file lives only for the milliseconds of a write, and two
 * runs must not share a file, so any found at the start of a run is a leftover. Returns their names.
 */
export function removeStaleTemps(file: string): string[] {
    const target = path.resolve(file);
    const dir = path.dirname(target);
    const prefix = tempPrefix(target);
    let names: string[];
    try {
        names = fs.readdirSync(dir);
    } catch {
        return [];
    }
    const stale = names.filter(
        (n) =>
            n.startsWith(prefix) &&
            n.endsWith(".tmp") &&
            /^[0-9a-f.]+$/.test(n.slice(prefix.length, -".tmp".length)),
    );
    for (const n of stale) fs.rmSync(path.join(dir, n), { force: true });
    return stale;
}

/** Largest input file read (groups list, state): 64 MiB, far above a state of 15,000 principals (~3 MB). */
export const MAX_INPUT_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Reads a regular file as UTF-8. A device (/dev/zero), a FIFO or a directory is refused at once: it is
 * opened non-blocking (a FIFO without a writer would block a plain open forever) and checked with
 * fstat on the same descriptor, so nothing can be swapped in between. Errors keep fs's `code` (ENOENT).
 */
export function readRegularFile(file: string, maxBytes = MAX_INPUT_FILE_BYTES): string {
    const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    try {
        const stat = fs.fstatSync(fd);
        if (!stat.isFile()) {
            const kind = stat.isFIFO()
                ? "a FIFO (named pipe)"
                : stat.isCharacterDevice() || stat.isBlockDevice()
                  ? "a device"
                  : stat.isDirectory()
                    ? "a directory"
                    : "not a regular file";
            throw Object.assign(new Error(`is ${kind}, not a regular file`), {
                code: "ENOTREGULAR",
            });
        }
        if (stat.size > maxBytes)
            throw Object.assign(
                new Error(`is ${stat.size} bytes, more than the ${maxBytes} read`),
                { code: "ETOOBIG" },
            );
        return fs.readFileSync(fd, "utf8");
    } finally {
        fs.closeSync(fd);
    }
}
