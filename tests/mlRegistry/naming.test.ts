import * as assert from "assert";
import {
    BUILT_IN_ROLES,
    ROLES,
    acrKey,
    extraAcrEndpointNames,
    managedEndpointNames,
    registryAcrIds,
    managedResourceId,
    resolveRole,
    ROLE_ASSIGNMENT_NAMESPACE,
    mlRegistryNames,
    roleAssignmentName,
    roleDefinitionId,
    uuidV5,
} from "../../mlRegistry/naming";

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
        const n = mlRegistryNames(
            { purpose: "shared", locationCode: "eus2", suffix: "" },
            { registry: "contoso-models", resourceGroup: "rg-models" },
        );
        assert.strictEqual(n.registry, "contoso-models");
        assert.strictEqual(n.resourceGroup, "rg-models");
        assert.strictEqual(n.logAnalyticsWorkspace, "lawsharedeus2");
        assert.strictEqual(n.privateEndpoint, "pecontoso-modelsamlregistry");
    });

    it("computes RFC 4122 version 5 UUIDs (checked against Python's uuid.uuid5)", () => {
        // uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com")
        assert.strictEqual(
            uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
            "2ed6657d-e927-568b-95e1-2665a8aea6a2",
        );
        // the package namespace is uuid.uuid5(uuid.NAMESPACE_URL, "azure-databricks-mlops")
        assert.strictEqual(
            uuidV5("azure-databricks-mlops", "6ba7b811-9dad-11d1-80b4-00c04fd430c8"),
            ROLE_ASSIGNMENT_NAMESPACE,
        );
    });

    it("names a role assignment the same for the same scope, principal and role, whatever the case", () => {
        const scope =
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/registries/r";
        const a = roleAssignmentName(
            scope,
            "AAAAAAAA-0000-0000-0000-000000000001",
            ROLES.azureMlRegistryUser,
        );
        assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.strictEqual(
            roleAssignmentName(
                scope.toUpperCase(),
                "aaaaaaaa-0000-0000-0000-000000000001",
                ROLES.azureMlRegistryUser,
            ),
            a,
        );
        assert.notStrictEqual(
            roleAssignmentName(
                scope,
                "aaaaaaaa-0000-0000-0000-000000000001",
                ROLES.azureAiDeveloper,
            ),
            a,
            "role changes the name",
        );
        assert.notStrictEqual(
            roleAssignmentName(
                scope,
                "aaaaaaaa-0000-0000-0000-000000000002",
                ROLES.azureMlRegistryUser,
            ),
            a,
            "principal changes the name",
        );
        assert.notStrictEqual(
            roleAssignmentName(
                scope + "2",
                "aaaaaaaa-0000-0000-0000-000000000001",
                ROLES.azureMlRegistryUser,
            ),
            a,
            "scope changes the name",
        );
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

    it("pins the built-in role GUIDs to Microsoft's list (learn.microsoft.com/azure/role-based-access-control/built-in-roles)", () => {
        assert.deepStrictEqual(BUILT_IN_ROLES, {
            "AzureML Registry User": "1823dd4f-9b8c-4ab6-ab4e-7397a3684615",
            "AzureML Data Scientist": "f6c7c914-8db3-469d-8ca1-694a8f32e121",
            "AzureML Compute Operator": "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815",
            "Azure AI Developer": "64702f94-c441-49e6-a78b-ef80e0188fee",
            "Azure AI Administrator": "b78c5d69-af96-48a3-bf8d-a8b4d589de94",
            "Azure AI Enterprise Network Connection Approver":
                "b556d68e-0be0-4f35-a333-ad7ee1ce17ea",
            Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
            Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
            Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
            "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
            "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
        });
    });

    it("resolves a role by built-in name (any case), GUID or definition id, and nothing else", () => {
        const guid = "11111111-2222-3333-4444-555555555555";
        assert.deepStrictEqual(resolveRole("azureml data scientist"), {
            guid: "f6c7c914-8db3-469d-8ca1-694a8f32e121",
        });
        assert.deepStrictEqual(resolveRole(guid.toUpperCase()), { guid });
        assert.deepStrictEqual(
            resolveRole(`/providers/Microsoft.Authorization/roleDefinitions/${guid}`),
            { guid },
        );
        const full = `/subscriptions/00000000-1111-2222-3333-444444444444/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
        assert.deepStrictEqual(resolveRole(full), { guid, definitionId: full });
        for (const bad of [
            "Data Scientist",
            "",
            "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/" + guid,
            `${guid}x`,
        ]) {
            assert.strictEqual(resolveRole(bad), undefined, bad);
        }
    });

    it("names the managed endpoints after registry, region and group id", () => {
        assert.deepStrictEqual(managedEndpointNames("amlrx", "westeurope", "acr"), {
            privateEndpoint: "peamlrxwesteuroperegistry",
            networkInterface: "nicpeamlrxwesteuroperegistry",
            privateLinkConnection: "pecamlrxwesteuroperegistry",
        });
        assert.strictEqual(
            managedEndpointNames("amlrx", "eastus2", "storage").privateEndpoint,
            "peamlrxeastus2blob",
        );
    });

    it("finds the managed resource ids the registry reports, matching regions as ARM may spell them", () => {
        const details = [
            {
                location: "East US 2",
                storageAccountDetails: [
                    { systemCreatedStorageAccount: { armResourceId: { resourceId: "/st/east" } } },
                ],
                acrDetails: [
                    { systemCreatedAcrAccount: { armResourceId: { resourceId: "/acr/east" } } },
                ],
            },
            {
                location: "westeurope",
                storageAccountDetails: [{ systemCreatedStorageAccount: {} }],
                acrDetails: [],
            },
        ];
        assert.strictEqual(managedResourceId(details, "eastus2", "storage"), "/st/east");
        assert.strictEqual(managedResourceId(details, "eastus2", "acr"), "/acr/east");
        assert.strictEqual(
            managedResourceId(details, "westeurope", "storage"),
            undefined,
            "not reported yet",
        );
        assert.strictEqual(managedResourceId(details, "westeurope", "acr"), undefined);
        assert.strictEqual(managedResourceId(undefined, "eastus2", "acr"), undefined);
    });

    it("finds the registry's distinct ACRs: primary region first, ARM ids compared without case, regions without one skipped", () => {
        const acr = (id?: string) => [
            {
                systemCreatedAcrAccount:
                    id === undefined ? {} : { armResourceId: { resourceId: id } },
            },
        ];
        const A =
            "/subscriptions/s/resourceGroups/azureml-rg-r_g/providers/Microsoft.ContainerRegistry/registries/acrOne";
        const B =
            "/subscriptions/s/resourceGroups/azureml-rg-r_g/providers/Microsoft.ContainerRegistry/registries/acrTwo";
        // Azure's documented shape: one ACR, in the primary region's details only, or repeated in each.
        assert.deepStrictEqual(
            registryAcrIds(
                [
                    { location: "eastus2", acrDetails: acr(A) },
                    { location: "westeurope", acrDetails: [] },
                    { location: "northeurope" },
                ],
                "eastus2",
            ),
            [A],
        );
        assert.deepStrictEqual(
            registryAcrIds(
                [
                    { location: "westeurope", acrDetails: acr(A.toUpperCase()) },
                    { location: "East US 2", acrDetails: acr(A) },
                ],
                "eastus2",
            ),
            [A],
            "the primary region's spelling wins",
        );
        assert.deepStrictEqual(
            registryAcrIds(
                [
                    { location: "eastus2", acrDetails: acr() },
                    { location: "westeurope", acrDetails: acr(B) },
                ],
                "eastus2",
            ),
            [B],
            "a primary region without an id yet",
        );
        assert.deepStrictEqual(
            registryAcrIds(
                [
                    { location: "westeurope", acrDetails: acr(B) },
                    { location: "eastus2", acrDetails: acr(A) },
                ],
                "eastus2",
            ),
            [A, B],
        );
        assert.deepStrictEqual(registryAcrIds(undefined, "eastus2"), []);
    });

    it("keys and names an endpoint to a further ACR from its id, within Azure's 80 characters", () => {
        const id =
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/AcrTwo";
        assert.strictEqual(acrKey(id), "acrtwo");
        const names = extraAcrEndpointNames("a".repeat(32), id);
        assert.deepStrictEqual(
            names,
            extraAcrEndpointNames("a".repeat(32), id.toLowerCase()),
            "ARM ids are case-insensitive",
        );
        assert.match(names.privateEndpoint, /^pea{32}acr[0-9a-f]{8}registry$/);
        assert.ok(names.networkInterface.length <= 80 && names.privateLinkConnection.length <= 80);
        assert.notStrictEqual(
            names.privateEndpoint,
            extraAcrEndpointNames("a".repeat(32), id.replace("AcrTwo", "acrThree")).privateEndpoint,
        );
    });
});
