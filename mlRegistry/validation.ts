/**
 * Pure validation of MlRegistry settings, shared by the component (property paths like `subnetId`)
 * and the stack config reader (full keys like `azure-databricks-mlops:mlRegistry.subnetId`).
 * Values not known until deployment (Outputs) are passed as {@link DEFERRED} and skipped here; the
 * component checks them with the same single-value functions once they resolve.
 */
import { Problems, checkGuid, describe, isGuid, isObject, DEFERRED } from "../core";
import {
    MANAGED_RESOURCES,
    MlRegistryNames,
    NameParts,
    REGISTRY_DNS_ZONE,
    mlRegistryNames,
} from "./naming";
import { Key, RESOURCE_KEY, checkIdentity, checkRoleAssignments } from "./access";

export { DEFERRED };

/** Every setting MlRegistry takes; the config reader rejects anything else. */
export const ML_REGISTRY_KEYS = [
    "purpose",
    "location",
    "locationCode",
    "suffix",
    "subnetId",
    "privateDnsZoneId",
    "privateEndpointLocation",
    "userObjectId",
    "userPrincipalType",
    "computeIdentityPrincipalIds",
    "tags",
    "logRetentionDays",
    "replicationLocations",
    "blobPrivateDnsZoneId",
    "acrPrivateDnsZoneId",
    "managedResourcePrivateEndpoints",
    "systemAssignedIdentity",
    "userAssignedIdentityIds",
    "roleAssignments",
    "storageAccountType",
    "regionStorageAccountTypes",
    "acrSku",
    "identityResourceGroupContributor",
    "deleteLock",
    "names",
] as const;

export const NAME_KEYS = [
    "resourceGroup",
    "registry",
    "logAnalyticsWorkspace",
    "privateEndpoint",
    "networkInterface",
    "privateLinkConnection",
    "dnsZoneGroup",
    "diagnosticSetting",
    "lock",
] as const;

export const DEFAULT_LOG_RETENTION_DAYS = 30;
/** PerGB2018 workspaces keep data 30 to 730 days. */
export const MIN_LOG_RETENTION_DAYS = 30;
export const MAX_LOG_RETENTION_DAYS = 730;

export const USER_PRINCIPAL_TYPES = ["User", "Group"] as const;

/** Storage account types Azure accepts for a registry's system-created storage (azure-native `SystemCreatedStorageAccount`). */
export const STORAGE_ACCOUNT_TYPES = [
    "Standard_LRS",
    "Standard_GRS",
    "Standard_RAGRS",
    "Standard_ZRS",
    "Standard_GZRS",
    "Standard_RAGZRS",
    "Premium_LRS",
    "Premium_ZRS",
] as const;
/** ACR tiers; private endpoints to an ACR need Premium (https://learn.microsoft.com/azure/container-registry/container-registry-private-link). */
export const ACR_SKUS = ["Basic", "Standard", "Premium"] as const;
/** Today's choices for the system-created resources, kept as defaults. */
export const DEFAULT_STORAGE_ACCOUNT_TYPE = "Standard_LRS";
export const DEFAULT_ACR_SKU = "Premium";

/** Which zone serves what, for hints when a zone id names the wrong zone. */
const ZONE_PURPOSE: Record<string, string> = {
    [REGISTRY_DNS_ZONE]: "registries and workspaces (privateDnsZoneId)",
    "privatelink.notebooks.azure.net": "workspace notebooks",
    [MANAGED_RESOURCES.storage.dnsZone]: "blob storage (blobPrivateDnsZoneId)",
    "privatelink.dfs.core.windows.net": "Data Lake storage (dfs), not the registry's blob endpoint",
    [MANAGED_RESOURCES.acr.dnsZone]: "container registries (acrPrivateDnsZoneId)",
};

/** Names built from the registry name (see mlRegistryNames). */
const FROM_REGISTRY_NAME = ["privateEndpoint", "networkInterface", "privateLinkConnection"];

const SUBNET_ID =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;
const DNS_ZONE_ID =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateDnsZones\/([^/]+)$/i;
/** Programmatic region names (`eastus2`, `westeurope`), not display names ("East US 2"). */
const REGION = /^[a-z][a-z0-9]*$/;
const NAME_PART = /^[a-z0-9]+$/;

