/**
 * Replacements that keep their Azure names: azure-native's Create refuses a name that already exists
 * (pulumi-azure-native provider/pkg/provider/crud/crud.go), so such a replacement can only finish when
 * the old resource is deleted first. A private endpoint is replaced by a new subnet
 * (provider/pkg/gen/replacement.go) and keeps its name; a role assignment cannot be updated, and its
 * name does not carry the principal type.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { mocks } from "../support/mocks";
import { COMPUTE_A, USER, validSettings } from "./fixtures";
import { T, deploy, resetRegistryMocks } from "./deploy";

const optsOf = (r: { opts: pulumi.ResourceOptions }) => r.opts as pulumi.CustomResourceOptions;

describe("MlRegistry: replacements of resources with fixed Azure names", () => {
    beforeEach(resetRegistryMocks);

    it("every private endpoint and DNS zone group is deleted before its replacement is created", async () => {
        await deploy({ ...validSettings, replicationLocations: ["westeurope"] });
        const fixed = [...mocks.byType(T.endpoint), ...mocks.byType(T.dns)];
        assert.strictEqual(fixed.length, 8, fixed.map((r) => r.name).join(", "));
        for (const r of fixed)
            assert.strictEqual(
                optsOf(r).deleteBeforeReplace,
                true,
                `${r.name}: deleteBeforeReplace`,
            );
    });

    it("a role assignment is replaced, old one first, when only its principal type changes", async () => {
        await deploy({
            ...validSettings,
            userObjectId: USER,
            computeIdentityPrincipalIds: [COMPUTE_A],
        });
        const assignments = mocks.byType(T.role);
        assert.ok(assignments.length >= 3, assignments.map((r) => r.name).join(", "));
        for (const r of assignments) {
            assert.deepStrictEqual(
                optsOf(r).replaceOnChanges,
                ["principalType"],
                `${r.name}: replaceOnChanges`,
            );
            assert.strictEqual(
                optsOf(r).deleteBeforeReplace,
                true,
                `${r.name}: deleteBeforeReplace`,
            );
        }
    });
});
