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

/**
 * Built-in roles a role assignment may name, with their definition GUIDs (the same in every tenant),
 * from Microsoft's list: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
 * (the general and privileged roles, and the AI + machine learning roles that apply to registries).
 * Any other role, built-in or custom, is given by its definition id.
 */
export const BUILT_IN_ROLES: Readonly<Record<string, string>> = {
    "AzureML Registry User": ROLES.azureMlRegistryUser,
    "AzureML Data Scientist": "f6c7c914-8db3-469d-8ca1-694a8f32e121",
    "AzureML Compute Operator": "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815",
    "Azure AI Developer": ROLES.azureAiDeveloper,
    "Azure AI Administrator": "b78c5d69-af96-48a3-bf8d-a8b4d589de94",
    "Azure AI Enterprise Network Connection Approver": "b556d68e-0be0-4f35-a333-ad7ee1ce17ea",
    Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    Contributor: ROLES.contributor,
    Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
};

/** A role as a role assignment names it: its definition GUID, and the full definition id if one was given. */
export interface ResolvedRole {
    readonly guid: string;
    /** `/subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/<guid>` when given so; otherwise built in the deploying subscription. */
    readonly definitionId?: string;
}

const GUID_TEXT = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const ROLE_DEFINITION_ID = new RegExp(
    `^(/subscriptions/${GUID_TEXT})?/providers/Microsoft\\.Authorization/roleDefinitions/(${GUID_TEXT})$`,
    "i",
);

/**
 * A built-in role name (any case), a role definition GUID, or a role definition id
 * (`/providers/Microsoft.Authorization/roleDefinitions/<guid>`, optionally under `/subscriptions/<guid>`).
 * Undefined for anything else.
 */
export function resolveRole(role: string): ResolvedRole | undefined {
    const byName = Object.entries(BUILT_IN_ROLES).find(
        ([n]) => n.toLowerCase() === role.trim().toLowerCase(),
    );
    if (byName) return { guid: byName[1] };
    if (new RegExp(`^${GUID_TEXT}$`).test(role)) return { guid: role.toLowerCase() };
    const m = ROLE_DEFINITION_ID.exec(role);
    if (!m) return undefined;
    return m[1] ? { guid: m[2].toLowerCase(), definitionId: role } : { guid: m[2].toLowerCase() };
}

/** The private endpoint's sub-resource (group id) for an Azure ML registry. */
export const REGISTRY_GROUP_ID = "amlregistry";
/** The private DNS zone the registry's endpoint registers in. */
export const REGISTRY_DNS_ZONE = "privatelink.api.azureml.ms";

/**
 * What Azure creates in a registry's managed resource group, and how a private endpoint reaches it: a
 * storage account per region (`blob` sub-resource) and one container registry geo-replicated to every
 * region (`registry` sub-resource). Microsoft: "First, Azure blob storage accounts in each supported
 * region. Second, a single Azure Container Registry with replication enabled to each supported region"
 * (https://learn.microsoft.com/azure/machine-learning/how-to-manage-registries; zones:
 * https://learn.microsoft.com/azure/private-link/private-endpoint-dns).
 */
export const MANAGED_RESOURCES = {
    storage: {
        groupId: "blob",
        dnsZone: "privatelink.blob.core.windows.net",
        zoneInput: "blobPrivateDnsZoneId",
        short: "blob",
    },
    acr: {
        groupId: "registry",
        dnsZone: "privatelink.azurecr.io",
        zoneInput: "acrPrivateDnsZoneId",
        short: "acr",
    },
} as const;
export type ManagedResourceKind = keyof typeof MANAGED_RESOURCES;

/**
 * Azure names of the endpoint to one region's managed storage, or to the managed ACR (named for the
 * primary region, as before the ACR had one endpoint): `pe<registry><region><groupId>` and its parts.
 */
export function managedEndpointNames(registry: string, region: string, kind: ManagedResourceKind) {
    const tail = `${registry}${region}${MANAGED_RESOURCES[kind].groupId}`;
    return {
        privateEndpoint: `pe${tail}`,
        networkInterface: `nicpe${tail}`,
        privateLinkConnection: `pec${tail}`,
    };
}

/**
 * Stable key of a further container registry (beyond the first), from its resource id: its name, lower
 * case (ACR names are globally unique), for the endpoint's Pulumi name.
 */
export function acrKey(acrId: string): string {
    return (acrId.split("/").filter(Boolean).pop() ?? acrId).toLowerCase();
}

