/**
 * The sync state (delta links, Entra id → SCIM id map, synced groups) and its JSON file for the CLI.
 * The file is written atomically with mode 600 (scim/files), so a crash never leaves half a state behind.
 */
import { SyncState } from "../contract";
import { readRegularFile, writeFileAtomic } from "./files";

export function emptyState(): SyncState {
    return { version: 1, ids: {}, syncedGroups: [], listedGroups: [], groupLevels: {} };
}

/** Checks the shape of a parsed state; throws a message naming the file and the bad field. */
export function parseState(value: unknown, source = "state"): SyncState {
    const fail = (what: string): never => {
        throw new Error(
            `${source}: ${what}; delete the file (or run with --full-sync) to start over.`,
        );
    };
    if (typeof value !== "object" || value === null || Array.isArray(value))
        fail("not a JSON object");
    const v = value as Record<string, unknown>;
    if (v.version !== 1) fail(`unsupported version ${JSON.stringify(v.version)} (expected 1)`);
    const isStrings = (x: unknown) => Array.isArray(x) && x.every((e) => typeof e === "string");
    const isRecord = (x: unknown, type: string) =>
        typeof x === "object" &&
        x !== null &&
        !Array.isArray(x) &&
        Object.values(x).every((e) => typeof e === type);
    if (!isRecord(v.ids, "string")) fail("`ids` must map Entra object ids to SCIM ids");
    if (!isStrings(v.syncedGroups)) fail("`syncedGroups` must be a list of Entra object ids");
    if (!isStrings(v.listedGroups)) fail("`listedGroups` must be a list of group names");
    if (v.groupLevels !== undefined && !isRecord(v.groupLevels, "number"))
        fail("`groupLevels` must map group ids to levels");
    if (v.groupSearchDepth !== undefined && typeof v.groupSearchDepth !== "number")
        fail("`groupSearchDepth` must be a number");
    if (v.listedGroupIds !== undefined && !isRecord(v.listedGroupIds, "string"))
        fail("`listedGroupIds` must map listed group names to Entra ids");
    if (v.rates !== undefined) {
        const ok = (r: any) =>
            typeof r === "object" &&
            r !== null &&
            typeof r.rate === "number" &&
            r.rate > 0 &&
            (r.ceiling === undefined || (typeof r.ceiling === "number" && r.ceiling > 0));
        if (
            typeof v.rates !== "object" ||
            v.rates === null ||
            Array.isArray(v.rates) ||
            !Object.values(v.rates).every(ok)
        )
            fail("`rates` must map classes to { rate, ceiling } in requests per second");
    }
    for (const k of ["groupsDeltaLink", "usersDeltaLink", "servicePrincipalsDeltaLink"]) {
        if (v[k] !== undefined && typeof v[k] !== "string") fail(`\`${k}\` must be a string`);
    }
    return v as unknown as SyncState;
}

/** Reads a state file; a missing file is a first run (undefined). */
export function readStateFile(file: string): SyncState | undefined {
    let text: string;
    try {
        text = readRegularFile(file);
    } catch (e: any) {
        if (e?.code === "ENOENT") return undefined;
        if (e?.code === "ENOTREGULAR" || e?.code === "ETOOBIG")
            throw new Error(`${file} ${e.message}; give the path of the state file`, { cause: e });
        throw e;
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        throw new Error(
            `${file}: not valid JSON; delete the file (or run with --full-sync) to start over.`,
        );
    }
    return parseState(parsed, file);
}

/** Writes the state atomically (exclusive unpredictable temp file, fsync, rename, directory fsync), mode 600. */
export function writeStateFile(file: string, state: SyncState): void {
    writeFileAtomic(file, JSON.stringify(state, null, 2) + "\n");
}
