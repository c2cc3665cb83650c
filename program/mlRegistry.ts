/**
 * The ML registry section of the root program (config key `mlRegistry`): one MlRegistry, and the
 * Terraform module's outputs.
 */
import { MlRegistry } from "../mlRegistry";
import type { StackConfig } from "./config";
import { mlRegistryArgs } from "./config";

export interface MlRegistrySection {
    readonly resource: MlRegistry;
    readonly outputs: Record<string, unknown>;
}

/** The registry; undefined when the stack sets no `mlRegistry`. */
export function mlRegistrySection(config: StackConfig): MlRegistrySection | undefined {
    if (!config.mlRegistry) return undefined;
    const resource = new MlRegistry("ml-registry", mlRegistryArgs(config.mlRegistry));
    return { resource, outputs: mlRegistryOutputs(resource) };
}

/** The private Azure ML registry: names, ids and the registry's identity. */
function mlRegistryOutputs(resource: MlRegistry): Record<string, unknown> {
    return {
        mlRegistry: {
            registryName: resource.registryName,
            registryId: resource.registryId,
            resourceGroupName: resource.resourceGroupName,
            logAnalyticsWorkspaceName: resource.logAnalyticsWorkspaceName,
            registryIdentityPrincipalId: resource.registryIdentityPrincipalId,
            privateEndpointId: resource.privateEndpointId,
            discoveryUrl: resource.discoveryUrl,
            mlflowRegistryUri: resource.mlflowRegistryUri,
            storagePrivateEndpointIds: resource.storagePrivateEndpointIds,
            acrPrivateEndpointIds: resource.acrPrivateEndpointIds,
        },
    };
}
