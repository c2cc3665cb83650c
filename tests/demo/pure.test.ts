import * as assert from "assert";
import { placeholderFor, stackConfigEnv } from "../../demo/stackConfig";
import { formatInputs, formatTree, formatValue } from "../../demo/tree";

const WIRE = (value: unknown) => ({ secret: true, value });
const opts = {
    isSecretValue: (v: unknown) =>
        typeof v === "object" && v !== null && (v as { secret?: boolean }).secret === true,
};

describe("demo stack config", () => {
    const project = `name: proj\nconfig:\n  proj:size:\n    type: integer\n    default: 3\n  token:\n    type: string\n    default: ""\n  required:\n    description: no default\n`;
    it("applies project defaults, then stack values; namespaces keys; JSON for non-strings", () => {
        const env = stackConfigEnv(
            project,
            `config:\n  proj:size: 5\n  proj:obj:\n    a: [1, 2]\n`,
            "dev",
        );
        assert.deepStrictEqual(env.config, {
            "proj:size": "5",
            "proj:token": "",
            "proj:obj": '{"a":[1,2]}',
        });
        assert.deepStrictEqual(env.secretKeys, []);
    });
    it("replaces secure values (top-level or nested) by placeholders and marks the key secret", () => {
        const env = stackConfigEnv(
            project,
            `config:\n  proj:token:\n    secure: v1:abc\n  proj:creds:\n    a:\n      secret:\n        secure: v1:xyz\n`,
            "dev",
        );
        assert.strictEqual(env.config["proj:token"], placeholderFor("token"));
        assert.deepStrictEqual(JSON.parse(env.config["proj:creds"]), {
            a: { secret: placeholderFor("creds") },
        });
        assert.deepStrictEqual(env.secretKeys, ["proj:creds", "proj:token"]);
    });
});

describe("demo tree", () => {
    const resources = [
        { type: "pulumi:pulumi:Stack", name: "p-dev", inputs: {}, secretInputs: new Set<string>() },
        { type: "x:index:Comp", name: "c", inputs: {}, secretInputs: new Set<string>() },
        {
            type: "x:index/a:A",
            name: "c-a",
            inputs: { s: "hidden", n: 1, __provider: "code" },
            secretInputs: new Set(["s"]),
            parent: "c",
            parentType: "x:index:Comp",
            provider: "prov",
        },
        {
            type: "x:index/b:B",
            name: "c-b",
            inputs: { list: [{ k: WIRE("nested-hidden") }], u: undefined },
            secretInputs: new Set<string>(),
            parent: "c",
            parentType: "x:index:Comp",
        },
    ];
    it("draws the parent tree with providers, masks secrets and skips internal inputs", () => {
        const text = formatTree(resources, opts);
        assert.strictEqual(
            text,
            [
                "pulumi:pulumi:Stack  p-dev",
                "└─ x:index:Comp  c",
                "   ├─ x:index/a:A  c-a  (provider: prov)",
                "   │     s: [secret]",
                "   │     n: 1",
                "   └─ x:index/b:B  c-b",
                '         list: [{"k":[secret]}]',
            ].join("\n"),
        );
        assert.ok(!text.includes("hidden"));
    });
    it("cuts long values", () => {
        assert.deepStrictEqual(
            formatInputs(
                { inputs: { s: "x".repeat(200) }, secretInputs: new Set() },
                { ...opts, maxValueLength: 10 },
            ),
            [`s: "xxxxxxxx…`],
        );
        assert.strictEqual(formatValue({ a: WIRE(1) }, opts), '{"a":[secret]}');
    });
});
