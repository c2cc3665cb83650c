import * as assert from "assert";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { DATABRICKS_SCOPE, GRAPH_SCOPE, tokenProviderFor, tokenProviderFromCredential } from "../../scim";

describe("scim token providers", () => {
    it("returns an explicit bearer token as is and rejects an empty one", async () => {
        assert.strictEqual(await tokenProviderFor({ kind: "token", token: " abc " }, GRAPH_SCOPE)(), "abc");
        assert.throws(() => tokenProviderFor({ kind: "token", token: "  " }, GRAPH_SCOPE), /bearer token is empty/);
    });

    it("caches a credential's token until shortly before expiry and asks for the given scope", async () => {
        let clock = 1_000_000;
        const scopes: string[] = [];
        const credential: TokenCredential = {
            async getToken(scope): Promise<AccessToken> {
                scopes.push(String(scope));
                return { token: `t${scopes.length}`, expiresOnTimestamp: clock + 10 * 60_000 };
            },
        };
        const provider = tokenProviderFromCredential(credential, DATABRICKS_SCOPE, () => clock);
        const [a, b] = await Promise.all([provider(), provider()]);
        assert.deepStrictEqual([a, b], ["t1", "t1"], "concurrent callers share one fetch");
        clock += 7 * 60_000;
        assert.strictEqual(await provider(), "t1");
        clock += 2 * 60_000; // within the 2-minute refresh margin
        assert.strictEqual(await provider(), "t2");
        assert.deepStrictEqual(scopes, [DATABRICKS_SCOPE, DATABRICKS_SCOPE]);
    });
});
