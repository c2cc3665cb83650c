/** Deploys one MlRegistry named "reg" under the shared mocks and returns its outputs; the types it registers. */
import { mocks } from "../support/mocks";
import { MlRegistry, MlRegistryArgs } from "../../mlRegistry/mlRegistry";
import { SUB, validSettings } from "./fixtures";

export const TYPE = "azure-databricks-mlops:index:MlRegistry";
export const T = {
    rg: "azure-native:resources:ResourceGroup",
    logs: "azure-native:operationalinsights:Workspace",
    registry: "azure-native:machinelearningservices:Registry",
    endpoint: "azure-native:network:PrivateEndpoint",
    dns: "azure-native:network:PrivateDnsZoneGroup",
    diag: "azure-native:monitor:DiagnosticSetting",
    role: "azure-native:authorization:RoleAssignment",
    lock: "azure-native:authorization:ManagementLockByScope",
};
export const REGISTRY_ID = `mocked::${T.registry}::reg-registry`;
export const RG_ID = `mocked::${T.rg}::reg-rg`;
export const roleDef = (guid: string) =>
    `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

/** Resets the mocks and answers getClientConfig with the fixtures' subscription (call in beforeEach). */
export function resetRegistryMocks(): void {
    mocks.reset();
    mocks.onCall("azure-native:authorization:getClientConfig", () => ({
        subscriptionId: SUB,
        tenantId: "t",
        clientId: "c",
        objectId: "o",
    }));
}

export async function deploy(args: MlRegistryArgs = validSettings) {
    return mocks.run(() => {
        const r = new MlRegistry("reg", args);
        return {
            registryName: r.registryName,
            registryId: r.registryId,
            resourceGroupName: r.resourceGroupName,
            logAnalyticsWorkspaceName: r.logAnalyticsWorkspaceName,
            registryIdentityPrincipalId: r.registryIdentityPrincipalId,
            privateEndpointId: r.privateEndpointId,
            discoveryUrl: r.discoveryUrl,
            mlflowRegistryUri: r.mlflowRegistryUri,
            storagePrivateEndpointIds: r.storagePrivateEndpointIds,
            acrPrivateEndpointIds: r.acrPrivateEndpointIds,
        };
    });
}