/** Azure names of the endpoint to a further container registry: `pe<registry>acr<8 hex of its id>registry` (within 80 characters). */
export function extraAcrEndpointNames(registry: string, acrId: string) {
    return managedEndpointNames(
        registry,
        `acr${createHash("sha256").update(acrId.toLowerCase()).digest("hex").slice(0, 8)}`,
        "acr",
    );
}

/** The part of a registry's reported `regionDetails` this package reads (azure-native `RegistryRegionArmDetailsResponse`). */
export interface ReportedRegion {
    readonly location?: string;
    readonly storageAccountDetails?: readonly {
        readonly systemCreatedStorageAccount?: {
            readonly armResourceId?: { readonly resourceId?: string };
        };
    }[];
    readonly acrDetails?: readonly {
        readonly systemCreatedAcrAccount?: {
            readonly armResourceId?: { readonly resourceId?: string };
        };
    }[];
}

const normRegion = (r: string | undefined) => (r ?? "").toLowerCase().replace(/\s+/g, "");

/**
 * The distinct container registries the registry reports, primary region first, then the others in the
 * order reported. ARM ids are case-insensitive, so ids that differ only in case are one registry (the
 * first spelling is kept). Azure creates one ACR per registry, geo-replicated to every region, so this
 * is normally one id, reported in the primary region's details or repeated in every region's; a region
 * that reports none (a replica) is skipped.
 */
export function registryAcrIds(
    details: readonly ReportedRegion[] | undefined,
    primaryRegion: string,
): string[] {
    const isPrimary = (d: ReportedRegion) => normRegion(d.location) === normRegion(primaryRegion);
    const regions = [
        ...(details ?? []).filter(isPrimary),
        ...(details ?? []).filter((d) => !isPrimary(d)),
    ];
    const seen = new Map<string, string>();
    for (const region of regions) {
        for (const acr of region.acrDetails ?? []) {
            const id = acr.systemCreatedAcrAccount?.armResourceId?.resourceId;
            if (id && !seen.has(id.toLowerCase())) seen.set(id.toLowerCase(), id);
        }
    }
    return [...seen.values()];
}

/**
 * The resource id the registry reports for one region's managed storage account or ACR, or undefined.
 * Regions match by programmatic name, ignoring case and spaces (ARM may report "East US 2").
 */
export function managedResourceId(
    details: readonly ReportedRegion[] | undefined,
    region: string,
    kind: ManagedResourceKind,
): string | undefined {
    const found = (details ?? []).find((d) => normRegion(d.location) === normRegion(region));
    const account =
        kind === "storage"
            ? found?.storageAccountDetails?.[0]?.systemCreatedStorageAccount
            : found?.acrDetails?.[0]?.systemCreatedAcrAccount;
    return account?.armResourceId?.resourceId || undefined;
}

/**
 * The log categories Azure Monitor documents for `Microsoft.MachineLearningServices/registries`
 * (https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/microsoft-machinelearningservices-registries-logs);
 * no category group and no metric is documented for registries.
 */
export const REGISTRY_LOG_CATEGORIES = [
    "RegistryAssetReadEvent",
    "RegistryAssetWriteEvent",
] as const;

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
export function mlRegistryNames(
    parts: NameParts,
    overrides: Partial<MlRegistryNames> = {},
): MlRegistryNames {
    const { purpose, locationCode, suffix } = parts;
    const registry = overrides.registry ?? `amlr${purpose}${locationCode}${suffix}`;
    return {
        resourceGroup: overrides.resourceGroup ?? `rg-aml-reg-${purpose}-${locationCode}`,
        registry,
        logAnalyticsWorkspace:
            overrides.logAnalyticsWorkspace ?? `law${purpose}${locationCode}${suffix}`,
        privateEndpoint: overrides.privateEndpoint ?? `pe${registry}${REGISTRY_GROUP_ID}`,
        networkInterface: overrides.networkInterface ?? `nicpe${registry}${REGISTRY_GROUP_ID}`,
        privateLinkConnection:
            overrides.privateLinkConnection ?? `pec${registry}${REGISTRY_GROUP_ID}`,
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
    if (ns.length !== 16)
        throw new Error(`uuidV5: namespace must be a UUID, got ${JSON.stringify(namespace)}`);
    const bytes = createHash("sha1").update(ns).update(name, "utf8").digest().subarray(0, 16);
    bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    const hex = bytes.toString("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
