/**
 * MlRegistry: an Azure ML registry reachable only through private endpoints — to the registry, to the
 * storage account Azure manages for each of its regions and to its one geo-replicated container
 * registry — with its
 * resource group, Log Analytics workspace, diagnostics, identities and role assignments (after the
 * "aml-registry-smi" Terraform module, plus what the Bicep AVM registry module offers).
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as resources from "@pulumi/azure-native/resources";
import { Problems, DEFERRED, DeferredArgsCheck, isDeferred, PrincipalType } from "../core";
import {
    MANAGED_RESOURCES,
    ManagedResourceKind,
    MlRegistryNames,
    REGISTRY_DNS_ZONE,
    REGISTRY_GROUP_ID,
    REGISTRY_LOG_CATEGORIES,
    ROLES,
    acrKey,
    extraAcrEndpointNames,
    managedEndpointNames,
    managedResourceId,
    registryAcrIds,
    roleAssignmentName,
    roleDefinitionId,
} from "./naming";
import {
    DEFAULT_ACR_SKU,
    DEFAULT_LOG_RETENTION_DAYS,
    DEFAULT_STORAGE_ACCOUNT_TYPE,
    computeIdentityEntries,
    managedEndpointsOn,
    validateMlRegistry,
} from "./validation";
import { roleAssignmentEntries } from "./access";

/** One extra role assignment on the registry. */
export interface MlRegistryRoleAssignmentArgs {
    /** Entra object id of the principal. */
    readonly principalId: pulumi.Input<string>;
    /** `User`, `Group`, `ServicePrincipal` (managed identities too), `ForeignGroup` or `Device`. */
    readonly principalType: string;
    /**
     * A built-in role by name (`AzureML Data Scientist`, `Reader`, … — see `ML_REGISTRY_BUILT_IN_ROLES`)
     * or any role by definition id: its GUID, `/providers/Microsoft.Authorization/roleDefinitions/<guid>`
     * or `/subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/<guid>`.
     */
    readonly role: string;
    /**
     * Stable key naming the role assignment's resource (`<name>-role-<key>`). Defaults to
     * `<principalId>-<role guid>`; required when `principalId` is an Output.
     */
    readonly key?: string;
}

