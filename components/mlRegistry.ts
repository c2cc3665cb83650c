/**
 * MlRegistry: an Azure ML registry reachable only through a private endpoint, with its resource group,
 * Log Analytics workspace, diagnostics and role assignments (the "aml-registry-smi" Terraform module).
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as resources from "@pulumi/azure-native/resources";
import { Problems, checkGuid } from "../config/problems";
import {
    MlRegistryNames,
    REGISTRY_DNS_ZONE,
    REGISTRY_GROUP_ID,
    REGISTRY_LOG_CATEGORIES,
    ROLES,
    roleAssignmentName,
    roleDefinitionId,
} from "./mlRegistryNaming";
import {
    DEFAULT_LOG_RETENTION_DAYS,
    DEFERRED,
    checkRegistryDnsZoneId,
    checkSubnetId,
    computeIdentityEntries,
    validateMlRegistry,
} from "./mlRegistryValidation";
import { Check, checkWhenKnown, isDeferred } from "./deferredCheck";

export interface MlRegistryArgs {
    /** What the registry is for, e.g. `shared`: lowercase letters and digits; part of every name. Plain string, so names are validated before anything is created. */
    readonly purpose: string;
    /** Primary Azure region (programmatic name such as `eastus2`); cannot change after creation. */
    readonly location: pulumi.Input<string>;
    /** Short region code used in names, e.g. `eus2`: lowercase letters and digits. */
    readonly locationCode: string;
    /** Uniqueness suffix for global names (registry, workspace), e.g. `x7k2`; may be empty. */
    readonly suffix: string;
    /** Subnet for the private endpoint: `/subscriptions/…/virtualNetworks/<vnet>/subnets/<subnet>`. */
    readonly subnetId: pulumi.Input<string>;
    /** Id of the existing `privatelink.api.azureml.ms` private DNS zone the endpoint registers in. */
    readonly privateDnsZoneId: pulumi.Input<string>;
    /** Region of the private endpoint, which must be the virtual network's. Defaults to `location`. */
    readonly privateEndpointLocation?: pulumi.Input<string>;
    /** Entra object id granted AzureML Registry User and Azure AI Developer on the registry. Defaults to none. */
    readonly userObjectId?: pulumi.Input<string>;
    /** Whether `userObjectId` is a user or a group. Defaults to `User`. */
    readonly userPrincipalType?: "User" | "Group";
    /**
     * Managed identities of compute (clusters, endpoints) granted AzureML Registry User on the registry:
     * a list of principal ids, or a map from a stable key to a principal id (use the map when ids are
     * Outputs; keys name the role assignments). Defaults to none.
     */
    readonly computeIdentityPrincipalIds?: readonly string[] | Readonly<Record<string, pulumi.Input<string>>>;
    /** Tags on the resource group, workspace, registry and private endpoint. Defaults to none. */
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Log Analytics retention, 30 to 730 days. Defaults to 30. */
    readonly logRetentionDays?: pulumi.Input<number>;
    /** Extra regions the registry replicates to (each gets its own system-created storage). Defaults to none. Regions can be added later, not removed. */
    readonly replicationLocations?: readonly string[];
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

/** Storage and ACR that Azure creates (in its own managed resource group) for every registry region. */
const STORAGE_ACCOUNT_TYPE = "Standard_LRS";
const ACR_SKU = "Premium";

export class MlRegistry extends pulumi.ComponentResource {
    public readonly registryName: pulumi.Output<string>;
    public readonly registryId: pulumi.Output<string>;
    public readonly resourceGroupName: pulumi.Output<string>;
    public readonly logAnalyticsWorkspaceName: pulumi.Output<string>;
    public readonly registryIdentityPrincipalId: pulumi.Output<string>;
    public readonly privateEndpointId: pulumi.Output<string>;

