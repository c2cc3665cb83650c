/**
 * Pure naming for {@link MlRegistry}: Azure resource names from purpose, location code and suffix
 * (the Terraform module's scheme), built-in role ids, and deterministic role-assignment names.
 * No Pulumi here, so it is tested without mocks.
 */
import { createHash } from "crypto";

/** Built-in Azure role definition GUIDs (the same in every tenant). */
export const ROLES = {
    /** AzureML Registry User: read and use registry assets. */
    azureMlRegistryUser: "1823dd4f-9b8c-4ab6-ab4e-7397a3684615",
    /** Azure AI Developer: create and use assets. */
    azureAiDeveloper: "64702f94-c441-49e6-a78b-ef80e0188fee",
    /** Contributor. */
    contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
} as const;

/** The private endpoint's sub-resource (group id) for an Azure ML registry. */
export const REGISTRY_GROUP_ID = "amlregistry";
/** The private DNS zone the registry's endpoint registers in. */
export const REGISTRY_DNS_ZONE = "privatelink.api.azureml.ms";

/**
 * The log categories Azure Monitor documents for `Microsoft.MachineLearningServices/registries`
 * (https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/microsoft-machinelearningservices-registries-logs);
 * no category group and no metric is documented for registries.
 */
export const REGISTRY_LOG_CATEGORIES = ["RegistryAssetReadEvent", "RegistryAssetWriteEvent"] as const;

/** Azure names the component chooses; every one can be overridden through `names`. */
export interface MlRegistryNames {
    readonly resourceGroup: string;
    readonly registry: string;
    readonly logAnalyticsWorkspace: string;
    readonly privateEndpoint: string;
    /** The endpoint's network interface (`customNetworkInterfaceName`). */
    readonly networkInterface: string;
    /** The private link service connection inside the endpoint. */
    readonly privateLinkConnection: string;
    readonly dnsZoneGroup: string;
    readonly diagnosticSetting: string;
    readonly lock: string;
}

export interface NameParts {
    readonly purpose: string;
    readonly locationCode: string;
    readonly suffix: string;
}

/**
 * Default names, after the Terraform module: `rg-aml-reg-<purpose>-<locationCode>`,
 * `amlr<purpose><locationCode><suffix>`, `law<purpose><locationCode><suffix>`, and endpoint parts
 * named after the registry. Overrides replace single names; derived names follow the registry name.
 */
export function mlRegistryNames(parts: NameParts, overrides: Partial<MlRegistryNames> = {}): MlRegistryNames {
    const { purpose, locationCode, suffix } = parts;
    const registry = overrides.registry ?? `amlr${purpose}${locationCode}${suffix}`;
    return {
        resourceGroup: overrides.resourceGroup ?? `rg-aml-reg-${purpose}-${locationCode}`,
        registry,
        logAnalyticsWorkspace: overrides.logAnalyticsWorkspace ?? `law${purpose}${locationCode}${suffix}`,
        privateEndpoint: overrides.privateEndpoint ?? `pe${registry}${REGISTRY_GROUP_ID}`,
        networkInterface: overrides.networkInterface ?? `nicpe${registry}${REGISTRY_GROUP_ID}`,
        privateLinkConnection: overrides.privateLinkConnection ?? `pec${registry}${REGISTRY_GROUP_ID}`,
        dnsZoneGroup: overrides.dnsZoneGroup ?? "default",
        diagnosticSetting: overrides.diagnosticSetting ?? `diag${registry}`,
        lock: overrides.lock ?? `${registry}-cannotdelete`,
    };
}

/** Full role definition id in a subscription, as ARM returns it (so nothing diffs after a refresh). */
export function roleDefinitionId(subscriptionId: string, roleGuid: string): string {
    return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
}

/** Namespace of this package's name-based UUIDs: the v5 UUID of "azure-databricks-mlops" in the RFC 4122 URL namespace. */
export const ROLE_ASSIGNMENT_NAMESPACE = "2db81813-45a6-5055-af28-4baf3fbc8d99";

/**
 * Deterministic role-assignment name: a name-based (version 5, SHA-1) UUID over scope, principal and
 * role. ARM ids are case-insensitive, so everything is lower-cased first: the same assignment always
 * gets the same name, and a rerun or a re-import never creates a duplicate.
 */
export function roleAssignmentName(scope: string, principalId: string, roleGuid: string): string {
    return uuidV5(`${scope}|${principalId}|${roleGuid}`.toLowerCase(), ROLE_ASSIGNMENT_NAMESPACE);
}

/** RFC 4122 version 5 UUID of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string): string {
    const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
    if (ns.length !== 16) throw new Error(`uuidV5: namespace must be a UUID, got ${JSON.stringify(namespace)}`);
    const bytes = createHash("sha1").update(ns).update(name, "utf8").digest().subarray(0, 16);
    bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    const hex = bytes.toString("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
