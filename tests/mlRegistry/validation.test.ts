import * as assert from "assert";
import { Problems } from "../../core/problems";
import { DEFERRED, validateMlRegistry } from "../../mlRegistry/validation";
import {
    ACR_ZONE_ID,
    BLOB_ZONE_ID,
    COMPUTE_A,
    SUB,
    USER,
    ZONE_ID,
    validSettings,
} from "./fixtures";

/** Problems for these settings, as `path: reason` lines. */
function problemsFor(overrides: Record<string, unknown>): Map<string, string> {
    const problems = new Problems();
    const raw: Record<string, unknown> = { ...validSettings, ...overrides };
    for (const [k, v] of Object.entries(raw)) if (v === undefined) delete raw[k];
    validateMlRegistry(problems, raw, (p) => p);
    return new Map(problems.items.map((p) => [p.key, p.reason]));
}

function assertOnly(found: Map<string, string>, key: string, pattern: RegExp): void {
    assert.deepStrictEqual([...found.keys()], [key], `problems: ${JSON.stringify([...found])}`);
    assert.match(found.get(key)!, pattern);
}

describe("MlRegistry validation (pure)", () => {
    it("accepts valid settings and returns the names", () => {
        const problems = new Problems();
        const names = validateMlRegistry(problems, { ...validSettings }, (p) => p);
        assert.deepStrictEqual(problems.items, []);
        assert.strictEqual(names?.registry, "amlrsharedeus2x7k2");
    });

    it("requires the six base settings and says what each must be", () => {
        const found = problemsFor({
            purpose: undefined,
            location: undefined,
            locationCode: undefined,
            suffix: undefined,
            subnetId: undefined,
            privateDnsZoneId: undefined,
        });
        assert.deepStrictEqual([...found.keys()].sort(), [
            "location",
            "locationCode",
            "privateDnsZoneId",
            "purpose",
            "subnetId",
            "suffix",
        ]);
        assert.match(found.get("purpose")!, /lowercase letters or digits .* got nothing/);
        assert.match(
            found.get("subnetId")!,
            /subnet resource id like \/subscriptions\/<subscription-guid>.*virtualNetworks\/<vnet>\/subnets\/<subnet>/,
        );
    });

    it("rejects a subnet id that is not a subnet, or has no subscription GUID", () => {
        assertOnly(
            problemsFor({
                subnetId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet`,
            }),
            "subnetId",
            /must be a subnet resource id/,
        );
        assertOnly(
            problemsFor({
                subnetId:
                    "/subscriptions/my-sub/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
            }),
            "subnetId",
            /has the subscription segment "my-sub", which must be the subscription's GUID/,
        );
    });

    it("requires the privatelink.api.azureml.ms zone and explains the notebooks zone", () => {
        const notebooks = ZONE_ID.replace(
            "privatelink.api.azureml.ms",
            "privatelink.notebooks.azure.net",
        );
        assertOnly(
            problemsFor({ privateDnsZoneId: notebooks }),
            "privateDnsZoneId",
            /privatelink\.api\.azureml\.ms zone, got the zone "privatelink\.notebooks\.azure\.net" \(that zone serves workspace notebooks/,
        );
        assertOnly(
            problemsFor({ privateDnsZoneId: "privatelink.api.azureml.ms" }),
            "privateDnsZoneId",
            /must be a private DNS zone resource id/,
        );
        assert.strictEqual(
            problemsFor({
                privateDnsZoneId: ZONE_ID.replace(
                    "privatelink.api.azureml.ms",
                    "PrivateLink.Api.AzureML.ms",
                ),
            }).size,
            0,
            "zone names are case-insensitive",
        );
    });

    it("requires GUIDs for the user and compute identities, and each principal once", () => {
        assertOnly(
            problemsFor({ userObjectId: "me@contoso.com" }),
            "userObjectId",
            /must be a GUID object id/,
        );
        assertOnly(
            problemsFor({ computeIdentityPrincipalIds: [COMPUTE_A, "cluster-1"] }),
            "computeIdentityPrincipalIds[1]",
            /must be a GUID principal/,
        );
        assertOnly(
            problemsFor({ computeIdentityPrincipalIds: [COMPUTE_A, COMPUTE_A.toUpperCase()] }),
            "computeIdentityPrincipalIds[1]",
            /repeats the principal .* at computeIdentityPrincipalIds\[0\]/,
        );
        assertOnly(
            problemsFor({ computeIdentityPrincipalIds: { cluster: USER } }),
            "computeIdentityPrincipalIds.cluster",
            /already given at userObjectId/,
        );
        assertOnly(
            problemsFor({ computeIdentityPrincipalIds: { "Cluster One": COMPUTE_A } }),
            "computeIdentityPrincipalIds.Cluster One",
            /bad key/,
        );
        assertOnly(
            problemsFor({ userPrincipalType: "ServicePrincipal" }),
            "userPrincipalType",
            /one of User, Group/,
        );
    });

    it("enforces registry name rules on derived and overridden names", () => {
        assertOnly(
            problemsFor({ purpose: "modelsharingacrossteams", suffix: "abcdef" }),
            "names.registry",
            /registry name "amlrmodelsharingacrossteamseus2abcdef" \(37 characters\).*3 to 32.*derived from purpose, locationCode and suffix/,
        );
        assertOnly(
            problemsFor({ names: { registry: "-models" } }),
            "names.registry",
            /starting with a letter or digit/,
        );
        assertOnly(
            problemsFor({ names: { registry: "my.models" } }),
            "names.registry",
            /letters, digits, '-' or '_'/,
        );
        assert.strictEqual(problemsFor({ names: { registry: "Contoso_Models-1" } }).size, 0);
        assertOnly(
            problemsFor({ purpose: "Shared" }),
            "purpose",
            /lowercase letters or digits .* got "Shared"/,
        );
    });

    it("keeps names away from Azure's managed resource group and rejects unknown name keys", () => {
        assertOnly(
            problemsFor({ names: { resourceGroup: "azureml-rg-amlrsharedeus2x7k2_1234" } }),
            "names.resourceGroup",
            /belong to the resource groups Azure manages/,
        );
        assertOnly(
            problemsFor({ names: { storage: "x" } }),
            "names.storage",
            /not a name that can be overridden; valid ones: resourceGroup, registry/,
        );
    });

    it("checks retention, regions, replication regions, tags, the lock flag and unknown settings", () => {
        assertOnly(
            problemsFor({ logRetentionDays: 7 }),
            "logRetentionDays",
            /whole number of days from 30 to 730, got 7/,
        );
        assert.strictEqual(problemsFor({ logRetentionDays: 90 }).size, 0);
        assertOnly(
            problemsFor({ location: "East US 2" }),
            "location",
            /programmatic name like eastus2/,
        );
        assertOnly(
            problemsFor({ replicationLocations: ["westus", "eastus2"] }),
            "replicationLocations[1]",
            /repeats eastus2, the primary location/,
        );
        assertOnly(problemsFor({ tags: { "a/b": "x" } }), "tags.a/b", /not a valid tag name/);
        assertOnly(problemsFor({ tags: { env: 3 } }), "tags.env", /must be a string/);
        assertOnly(problemsFor({ deleteLock: "yes" }), "deleteLock", /true or false/);
        assertOnly(
            problemsFor({ identityResourceGroupContributor: "yes" }),
            "identityResourceGroupContributor",
            /true or false, got "yes"/,
        );
        assertOnly(
            problemsFor({ subnetID: "x" }),
            "subnetID",
            /not a known setting; valid ones: purpose, location/,
        );
    });

    it("requires the blob and ACR zones while the managed endpoints are on, naming the input and the opt-out", () => {
        const found = problemsFor({
            blobPrivateDnsZoneId: undefined,
            acrPrivateDnsZoneId: undefined,
        });
        assert.deepStrictEqual([...found.keys()], ["blobPrivateDnsZoneId", "acrPrivateDnsZoneId"]);
        assert.match(
            found.get("blobPrivateDnsZoneId")!,
            /is required: the registry's public network access is disabled, so its managed storage account in every region gets a private endpoint registered in your privatelink\.blob\.core\.windows\.net zone; give that zone's id, or set managedResourcePrivateEndpoints: false/,
        );
        assert.match(
            found.get("acrPrivateDnsZoneId")!,
            /managed container registry .* privatelink\.azurecr\.io zone/,
        );
        assert.strictEqual(
            problemsFor({
                blobPrivateDnsZoneId: undefined,
                acrPrivateDnsZoneId: undefined,
                managedResourcePrivateEndpoints: false,
            }).size,
            0,
            "the opt-out needs no zones",
        );
    });

    it("checks each zone id is its own zone, with a hint for a zone meant for something else", () => {
        assertOnly(
            problemsFor({ blobPrivateDnsZoneId: ZONE_ID }),
            "blobPrivateDnsZoneId",
            /privatelink\.blob\.core\.windows\.net zone, got the zone "privatelink\.api\.azureml\.ms" \(that zone serves registries and workspaces \(privateDnsZoneId\)\)/,
        );
        assertOnly(
            problemsFor({ acrPrivateDnsZoneId: BLOB_ZONE_ID }),
            "acrPrivateDnsZoneId",
            /privatelink\.azurecr\.io zone, got the zone "privatelink\.blob\.core\.windows\.net" \(that zone serves blob storage \(blobPrivateDnsZoneId\)\)/,
        );
        assertOnly(
            problemsFor({ privateDnsZoneId: ACR_ZONE_ID }),
            "privateDnsZoneId",
            /that zone serves container registries \(acrPrivateDnsZoneId\)/,
        );
        assertOnly(
            problemsFor({ blobPrivateDnsZoneId: BLOB_ZONE_ID.replace("blob", "dfs") }),
            "blobPrivateDnsZoneId",
            /Data Lake storage \(dfs\)/,
        );
        assertOnly(
            problemsFor({ acrPrivateDnsZoneId: "privatelink.azurecr.io" }),
            "acrPrivateDnsZoneId",
            /must be a private DNS zone resource id/,
        );
    });

    it("refuses zone ids with the endpoints off, a non-boolean opt-out, and a non-Premium ACR while endpoints are on", () => {
        assertOnly(
            problemsFor({ managedResourcePrivateEndpoints: false, acrPrivateDnsZoneId: undefined }),
            "blobPrivateDnsZoneId",
            /is set but managedResourcePrivateEndpoints is false/,
        );
        assertOnly(
            problemsFor({ managedResourcePrivateEndpoints: "no" }),
            "managedResourcePrivateEndpoints",
            /true or false/,
        );
        assertOnly(
            problemsFor({ acrSku: "Standard" }),
            "acrSku",
            /is Standard, but private endpoints to a container registry need the Premium tier; use Premium, or set managedResourcePrivateEndpoints: false/,
        );
        assertOnly(
            problemsFor({ acrSku: "premium" }),
            "acrSku",
            /one of Basic, Standard, Premium, got "premium"/,
        );
        assert.strictEqual(
            problemsFor({
                acrSku: "Basic",
                managedResourcePrivateEndpoints: false,
                blobPrivateDnsZoneId: undefined,
                acrPrivateDnsZoneId: undefined,
            }).size,
            0,
        );
    });

    it("checks storage account types, for all regions and per registry region", () => {
        assertOnly(
            problemsFor({ storageAccountType: "Standard_LRS2" }),
            "storageAccountType",
            /one of Standard_LRS, Standard_GRS, .*Premium_ZRS, got "Standard_LRS2"/,
        );
        assertOnly(
            problemsFor({ regionStorageAccountTypes: { westeurope: "Standard_ZRS" } }),
            "regionStorageAccountTypes.westeurope",
            /names a region the registry does not have; its regions: eastus2 \(location and replicationLocations\)/,
        );
        assertOnly(
            problemsFor({
                replicationLocations: ["westeurope"],
                regionStorageAccountTypes: { westeurope: "ZRS" },
            }),
            "regionStorageAccountTypes.westeurope",
            /one of Standard_LRS/,
        );
        assert.strictEqual(
            problemsFor({
                replicationLocations: ["westeurope"],
                regionStorageAccountTypes: { eastus2: "Premium_ZRS", westeurope: "Standard_GZRS" },
            }).size,
            0,
        );
        assertOnly(
            problemsFor({ regionStorageAccountTypes: ["Standard_ZRS"] }),
            "regionStorageAccountTypes",
            /map from a registry region/,
        );
    });

    it("checks identities: at least one, user-assigned ones as identity resource ids, each once", () => {
        const uami = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-reg`;
        assertOnly(
            problemsFor({ systemAssignedIdentity: false }),
            "systemAssignedIdentity",
            /is false and userAssignedIdentityIds is empty; a registry needs an identity/,
        );
        assert.strictEqual(
            problemsFor({ systemAssignedIdentity: false, userAssignedIdentityIds: [uami] }).size,
            0,
        );
        assertOnly(
            problemsFor({ userAssignedIdentityIds: ["id-reg"] }),
            "userAssignedIdentityIds[0]",
            /user-assigned managed identity's resource id like \/subscriptions\/<subscription-guid>/,
        );
        assertOnly(
            problemsFor({
                userAssignedIdentityIds: [
                    uami,
                    uami.toUpperCase().replace("/SUBSCRIPTIONS/", "/subscriptions/"),
                ],
            }),
            "userAssignedIdentityIds[1]",
            /repeats userAssignedIdentityIds\[0\]/,
        );
        assertOnly(
            problemsFor({ userAssignedIdentityIds: uami }),
            "userAssignedIdentityIds",
            /must be a list/,
        );
        assertOnly(
            problemsFor({ systemAssignedIdentity: "yes" }),
            "systemAssignedIdentity",
            /true or false/,
        );
    });

    it("checks role assignments: principal, type, role (listing the built-in names), keys and collisions", () => {
        const ok = {
            principalId: COMPUTE_A.replace("0a", "0f"),
            principalType: "User",
            role: "Reader",
        };
        assert.strictEqual(problemsFor({ roleAssignments: [ok] }).size, 0);
        assertOnly(
            problemsFor({ roleAssignments: [{ ...ok, role: "Data Scientist" }] }),
            "roleAssignments[0].role",
            /must be a built-in role name \(AzureML Registry User, AzureML Data Scientist, .*Reader, Contributor, Owner.*\) or a role definition id .* got "Data Scientist"/,
        );
        assertOnly(
            problemsFor({ roleAssignments: [{ ...ok, principalType: "user" }] }),
            "roleAssignments[0].principalType",
            /one of User, Group, ServicePrincipal, ForeignGroup, Device/,
        );
        assertOnly(
            problemsFor({ roleAssignments: [{ ...ok, principalId: "ops@contoso.com" }] }),
            "roleAssignments[0].principalId",
            /must be a GUID principal/,
        );
        assertOnly(
            problemsFor({ roleAssignments: [{ ...ok, principalId: DEFERRED }] }),
            "roleAssignments[0].key",
            /is required when principalId is only known at deployment/,
        );
        assert.strictEqual(
            problemsFor({ roleAssignments: [{ ...ok, principalId: DEFERRED, key: "ops" }] }).size,
            0,
        );
        assertOnly(
            problemsFor({ roleAssignments: [{ ...ok, key: "Ops Team" }] }),
            "roleAssignments[0].key",
            /1 to 40 lowercase letters/,
        );
        assertOnly(
            problemsFor({
                roleAssignments: [
                    { ...ok, key: "a" },
                    { ...ok, role: "Owner", key: "a" },
                ],
            }),
            "roleAssignments[1].key",
            /repeats the key of roleAssignments\[0\]/,
        );
        assertOnly(
            problemsFor({
                roleAssignments: [ok, { ...ok, role: "acdd72a7-3385-48ef-bd42-f606fba81ae7" }],
            }),
            "roleAssignments[1]",
            /same role to the same principal as roleAssignments\[0\]/,
        );
        assertOnly(
            problemsFor({
                roleAssignments: [
                    { principalId: USER, principalType: "User", role: "Azure AI Developer" },
                ],
            }),
            "roleAssignments[0]",
            /same role to the same principal as userObjectId/,
        );
        assertOnly(
            problemsFor({
                roleAssignments: [
                    {
                        principalId: COMPUTE_A,
                        principalType: "ServicePrincipal",
                        role: "AzureML Registry User",
                    },
                ],
            }),
            "roleAssignments[0]",
            /as computeIdentityPrincipalIds\[0\]/,
        );
        assertOnly(
            problemsFor({ roleAssignments: [{ ...ok, scope: "rg" }] }),
            "roleAssignments[0].scope",
            /not a known setting; valid ones: principalId, principalType, role, key/,
        );
        assertOnly(
            problemsFor({ roleAssignments: ["Reader"] }),
            "roleAssignments[0]",
            /must be an object/,
        );
        assertOnly(
            problemsFor({ roleAssignments: { ops: ok } }),
            "roleAssignments",
            /must be a list/,
        );
    });

    it("skips values only known at deployment", () => {
        const found = problemsFor({
            subnetId: DEFERRED,
            privateDnsZoneId: DEFERRED,
            blobPrivateDnsZoneId: DEFERRED,
            acrPrivateDnsZoneId: DEFERRED,
            userObjectId: DEFERRED,
            location: DEFERRED,
            tags: { env: DEFERRED },
            computeIdentityPrincipalIds: { a: DEFERRED },
            userAssignedIdentityIds: [DEFERRED],
            regionStorageAccountTypes: { westeurope: "Standard_ZRS" },
        });
        assert.deepStrictEqual([...found], []);
    });

    it("leaves problems other sections collected alone when deciding its result", () => {
        const problems = new Problems();
        problems.add("azure-databricks-mlops:workspaces", "elsewhere");
        assert.ok(
            validateMlRegistry(problems, { ...validSettings }, (p) => p),
            "names are returned though the collector was not empty",
        );
    });
});