export interface MlRegistryArgs {
    /** What the registry is for, e.g. `shared`: lowercase letters and digits; part of every name. Plain string, so names are validated before anything is created. */
    readonly purpose: string;
    /** Primary Azure region (programmatic name such as `eastus2`); cannot change after creation. */
    readonly location: pulumi.Input<string>;
    /** Short region code used in names, e.g. `eus2`: lowercase letters and digits. */
    readonly locationCode: string;
    /** Uniqueness suffix for global names (registry, workspace), e.g. `x7k2`; may be empty. */
    readonly suffix: string;
    /** Subnet for the private endpoints: `/subscriptions/…/virtualNetworks/<vnet>/subnets/<subnet>`. */
    readonly subnetId: pulumi.Input<string>;
    /** Id of the existing `privatelink.api.azureml.ms` private DNS zone the registry's endpoint registers in. */
    readonly privateDnsZoneId: pulumi.Input<string>;
    /**
     * Id of the existing `privatelink.blob.core.windows.net` zone the endpoints to the managed storage
     * accounts register in. Required unless `managedResourcePrivateEndpoints` is false.
     */
    readonly blobPrivateDnsZoneId?: pulumi.Input<string>;
    /**
     * Id of the existing `privatelink.azurecr.io` zone the endpoint to the managed container registry
     * registers in. Required unless `managedResourcePrivateEndpoints` is false.
     */
    readonly acrPrivateDnsZoneId?: pulumi.Input<string>;
    /**
     * Private endpoints (in `subnetId`, in the component's resource group) to each region's managed
     * storage account (`blob`) and to the registry's one container registry (`registry`, geo-replicated
     * to every region), as Microsoft's registry network
     * isolation guide recommends. Defaults to true, since the registry's public network access is
     * disabled; set false only when your network reaches those resources otherwise.
     */
    readonly managedResourcePrivateEndpoints?: boolean;
    /** Region of the private endpoints, which must be the virtual network's. Defaults to `location`. */
    readonly privateEndpointLocation?: pulumi.Input<string>;
    /** Give the registry a system-assigned identity. Defaults to true; false needs `userAssignedIdentityIds`. */
    readonly systemAssignedIdentity?: boolean;
    /** Resource ids of user-assigned managed identities to attach to the registry. Defaults to none. */
    readonly userAssignedIdentityIds?: pulumi.Input<string>[];
    /** Entra object id granted AzureML Registry User and Azure AI Developer on the registry. Defaults to none. */
    readonly userObjectId?: pulumi.Input<string>;
    /** Whether `userObjectId` is a user or a group. Defaults to `User`. */
    readonly userPrincipalType?: PrincipalType;
    /**
     * Managed identities of compute (clusters, endpoints) granted AzureML Registry User on the registry,
     * as plain principal ids (each id names its role assignment). Defaults to none. For ids that are
     * Outputs use `computeIdentities`.
     */
    readonly computeIdentityPrincipalIds?: string[];
    /**
     * The same as a map from a stable key (1–40 of `a-z`, `0-9`, `-`; it names the role assignment) to a
     * principal id, which may be an Output. Not together with `computeIdentityPrincipalIds`. Defaults to none.
     */
    readonly computeIdentities?: Record<string, pulumi.Input<string>>;
    /** Further role assignments on the registry, besides the fixed ones. Defaults to none. */
    readonly roleAssignments?: MlRegistryRoleAssignmentArgs[];
    /** Tags on the resource group, workspace, registry and private endpoints. Defaults to none. */
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Log Analytics retention, 30 to 730 days. Defaults to 30. */
    readonly logRetentionDays?: pulumi.Input<number>;
    /** Extra regions the registry replicates to (each gets its own system-created storage account and a replica of the one ACR). Defaults to none. Regions can be added later, not removed. */
    readonly replicationLocations?: string[];
    /** Type of every region's system-created storage account (`Standard_LRS`, `Standard_ZRS`, …). Defaults to `Standard_LRS`. */
    readonly storageAccountType?: string;
    /** Storage account type per region (keys: `location` and `replicationLocations`), overriding `storageAccountType`. Defaults to none. */
    readonly regionStorageAccountTypes?: Record<string, string>;
    /** Tier of the system-created container registries: `Premium` (default; needed for private endpoints), `Standard` or `Basic`. */
    readonly acrSku?: string;
    /**
     * Grant the registry's identity Contributor on the component's resource group. The registry needs no
     * such role (Azure manages its storage and ACR itself); earlier versions always created it.
     * Defaults to false: an existing stack that does not set this sees the assignment deleted.
     */
    readonly identityResourceGroupContributor?: boolean;
    /** Put a `CanNotDelete` lock on the registry (its name and asset ids cannot be reused once deleted). Defaults to false. */
    readonly deleteLock?: boolean;
    /** Override single Azure names; the rest stay derived from purpose, locationCode and suffix. */
    readonly names?: Partial<MlRegistryNames>;
}

const TYPE = "azure-databricks-mlops:index:MlRegistry";

/**
 * A private Azure ML registry: the registry with public access disabled, private endpoints to it and to
 * the storage account and container registry Azure manages for each region, DNS zone groups, Log
 * Analytics with diagnostics, identities and role assignments. See docs/ml-registry.md.
 */
export class MlRegistry extends pulumi.ComponentResource {
    public readonly registryName: pulumi.Output<string>;
    public readonly registryId: pulumi.Output<string>;
    public readonly resourceGroupName: pulumi.Output<string>;
    public readonly logAnalyticsWorkspaceName: pulumi.Output<string>;
    /** The system-assigned identity's principal id or, without one, the first user-assigned identity's. */
    public readonly registryIdentityPrincipalId: pulumi.Output<string>;
    public readonly privateEndpointId: pulumi.Output<string>;
    /** The registry's discovery URL (`https://<region>.api.azureml.ms/registrymanagement/v1.0/registries/<name>/discovery`), as Azure reports it. */
    public readonly discoveryUrl: pulumi.Output<string | undefined>;
    /** The registry's MLflow registry URI, as Azure reports it (`mlFlowRegistryUri`). */
    public readonly mlflowRegistryUri: pulumi.Output<string | undefined>;
    /** Ids of the private endpoints to the managed storage accounts, by region; empty when turned off. */
    public readonly storagePrivateEndpointIds: pulumi.Output<Record<string, string>>;
    /**
     * Ids of the private endpoints to the registry's managed container registry, keyed by the ACR's name
     * (lower case): one entry, since Azure creates one ACR geo-replicated to every region; empty when turned off.
     */
    public readonly acrPrivateEndpointIds: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: MlRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        // Bad arguments fail before anything, the component included, is registered.
        const names = mlRegistryNamesOrProblems(args);
        if (names instanceof Problems) {
            names.throwAsInputErrors(TYPE, name);
            throw new Error(`${TYPE} "${name}": names could not be derived`); // unreachable: problems were thrown
        }
        super(TYPE, name, {}, opts);

