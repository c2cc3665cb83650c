import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { mocks, settle } from "./mocks";

class Child extends pulumi.CustomResource {
    constructor(name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
        super("test:index:Child", name, props, opts);
    }
}

class Parent extends pulumi.ComponentResource {
    constructor(name: string) {
        super("test:index:Parent", name, {}, {});
        new Child(`${name}-child`, { s: pulumi.secret("x"), p: 1 }, { parent: this });
        this.registerOutputs({});
    }
}

describe("mock recorder", () => {
    beforeEach(() => mocks.reset());

    it("records inputs, secret inputs and parents of every resource", async () => {
        const outs = await mocks.run(() => {
            new Parent("p");
            return { out: pulumi.secret("v") };
        });
        const child = mocks.one("test:index:Child");
        assert.strictEqual(child.parent, "p");
        assert.strictEqual(child.parentType, "test:index:Parent");
        assert.deepStrictEqual(child.inputs, { s: "x", p: 1 });
        assert.ok(child.secretInputs.has("s") && !child.secretInputs.has("p"));
        assert.strictEqual(child.id, "mocked::test:index:Child::p-child");
        assert.strictEqual(outs.out, "v");
    });

    it("settle() reports secrecy", async () => {
        assert.deepStrictEqual(await settle(pulumi.secret(3)), { value: 3, secret: true });
        assert.deepStrictEqual(await settle(pulumi.output("a")), { value: "a", secret: false });
    });
});
