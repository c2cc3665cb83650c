/**
 * The providers' own rules, one row per resource type the package registers: which inputs replace the
 * resource, how the provider stores an input in state after Read, and how its diff compares them.
 * Each row names the source it was read from (repository + path; terraform-provider-azuread and
 * terraform-provider-databricks at the commits mirrored for this project, pulumi-azure-native by path).
 *
 * How each kind of provider diffs (what the replay in ./replay.ts reproduces):
 * - `terraform` (pulumi-azuread, pulumi-databricks: pulumi-terraform-bridge runs the Terraform plan): the
 *   program's value is compared with the value in state, which is what the last Read stored; a
 *   difference in a ForceNew attribute replaces, any other updates. DiffSuppressFuncs and set hashes
 *   decide what counts as different (`compared`). A resource without an Update function has every
 *   non-computed attribute ForceNew (terraform-provider-databricks common/resource.go).
 * - `azure-native`: the new inputs are compared with the old inputs (the provider requires the engine
 *   to send them, provider/pkg/provider/provider.go Configure); path parameters (resource names,
 *   resource group, scope) and properties marked forceNew replace (provider/pkg/provider/diff.go,
 *   provider/pkg/gen/replacement.go, and `x-ms-mutability: [read, create]`, e.g. a tracked resource's
 *   `location`); `location` is compared without case and spaces (diff.go applyAzureSpecificDiff).
 * - `dynamic`: the package's own provider decides (its `diff`), with the clock.
 * - `provider`: a provider resource's config change is an update of the provider; its resources keep
 *   their ids (pulumi-terraform-bridge's DiffConfig replaces only for config marked ForcesProviderReplace).
 */
import { diffAadToken } from "../../providers/aadToken/inputs";
import { decideSync } from "../../providers/scimSync/inputs";
import { rfc3339Utc } from "../../principals/entraCredentialDates";

export type DiffKind = "terraform" | "azure-native" | "dynamic" | "provider";

export interface DynamicDiff {
    readonly changes: boolean;
    readonly replaces: readonly string[];
}

export interface ResourceRule {
    readonly kind: DiffKind;
    /** Inputs whose change replaces the resource; "all" when the resource cannot be updated at all. */
    readonly forceNew: readonly string[] | "all";
    /** How Read stores an input, when not as given (terraform kind: what the next plan compares with). */
    readonly stored?: Readonly<Record<string, (v: any) => any>>;
    /** How the diff compares an input, when not byte for byte (diff suppression, set semantics): applied to both sides. */
    readonly compared?: Readonly<Record<string, (v: any) => any>>;
    /** The dynamic provider's own diff (dynamic kind): old state (inputs and outputs), new inputs, now. */
    readonly diff?: (
        olds: Record<string, any>,
        news: Record<string, any>,
        nowMs: number,
    ) => DynamicDiff;
    /** Repository and path the row was read from. */
    readonly source: string;
}

const AZUREAD = "hashicorp/terraform-provider-azuread";
const DATABRICKS = "databricks/terraform-provider-databricks";
const AZURE_NATIVE = "pulumi/pulumi-azure-native";

const RFC3339 =
    /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * What azuread stores as a password's `end_date` / `start_date` after the program sends `sent`: Create
 * truncates to whole seconds (Go's time.RFC3339 layout has none, credentials.go), Graph answers in UTC
 * with `Z`, and Read stores that as returned. Throws for what `validation.IsRFC3339Time` refuses.
 */
export function graphDateTime(sent: string): string {
    const m = RFC3339.exec(sent);
    if (!m) throw new Error(`not an RFC 3339 date-time: ${JSON.stringify(sent)}`);
    const [, y, mo, d, h, mi, s, , zone, sign, oh, om] = m;
    const offsetMinutes =
        zone.toUpperCase() === "Z" ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om));
    const localMs = Date.UTC(
        Number(y),
        Number(mo) - 1,
        Number(d),
        Number(h),
        Number(mi),
        Number(s),
    );
    return rfc3339Utc(localMs - offsetMinutes * 60_000);
}
/** A TypeSet: order does not count. */
const asSet = (v: unknown) => (Array.isArray(v) ? [...v].map((x) => JSON.stringify(x)).sort() : v);
/** common.EqualFoldDiffSuppress: names compare without case. */
const equalFold = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v);
/** Permissions' access_control set hash lowercases user and service principal names (permissions/resource_permissions.go). */
const accessControlSet = (v: unknown) =>
    asSet(
        Array.isArray(v)
            ? v.map((ac: Record<string, unknown>) => ({
                  ...ac,
                  ...(typeof ac.userName === "string" && { userName: ac.userName.toLowerCase() }),
                  ...(typeof ac.servicePrincipalName === "string" && {
                      servicePrincipalName: ac.servicePrincipalName.toLowerCase(),
                  }),
              }))
            : v,
    );
