import * as assert from "assert";
import type { AccessToken, TokenCredential } from "@azure/identity";
import {
    DATABRICKS_SCOPE,
    GRAPH_SCOPE,
    runSync,
    tokenProviderFor,
    tokenProviderFromCredential,
} from "../../../scim";
import { TokenEmulator } from "../../../emulators/token";
import { Emulators, seedSmallTenant } from "../fixture";

describe("scim token providers", () => {
    it("returns an explicit bearer token as is and rejects an empty one", async () => {
        assert.strictEqual(
            await tokenProviderFor({ kind: "token", token: " abc " }, GRAPH_SCOPE)(),
            "abc",
        );
        assert.throws(
            () => tokenProviderFor({ kind: "token", token: "  " }, GRAPH_SCOPE),
            /bearer token is empty/,
        );
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

describe("scim sync with client-secret credentials (token emulator)", () => {
    const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    const CLIENT = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    const SECRET = "emulated-client-secret-value";
    const tokens = new TokenEmulator({ tenants: [TENANT], clients: { [CLIENT]: SECRET } });
    const em = new Emulators();
    before(async () => {
        await Promise.all([tokens.start(), em.start()]);
    });
    after(() => Promise.all([tokens.stop(), em.stop()]));

    it("gets one token per API from the credential (Graph scope, Databricks scope) and syncs with them", async () => {
        em.clear();
        seedSmallTenant(em.graph);
        em.graph.token = undefined;
        em.scim.token = undefined;
        const spec = {
            kind: "clientSecret" as const,
            tenantId: TENANT,
            clientId: CLIENT,
            clientSecret: SECRET,
            authorityHost: tokens.authorityHost,
        };
        const base = em.options({ groups: ["Data Team"] });
        const r = await runSync({
            ...base,
            graph: { ...base.graph, token: tokenProviderFor(spec, GRAPH_SCOPE) },
            account: { ...base.account, token: tokenProviderFor(spec, DATABRICKS_SCOPE) },
        });
        assert.strictEqual(r.summary.errors, 0);
        assert.deepStrictEqual(
            tokens.issued.map((t) => t.scope).sort(),
            [DATABRICKS_SCOPE, GRAPH_SCOPE].sort(),
            "one token per scope, cached for every call",
        );
        assert.ok(em.scim.groupByName("Data Team"));
        assert.ok(
            !em.logs.join("\n").includes(SECRET) &&
                !tokens.issued.some((t) => em.logs.join("\n").includes(t.accessToken)),
        );
    });
});
