import * as assert from "assert";
import {
    ROLES,
    ROLE_ASSIGNMENT_NAMESPACE,
    mlRegistryNames,
    roleAssignmentName,
    roleDefinitionId,
    uuidV5,
} from "../../components/mlRegistryNaming";

describe("MlRegistry naming (pure)", () => {
    it("derives the Terraform module's names from purpose, location code and suffix", () => {
        const n = mlRegistryNames({ purpose: "shared", locationCode: "eus2", suffix: "x7k2" });
        assert.deepStrictEqual(n, {
            resourceGroup: "rg-aml-reg-shared-eus2",
            registry: "amlrsharedeus2x7k2",
            logAnalyticsWorkspace: "lawsharedeus2x7k2",
            privateEndpoint: "peamlrsharedeus2x7k2amlregistry",
            networkInterface: "nicpeamlrsharedeus2x7k2amlregistry",
            privateLinkConnection: "pecamlrsharedeus2x7k2amlregistry",
            dnsZoneGroup: "default",
            diagnosticSetting: "diagamlrsharedeus2x7k2",
            lock: "amlrsharedeus2x7k2-cannotdelete",
        });
    });

    it("applies overrides one by one; endpoint names follow an overridden registry name", () => {
        const n = mlRegistryNames({ purpose: "shared", locationCode: "eus2", suffix: "" }, { registry: "contoso-models", resourceGroup: "rg-models" });
        assert.strictEqual(n.registry, "contoso-models");
        assert.strictEqual(n.resourceGroup, "rg-models");
        assert.strictEqual(n.logAnalyticsWorkspace, "lawsharedeus2");
        assert.strictEqual(n.privateEndpoint, "pecontoso-modelsamlregistry");
    });

    it("computes RFC 4122 version 5 UUIDs (checked against Python's uuid.uuid5)", () => {
        // uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com")
        assert.strictEqual(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
        // the package namespace is uuid.uuid5(uuid.NAMESPACE_URL, "azure-databricks-mlops")
        assert.strictEqual(uuidV5("azure-databricks-mlops", "6ba7b811-9dad-11d1-80b4-00c04fd430c8"), ROLE_ASSIGNMENT_NAMESPACE);
    });

    it("names a role assignment the same for the same scope, principal and role, whatever the case", () => {
        const scope = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/registries/r";
        const a = roleAssignmentName(scope, "AAAAAAAA-0000-0000-0000-000000000001", ROLES.azureMlRegistryUser);
        assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.strictEqual(roleAssignmentName(scope.toUpperCase(), "aaaaaaaa-0000-0000-0000-000000000001", ROLES.azureMlRegistryUser), a);
        assert.notStrictEqual(roleAssignmentName(scope, "aaaaaaaa-0000-0000-0000-000000000001", ROLES.azureAiDeveloper), a, "role changes the name");
        assert.notStrictEqual(roleAssignmentName(scope, "aaaaaaaa-0000-0000-0000-000000000002", ROLES.azureMlRegistryUser), a, "principal changes the name");
        assert.notStrictEqual(roleAssignmentName(scope + "2", "aaaaaaaa-0000-0000-0000-000000000001", ROLES.azureMlRegistryUser), a, "scope changes the name");
    });

    it("builds full role definition ids and keeps the built-in role GUIDs", () => {
        assert.strictEqual(
            roleDefinitionId("sub-1", ROLES.contributor),
            "/subscriptions/sub-1/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c",
        );
        assert.deepStrictEqual(ROLES, {
            azureMlRegistryUser: "1823dd4f-9b8c-4ab6-ab4e-7397a3684615",
            azureAiDeveloper: "64702f94-c441-49e6-a78b-ef80e0188fee",
            contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
        });
    });
});