/** ucDirectoryPathSlashOnlySuppressDiff / directoryPathSuppressDiff: a trailing slash is no change. */
const noTrailingSlash = (v: unknown) => (typeof v === "string" ? v.replace(/\/$/, "") : v);
/** azure-native compares `location` lowercased and without spaces. */
const azureLocation = (v: unknown) =>
    typeof v === "string" ? v.toLowerCase().replace(/ /g, "") : v;

export const RULES: Readonly<Record<string, ResourceRule>> = {
    // ---- Entra (pulumi-azuread) -----------------------------------------------------------------------
    "azuread:index/application:Application": {
        kind: "terraform",
        forceNew: ["templateId"],
        compared: { owners: asSet },
        source: `${AZUREAD} internal/services/applications/application_resource.go`,
    },
    "azuread:index/servicePrincipal:ServicePrincipal": {
        kind: "terraform",
        forceNew: ["clientId"],
        compared: { owners: asSet },
        source: `${AZUREAD} internal/services/serviceprincipals/service_principal_resource.go`,
    },
    "azuread:index/applicationPassword:ApplicationPassword": {
        kind: "terraform",
        forceNew: [
            "applicationId",
            "displayName",
            "startDate",
            "endDate",
            "endDateRelative",
            "rotateWhenChanged",
        ],
        // Create sends the dates as time.RFC3339 (credentials.go); Read stores Graph's startDateTime/endDateTime.
        stored: { endDate: graphDateTime, startDate: graphDateTime },
        source: `${AZUREAD} internal/services/applications/application_password_resource.go, internal/helpers/credentials/credentials.go`,
    },
    // ---- Databricks (pulumi-databricks) --------------------------------------------------------------
    "databricks:index/servicePrincipal:ServicePrincipal": {
        kind: "terraform",
        forceNew: ["applicationId"],
        source: `${DATABRICKS} scim/resource_service_principal.go`,
    },
    "databricks:index/group:Group": {
        kind: "terraform",
        forceNew: ["externalId"],
        source: `${DATABRICKS} scim/resource_group.go`,
    },
    "databricks:index/groupMember:GroupMember": {
        kind: "terraform",
        forceNew: "all",
        source: `${DATABRICKS} scim/resource_group_member.go, common/pair.go`,
    },
    "databricks:index/permissions:Permissions": {
        kind: "terraform",
        // Every object-id field (one per permission mapping) is ForceNew; access_control updates.
        forceNew: [
            "authorization",
            "registeredModelId",
            "directoryPath",
            "directoryId",
            "clusterId",
            "jobId",
            "notebookPath",
            "sqlEndpointId",
        ],
        compared: { accessControls: accessControlSet },
        source: `${DATABRICKS} permissions/resource_permissions.go, permissions/permission_definitions.go`,
    },
    "databricks:index/token:Token": {
        kind: "terraform",
        forceNew: "all",
        source: `${DATABRICKS} tokens/resource_token.go`,
    },
    "databricks:index/secretScope:SecretScope": {
        kind: "terraform",
        forceNew: "all",
        source: `${DATABRICKS} secrets/resource_secret_scope.go, common/resource.go`,
    },
    "databricks:index/secret:Secret": {
        kind: "terraform",
        forceNew: "all",
        source: `${DATABRICKS} secrets/resource_secret.go`,
    },
    "databricks:index/secretAcl:SecretAcl": {
        kind: "terraform",
        forceNew: "all",
        source: `${DATABRICKS} secrets/resource_secret_acl.go`,
    },
    "databricks:index/directory:Directory": {
        kind: "terraform",
        forceNew: ["path"],
        compared: { path: noTrailingSlash },
        source: `${DATABRICKS} workspace/resource_directory.go`,
    },
    "databricks:index/catalog:Catalog": {
        kind: "terraform",
        forceNew: ["storageRoot", "connectionName", "providerName", "shareName"],
        // The API may give the root back without its final slash (why the provider suppresses exactly that).
        stored: { storageRoot: noTrailingSlash },
        compared: {
            name: equalFold,
            isolationMode: equalFold,
            owner: equalFold,
            storageRoot: noTrailingSlash,
        },
        source: `${DATABRICKS} catalog/resource_catalog.go`,
    },
    "databricks:index/schema:Schema": {
        kind: "terraform",
        forceNew: ["name", "catalogName", "storageRoot"],
        compared: { name: equalFold, catalogName: equalFold, storageRoot: noTrailingSlash },
        source: `${DATABRICKS} catalog/resource_schema.go`,
    },
    "databricks:index/grant:Grant": {
        kind: "terraform",
        // principal and every securable field (catalog, schema, ...) are ForceNew; privileges is a set.
        forceNew: [
            "principal",
            "catalog",
            "schema",
            "metastore",
            "table",
            "volume",
            "model",
            "function",
            "externalLocation",
            "storageCredential",
            "share",
        ],
        compared: {
            privileges: (v: unknown) =>
                asSet(
                    Array.isArray(v) ? v.map((p) => String(p).toUpperCase().replace(/ /g, "_")) : v,
                ),
        },
        source: `${DATABRICKS} catalog/resource_grant.go`,
    },
    "databricks:index/workspaceBinding:WorkspaceBinding": {
        kind: "terraform",
        forceNew: "all",
        source: `${DATABRICKS} catalog/resource_workspace_binding.go`,
    },
    "databricks:index/servicePrincipalSecret:ServicePrincipalSecret": {
        kind: "terraform",
        forceNew: "all",
        source: `${DATABRICKS} tokens/resource_service_principal_secret.go`,
    },
    "databricks:index/servicePrincipalFederationPolicy:ServicePrincipalFederationPolicy": {
        kind: "terraform",
        forceNew: ["policyId", "servicePrincipalId"],
        source: `${DATABRICKS} internal/providers/pluginfw/products/service_principal_federation_policy/resource_service_principal_federation_policy.go`,
    },
    // ---- Azure (pulumi-azure-native) -----------------------------------------------------------------
    "azure-native:resources:ResourceGroup": {
        kind: "azure-native",
        forceNew: ["resourceGroupName", "location"],
        compared: { location: azureLocation },
        source: `${AZURE_NATIVE} provider/pkg/provider/diff.go, provider/pkg/gen/replacement.go (Resources.ResourceGroup: location)`,
    },
    "azure-native:operationalinsights:Workspace": {
        kind: "azure-native",
        forceNew: ["resourceGroupName", "workspaceName", "location"],
        compared: { location: azureLocation },
        source: `${AZURE_NATIVE} provider/pkg/provider/diff.go (path parameters; TrackedResource.location x-ms-mutability read/create)`,
    },
    "azure-native:machinelearningservices:Registry": {
        kind: "azure-native",
        forceNew: ["resourceGroupName", "registryName", "location"],
        compared: { location: azureLocation },
        source: `${AZURE_NATIVE} provider/pkg/provider/diff.go (path parameters; TrackedResource.location x-ms-mutability read/create)`,
    },
    "azure-native:network:PrivateEndpoint": {
        kind: "azure-native",
        forceNew: ["resourceGroupName", "privateEndpointName", "subnet"],
        compared: { location: azureLocation },
        source: `${AZURE_NATIVE} provider/pkg/provider/diff.go, provider/pkg/gen/replacement.go (Network.PrivateEndpoint: subnet)`,
    },
    "azure-native:network:PrivateDnsZoneGroup": {
        kind: "azure-native",
        forceNew: ["resourceGroupName", "privateEndpointName", "privateDnsZoneGroupName"],
        source: `${AZURE_NATIVE} provider/pkg/provider/diff.go (path parameters)`,
    },
    "azure-native:monitor:DiagnosticSetting": {
        kind: "azure-native",
        forceNew: ["resourceUri", "name"],
        source: `${AZURE_NATIVE} provider/pkg/provider/diff.go (path parameters)`,
    },
    "azure-native:authorization:RoleAssignment": {
        kind: "azure-native",
        forceNew: ["scope", "roleAssignmentName", "principalId"],
        source: `${AZURE_NATIVE} provider/pkg/provider/diff.go, provider/pkg/gen/replacement.go (Authorization.RoleAssignment: principalId, scope)`,
    },
    "azure-native:authorization:ManagementLockByScope": {
        kind: "azure-native",
        forceNew: ["scope", "lockName"],
        source: `${AZURE_NATIVE} provider/pkg/provider/diff.go (path parameters)`,
    },
    // ---- The package's dynamic providers ---------------------------------------------------------------
    "pulumi-nodejs:dynamic/aad:Token": {
        kind: "dynamic",
        forceNew: ["tenantId", "clientId", "scope", "authorityHost"],
        diff: (olds, news, nowMs) => diffAadToken(olds, news, nowMs),
        source: "azure-databricks-mlops providers/aadToken/inputs.ts (diffAadToken)",
    },
    "pulumi-nodejs:dynamic/scim:Sync": {
        kind: "dynamic",
        forceNew: [],
        diff: (olds, news, nowMs) => ({
            changes: decideSync(olds, news, new Date(nowMs)).changes,
            replaces: [],
        }),
        source: "azure-databricks-mlops providers/scimSync/inputs.ts (decideSync), providers/scimSync/methods.ts (never a replace)",
    },
    // ---- Providers the components build ----------------------------------------------------------------
    // The bridge's DiffConfig replaces only for config marked ForcesProviderReplace; neither provider marks any.
    "pulumi:providers:databricks": {
        kind: "provider",
        forceNew: [],
        source: "pulumi/pulumi-databricks provider/resources.go (Config), pulumi/pulumi-terraform-bridge pkg/tfbridge/provider.go (DiffConfig)",
    },
    "pulumi:providers:azuread": {
        kind: "provider",
        forceNew: [],
        source: "pulumi/pulumi-azuread provider/resources.go (Config), pulumi/pulumi-terraform-bridge pkg/tfbridge/provider.go (DiffConfig)",
    },
};