export function checkSubnetId(problems: Problems, key: string, value: unknown): boolean {
    const m = typeof value === "string" ? SUBNET_ID.exec(value) : null;
    if (m && isGuid(m[1])) return true;
    if (m) return badSubscription(problems, key, m[1]);
    problems.add(
        key,
        "must be a subnet resource id like /subscriptions/<subscription-guid>/resourceGroups/<rg>/providers/" +
            `Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>, got ${describe(value)}`,
    );
    return false;
}

/** A check that `value` is the resource id of the private DNS zone `zone`. */
export function dnsZoneIdCheck(zone: string) {
    return (problems: Problems, key: string, value: unknown): boolean => {
        const m = typeof value === "string" ? DNS_ZONE_ID.exec(value) : null;
        if (m && !isGuid(m[1])) return badSubscription(problems, key, m[1]);
        if (!m) {
            problems.add(
                key,
                "must be a private DNS zone resource id like /subscriptions/<subscription-guid>/resourceGroups/<rg>/providers/" +
                    `Microsoft.Network/privateDnsZones/${zone}, got ${describe(value)}`,
            );
            return false;
        }
        const given = m[2].toLowerCase();
        if (given !== zone) {
            const purpose = ZONE_PURPOSE[given];
            problems.add(
                key,
                `must be the id of the ${zone} zone, got the zone ${JSON.stringify(m[2])}${purpose ? ` (that zone serves ${purpose})` : ""}`,
            );
            return false;
        }
        return true;
    };
}

export const checkRegistryDnsZoneId = dnsZoneIdCheck(REGISTRY_DNS_ZONE);
export const checkBlobDnsZoneId = dnsZoneIdCheck(MANAGED_RESOURCES.storage.dnsZone);
export const checkAcrDnsZoneId = dnsZoneIdCheck(MANAGED_RESOURCES.acr.dnsZone);

function badSubscription(problems: Problems, key: string, subscription: string): false {
    problems.add(
        key,
        `has the subscription segment ${describe(subscription)}, which must be the subscription's GUID`,
    );
    return false;
}

export function checkRegion(problems: Problems, key: string, value: unknown): value is string {
    if (typeof value === "string" && REGION.test(value)) return true;
    problems.add(
        key,
        `must be an Azure region's programmatic name like eastus2 or westeurope (see az account list-locations -o table), got ${describe(value)}`,
    );
    return false;
}

/** Azure ML registry names: 3 to 32 characters, letters, digits, `-` and `_`, starting with a letter or digit. */
export function checkRegistryName(problems: Problems, key: string, name: string): boolean {
    if (/^[A-Za-z0-9][A-Za-z0-9_-]{2,31}$/.test(name)) return true;
    problems.add(
        key,
        `gives the registry name ${JSON.stringify(name)} (${name.length} character${name.length === 1 ? "" : "s"}); a registry name must be 3 to 32 ` +
            "letters, digits, '-' or '_', starting with a letter or digit",
    );
    return false;
}

function checkResourceGroupName(problems: Problems, key: string, name: string): void {
    if (!/^[-\w.()]{1,90}$/.test(name) || name.endsWith(".")) {
        problems.add(
            key,
            `gives the resource group name ${JSON.stringify(name)}; it must be 1 to 90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'`,
        );
    } else if (/^azureml-rg-/i.test(name)) {
        problems.add(
            key,
            `gives the resource group name ${JSON.stringify(name)}; names starting with azureml-rg- belong to the resource groups Azure manages for registries`,
        );
    }
}

function checkWorkspaceName(problems: Problems, key: string, name: string): void {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/.test(name)) {
        problems.add(
            key,
            `gives the Log Analytics workspace name ${JSON.stringify(name)}; it must be 4 to 63 letters, digits or '-', starting and ending with a letter or digit`,
        );
    }
}

