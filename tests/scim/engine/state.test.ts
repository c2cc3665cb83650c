import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { emptyState, readStateFile, writeStateFile } from "../../../scim";

describe("scim state file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scim-state-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("treats a missing file as a first run and round-trips a written state", () => {
        const file = path.join(dir, "sub", "state.json");
        assert.strictEqual(readStateFile(file), undefined);
        const state = {
            ...emptyState(),
            groupsDeltaLink: "https://g/delta?$deltatoken=1",
            ids: { a: "1" },
            syncedGroups: ["g"],
            listedGroups: ["G"],
        };
        writeStateFile(file, state);
        assert.deepStrictEqual(readStateFile(file), state);
        assert.deepStrictEqual(
            fs.readdirSync(path.dirname(file)),
            ["state.json"],
            "no temp file left behind",
        );
    });

    it("names the file and the field of a malformed state", () => {
        const file = path.join(dir, "bad.json");
        fs.writeFileSync(
            file,
            JSON.stringify({ version: 1, ids: { a: 1 }, syncedGroups: [], listedGroups: [] }),
        );
        assert.throws(
            () => readStateFile(file),
            (e: Error) => e.message.startsWith(file) && /`ids`/.test(e.message),
        );
        fs.writeFileSync(file, "{not json");
        assert.throws(() => readStateFile(file), /not valid JSON/);
    });
});
