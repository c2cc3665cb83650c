import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { MOCK_SUBSCRIPTION, mocks } from "../support/mocks";
import { MlRegistry } from "../../mlRegistry/mlRegistry";
import { ACR_ZONE_ID, BLOB_ZONE_ID, SUBNET_ID, ZONE_ID, validSettings } from "./fixtures";
import { REGISTRY_ID, T, TYPE, deploy, resetRegistryMocks } from "./deploy";
import { registryState } from "../../demo/registryState";
import { extraAcrEndpointNames } from "../../mlRegistry/naming";

// The ids the mock engine reports, like Azure, for the resources it creates in the managed resource group.
const MANAGED_RG = `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/azureml-rg-amlrsharedeus2x7k2_00000000-0000-4000-8000-0000000000ee`;
const STORAGE = {
    eastus2: `${MANAGED_RG}/providers/Microsoft.Storage/storageAccounts/stamlrsharedeus2x7k2east`,
    westeurope: `${MANAGED_RG}/providers/Microsoft.Storage/storageAccounts/stamlrsharedeus2x7k2west`,
};
// The registry's one ACR, geo-replicated to every region: the mocks report it, like the azure-ai-ml SDK
// shapes it, with the same id in every region's details (demo/registryState.ts).
const ACR_NAME = "acramlrsharedeus2x7k2eastus2";
const ACR = `${MANAGED_RG}/providers/Microsoft.ContainerRegistry/registries/${ACR_NAME}`;
const twoRegions = { ...validSettings, replicationLocations: ["westeurope"] };
const threeRegions = { ...validSettings, replicationLocations: ["westeurope", "northeurope"] };

/** Makes the mock registry report, per region, the ACR details `acr(region, reported)` returns. */
function reportAcr(acr: (region: string, reported: any[]) => any[]): void {
    mocks.onNewResource(T.registry, (a) => {
        const state = registryState(a.name, a.inputs);
        return {
            ...state,
            regionDetails: state.regionDetails.map((r: any) => ({
                ...r,
                acrDetails: acr(r.location, r.acrDetails),
            })),
        };
    });
}
const acrAt = (id: string) => [
    { systemCreatedAcrAccount: { acrAccountSku: "Premium", armResourceId: { resourceId: id } } },
];