        const parent = { parent: this };
        // Values only known at deployment (zone and subnet ids from other resources) are checked by the
        // same rules once known: children get them, and the outputs resolve, only if they pass.
        const checks = new DeferredArgsCheck(args, mlRegistryProblems, TYPE, name);
        args = checks.gateAll(args);

        const location = args.location;
        const tags = args.tags;
        const subscriptionId = authorization
            .getClientConfigOutput(parent)
            .subscriptionId.apply((sub) => {
                if (!sub)
                    throw new Error(
                        `${TYPE} "${name}": azure-native getClientConfig returned no subscription id for the role definition ids`,
                    );
                return sub;
            });

        const group = new resources.ResourceGroup(
            `${name}-rg`,
            { resourceGroupName: names.resourceGroup, location, tags },
            parent,
        );

        const logs = new operationalinsights.Workspace(
            `${name}-logs`,
            {
                workspaceName: names.logAnalyticsWorkspace,
                resourceGroupName: group.name,
                location,
                sku: { name: "PerGB2018" },
                retentionInDays: args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
                tags,
            },
            parent,
        );

        // Only what we own is declared: no managed resource group, no system-created account names or ids.
        // Azure fills those in, and leaving them out is what keeps updates from fighting it (no ignoreChanges).
        // Regions are keyed for resource names: the primary one needs no key (it never changes), replicas by name.
        const regions: { key?: string; location: pulumi.Input<string> }[] = [
            { location },
            ...(args.replicationLocations ?? []).map((r) => ({ key: r, location: r })),
        ];
        const storageType = (region: string) =>
            args.regionStorageAccountTypes?.[region] ??
            args.storageAccountType ??
            DEFAULT_STORAGE_ACCOUNT_TYPE;
        const userIdentityIds = args.userAssignedIdentityIds ?? [];
        const systemAssigned = args.systemAssignedIdentity !== false;
        const identityType = systemAssigned
            ? userIdentityIds.length
                ? "SystemAssigned,UserAssigned"
                : "SystemAssigned"
            : "UserAssigned";
        const registry = new machinelearningservices.Registry(
            `${name}-registry`,
            {
                registryName: names.registry,
                resourceGroupName: group.name,
                location,
                identity: userIdentityIds.length
                    ? { type: identityType, userAssignedIdentities: userIdentityIds }
                    : { type: identityType },
                publicNetworkAccess: "Disabled",
                regionDetails: regions.map((region) => ({
                    location: region.location,
                    storageAccountDetails: [
                        {
                            systemCreatedStorageAccount: {
                                storageAccountType:
                                    typeof region.location === "string"
                                        ? storageType(region.location)
                                        : pulumi.output(region.location).apply(storageType),
                                storageAccountHnsEnabled: false,
                            },
                        },
                    ],
                    acrDetails: [
                        {
                            systemCreatedAcrAccount: {
                                acrAccountSku: args.acrSku ?? DEFAULT_ACR_SKU,
                            },
                        },
                    ],
                })),
                tags,
            },
            parent,
        );
        const identityPrincipalId = pulumi
            .all([registry.identity, userIdentityIds[0]])
            .apply(([identity, firstUserId]) => {
                if (systemAssigned) {
                    if (!identity?.principalId)
                        throw new Error(
                            `${TYPE} "${name}": the registry has no system-assigned identity principal id`,
                        );
                    return identity.principalId;
                }
                const found = Object.entries(identity?.userAssignedIdentities ?? {}).find(
                    ([id]) => id.toLowerCase() === String(firstUserId).toLowerCase(),
                );
                if (!found?.[1]?.principalId)
                    throw new Error(
                        `${TYPE} "${name}": the registry reports no principal id for its user-assigned identity ${firstUserId}`,
                    );
                return found[1].principalId;
            });

