import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { MOCK_SUBSCRIPTION, mocks } from "../mocks";
import { MlRegistry } from "../../components/mlRegistry";
import { ACR_ZONE_ID, BLOB_ZONE_ID, SUBNET_ID, ZONE_ID, validSettings } from "./fixtures";
import { REGISTRY_ID, T, TYPE, deploy, resetRegistryMocks } from "./deploy";

// The ids the mock engine reports, like Azure, for the resources it creates in the managed resource group.
const MANAGED_RG = `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/azureml-rg-amlrsharedeus2x7k2_00000000-0000-4000-8000-0000000000ee`;
const STORAGE = {
    eastus2: `${MANAGED_RG}/providers/Microsoft.Storage/storageAccounts/stamlrsharedeus2x7k2east`,
    westeurope: `${MANAGED_RG}/providers/Microsoft.Storage/storageAccounts/stamlrsharedeus2x7k2west`,
};
const ACR = {
    eastus2: `${MANAGED_RG}/providers/Microsoft.ContainerRegistry/registries/acramlrsharedeus2x7k2eastus2`,
    westeurope: `${MANAGED_RG}/providers/Microsoft.ContainerRegistry/registries/acramlrsharedeus2x7k2westeurope`,
};
const twoRegions = { ...validSettings, replicationLocations: ["westeurope"] };

