/**
 * What Azure reports for an ML registry, as the offline mocks (demo/mockEngine.ts) and the gRPC test
 * engine (tests/componentProvider/monitor.ts) answer it.
 */
/** Subscription of the ids the mocks invent for resources Azure creates itself. */
export const MOCK_SUBSCRIPTION = "00000000-0000-4000-8000-00000000ffff";

/**
 * What Azure reports for a registry: its name, identities (a system principal only for a system
 * identity; user-assigned ones keyed by resource id), discovery and MLflow URIs, and per region the
 * system-created storage account of that region and the registry's one ACR, geo-replicated to every
 * region (Microsoft, "Manage Azure Machine Learning registries": "a single Azure Container Registry
 * with replication enabled to each supported region"), with their resource ids in the managed resource
 * group. The ACR is reported with the same id in every region, as the azure-ai-ml SDK shapes it (one
 * registry-wide `container_registry` applied to every region's `acr_config`, read back from the first
 * region: sdk/ml/azure-ai-ml/azure/ai/ml/entities/_registry/registry.py); the specs' examples
 * (azure-rest-api-specs machinelearningservices Registries/get.json) show a single region only.
 */
export function registryState(name: string, inputs: Record<string, any>): Record<string, any> {
    const registry: string = inputs.registryName ?? name;
    const region0: string = inputs.location ?? "eastus2";
    const managed = `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/azureml-rg-${registry}_00000000-0000-4000-8000-0000000000ee`;
    const type: string = inputs.identity?.type ?? "";
    const user = (inputs.identity?.userAssignedIdentities ?? []) as string[];
    const identity: Record<string, any> = { type, tenantId: "tenant-of-mocks" };
    if (type.includes("SystemAssigned")) identity.principalId = `principal-id-of-${name}`;
    if (user.length) {
        identity.userAssignedIdentities = Object.fromEntries(
            user.map((id) => [
                id,
                {
                    principalId: `principal-id-of-${id.split("/").pop()}`,
                    clientId: `client-id-of-${id.split("/").pop()}`,
                },
            ]),
        );
    }
    const compact = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
    const acrName = `acr${compact(registry)}${compact(region0)}`.slice(0, 50);
    return {
        name: registry,
        identity,
        discoveryUrl: `https://${region0}.api.azureml.ms/registrymanagement/v1.0/registries/${registry}/discovery`,
        mlFlowRegistryUri: `azureml://${region0}.api.azureml.ms/mlflow/v1.0/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${inputs.resourceGroupName}/providers/Microsoft.MachineLearningServices/registries/${registry}`,
        regionDetails: ((inputs.regionDetails ?? []) as any[]).map((r) => {
            const storageName = `st${compact(registry)}${compact(r.location)}`.slice(0, 24);
            return {
                location: r.location,
                storageAccountDetails: (r.storageAccountDetails ?? []).map((d: any) => ({
                    systemCreatedStorageAccount: {
                        ...d.systemCreatedStorageAccount,
                        storageAccountName: storageName,
                        armResourceId: {
                            resourceId: `${managed}/providers/Microsoft.Storage/storageAccounts/${storageName}`,
                        },
                    },
                })),
                acrDetails: (r.acrDetails ?? []).map((d: any) => ({
                    systemCreatedAcrAccount: {
                        ...d.systemCreatedAcrAccount,
                        acrAccountName: acrName,
                        armResourceId: {
                            resourceId: `${managed}/providers/Microsoft.ContainerRegistry/registries/${acrName}`,
                        },
                    },
                })),
            };
        }),
    };
}
