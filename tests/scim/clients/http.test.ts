import * as assert from "assert";
import {
    ApiError,
    SyncAbortedError,
    checkBaseUrl,
    classifyHttpError,
} from "../../../scim/clients/http";
import { mapPool, Semaphore } from "../../../scim/clients/pool";
import { patchBody } from "../../../scim/clients/account";

describe("scim http rules (pure)", () => {
    it("accepts https anywhere and http only on loopback, naming the setting otherwise", () => {
        assert.strictEqual(
            checkBaseUrl("https://accounts.azuredatabricks.net/", "host"),
            "https://accounts.azuredatabricks.net",
        );
        assert.strictEqual(
            checkBaseUrl("http://127.0.0.1:8080/v1.0", "graph"),
            "http://127.0.0.1:8080/v1.0",
        );
        assert.strictEqual(checkBaseUrl("http://localhost:1", "graph"), "http://localhost:1");
        assert.strictEqual(checkBaseUrl("http://[::1]:1", "graph"), "http://[::1]:1");
        assert.throws(
            () => checkBaseUrl("http://10.0.0.1", "account host (DATABRICKS_HOST)"),
            /^Error: account host \(DATABRICKS_HOST\): plain http:\/\/ is allowed only for loopback hosts/,
        );
        assert.throws(() => checkBaseUrl("ftp://x", "graph"), /expected an https:\/\/ URL/);
        assert.throws(() => checkBaseUrl("not a url", "graph"), /"not a url" is not a URL/);
        assert.throws(
            () => checkBaseUrl("https://user:pw@host", "graph"),
            /credentials in the URL are not allowed/,
        );
    });

    it("retries 429 after Retry-After (default when absent), 5xx and resets; never 4xx or an abort", () => {
        const classify = classifyHttpError(1000);
        const err = (status: number, after?: number) =>
            new ApiError("scim", "POST", "/Users", status, undefined, "", after);
        assert.deepStrictEqual(classify(err(429, 3000)), { retry: true, afterMs: 3000 });
        assert.deepStrictEqual(classify(err(429)), { retry: true, afterMs: 1000 });
        assert.deepStrictEqual(classify(err(503)), { retry: true, afterMs: undefined });
        for (const s of [400, 401, 403, 404, 409])
            assert.deepStrictEqual(classify(err(s)), { retry: false });
        assert.deepStrictEqual(
            classify(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })),
            { retry: true },
        );
        assert.deepStrictEqual(classify(new SyncAbortedError()), { retry: false });
    });

    it("builds one PatchOp body: removes, one add with every member, replaces (active as a string)", () => {
        assert.deepStrictEqual(
            patchBody({
                removeMembers: ["7"],
                addMembers: ["1", "2"],
                displayName: "N",
                active: false,
            }),
            {
                schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                Operations: [
                    { op: "remove", path: 'members[value eq "7"]' },
                    { op: "add", value: { members: [{ value: "1" }, { value: "2" }] } },
                    { op: "replace", path: "displayName", value: "N" },
                    { op: "replace", path: "active", value: "false" },
                ],
            },
        );
    });

    it("bounds concurrency: a semaphore never exceeds its limit and mapPool keeps input order", async () => {
        const sem = new Semaphore(3);
        let active = 0;
        let peak = 0;
        const results = await mapPool(
            Array.from({ length: 20 }, (_, i) => i),
            8,
            (i) =>
                sem.run(async () => {
                    peak = Math.max(peak, ++active);
                    await new Promise((r) => setTimeout(r, 2));
                    active--;
                    return i * 2;
                }),
        );
        assert.deepStrictEqual(
            results,
            Array.from({ length: 20 }, (_, i) => i * 2),
        );
        assert.strictEqual(peak, 3);
        assert.strictEqual(sem.peak, 3);
    });
});