describe("MlRegistry private end to end: endpoints to each region's managed storage and ACR (under mocks)", () => {
    beforeEach(resetRegistryMocks);

    it("a registry with two regions registers the registry endpoint plus a blob and an ACR endpoint per region, each with its DNS zone group", async () => {
        await deploy(twoRegions);
        const endpoints = mocks.byType(T.endpoint).map((r) => r.name).sort();
        assert.deepStrictEqual(endpoints, ["reg-acr-endpoint", "reg-blob-endpoint", "reg-endpoint", "reg-westeurope-acr-endpoint", "reg-westeurope-blob-endpoint"]);
        const zoneGroups = mocks.byType(T.dns).map((r) => [r.name, r.inputs.privateEndpointName, r.inputs.privateDnsZoneConfigs]);
        assert.deepStrictEqual(zoneGroups.sort(), [
            ["reg-acr-dns", "peamlrsharedeus2x7k2eastus2registry", [{ name: "privatelink-azurecr-io", privateDnsZoneId: ACR_ZONE_ID }]],
            ["reg-blob-dns", "peamlrsharedeus2x7k2eastus2blob", [{ name: "privatelink-blob-core-windows-net", privateDnsZoneId: BLOB_ZONE_ID }]],
            ["reg-dns", "peamlrsharedeus2x7k2amlregistry", [{ name: "privatelink-api-azureml-ms", privateDnsZoneId: ZONE_ID }]],
            ["reg-westeurope-acr-dns", "peamlrsharedeus2x7k2westeuroperegistry", [{ name: "privatelink-azurecr-io", privateDnsZoneId: ACR_ZONE_ID }]],
            ["reg-westeurope-blob-dns", "peamlrsharedeus2x7k2westeuropeblob", [{ name: "privatelink-blob-core-windows-net", privateDnsZoneId: BLOB_ZONE_ID }]],
        ]);
        for (const r of [...mocks.byType(T.endpoint), ...mocks.byType(T.dns)]) {
            assert.deepStrictEqual([r.parent, r.parentType], ["reg", TYPE], `${r.name}'s parent`);
            assert.strictEqual(r.inputs.resourceGroupName, "rg-aml-reg-shared-eus2", `${r.name} is in the user's resource group, never the managed one`);
        }
    });

    it("targets the storage account (group blob) and the ACR (group registry) the registry reports for each region", async () => {
        await deploy(twoRegions);
        const connection = (n: string) => mocks.one(T.endpoint, n).inputs.privateLinkServiceConnections;
        assert.deepStrictEqual(connection("reg-blob-endpoint"), [{ name: "pecamlrsharedeus2x7k2eastus2blob", privateLinkServiceId: STORAGE.eastus2, groupIds: ["blob"] }]);
        assert.deepStrictEqual(connection("reg-westeurope-blob-endpoint"), [{ name: "pecamlrsharedeus2x7k2westeuropeblob", privateLinkServiceId: STORAGE.westeurope, groupIds: ["blob"] }]);
        assert.deepStrictEqual(connection("reg-acr-endpoint"), [{ name: "pecamlrsharedeus2x7k2eastus2registry", privateLinkServiceId: ACR.eastus2, groupIds: ["registry"] }]);
        assert.deepStrictEqual(connection("reg-westeurope-acr-endpoint"), [{ name: "pecamlrsharedeus2x7k2westeuroperegistry", privateLinkServiceId: ACR.westeurope, groupIds: ["registry"] }]);
        assert.deepStrictEqual(connection("reg-endpoint"), [{ name: "pecamlrsharedeus2x7k2amlregistry", privateLinkServiceId: REGISTRY_ID, groupIds: ["amlregistry"] }]);
    });

    it("puts every managed endpoint in the subnet and the endpoints' region, with its own NIC name and the tags", async () => {
        await deploy({ ...twoRegions, privateEndpointLocation: "westus2" });
        for (const n of ["reg-blob-endpoint", "reg-acr-endpoint", "reg-westeurope-blob-endpoint", "reg-westeurope-acr-endpoint"]) {
            const pe = mocks.one(T.endpoint, n).inputs;
            assert.strictEqual(pe.subnet.id, SUBNET_ID, n);
            assert.strictEqual(pe.location, "westus2", `${n}: the virtual network's region, not the registry region it reaches`);
            assert.strictEqual(pe.customNetworkInterfaceName, `nic${pe.privateEndpointName}`, n);
            assert.deepStrictEqual(pe.tags, validSettings.tags, n);
        }
    });

    it("exports the managed endpoints' ids by region", async () => {
        const out = await deploy(twoRegions);
        assert.deepStrictEqual(out.storagePrivateEndpointIds, {
            eastus2: `mocked::${T.endpoint}::reg-blob-endpoint`,
            westeurope: `mocked::${T.endpoint}::reg-westeurope-blob-endpoint`,
        });
        assert.deepStrictEqual(out.acrPrivateEndpointIds, {
            eastus2: `mocked::${T.endpoint}::reg-acr-endpoint`,
            westeurope: `mocked::${T.endpoint}::reg-westeurope-acr-endpoint`,
        });
    });

    it("managedResourcePrivateEndpoints: false leaves only the registry's endpoint and needs no blob or ACR zone", async () => {
        const out = await deploy({ ...twoRegions, managedResourcePrivateEndpoints: false, blobPrivateDnsZoneId: undefined, acrPrivateDnsZoneId: undefined, acrSku: "Standard" });
        assert.deepStrictEqual(mocks.byType(T.endpoint).map((r) => r.name), ["reg-endpoint"]);
        assert.deepStrictEqual(mocks.byType(T.dns).map((r) => r.name), ["reg-dns"]);
        assert.deepStrictEqual([out.storagePrivateEndpointIds, out.acrPrivateEndpointIds], [{}, {}]);
        assert.ok(mocks.one(T.registry).inputs.regionDetails.every((r: any) => r.acrDetails[0].systemCreatedAcrAccount.acrAccountSku === "Standard"));
    });

    it("refuses a registry without the blob and ACR zones (an upgraded stack's config) before registering anything, naming both inputs and the opt-out", async () => {
        await assert.rejects(deploy({ ...validSettings, blobPrivateDnsZoneId: undefined, acrPrivateDnsZoneId: undefined }), (err: Error) => {
            assert.ok(pulumi.InputPropertiesError.isInstance(err), `got ${err}`);
            assert.match(err.message, /- blobPrivateDnsZoneId: is required: .*privatelink\.blob\.core\.windows\.net zone; give that zone's id, or set managedResourcePrivateEndpoints: false/);
            assert.match(err.message, /- acrPrivateDnsZoneId: is required: .*privatelink\.azurecr\.io zone/);
            return true;
        });
        assert.deepStrictEqual(mocks.resources.filter((r) => !r.type.startsWith("pulumi:")).map((r) => r.name), [], "nothing is registered, the component included");
    });

    it("takes a primary location that is an Output (names and targets follow it once known)", async () => {
        await deploy({ ...validSettings, location: pulumi.output("eastus2") });
        assert.strictEqual(mocks.one(T.endpoint, "reg-blob-endpoint").inputs.privateEndpointName, "peamlrsharedeus2x7k2eastus2blob");
        assert.strictEqual(mocks.one(T.endpoint, "reg-blob-endpoint").inputs.privateLinkServiceConnections[0].privateLinkServiceId, STORAGE.eastus2);
    });

    it("fails the deployment naming the region and the field when the registry reports no ACR id for a region", async () => {
        const taken: unknown[] = [];
        await mocks.run(() => {
            new MlRegistry("reg", twoRegions, {
                transformations: [
                    (a) => {
                        // The registry as Azure might answer mid-provisioning: no ACR details for westeurope.
                        if (a.type === T.registry) {
                            const regionDetails = a.props.regionDetails.map((r: any) => (r.location === "westeurope" ? { ...r, acrDetails: [] } : r));
                            return { props: { ...a.props, regionDetails }, opts: a.opts };
                        }
                        if (a.type !== T.endpoint || a.name !== "reg-westeurope-acr-endpoint") return undefined;
                        taken.push(a.props.privateLinkServiceConnections[0].privateLinkServiceId);
                        const connections = [{ ...a.props.privateLinkServiceConnections[0], privateLinkServiceId: "fixed" }];
                        return { props: { ...a.props, privateLinkServiceConnections: connections }, opts: a.opts };
                    },
                ],
            });
        });
        assert.strictEqual(taken.length, 1);
        await assert.rejects((pulumi.output(taken[0]) as unknown as { promise(): Promise<unknown> }).promise(), (err: Error) => {
            assert.match(err.message, /MlRegistry "reg": the registry reports no container registry id for region westeurope \(regionDetails\[\]\.acrDetails\[0\]\.systemCreatedAcrAccount\.armResourceId\)/);
            return true;
        });
        assert.strictEqual(mocks.one(T.endpoint, "reg-acr-endpoint").inputs.privateLinkServiceConnections[0].privateLinkServiceId, ACR.eastus2, "the other region is unaffected");
    });
});
