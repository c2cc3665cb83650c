/** Reads what `scim-sync --report` wrote. */
import * as fs from "fs";

/** The report's changes: one JSON object per line. */
export function readReport(file: string): any[] {
    return fs
        .readFileSync(file, "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l));
}
