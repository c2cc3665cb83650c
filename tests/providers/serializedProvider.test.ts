import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { mocks } from "../support/mocks";
import { loadSerializedProvider, SERIALIZED_DIR } from "../support/serializedProvider";

// A provider that, like the real ones, requires what it needs inside its methods.
const echoProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: any) {
        const p = require("path") as typeof import("path");
        return {
            id: p.posix.join("echo", inputs.word),
            outs: { ...inputs, shouted: String(inputs.word).toUpperCase() },
        };
    },
};

class Echo extends pulumi.dynamic.Resource {
    constructor(name: string, word: string) {
        super(echoProvider, name, { word, shouted: undefined }, {}, "test", "Echo");
    }
}

class Plain extends pulumi.CustomResource {
    constructor(name: string) {
        super("test:index:Plain", name, {}, {});
    }
}

describe("serialized dynamic provider loader", () => {
    beforeEach(() => mocks.reset());

    it("loads the recorded __provider text and runs its methods", async () => {
        const { provider, text, file } = await loadSerializedProvider(
            () => new Echo("e", "hi"),
            "pulumi-nodejs:dynamic/test:Echo",
            "e",
        );
        assert.match(text, /exports\.handler/);
        assert.ok(file.startsWith(SERIALIZED_DIR) && file.endsWith(".js"));
        const result = await provider.create!({ word: "hi" });
        assert.deepStrictEqual(result, { id: "echo/hi", outs: { word: "hi", shouted: "HI" } });
    });

    it("fails clearly when the resource is not a dynamic resource", async () => {
        await assert.rejects(
            loadSerializedProvider(() => new Plain("p"), "test:index:Plain"),
            /registered no __provider text/,
        );
    });
});
