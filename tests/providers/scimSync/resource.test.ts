/**
 * ScimSync as Pulumi sees it: registration under mocks (type, secrets, version) and the serialized
 * provider text, loaded from the project tree and the way the engine's dynamic-provider host does it.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { mocks } from "../../support/mocks";
import { loadProviderText, loadSerializedProvider } from "../../support/serializedProvider";
import { ScimSync, SCIM_SYNC_PROVIDER_VERSION } from "../../../providers";

const TYPE = "pulumi-nodejs:dynamic/scim:Sync";
const ACCOUNT = "11111111-2222-3333-4444-555555555555";
const TENANT = "99999999-8888-7777-6666-555555555555";
const APP = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const SECRET = "plain-string-client-secret-0001";

function args() {
    return {
        accountId: ACCOUNT,
        tenantId: TENANT,
        groups: ["Data Engineers"],
        graphClientId: APP,
        graphClientSecret: SECRET, // deliberately not pulumi.secret: the resource must wrap it
        databricksToken: pulumi.secret("dapi-token-0002"),
        interval: "6h",
    };
}

describe("ScimSync resource", () => {
    beforeEach(() => mocks.reset());

    it("registers as scim:Sync with secrets wrapped, secret outputs declared (the change lists too: they name people) and the provider version", async () => {
        await mocks.run(() => {
            new ScimSync("sync", args());
        });
        const r = mocks.one(TYPE, "sync");
        assert.ok(
            r.secretInputs.has("graphClientSecret"),
            "a plain-string client secret is stored as a secret",
        );
        assert.ok(r.secretInputs.has("databricksToken"));
        assert.ok(!r.secretInputs.has("graphClientId"));
        assert.strictEqual(r.inputs.version, SCIM_SYNC_PROVIDER_VERSION);
        assert.deepStrictEqual(r.inputs.groups, ["Data Engineers"]);
        assert.strictEqual(r.inputs.interval, "6h");
        assert.deepStrictEqual(
            [...((r.opts as pulumi.CustomResourceOptions).additionalSecretOutputs ?? [])].sort(),
            [
                "changes",
                "databricksClientSecret",
                "databricksToken",
                "graphClientSecret",
                "graphToken",
                "plannedChanges",
            ],
        );
    });

    it("serializes to a small provider that captures no secret, no client and no relative import", async () => {
        const { text } = await loadSerializedProvider(
            () => new ScimSync("sync", args()),
            TYPE,
            "sync",
        );
        assert.ok(text.length < 10_000, `serialized provider is ${text.length} characters`);
        assert.ok(!text.includes(SECRET) && !text.includes("dapi-token-0002"));
        assert.ok(!/require\(["']\.\.?\//.test(text), "no relative require in the serialized text");
        assert.match(text, /azure-databricks-mlops\//);
    });

    it("the serialized provider's check and diff run from the project tree", async () => {
        const { provider } = await loadSerializedProvider(
            () => new ScimSync("sync", args()),
            TYPE,
            "sync",
        );
        const bad = await provider.check!(
            {},
            { accountId: "x", groups: [], interval: "every day" },
        );
        assert.deepStrictEqual(bad.failures!.map((f) => f.property).sort(), [
            "accountId",
            "groups",
            "interval",
        ]);
        const good = await provider.check!({}, { ...args(), databricksToken: "dapi-token-0002" });
        assert.deepStrictEqual(good.failures, []);
        const outs = {
            ...good.inputs,
            lastRunAt: new Date(Date.now() - 7 * 3_600_000).toISOString(),
        };
        for (const k of ["graphClientSecret", "databricksToken"]) delete (outs as any)[k];
        assert.deepStrictEqual(await provider.diff!("id", outs, good.inputs), {
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
        const fresh = { ...outs, lastRunAt: new Date().toISOString() };
        assert.strictEqual((await provider.diff!("id", fresh, good.inputs)).changes, false);
        // delete is a no-op: resolves without touching anything.
        assert.strictEqual(await provider.delete!("id", fresh), undefined);
    });

    it("loads like the engine's host does: require-from-string with no file name, from the program folder", async () => {
        const { text } = await loadSerializedProvider(
            () => new ScimSync("sync", args()),
            TYPE,
            "sync",
        );
        const requireFromString = require("require-from-string");
        // The host compiles the text without a file name, so package self-reference needs the cwd fallback.
        const provider = requireFromString(text).handler() as pulumi.dynamic.ResourceProvider;
        const r = await provider.check!({}, { accountId: ACCOUNT, groups: ["A"] });
        assert.deepStrictEqual(r.failures, []);
        assert.strictEqual(r.inputs.concurrency, 10);
        assert.ok(loadProviderText(text).provider.check, "and from a file in the tree");
    });
});
