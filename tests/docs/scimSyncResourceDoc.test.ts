/**
 * docs/scim-sync-resource.md against the code: its list of `scimSync` keys is the config reader's,
 * the stack output it describes is the one the root program exports, and its Inputs table and
 * Outputs list name every input and output the resource declares.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { OBJECT_KEYS } from "../../program/config/scimSync";
import { SECRET_INPUTS, SETTING_INPUTS } from "../../providers/scimSync/inputs";
import { runRootProgram } from "../program/workspacesConfigFixtures";
import { PACKAGE_ROOT, readDoc, sections } from "./markdown";

const DOC = "docs/scim-sync-resource.md";

/** Names in code spans of `text` (one identifier per span; spans like `{ users, … }` give none). */
const spanNames = (text: string) =>
    new Set([...text.matchAll(/`([A-Za-z]\w*)`/g)].map((m) => m[1]));

/** The paragraph of `text` that starts with `start`. */
function paragraph(text: string, start: string): string {
    const at = text.indexOf(start);
    assert.ok(at >= 0, `${DOC} has a paragraph starting "${start}"`);
    return text.slice(at).split(/\n\s*\n/)[0];
}

/** Outputs the ScimSync resource declares (`declare readonly x: pulumi.Output<…>`). */
function declaredOutputs(): string[] {
    const source = fs.readFileSync(
        path.join(PACKAGE_ROOT, "providers", "scimSync", "scimSync.ts"),
        "utf8",
    );
    return [...source.matchAll(/declare readonly (\w+): pulumi\.Output/g)].map((m) => m[1]);
}

describe(DOC, () => {
    const doc = readDoc(DOC);

    it("lists exactly the keys of the scimSync config object", () => {
        const listed = spanNames(paragraph(doc, "Keys of `scimSync`:"));
        assert.deepStrictEqual([...listed].sort(), [...OBJECT_KEYS, "scimSync"].sort());
    });

    it("describes exactly the fields of the root program's scimSync stack output", async () => {
        const { exported } = await runRootProgram(
            { scimSync: { accountId: "00000000-0000-4000-8000-000000000001", groups: ["A"] } },
            [],
        );
        const described = spanNames(paragraph(doc, "The stack output `scimSync` holds"));
        described.delete("scimSync");
        for (const unit of ["users", "servicePrincipals", "groups"]) described.delete(unit);
        assert.deepStrictEqual([...described].sort(), Object.keys(exported.scimSync).sort());
    });

    it("its Inputs table has a row for every input, and its Outputs section names every output", () => {
        const rows = new Set(
            [
                ...(sections(doc).get("Inputs") ?? "").matchAll(/^\| `(\w+)`(?: \+ `(\w+)`)?/gm),
            ].flatMap((m) => [m[1], m[2]]),
        );
        const inputs = [...SETTING_INPUTS, ...SECRET_INPUTS];
        const inputsText = sections(doc).get("Inputs") ?? "";
        assert.deepStrictEqual(
            inputs.filter((k) => !rows.has(k) && !inputsText.includes(`\`${k}\``)),
            [],
            "inputs missing from the table",
        );
        const outputs = spanNames(sections(doc).get("Outputs") ?? "");
        const declared = declaredOutputs();
        assert.ok(declared.length > 10, `read the declared outputs (${declared.length})`);
        assert.deepStrictEqual(
            declared.filter((o) => !outputs.has(o)),
            [],
            "outputs missing from ## Outputs",
        );
    });
});
