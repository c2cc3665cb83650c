import * as assert from "assert";
import { Problems } from "../../config/problems";
import { DEFERRED, validateMlRegistry } from "../../components/mlRegistryValidation";
import { COMPUTE_A, SUB, USER, ZONE_ID, validSettings } from "./fixtures";

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
        const found = problemsFor({ purpose: undefined, location: undefined, locationCode: undefined, suffix: undefined, subnetId: undefined, privateDnsZoneId: undefined });
        assert.deepStrictEqual([...found.keys()].sort(), ["location", "locationCode", "privateDnsZoneId", "purpose", "subnetId", "suffix"]);
        assert.match(found.get("purpose")!, /lowercase letters or digits .* got nothing/);
        assert.match(found.get("subnetId")!, /subnet resource id like \/subscriptions\/<subscription-guid>.*virtualNetworks\/<vnet>\/subnets\/<subnet>/);
    });

    it("rejects a subnet id that is not a subnet, or has no subscription GUID", () => {
        assertOnly(problemsFor({ subnetId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet` }), "subnetId", /must be a subnet resource id/);
        assertOnly(problemsFor({ subnetId: "/subscriptions/my-sub/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s" }), "subnetId", /has the subscription segment "my-sub", which must be the subscription's GUID/);
    });

    it("requires the privatelink.api.azureml.ms zone and explains the notebooks zone", () => {
        const notebooks = ZONE_ID.replace("privatelink.api.azureml.ms", "privatelink.notebooks.azure.net");
        assertOnly(problemsFor({ privateDnsZoneId: notebooks }), "privateDnsZoneId", /privatelink\.api\.azureml\.ms zone, got the zone "privatelink\.notebooks\.azure\.net" \(that zone serves workspace notebooks/);
        assertOnly(problemsFor({ privateDnsZoneId: "privatelink.api.azureml.ms" }), "privateDnsZoneId", /must be a private DNS zone resource id/);
        assert.strictEqual(problemsFor({ privateDnsZoneId: ZONE_ID.replace("privatelink.api.azureml.ms", "PrivateLink.Api.AzureML.ms") }).size, 0, "zone names are case-insensitive");
    });

    it("requires GUIDs for the user and compute identities, and each principal once", () => {
        assertOnly(problemsFor({ userObjectId: "me@contoso.com" }), "userObjectId", /must be a GUID object id/);
        assertOnly(problemsFor({ computeIdentityPrincipalIds: [COMPUTE_A, "cluster-1"] }), "computeIdentityPrincipalIds[1]", /must be a GUID principal/);
        assertOnly(problemsFor({ computeIdentityPrincipalIds: [COMPUTE_A, COMPUTE_A.toUpperCase()] }), "computeIdentityPrincipalIds[1]", /repeats the principal .* at computeIdentityPrincipalIds\[0\]/);
        assertOnly(problemsFor({ computeIdentityPrincipalIds: { cluster: USER } }), "computeIdentityPrincipalIds.cluster", /already given at userObjectId/);
        assertOnly(problemsFor({ computeIdentityPrincipalIds: { "Cluster One": COMPUTE_A } }), "computeIdentityPrincipalIds.Cluster One", /bad key/);
        assertOnly(problemsFor({ userPrincipalType: "ServicePrincipal" }), "userPrincipalType", /one of User, Group/);
    });

    it("enforces registry name rules on derived and overridden names", () => {
        assertOnly(problemsFor({ purpose: "modelsharingacrossteams", suffix: "abcdef" }), "names.registry", /registry name "amlrmodelsharingacrossteamseus2abcdef" \(37 characters\).*3 to 32.*derived from purpose, locationCode and suffix/);
        assertOnly(problemsFor({ names: { registry: "-models" } }), "names.registry", /starting with a letter or digit/);
        assertOnly(problemsFor({ names: { registry: "my.models" } }), "names.registry", /letters, digits, '-' or '_'/);
        assert.strictEqual(problemsFor({ names: { registry: "Contoso_Models-1" } }).size, 0);
        assertOnly(problemsFor({ purpose: "Shared" }), "purpose", /lowercase letters or digits .* got "Shared"/);
    });

    it("keeps names away from Azure's managed resource group and rejects unknown name keys", () => {
        assertOnly(problemsFor({ names: { resourceGroup: "azureml-rg-amlrsharedeus2x7k2_1234" } }), "names.resourceGroup", /belong to the resource groups Azure manages/);
        assertOnly(problemsFor({ names: { storage: "x" } }), "names.storage", /not a name that can be overridden; valid ones: resourceGroup, registry/);
    });

    it("checks retention, regions, replication regions, tags, the lock flag and unknown settings", () => {
        assertOnly(problemsFor({ logRetentionDays: 7 }), "logRetentionDays", /whole number of days from 30 to 730, got 7/);
        assert.strictEqual(problemsFor({ logRetentionDays: 90 }).size, 0);
        assertOnly(problemsFor({ location: "East US 2" }), "location", /programmatic name like eastus2/);
        assertOnly(problemsFor({ replicationLocations: ["westus", "eastus2"] }), "replicationLocations[1]", /repeats eastus2, the primary location/);
        assertOnly(problemsFor({ tags: { "a/b": "x" } }), "tags.a/b", /not a valid tag name/);
        assertOnly(problemsFor({ tags: { env: 3 } }), "tags.env", /must be a string/);
        assertOnly(problemsFor({ deleteLock: "yes" }), "deleteLock", /true or false/);
        assertOnly(problemsFor({ identityResourceGroupContributor: "yes" }), "identityResourceGroupContributor", /true or false, got "yes"/);
        assertOnly(problemsFor({ subnetID: "x" }), "subnetID", /not a known setting; valid ones: purpose, location/);
    });

    it("skips values only known at deployment", () => {
        const found = problemsFor({ subnetId: DEFERRED, privateDnsZoneId: DEFERRED, userObjectId: DEFERRED, location: DEFERRED, tags: { env: DEFERRED }, computeIdentityPrincipalIds: { a: DEFERRED } });
        assert.deepStrictEqual([...found], []);
    });

    it("leaves problems other sections collected alone when deciding its result", () => {
        const problems = new Problems();
        problems.add("azure-databricks-mlops:workspaces", "elsewhere");
        assert.ok(validateMlRegistry(problems, { ...validSettings }, (p) => p), "names are returned though the collector was not empty");
    });
});