        const subnetId = args.subnetId;
        const endpointLocation = args.privateEndpointLocation ?? location;
        // Endpoints and their zone groups keep fixed Azure names, and a new `subnet` replaces an endpoint
        // (pulumi-azure-native provider/pkg/gen/replacement.go, Network.PrivateEndpoint). Its Create refuses a
        // name that exists (provider/pkg/provider/crud/crud.go), so the default create-before-delete could never
        // finish: the old one goes first. A replaced zone group would delete the A records its replacement wrote.
        const fixedName = { ...parent, deleteBeforeReplace: true };
        // A private endpoint `<resourceName>-endpoint` in our subnet to `target`, with its DNS zone group
        // `<resourceName>-dns`: the registry's own, and those to what Azure manages for it.
        const privateEndpoint = (
            resourceName: string,
            azureNames: pulumi.Output<ReturnType<typeof managedEndpointNames>>,
            target: pulumi.Input<string>,
            groupId: string,
            zone: string,
            zoneId: pulumi.Input<string>,
        ) => {
            const pe = new network.PrivateEndpoint(
                `${resourceName}-endpoint`,
                {
                    privateEndpointName: azureNames.privateEndpoint,
                    resourceGroupName: group.name,
                    location: endpointLocation,
                    subnet: { id: subnetId },
                    customNetworkInterfaceName: azureNames.networkInterface,
                    privateLinkServiceConnections: [
                        {
                            name: azureNames.privateLinkConnection,
                            privateLinkServiceId: target,
                            groupIds: [groupId],
                        },
                    ],
                    tags,
                },
                fixedName,
            );
            new network.PrivateDnsZoneGroup(
                `${resourceName}-dns`,
                {
                    privateDnsZoneGroupName: names.dnsZoneGroup,
                    privateEndpointName: pe.name,
                    resourceGroupName: group.name,
                    privateDnsZoneConfigs: [
                        { name: zone.replace(/\./g, "-"), privateDnsZoneId: zoneId },
                    ],
                },
                fixedName,
            );
            return pe;
        };
        const endpoint = privateEndpoint(
            name,
            pulumi.output(names),
            registry.id,
            REGISTRY_GROUP_ID,
            REGISTRY_DNS_ZONE,
            args.privateDnsZoneId,
        );