describe("MlRegistry private end to end: endpoints to each region's managed storage and to the registry's one ACR (under mocks)", () => {
    beforeEach(resetRegistryMocks);
    afterEach(() => mocks.onNewResource(T.registry, undefined));

    it("a registry with two regions registers the registry endpoint, a blob endpoint per region and one ACR endpoint, each with its DNS zone group", async () => {
        await deploy(twoRegions);
        const endpoints = mocks
            .byType(T.endpoint)
            .map((r) => r.name)
            .sort();
        assert.deepStrictEqual(endpoints, [
            "reg-acr-endpoint",
            "reg-blob-endpoint",
            "reg-endpoint",
            "reg-westeurope-blob-endpoint",
        ]);
        const zoneGroups = mocks
            .byType(T.dns)
            .map((r) => [r.name, r.inputs.privateEndpointName, r.inputs.privateDnsZoneConfigs]);
        assert.deepStrictEqual(zoneGroups.sort(), [
            [
                "reg-acr-dns",
                "peamlrsharedeus2x7k2eastus2registry",
                [{ name: "privatelink-azurecr-io", privateDnsZoneId: ACR_ZONE_ID }],
            ],
            [
                "reg-blob-dns",
                "peamlrsharedeus2x7k2eastus2blob",
                [{ name: "privatelink-blob-core-windows-net", privateDnsZoneId: BLOB_ZONE_ID }],
            ],
            [
                "reg-dns",
                "peamlrsharedeus2x7k2amlregistry",
                [{ name: "privatelink-api-azureml-ms", privateDnsZoneId: ZONE_ID }],
            ],
            [
                "reg-westeurope-blob-dns",
                "peamlrsharedeus2x7k2westeuropeblob",
                [{ name: "privatelink-blob-core-windows-net", privateDnsZoneId: BLOB_ZONE_ID }],
            ],
        ]);
        for (const r of [...mocks.byType(T.endpoint), ...mocks.byType(T.dns)]) {
            assert.deepStrictEqual([r.parent, r.parentType], ["reg", TYPE], `${r.name}'s parent`);
            assert.strictEqual(
                r.inputs.resourceGroupName,
                "rg-aml-reg-shared-eus2",
                `${r.name} is in the user's resource group, never the managed one`,
            );
        }
    });

    it("targets each region's storage account (group blob) and the registry's ACR (group registry) as the registry reports them", async () => {
        await deploy(twoRegions);
        const connection = (n: string) =>
            mocks.one(T.endpoint, n).inputs.privateLinkServiceConnections;
        assert.deepStrictEqual(connection("reg-blob-endpoint"), [
            {
                name: "pecamlrsharedeus2x7k2eastus2blob",
                privateLinkServiceId: STORAGE.eastus2,
                groupIds: ["blob"],
            },
        ]);
        assert.deepStrictEqual(connection("reg-westeurope-blob-endpoint"), [
            {
                name: "pecamlrsharedeus2x7k2westeuropeblob",
                privateLinkServiceId: STORAGE.westeurope,
                groupIds: ["blob"],
            },
        ]);
        // The resource name and Azure names of the primary region's ACR endpoint: an existing stack keeps it as is.
        assert.deepStrictEqual(connection("reg-acr-endpoint"), [
            {
                name: "pecamlrsharedeus2x7k2eastus2registry",
                privateLinkServiceId: ACR,
                groupIds: ["registry"],
            },
        ]);
        assert.strictEqual(
            mocks.one(T.endpoint, "reg-acr-endpoint").inputs.privateEndpointName,
            "peamlrsharedeus2x7k2eastus2registry",
        );
        assert.deepStrictEqual(connection("reg-endpoint"), [
            {
                name: "pecamlrsharedeus2x7k2amlregistry",
                privateLinkServiceId: REGISTRY_ID,
                groupIds: ["amlregistry"],
            },
        ]);
    });

    it("replica regions that report no ACR (Azure gives the one ACR in the primary region's details) fail nothing: one ACR endpoint", async () => {
        reportAcr((region, reported) => (region === "eastus2" ? reported : []));
        const out = await deploy(threeRegions);
        assert.deepStrictEqual(
            mocks
                .byType(T.endpoint)
                .filter((r) => r.inputs.privateLinkServiceConnections[0].groupIds[0] === "registry")
                .map((r) => r.name),
            ["reg-acr-endpoint"],
        );
        assert.strictEqual(
            mocks.one(T.endpoint, "reg-acr-endpoint").inputs.privateLinkServiceConnections[0]
                .privateLinkServiceId,
            ACR,
        );
        assert.deepStrictEqual(out.acrPrivateEndpointIds, {
            [ACR_NAME]: `mocked::${T.endpoint}::reg-acr-endpoint`,
        });
    });

    it("one ACR reported in every region, in any case (ARM ids are case-insensitive), gets one endpoint and one zone group", async () => {
        reportAcr((region) =>
            acrAt(
                region === "northeurope"
                    ? ACR.toUpperCase()
                    : region === "westeurope"
                      ? ACR.replace("/resourceGroups/", "/resourcegroups/")
                      : ACR,
            ),
        );
        const out = await deploy(threeRegions);
        const acrEndpoints = mocks
            .byType(T.endpoint)
            .filter((r) => r.inputs.privateLinkServiceConnections[0].groupIds[0] === "registry");
        assert.deepStrictEqual(
            acrEndpoints.map((r) => [
                r.name,
                r.inputs.privateLinkServiceConnections[0].privateLinkServiceId,
            ]),
            [["reg-acr-endpoint", ACR]],
            "the primary region's spelling",
        );
        assert.deepStrictEqual(
            mocks
                .byType(T.dns)
                .filter((r) => r.inputs.privateDnsZoneConfigs[0].privateDnsZoneId === ACR_ZONE_ID)
                .map((r) => r.name),
            ["reg-acr-dns"],
        );
        assert.deepStrictEqual(
            Object.keys(out.storagePrivateEndpointIds).sort(),
            ["eastus2", "northeurope", "westeurope"],
            "blob stays per region",
        );
        assert.deepStrictEqual(out.acrPrivateEndpointIds, {
            [ACR_NAME]: `mocked::${T.endpoint}::reg-acr-endpoint`,
        });
    });

    it("a second distinct ACR, should Azure report one, gets its own endpoint and zone group, keyed by its name", async () => {
        const other = `${MANAGED_RG}/providers/Microsoft.ContainerRegistry/registries/acrSecond`;
        reportAcr((region) => acrAt(region === "westeurope" ? other : ACR));
        const out = await deploy(twoRegions);
        const pe = mocks.one(T.endpoint, "reg-acr-acrsecond-endpoint").inputs;
        const names = extraAcrEndpointNames("amlrsharedeus2x7k2", other);
        assert.match(names.privateEndpoint, /^peamlrsharedeus2x7k2acr[0-9a-f]{8}registry$/);
        assert.deepStrictEqual(
            [
                pe.privateEndpointName,
                pe.customNetworkInterfaceName,
                pe.privateLinkServiceConnections,
                pe.subnet.id,
                pe.resourceGroupName,
            ],
            [
                names.privateEndpoint,
                names.networkInterface,
                [
                    {
                        name: names.privateLinkConnection,
                        privateLinkServiceId: other,
                        groupIds: ["registry"],
                    },
                ],
                SUBNET_ID,
                "rg-aml-reg-shared-eus2",
            ],
        );
        assert.deepStrictEqual(
            mocks.one(T.dns, "reg-acr-acrsecond-dns").inputs.privateEndpointName,
            names.privateEndpoint,
        );
        assert.deepStrictEqual(
            [
                mocks.one(T.dns, "reg-acr-acrsecond-dns").parent,
                mocks.one(T.endpoint, "reg-acr-acrsecond-endpoint").parent,
            ],
            ["reg", "reg"],
        );
        assert.deepStrictEqual(out.acrPrivateEndpointIds, {
            [ACR_NAME]: `mocked::${T.endpoint}::reg-acr-endpoint`,
            acrsecond: `mocked::${T.endpoint}::reg-acr-acrsecond-endpoint`,
        });
    });

    it("puts every managed endpoint in the subnet and the endpoints' region, with its own NIC name and the tags", async () => {
        await deploy({ ...twoRegions, privateEndpointLocation: "westus2" });
        for (const n of ["reg-blob-endpoint", "reg-acr-endpoint", "reg-westeurope-blob-endpoint"]) {
            const pe = mocks.one(T.endpoint, n).inputs;
            assert.strictEqual(pe.subnet.id, SUBNET_ID, n);
            assert.strictEqual(
                pe.location,
                "westus2",
                `${n}: the virtual network's region, not the registry region it reaches`,
            );
            assert.strictEqual(pe.customNetworkInterfaceName, `nic${pe.privateEndpointName}`, n);
            assert.deepStrictEqual(pe.tags, validSettings.tags, n);
        }
    });

    it("exports the storage endpoints' ids by region and the ACR endpoint's id by ACR name", async () => {
        const out = await deploy(twoRegions);
        assert.deepStrictEqual(out.storagePrivateEndpointIds, {
            eastus2: `mocked::${T.endpoint}::reg-blob-endpoint`,
            westeurope: `mocked::${T.endpoint}::reg-westeurope-blob-endpoint`,
        });
        assert.deepStrictEqual(
            out.acrPrivateEndpointIds,
            { [ACR_NAME]: `mocked::${T.endpoint}::reg-acr-endpoint` },
            "the one ACR's endpoint, keyed by the ACR's name",
        );
    });

    it("managedResourcePrivateEndpoints: false leaves only the registry's endpoint and needs no blob or ACR zone", async () => {
        const out = await deploy({
            ...twoRegions,
            managedResourcePrivateEndpoints: false,
            blobPrivateDnsZoneId: undefined,
            acrPrivateDnsZoneId: undefined,
            acrSku: "Standard",
        });
        assert.deepStrictEqual(
            mocks.byType(T.endpoint).map((r) => r.name),
            ["reg-endpoint"],
        );
        assert.deepStrictEqual(
            mocks.byType(T.dns).map((r) => r.name),
            ["reg-dns"],
        );
        assert.deepStrictEqual(
            [out.storagePrivateEndpointIds, out.acrPrivateEndpointIds],
            [{}, {}],
        );
        assert.ok(
            mocks
                .one(T.registry)
                .inputs.regionDetails.every(
                    (r: any) =>
                        r.acrDetails[0].systemCreatedAcrAccount.acrAccountSku === "Standard",
                ),
        );
    });

    it("refuses a registry without the blob and ACR zones (an upgraded stack's config) before registering anything, naming both inputs and the opt-out", async () => {
        await assert.rejects(
            deploy({
                ...validSettings,
                blobPrivateDnsZoneId: undefined,
                acrPrivateDnsZoneId: undefined,
            }),
            (err: Error) => {
                assert.ok(pulumi.InputPropertiesError.isInstance(err), `got ${err}`);
                assert.match(
                    err.message,
                    /- blobPrivateDnsZoneId: is required: .*privatelink\.blob\.core\.windows\.net zone; give that zone's id, or set managedResourcePrivateEndpoints: false/,
                );
                assert.match(
                    err.message,
                    /- acrPrivateDnsZoneId: is required: .*privatelink\.azurecr\.io zone/,
                );
                return true;
            },
        );
        assert.deepStrictEqual(
            mocks.resources.filter((r) => !r.type.startsWith("pulumi:")).map((r) => r.name),
            [],
            "nothing is registered, the component included",
        );
    });

    it("takes a primary location that is an Output (names and targets follow it once known)", async () => {
        await deploy({ ...validSettings, location: pulumi.output("eastus2") });
        assert.strictEqual(
            mocks.one(T.endpoint, "reg-blob-endpoint").inputs.privateEndpointName,
            "peamlrsharedeus2x7k2eastus2blob",
        );
        assert.strictEqual(
            mocks.one(T.endpoint, "reg-blob-endpoint").inputs.privateLinkServiceConnections[0]
                .privateLinkServiceId,
            STORAGE.eastus2,
        );
        assert.strictEqual(
            mocks.one(T.endpoint, "reg-acr-endpoint").inputs.privateEndpointName,
            "peamlrsharedeus2x7k2eastus2registry",
        );
    });

    it("fails the deployment naming the field when the registry reports no ACR id in any region", async () => {
        reportAcr(() => []);
        const taken: unknown[] = [];
        await mocks.run(() => {
            new MlRegistry("reg", twoRegions, {
                transformations: [
                    (a) => {
                        if (a.type !== T.endpoint || a.name !== "reg-acr-endpoint")
                            return undefined;
                        taken.push(a.props.privateLinkServiceConnections[0].privateLinkServiceId);
                        const connections = [
                            {
                                ...a.props.privateLinkServiceConnections[0],
                                privateLinkServiceId: "fixed",
                            },
                        ];
                        return {
                            props: { ...a.props, privateLinkServiceConnections: connections },
                            opts: a.opts,
                        };
                    },
                ],
            });
        });
        assert.strictEqual(taken.length, 1);
        await assert.rejects(
            (pulumi.output(taken[0]) as unknown as { promise(): Promise<unknown> }).promise(),
            (err: Error) => {
                assert.match(
                    err.message,
                    /MlRegistry "reg": the registry reports no container registry id in any region, primary eastus2 included \(regionDetails\[\]\.acrDetails\[0\]\.systemCreatedAcrAccount\.armResourceId\)/,
                );
                return true;
            },
        );
        assert.strictEqual(
            mocks.one(T.endpoint, "reg-westeurope-blob-endpoint").inputs
                .privateLinkServiceConnections[0].privateLinkServiceId,
            STORAGE.westeurope,
            "the storage endpoints are unaffected",
        );
    });
});
