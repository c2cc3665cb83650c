import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { checkWhenKnown } from "../../core/deferredCheck";
import { checkRegistryDnsZoneId, checkSubnetId } from "../../mlRegistry/validation";
import { SUBNET_ID, ZONE_ID } from "./fixtures";

/** The Output's settled promise (the SDK's internal accessor, as Pulumi's own tests use). */
const promiseOf = <T>(o: pulumi.Input<T>) =>
    (pulumi.output(o) as unknown as { promise(): Promise<T> }).promise();

describe("checks on values only known at deployment", () => {
    it("returns plain values as they are (the validator has checked them already)", () => {
        assert.strictEqual(
            checkWhenKnown("anything", "subnetId", checkSubnetId, "t", "n"),
            "anything",
        );
    });

    it("lets a good Output through unchanged", async () => {
        assert.strictEqual(
            await promiseOf(
                checkWhenKnown(pulumi.output(SUBNET_ID), "subnetId", checkSubnetId, "t", "n"),
            ),
            SUBNET_ID,
        );
    });

    it("fails a bad Output with the same InputPropertiesError text once it resolves", async () => {
        const notebooks = ZONE_ID.replace("api.azureml.ms", "notebooks.azure.net");
        await assert.rejects(
            promiseOf(
                checkWhenKnown(
                    pulumi.output(notebooks),
                    "privateDnsZoneId",
                    checkRegistryDnsZoneId,
                    "azure-databricks-mlops:index:MlRegistry",
                    "reg",
                ),
            ),
            (err: Error) => {
                assert.ok(pulumi.InputPropertiesError.isInstance(err), `got ${err}`);
                assert.match(
                    err.message,
                    /MlRegistry "reg":\n  - privateDnsZoneId: must be the id of the privatelink\.api\.azureml\.ms zone/,
                );
                return true;
            },
        );
    });
});