        // Endpoints to what Azure manages, targeting the ids the registry reports: the storage account of
        // each region, and its one container registry (geo-replicated to every region, so one endpoint and
        // one zone group: several endpoints to one ACR write the same A records, and deleting any of them
        // removes the records the others rely on). They live in our resource group and subnet; the managed
        // resource group itself is never touched.
        const storageEndpointIds: pulumi.Output<[string, string]>[] = [];
        let acrEndpointIds: pulumi.Output<Record<string, string>> = pulumi.output(
            {} as Record<string, string>,
        );
        if (managedEndpointsOn(args)) {
            const managedEndpoint = (
                resourceName: string,
                kind: ManagedResourceKind,
                azureNames: pulumi.Output<ReturnType<typeof managedEndpointNames>>,
                target: pulumi.Input<string>,
            ) => {
                const { groupId, dnsZone, zoneInput } = MANAGED_RESOURCES[kind];
                return privateEndpoint(
                    resourceName,
                    azureNames,
                    target,
                    groupId,
                    dnsZone,
                    args[zoneInput] as pulumi.Input<string>,
                );
            };
            for (const region of regions) {
                const target = pulumi
                    .all([registry.regionDetails, region.location])
                    .apply(([details, r]) => {
                        const id = managedResourceId(details, r, "storage");
                        if (!id) {
                            throw new Error(
                                `${TYPE} "${name}": the registry reports no storage account id for region ${r} (regionDetails[].storageAccountDetails[0].systemCreatedStorageAccount.armResourceId)`,
                            );
                        }
                        return id;
                    });
                const azureNames = pulumi
                    .output(region.location)
                    .apply((r) => managedEndpointNames(names.registry, r, "storage"));
                const pe = managedEndpoint(
                    `${name}-${region.key ? `${region.key}-` : ""}blob`,
                    "storage",
                    azureNames,
                    target,
                );
                // With the target: when the registry reports no id, the endpoint never registers and its
                // id never resolves; the output fails with the reason instead of waiting forever.
                storageEndpointIds.push(
                    pulumi
                        .all([region.location, pe.id, target])
                        .apply(([r, id]) => [r, id] as [string, string]),
                );
            }

            // The first ACR keeps the resource and Azure names the primary region's ACR endpoint always had.
            const acrIds = pulumi
                .all([registry.regionDetails, location])
                .apply(([details, primary]) => registryAcrIds(details, primary));
            const firstAcr = pulumi.all([acrIds, location]).apply(([ids, primary]) => {
                if (!ids.length) {
                    throw new Error(
                        `${TYPE} "${name}": the registry reports no container registry id in any region, primary ${primary} included ` +
                            "(regionDetails[].acrDetails[0].systemCreatedAcrAccount.armResourceId)",
                    );
                }
                return ids[0];
            });
            const acr = managedEndpoint(
                `${name}-acr`,
                "acr",
                pulumi
                    .output(location)
                    .apply((r) => managedEndpointNames(names.registry, r, "acr")),
                firstAcr,
            );
            // Azure documents one ACR per registry. Should it ever report more, each further one gets its own
            // endpoint, keyed by its name; they can only be declared once the ids are known (not in a first preview).
            const further = acrIds.apply((ids) =>
                ids.slice(1).map((id) => {
                    const pe = managedEndpoint(
                        `${name}-acr-${acrKey(id)}`,
                        "acr",
                        pulumi.output(extraAcrEndpointNames(names.registry, id)),
                        id,
                    );
                    return pulumi.all([acrKey(id), pe.id]);
                }),
            );
            acrEndpointIds = pulumi
                .all([firstAcr, acr.id, further])
                .apply(([id, peId, rest]) => Object.fromEntries([[acrKey(id), peId], ...rest]));
        }

        new monitor.DiagnosticSetting(
            `${name}-diagnostics`,
            {
                name: names.diagnosticSetting,
                resourceUri: registry.id,
                workspaceId: logs.id,
                // What Azure Monitor documents for registries: two log categories, no metrics, no category groups.
                logs: REGISTRY_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
            },
            parent,
        );

        const assign = (
            role: string,
            scope: pulumi.Output<string>,
            principalId: pulumi.Input<string>,
            principalType: string,
            roleGuid: string,
            definitionId?: string,
        ) =>
            new authorization.RoleAssignment(
                `${name}-${role}`,
                {
                    scope,
                    principalId,
                    principalType,
                    roleDefinitionId:
                        definitionId ??
                        subscriptionId.apply((sub) => roleDefinitionId(sub, roleGuid)),
                    roleAssignmentName: pulumi
                        .all([scope, principalId])
                        .apply(([s, p]) => roleAssignmentName(s, p, roleGuid)),
                },
                // Role assignments cannot be updated: a new principalType alone would be an update Azure refuses
                // (authorization RoleAssignments_Create is PUT-only, and the name does not include the type), so
                // it replaces the assignment, under the same name, hence deleted first.
                { ...parent, replaceOnChanges: ["principalType"], deleteBeforeReplace: true },
            );
        if (args.userObjectId !== undefined) {
            const type = args.userPrincipalType ?? "User";
            assign(
                "user-registry-user",
                registry.id,
                args.userObjectId,
                type,
                ROLES.azureMlRegistryUser,
            );
            assign(
                "user-ai-developer",
                registry.id,
                args.userObjectId,
                type,
                ROLES.azureAiDeveloper,
            );
        }
        for (const [key, id] of computeIdentityEntries<pulumi.Input<string>>(
            args.computeIdentities ?? args.computeIdentityPrincipalIds,
        )) {
            assign(
                `compute-${key}-registry-user`,
                registry.id,
                id,
                "ServicePrincipal",
                ROLES.azureMlRegistryUser,
            );
        }
        for (const entry of roleAssignmentEntries(args.roleAssignments)) {
            assign(
                `role-${entry.key}`,
                registry.id,
                entry.principalId,
                entry.principalType,
                entry.role.guid,
                entry.role.definitionId,
            );
        }
        if (args.identityResourceGroupContributor) {
            assign(
                "identity-rg-contributor",
                group.id,
                identityPrincipalId,
                "ServicePrincipal",
                ROLES.contributor,
            );
        }