function checkEndpointPartName(problems: Problems, key: string, name: string, what: string): void {
    if (!/^[A-Za-z0-9]([A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/.test(name)) {
        problems.add(
            key,
            `gives the ${what} name ${JSON.stringify(name)}; it must be 1 to 80 letters, digits, '_', '.' or '-', starting with a letter or digit and ending with a letter, digit or '_'`,
        );
    }
}

/**
 * Compute identities as given: a list of principal ids (each id is its own stable key) or a map from
 * a stable key to a principal id (when ids are Outputs). Returns [key, id] pairs.
 */
export function computeIdentityEntries<T>(
    value: readonly T[] | Record<string, T> | undefined,
): [string, T][] {
    if (value === undefined) return [];
    if (Array.isArray(value)) return value.map((id) => [String(id).toLowerCase(), id]);
    return Object.entries(value as Record<string, T>);
}

/**
 * Validates every MlRegistry setting in `raw` (plain values, or {@link DEFERRED}), adding one problem
 * per bad setting under `key(path)`. Returns the Azure names when they could be derived.
 */
export function validateMlRegistry(
    problems: Problems,
    raw: Record<string, unknown>,
    key: Key,
): MlRegistryNames | undefined {
    for (const k of Object.keys(raw)) {
        if (!(ML_REGISTRY_KEYS as readonly string[]).includes(k))
            problems.add(
                key(k),
                `is not a known setting; valid ones: ${ML_REGISTRY_KEYS.join(", ")}`,
            );
    }
    const before = problems.items.length;
    const known = (v: unknown) => v !== DEFERRED;

    const partsOk = [
        checkNamePart(problems, key("purpose"), raw.purpose, false),
        checkNamePart(problems, key("locationCode"), raw.locationCode, false),
        checkNamePart(problems, key("suffix"), raw.suffix, true),
    ].every(Boolean);
    if (known(raw.location)) checkRegion(problems, key("location"), raw.location);
    if (raw.privateEndpointLocation !== undefined && known(raw.privateEndpointLocation)) {
        checkRegion(problems, key("privateEndpointLocation"), raw.privateEndpointLocation);
    }
    if (known(raw.subnetId)) checkSubnetId(problems, key("subnetId"), raw.subnetId);
    if (known(raw.privateDnsZoneId))
        checkRegistryDnsZoneId(problems, key("privateDnsZoneId"), raw.privateDnsZoneId);
    if (raw.userObjectId !== undefined && known(raw.userObjectId))
        checkGuid(problems, key("userObjectId"), raw.userObjectId, "object id");
    if (
        raw.userPrincipalType !== undefined &&
        !(USER_PRINCIPAL_TYPES as readonly unknown[]).includes(raw.userPrincipalType)
    ) {
        problems.add(
            key("userPrincipalType"),
            `must be one of ${USER_PRINCIPAL_TYPES.join(", ")}, got ${describe(raw.userPrincipalType)}`,
        );
    }
    checkComputeIdentities(problems, raw, key);
    checkTags(problems, raw.tags, key);
    if (raw.logRetentionDays !== undefined && known(raw.logRetentionDays)) {
        const d = raw.logRetentionDays;
        if (
            typeof d !== "number" ||
            !Number.isInteger(d) ||
            d < MIN_LOG_RETENTION_DAYS ||
            d > MAX_LOG_RETENTION_DAYS
        ) {
            problems.add(
                key("logRetentionDays"),
                `must be a whole number of days from ${MIN_LOG_RETENTION_DAYS} to ${MAX_LOG_RETENTION_DAYS}, got ${describe(d)}`,
            );
        }
    }
    checkReplicationLocations(problems, raw, key);
    checkManagedEndpoints(problems, raw, key);
    checkStorage(problems, raw, key);
    checkIdentity(problems, raw, key);
    checkRoleAssignments(problems, raw, key);
    for (const flag of ["deleteLock", "identityResourceGroupContributor"] as const) {
        if (raw[flag] !== undefined && typeof raw[flag] !== "boolean")
            problems.add(key(flag), `must be true or false, got ${describe(raw[flag])}`);
    }
    const overrides = readNameOverrides(problems, raw.names, key);
    if (!partsOk || !overrides) return undefined;
    const names = mlRegistryNames(raw as unknown as NameParts, overrides);
    // Name problems are reported at `names.<name>`; a derived name says where it came from.
    const named = new Problems();
    checkResourceGroupName(named, "resourceGroup", names.resourceGroup);
    checkRegistryName(named, "registry", names.registry);
    checkWorkspaceName(named, "logAnalyticsWorkspace", names.logAnalyticsWorkspace);
    checkEndpointPartName(named, "privateEndpoint", names.privateEndpoint, "private endpoint");
    checkEndpointPartName(named, "networkInterface", names.networkInterface, "network interface");
    checkEndpointPartName(
        named,
        "privateLinkConnection",
        names.privateLinkConnection,
        "private link connection",
    );
    checkEndpointPartName(named, "dnsZoneGroup", names.dnsZoneGroup, "DNS zone group");
    for (const p of named.items) {
        const derived = overrides[p.key as keyof MlRegistryNames] === undefined;
        const source =
            FROM_REGISTRY_NAME.includes(p.key) && overrides.registry !== undefined
                ? "names.registry"
                : "purpose, locationCode and suffix";
        problems.add(
            key(`names.${p.key}`),
            derived
                ? `${p.reason} (derived from ${source}: shorten them or set this override)`
                : p.reason,
        );
    }
    return problems.items.length === before ? names : undefined;
}

function checkNamePart(
    problems: Problems,
    key: string,
    value: unknown,
    mayBeEmpty: boolean,
): boolean {
    if (typeof value === "string" && (NAME_PART.test(value) || (mayBeEmpty && value === "")))
        return true;
    problems.add(
        key,
        `must be ${mayBeEmpty ? "a string of zero or more" : "one or more"} lowercase letters or digits (it becomes part of resource names), got ${describe(value)}`,
    );
    return false;
}

function checkComputeIdentities(problems: Problems, raw: Record<string, unknown>, key: Key): void {
    const value = raw.computeIdentityPrincipalIds;
    if (value === undefined) return;
    const k = key("computeIdentityPrincipalIds");
    if (value === DEFERRED || typeof value !== "object" || value === null) {
        problems.add(
            k,
            `must be a list of principal ids, or a map from a stable key to a principal id, got ${value === DEFERRED ? "a value only known at deployment" : describe(value)}`,
        );
        return;
    }
    const isList = Array.isArray(value);
    const seen = new Map<string, string>();
    const userId =
        typeof raw.userObjectId === "string" ? raw.userObjectId.toLowerCase() : undefined;
    if (userId) seen.set(userId, key("userObjectId"));
    computeIdentityEntries(value as unknown[] | Record<string, unknown>).forEach(
        ([entryKey, id], i) => {
            const at = isList ? `${k}[${i}]` : `${k}.${entryKey}`;
            if (!isList && !RESOURCE_KEY.test(entryKey)) {
                problems.add(
                    at,
                    "has a bad key: keys name resources, so use 1 to 40 lowercase letters, digits or '-', starting with a letter or digit",
                );
            }
            if (id === DEFERRED) return;
            if (!checkGuid(problems, at, id, "principal (object) id")) return;
            const lower = (id as string).toLowerCase();
            const first = seen.get(lower);
            if (first)
                problems.add(
                    at,
                    `repeats the principal ${lower} already given at ${first}; each principal may appear once (the role assignment names would collide)`,
                );
            else seen.set(lower, at);
        },
    );
}

function checkTags(problems: Problems, tags: unknown, key: Key): void {
    if (tags === undefined || tags === DEFERRED) return;
    if (typeof tags !== "object" || tags === null || Array.isArray(tags)) {
        problems.add(
            key("tags"),
            `must be a map of tag names to string values, got ${describe(tags)}`,
        );
        return;
    }
    const entries = Object.entries(tags);
    if (entries.length > 50)
        problems.add(
            key("tags"),
            `has ${entries.length} tags; Azure allows at most 50 per resource`,
        );
    for (const [name, value] of entries) {
        if (name.length === 0 || name.length > 512 || /[<>%&\\?/]/.test(name)) {
            problems.add(
                key(`tags.${name}`),
                "is not a valid tag name: 1 to 512 characters, none of < > % & \\ ? /",
            );
        }
        if (value === DEFERRED) continue;
        if (typeof value !== "string" || value.length > 256) {
            problems.add(
                key(`tags.${name}`),
                `must be a string of at most 256 characters, got ${describe(value)}`,
            );
        }
    }
}

function checkReplicationLocations(
    problems: Problems,
    raw: Record<string, unknown>,
    key: Key,
): void {
    const value = raw.replicationLocations;
    if (value === undefined) return;
    if (!Array.isArray(value)) {
        problems.add(
            key("replicationLocations"),
            `must be a list of region names, got ${describe(value)}`,
        );
        return;
    }
    const seen = new Set<string>(typeof raw.location === "string" ? [raw.location] : []);
    value.forEach((region, i) => {
        const at = key(`replicationLocations[${i}]`);
        if (!checkRegion(problems, at, region)) return;
        if (seen.has(region)) {
            problems.add(
                at,
                `repeats ${region}${region === raw.location ? ", the primary location (it is always included)" : ""}`,
            );
        }
        seen.add(region);
    });
}

/** Whether the private endpoints to the managed storage and ACR are on (the default: the registry's public access is always disabled). */
export function managedEndpointsOn(raw: { managedResourcePrivateEndpoints?: unknown }): boolean {
    return raw.managedResourcePrivateEndpoints !== false;
}

function checkManagedEndpoints(problems: Problems, raw: Record<string, unknown>, key: Key): void {
    const flag = raw.managedResourcePrivateEndpoints;
    if (flag !== undefined && typeof flag !== "boolean") {
        problems.add(
            key("managedResourcePrivateEndpoints"),
            `must be true or false, got ${describe(flag)}`,
        );
        return;
    }
    const checks = {
        blobPrivateDnsZoneId: checkBlobDnsZoneId,
        acrPrivateDnsZoneId: checkAcrDnsZoneId,
    };
    for (const [kind, { zoneInput, dnsZone }] of Object.entries(MANAGED_RESOURCES)) {
        const value = raw[zoneInput];
        if (!managedEndpointsOn(raw)) {
            if (value !== undefined)
                problems.add(
                    key(zoneInput),
                    "is set but managedResourcePrivateEndpoints is false; remove it, or turn the endpoints on",
                );
        } else if (value === undefined) {
            problems.add(
                key(zoneInput),
                `is required: the registry's public network access is disabled, so its managed ${kind === "acr" ? "container registry" : "storage account"} in every region gets a private endpoint ` +
                    `registered in your ${dnsZone} zone; give that zone's id, or set managedResourcePrivateEndpoints: false if your network reaches the managed resources otherwise`,
            );
        } else if (value !== DEFERRED) checks[zoneInput](problems, key(zoneInput), value);
    }
}

function checkStorage(problems: Problems, raw: Record<string, unknown>, key: Key): void {
    const checkType = (at: string, v: unknown) => {
        if (!(STORAGE_ACCOUNT_TYPES as readonly unknown[]).includes(v))
            problems.add(
                at,
                `must be one of ${STORAGE_ACCOUNT_TYPES.join(", ")}, got ${describe(v)}`,
            );
    };
    if (raw.storageAccountType !== undefined)
        checkType(key("storageAccountType"), raw.storageAccountType);
    const perRegion = raw.regionStorageAccountTypes;
    if (perRegion !== undefined) {
        if (!isObject(perRegion))
            problems.add(
                key("regionStorageAccountTypes"),
                `must be a map from a registry region to a storage account type, got ${describe(perRegion)}`,
            );
        else {
            const regions = [
                raw.location,
                ...(Array.isArray(raw.replicationLocations) ? raw.replicationLocations : []),
            ];
            const known = !regions.includes(DEFERRED);
            for (const [region, type] of Object.entries(perRegion)) {
                const at = key(`regionStorageAccountTypes.${region}`);
                if (known && !regions.includes(region))
                    problems.add(
                        at,
                        `names a region the registry does not have; its regions: ${regions.join(", ")} (location and replicationLocations)`,
                    );
                else checkType(at, type);
            }
        }
    }
    const sku = raw.acrSku;
    if (sku === undefined) return;
    if (!(ACR_SKUS as readonly unknown[]).includes(sku))
        problems.add(key("acrSku"), `must be one of ${ACR_SKUS.join(", ")}, got ${describe(sku)}`);
    else if (sku !== "Premium" && managedEndpointsOn(raw)) {
        problems.add(
            key("acrSku"),
            `is ${sku}, but private endpoints to a container registry need the Premium tier; use Premium, or set managedResourcePrivateEndpoints: false`,
        );
    }
}

function readNameOverrides(
    problems: Problems,
    names: unknown,
    key: Key,
): Partial<MlRegistryNames> | undefined {
    if (names === undefined) return {};
    if (typeof names !== "object" || names === null || Array.isArray(names)) {
        problems.add(
            key("names"),
            `must be a map of name overrides (${NAME_KEYS.join(", ")}), got ${describe(names)}`,
        );
        return undefined;
    }
    let ok = true;
    for (const [k, v] of Object.entries(names)) {
        if (!(NAME_KEYS as readonly string[]).includes(k)) {
            problems.add(
                key(`names.${k}`),
                `is not a name that can be overridden; valid ones: ${NAME_KEYS.join(", ")}`,
            );
            ok = false;
        } else if (typeof v !== "string" || v === "") {
            problems.add(key(`names.${k}`), `must be a non-empty string, got ${describe(v)}`);
            ok = false;
        }
    }
    return ok ? (names as Partial<MlRegistryNames>) : undefined;
}
