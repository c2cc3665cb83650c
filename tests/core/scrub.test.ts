/** Token shapes are scrubbed wherever a message can go, even when their value is not known. */
import * as assert from "assert";
import { scrubSecrets } from "../../core/scrub";
import { secretScrubber } from "../../scim/cli/run";
import { scrubSecrets as providerScrub } from "../../providers/scimSync/methods";

const JWT =
    "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiIyZmY4MTRhNiIsInRpZCI6IngifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
const PAT = "dapi0123456789abcdef0123456789abcdef-2";

describe("secret scrubbing", () => {
    it("removes JWTs, dapi PATs and Bearer credentials whose values nobody told it", () => {
        const echoed = `server said: token ${JWT} is expired; also ${PAT} and Authorization: Bearer abc.def-123`;
        const out = scrubSecrets(echoed);
        assert.strictEqual(
            out,
            "server said: token [secret] is expired; also [secret] and Authorization: Bearer [secret]",
        );
    });

    it("removes known values, and leaves ordinary text (GUIDs, names, paths) alone", () => {
        const text =
            "group Data Team 11111111-2222-3333-4444-555555555555 /scim/v2/Users dapper eyJust";
        assert.strictEqual(scrubSecrets(text), text);
        assert.strictEqual(
            scrubSecrets("client secret s3cr3t-value leaked", ["s3cr3t-value", undefined, "ab"]),
            "client secret [secret] leaked",
        );
    });

    it("the CLI's and the ScimSync provider's scrubbers cover the shapes too", () => {
        assert.strictEqual(secretScrubber({})(`x ${JWT} y`), "x [secret] y");
        assert.strictEqual(providerScrub(`x ${PAT} y`, {}), "x [secret] y");
    });
});
