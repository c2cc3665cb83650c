import * as assert from "assert";
import { mocks } from "../support/mocks";
import { loadSerializedProvider } from "../support/serializedProvider";
import {
    nextRotation,
    rotateNow,
    rotationChanges,
    rotationDue,
    TokenRotation,
} from "../../providers/tokenRotation";

const DAY = 86_400_000;
const T0 = Date.parse("2026-01-01T00:00:00.000Z");

describe("TokenRotation clock (pure rules)", () => {
    it("a fresh rotation is due exactly rotationDays later", () => {
        const s = rotateNow(90, T0, "1");
        assert.deepStrictEqual(s, {
            rotationDays: 90,
            version: "1",
            rotatedAt: "2026-01-01T00:00:00.000Z",
            rotateAfter: "2026-04-01T00:00:00.000Z",
        });
        assert.strictEqual(rotationDue(s, T0 + 90 * DAY - 1), false);
        assert.strictEqual(rotationDue(s, T0 + 90 * DAY), true);
        assert.strictEqual(rotationDue({}, T0), true, "an unreadable date rotates");
    });

    it("diff reports no change before the date and a rotatedAt change after it", () => {
        const s = rotateNow(90, T0, "1");
        assert.deepStrictEqual(
            rotationChanges(s, { rotationDays: 90, version: "1" }, T0 + 89 * DAY),
            [],
        );
        assert.deepStrictEqual(
            rotationChanges(s, { rotationDays: 90, version: "1" }, T0 + 91 * DAY),
            ["rotatedAt"],
        );
        assert.deepStrictEqual(rotationChanges(s, { rotationDays: 30, version: "2" }, T0 + DAY), [
            "rotationDays",
            "version",
        ]);
    });

    it("update after the date rotates: new rotatedAt and rotateAfter", () => {
        const s = rotateNow(90, T0);
        const n = nextRotation(s, { rotationDays: 90 }, T0 + 91 * DAY);
        assert.strictEqual(n.rotatedAt, new Date(T0 + 91 * DAY).toISOString());
        assert.strictEqual(n.rotateAfter, new Date(T0 + 181 * DAY).toISOString());
    });

    it("a changed period keeps rotatedAt (no token replacement) unless the new period has already run out", () => {
        const s = rotateNow(90, T0);
        const longer = nextRotation(s, { rotationDays: 95 }, T0 + 10 * DAY);
        assert.deepStrictEqual(
            [longer.rotatedAt, longer.rotateAfter],
            [s.rotatedAt, new Date(T0 + 95 * DAY).toISOString()],
        );
        const shorter = nextRotation(s, { rotationDays: 5 }, T0 + 10 * DAY);
        assert.strictEqual(shorter.rotatedAt, new Date(T0 + 10 * DAY).toISOString());
    });
});

describe("TokenRotation resource", () => {
    beforeEach(() => mocks.reset());

    it("registers as rotation:Clock with the period and a provider version", async () => {
        await mocks.run(() => {
            new TokenRotation("r", { rotationDays: 45 });
        });
        const r = mocks.one("pulumi-nodejs:dynamic/rotation:Clock", "r");
        assert.strictEqual(r.inputs.rotationDays, 45);
        assert.strictEqual(r.inputs.version, "1");
    });

    it("its serialized provider (as stored in state) creates, diffs and rotates by the clock", async () => {
        const { provider, text } = await loadSerializedProvider(
            () => new TokenRotation("r", { rotationDays: 1 }),
            "pulumi-nodejs:dynamic/rotation:Clock",
            "r",
        );
        assert.ok(!/require\("\.\.?\//.test(text), "no relative import in the serialized provider");
        assert.deepStrictEqual(await provider.check!({}, { rotationDays: 0 }), {
            failures: [
                { property: "rotationDays", reason: "must be a positive number of days, got 0" },
            ],
        });
        // A period given as an Output is unknown at preview: the engine sends its placeholder, which must pass.
        const unknown = { rotationDays: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", version: "1" };
        assert.deepStrictEqual(await provider.check!({}, unknown), { inputs: unknown });
        const created = await provider.create!({ rotationDays: 1, version: "1" });
        const outs = created.outs!;
        assert.ok(Math.abs(Date.parse(outs.rotateAfter) - Date.parse(outs.rotatedAt) - DAY) < 5);
        assert.deepStrictEqual(
            await provider.diff!(created.id, outs, { rotationDays: 1, version: "1" }),
            { changes: false, replaces: [] },
        );
        const old = {
            ...outs,
            rotatedAt: new Date(Date.now() - 2 * DAY).toISOString(),
            rotateAfter: new Date(Date.now() - DAY).toISOString(),
        };
        assert.deepStrictEqual(
            await provider.diff!(created.id, old, { rotationDays: 1, version: "1" }),
            { changes: true, replaces: [] },
        );
        const updated = await provider.update!(created.id, old, { rotationDays: 1, version: "1" });
        assert.ok(
            Date.parse(updated.outs!.rotatedAt) > Date.parse(old.rotatedAt),
            "a new rotatedAt triggers the token's replacement",
        );
    });

    it("has no delete: a stack upgraded from the clock-based rotation deletes its old clocks as a no-op", async () => {
        // The engine deletes a resource removed from the program with the provider text stored in its
        // state; the dynamic-provider host calls delete only `if (provider.delete)`
        // (@pulumi/pulumi cmd/dynamic-provider/index.js), so nothing is called and nothing can fail.
        const { provider } = await loadSerializedProvider(
            () => new TokenRotation("r", { rotationDays: 1 }),
            "pulumi-nodejs:dynamic/rotation:Clock",
            "r",
        );
        assert.strictEqual(provider.delete, undefined);
    });
});
