/** Valid MlRegistry settings shared by the registry tests. */
export const SUB = "00000000-1111-2222-3333-444444444444";
export const USER = "aaaaaaaa-bbbb-cccc-dddd-000000000001";
export const COMPUTE_A = "aaaaaaaa-bbbb-cccc-dddd-00000000000a";
export const COMPUTE_B = "aaaaaaaa-bbbb-cccc-dddd-00000000000b";
export const SUBNET_ID = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe`;
export const ZONE_ID = `/subscriptions/${SUB}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms`;
export const BLOB_ZONE_ID = `/subscriptions/${SUB}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net`;
export const ACR_ZONE_ID = `/subscriptions/${SUB}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io`;

export const validSettings = {
    purpose: "shared",
    location: "eastus2",
    locationCode: "eus2",
    suffix: "x7k2",
    subnetId: SUBNET_ID,
    privateDnsZoneId: ZONE_ID,
    blobPrivateDnsZoneId: BLOB_ZONE_ID,
    acrPrivateDnsZoneId: ACR_ZONE_ID,
    userObjectId: USER,
    computeIdentityPrincipalIds: [COMPUTE_A, COMPUTE_B],
    tags: { env: "dev", owner: "mlops" },
};
