import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
    ConfigError,
    Problems,
    checkDatabricksHost,
    checkGuid,
    describe as describeValue,
} from "../../core/problems";

describe("config problems", () => {
    it("collects every problem and throws one ConfigError naming each key", () => {
        const p = new Problems();
        checkGuid(p, "proj:a", "not-a-guid");
        checkDatabricksHost(p, "proj:b", "http://adb-1.2.azuredatabricks.net");
        assert.throws(
            () => p.throwIfAny(),
            (e: unknown) =>
                e instanceof ConfigError &&
                e.problems.length === 2 &&
                /proj:a: must be a GUID/.test(e.message) &&
                /proj:b: must be an https:\/\/ Azure Databricks workspace URL/.test(e.message),
        );
    });

    it("accepts valid GUIDs and workspace URLs and throws nothing", () => {
        const p = new Problems();
        assert.ok(checkGuid(p, "k", "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d"));
        assert.ok(
            checkDatabricksHost(p, "h", "https://adb-1234567890123456.7.azuredatabricks.net"),
        );
        p.throwIfAny();
    });

    it("raises InputPropertiesError with one entry per property for components", () => {
        const p = new Problems();
        p.add("subnetId", "must be a subnet resource id");
        assert.throws(
            () => p.throwAsInputErrors("azure-databricks-mlops:index:MlRegistry", "reg"),
            (e: unknown) =>
                pulumi.InputPropertiesError.isInstance(e) &&
                /subnetId: must be a subnet/.test((e as Error).message),
        );
    });

    it("never echoes long values, which may be pasted secrets", () => {
        assert.strictEqual(describeValue("x".repeat(81)), "a 81-character string");
        assert.strictEqual(describeValue(undefined), "nothing (it is not set)");
    });

    it("never echoes a short value shaped like a client secret, an AAD token or a PAT", () => {
        const secret = "Abc8Q~t3stS3cretValueThatIsFortyCharsXy1"; // Entra client secret value shape
        const jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.c2ln";
        const pat = "dapi0123456789abcdef0123456789abcdef";
        const bearer = `Bearer ${jwt}`; // a token inside a short value, not at its start
        for (const v of [secret, jwt, pat, bearer]) {
            assert.strictEqual(
                describeValue(v),
                `a ${v.length}-character string shaped like a secret (not shown)`,
            );
            const p = new Problems();
            checkGuid(p, "servicePrincipals.staging.clientId", v, "client (application) id");
            assert.ok(!p.items[0].reason.includes(v), p.items[0].reason);
        }
        assert.strictEqual(
            describeValue("my-app"),
            '"my-app"',
            "ordinary short values are still quoted",
        );
        assert.strictEqual(describeValue("contoso.onmicrosoft.com"), '"contoso.onmicrosoft.com"');
    });
});