        if (args.deleteLock) {
            new authorization.ManagementLockByScope(
                `${name}-lock`,
                {
                    lockName: names.lock,
                    scope: registry.id,
                    level: "CanNotDelete",
                    notes: "Registry names and asset ids cannot be reused after deletion. Set deleteLock: false before removing it.",
                },
                parent,
            );
        }

        const byRegion = (pairs: pulumi.Output<[string, string]>[]) =>
            pulumi.all(pairs).apply((p) => Object.fromEntries(p));
        this.registryName = checks.output(registry.name);
        this.registryId = checks.output(registry.id);
        this.resourceGroupName = checks.output(group.name);
        this.logAnalyticsWorkspaceName = checks.output(logs.name);
        this.registryIdentityPrincipalId = checks.output(identityPrincipalId);
        this.privateEndpointId = checks.output(endpoint.id);
        this.discoveryUrl = checks.output(registry.discoveryUrl);
        this.mlflowRegistryUri = checks.output(registry.mlFlowRegistryUri);
        this.storagePrivateEndpointIds = checks.output(byRegion(storageEndpointIds));
        this.acrPrivateEndpointIds = checks.output(acrEndpointIds);
        this.registerOutputs({
            registryName: this.registryName,
            registryId: this.registryId,
            resourceGroupName: this.resourceGroupName,
            logAnalyticsWorkspaceName: this.logAnalyticsWorkspaceName,
            registryIdentityPrincipalId: this.registryIdentityPrincipalId,
            privateEndpointId: this.privateEndpointId,
            discoveryUrl: this.discoveryUrl,
            mlflowRegistryUri: this.mlflowRegistryUri,
            storagePrivateEndpointIds: this.storagePrivateEndpointIds,
            acrPrivateEndpointIds: this.acrPrivateEndpointIds,
        });
    }
}

/** Every problem of the args that can be seen now (Outputs inside them are checked once known by the constructor). */
export function mlRegistryProblems(args: MlRegistryArgs): Problems {
    const result = mlRegistryNamesOrProblems(args);
    return result instanceof Problems ? result : new Problems();
}

/** The Azure names, or the problems that keep them from being derived. */
function mlRegistryNamesOrProblems(args: MlRegistryArgs): MlRegistryNames | Problems {
    const problems = new Problems();
    // The map form is validated, and named in errors, as the shared rules know it (list or map).
    const asMap = args?.computeIdentities !== undefined;
    if (asMap && args.computeIdentityPrincipalIds !== undefined) {
        problems.add(
            "computeIdentities",
            "give computeIdentityPrincipalIds (plain ids) or computeIdentities (a map, ids may be Outputs), not both",
        );
    }
    const names = validateMlRegistry(problems, toRaw(args), (path) =>
        asMap ? path.replace(/^computeIdentityPrincipalIds/, "computeIdentities") : path,
    );
    return names && problems.empty ? names : problems;
}

/** The args as the shared validator sees them: Outputs and promises, also inside lists and maps, become DEFERRED. */
function toRaw(args: MlRegistryArgs): Record<string, unknown> {
    // The map form is validated as the shared rules know it (computeIdentityPrincipalIds, list or map).
    const { computeIdentities, ...rest } = args ?? ({} as MlRegistryArgs);
    const given =
        computeIdentities === undefined
            ? rest
            : { ...rest, computeIdentityPrincipalIds: computeIdentities };
    const raw = (v: unknown, depth: number): unknown => {
        if (isDeferred(v)) return DEFERRED;
        if (depth === 0 || typeof v !== "object" || v === null) return v;
        if (Array.isArray(v)) return v.map((e) => raw(e, depth - 1));
        return Object.fromEntries(
            Object.entries(v)
                .filter(([, e]) => e !== undefined)
                .map(([k, e]) => [k, raw(e, depth - 1)]),
        );
    };
    return raw(given, 3) as Record<string, unknown>;
}