    constructor(name: string, args: MlRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        // Bad arguments fail before anything, the component included, is registered.
        const problems = new Problems();
        const names = validateMlRegistry(problems, toRaw(args), (path) => path);
        problems.throwAsInputErrors(TYPE, name);
        if (!names) throw new Error(`${TYPE} "${name}": names could not be derived`); // unreachable: problems were thrown
        super(TYPE, name, {}, opts);

        const parent = { parent: this };
        const later = <T>(value: pulumi.Input<T>, path: string, check: Check) => checkWhenKnown(value, path, check, TYPE, name);

        const location = args.location;
        const tags = args.tags;
        const subscriptionId = authorization.getClientConfigOutput(parent).subscriptionId.apply((sub) => {
            if (!sub) throw new Error(`${TYPE} "${name}": azure-native getClientConfig returned no subscription id for the role definition ids`);
            return sub;
        });

        const group = new resources.ResourceGroup(`${name}-rg`, { resourceGroupName: names.resourceGroup, location, tags }, parent);

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
        const regions = [location, ...(args.replicationLocations ?? [])];
        const registry = new machinelearningservices.Registry(
            `${name}-registry`,
            {
                registryName: names.registry,
                resourceGroupName: group.name,
                location,
                identity: { type: "SystemAssigned" },
                publicNetworkAccess: "Disabled",
                regionDetails: regions.map((region) => ({
                    location: region,
                    storageAccountDetails: [
                        { systemCreatedStorageAccount: { storageAccountType: STORAGE_ACCOUNT_TYPE, storageAccountHnsEnabled: false } },
                    ],
                    acrDetails: [{ systemCreatedAcrAccount: { acrAccountSku: ACR_SKU } }],
                })),
                tags,
            },
            parent,
        );
        const identityPrincipalId = registry.identity.apply((identity) => {
            if (!identity?.principalId) throw new Error(`${TYPE} "${name}": the registry has no system-assigned identity principal id`);
            return identity.principalId;
        });

        const endpoint = new network.PrivateEndpoint(
            `${name}-endpoint`,
            {
                privateEndpointName: names.privateEndpoint,
                resourceGroupName: group.name,
                location: args.privateEndpointLocation ?? location,
                subnet: { id: later(args.subnetId, "subnetId", checkSubnetId) },
                customNetworkInterfaceName: names.networkInterface,
                privateLinkServiceConnections: [
                    { name: names.privateLinkConnection, privateLinkServiceId: registry.id, groupIds: [REGISTRY_GROUP_ID] },
                ],
                tags,
            },
            parent,
        );
        new network.PrivateDnsZoneGroup(
            `${name}-dns`,
            {
                privateDnsZoneGroupName: names.dnsZoneGroup,
                privateEndpointName: endpoint.name,
                resourceGroupName: group.name,
                privateDnsZoneConfigs: [
                    { name: REGISTRY_DNS_ZONE.replace(/\./g, "-"), privateDnsZoneId: later(args.privateDnsZoneId, "privateDnsZoneId", checkRegistryDnsZoneId) },
                ],
            },
            parent,
        );

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

        const assign = (role: string, scope: pulumi.Output<string>, principalId: pulumi.Input<string>, principalType: string, roleGuid: string) =>
            new authorization.RoleAssignment(
                `${name}-${role}`,
                {
                    scope,
                    principalId,
                    principalType,
                    roleDefinitionId: subscriptionId.apply((sub) => roleDefinitionId(sub, roleGuid)),
                    roleAssignmentName: pulumi.all([scope, principalId]).apply(([s, p]) => roleAssignmentName(s, p, roleGuid)),
                },
                parent,
            );
        if (args.userObjectId !== undefined) {
            const user = later(args.userObjectId, "userObjectId", guidCheck("object id"));
            const type = args.userPrincipalType ?? "User";
            assign("user-registry-user", registry.id, user, type, ROLES.azureMlRegistryUser);
            assign("user-ai-developer", registry.id, user, type, ROLES.azureAiDeveloper);
        }
        for (const [key, id] of computeIdentityEntries<pulumi.Input<string>>(args.computeIdentityPrincipalIds)) {
            const principal = later(id, `computeIdentityPrincipalIds.${key}`, guidCheck("principal (object) id"));
            assign(`compute-${key}-registry-user`, registry.id, principal, "ServicePrincipal", ROLES.azureMlRegistryUser);
        }
        if (args.identityResourceGroupContributor) {
            assign("identity-rg-contributor", group.id, identityPrincipalId, "ServicePrincipal", ROLES.contributor);
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

        this.registryName = registry.name;
        this.registryId = registry.id;
        this.resourceGroupName = group.name;
        this.logAnalyticsWorkspaceName = logs.name;
        this.registryIdentityPrincipalId = identityPrincipalId;
        this.privateEndpointId = endpoint.id;
        this.registerOutputs({
            registryName: this.registryName,
            registryId: this.registryId,
            resourceGroupName: this.resourceGroupName,
            logAnalyticsWorkspaceName: this.logAnalyticsWorkspaceName,
            registryIdentityPrincipalId: this.registryIdentityPrincipalId,
            privateEndpointId: this.privateEndpointId,
        });
    }
}

const guidCheck = (what: string): Check => (problems, key, value) => checkGuid(problems, key, value, what);

/** The args as the shared validator sees them: Outputs and promises become DEFERRED. */
function toRaw(args: MlRegistryArgs): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(args ?? {})) {
        if (v === undefined) continue;
        if (isDeferred(v)) raw[k] = DEFERRED;
        else if ((k === "tags" || k === "computeIdentityPrincipalIds") && typeof v === "object" && v !== null && !Array.isArray(v)) {
            raw[k] = Object.fromEntries(Object.entries(v).map(([ek, ev]) => [ek, isDeferred(ev) ? DEFERRED : ev]));
        } else raw[k] = v;
    }
    return raw;
}
