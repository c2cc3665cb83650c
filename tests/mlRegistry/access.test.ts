import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { mocks } from "../support/mocks";
import { BUILT_IN_ROLES, ROLES, roleAssignmentName } from "../../mlRegistry/naming";
import { COMPUTE_A, SUB, USER, validSettings } from "./fixtures";
import { REGISTRY_ID, RG_ID, T, deploy, resetRegistryMocks, roleDef } from "./deploy";

const UAMI_A = `/subscriptions/${SUB}/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-registry`;
const UAMI_B = `/subscriptions/${SUB}/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-build`;
const PRINCIPAL = "aaaaaaaa-bbbb-cccc-dddd-0000000000d1";
const CUSTOM_ROLE = "11111111-2222-3333-4444-555555555555";

describe("MlRegistry identities, role assignments and storage options (under mocks)", () => {
    beforeEach(resetRegistryMocks);

    describe("identity", () => {
        it("user-assigned only: the registry carries the identities, and the first one's principal (as the registry reports it) is the registry's identity", async () => {
            const out = await deploy({
                ...validSettings,
                systemAssignedIdentity: false,
                userAssignedIdentityIds: [UAMI_A, UAMI_B],
                identityResourceGroupContributor: true,
            });
            assert.deepStrictEqual(mocks.one(T.registry).inputs.identity, {
                type: "UserAssigned",
                userAssignedIdentities: [UAMI_A, UAMI_B],
            });
            assert.strictEqual(out.registryIdentityPrincipalId, "principal-id-of-id-registry");
            const contributor = mocks.one(T.role, "reg-identity-rg-contributor").inputs;
            assert.deepStrictEqual(
                [contributor.scope, contributor.principalId],
                [RG_ID, "principal-id-of-id-registry"],
            );
        });

        it("system and user-assigned together: type SystemAssigned,UserAssigned, the system principal is the registry's identity", async () => {
            const out = await deploy({
                ...validSettings,
                userAssignedIdentityIds: [pulumi.output(UAMI_A)],
            });
            assert.deepStrictEqual(mocks.one(T.registry).inputs.identity, {
                type: "SystemAssigned,UserAssigned",
                userAssignedIdentities: [UAMI_A],
            });
            assert.strictEqual(out.registryIdentityPrincipalId, "principal-id-of-reg-registry");
        });

        it("by default declares exactly today's system-assigned identity (an existing registry sees no change)", async () => {
            await deploy();
            assert.deepStrictEqual(mocks.one(T.registry).inputs.identity, {
                type: "SystemAssigned",
            });
        });
    });

    describe("roleAssignments", () => {
        it("assigns roles by built-in name, GUID and definition id on the registry, each named deterministically like the fixed ones", async () => {
            await deploy({
                ...validSettings,
                roleAssignments: [
                    {
                        principalId: PRINCIPAL,
                        principalType: "Group",
                        role: "AzureML Data Scientist",
                    },
                    { principalId: PRINCIPAL, principalType: "Group", role: "reader" },
                    {
                        principalId: COMPUTE_A,
                        principalType: "ServicePrincipal",
                        role: CUSTOM_ROLE,
                    },
                    {
                        principalId: USER,
                        principalType: "User",
                        role: `/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES["AzureML Compute Operator"]}`,
                    },
                    {
                        principalId: USER,
                        principalType: "User",
                        role: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${CUSTOM_ROLE}`,
                        key: "custom-user",
                    },
                ],
            });
            const expected: [string, string, string, string][] = [
                [
                    `reg-role-${PRINCIPAL}-f6c7c914-8db3-469d-8ca1-694a8f32e121`,
                    PRINCIPAL,
                    "Group",
                    "f6c7c914-8db3-469d-8ca1-694a8f32e121",
                ],
                [
                    `reg-role-${PRINCIPAL}-acdd72a7-3385-48ef-bd42-f606fba81ae7`,
                    PRINCIPAL,
                    "Group",
                    "acdd72a7-3385-48ef-bd42-f606fba81ae7",
                ],
                [
                    `reg-role-${COMPUTE_A}-${CUSTOM_ROLE}`,
                    COMPUTE_A,
                    "ServicePrincipal",
                    CUSTOM_ROLE,
                ],
                [
                    `reg-role-${USER}-e503ece1-11d0-4e8e-8e2c-7a6c3bf38815`,
                    USER,
                    "User",
                    "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815",
                ],
                ["reg-role-custom-user", USER, "User", CUSTOM_ROLE],
            ];
            for (const [name, principalId, principalType, guid] of expected) {
                const r = mocks.one(T.role, name);
                assert.deepStrictEqual(
                    r.inputs,
                    {
                        scope: REGISTRY_ID,
                        principalId,
                        principalType,
                        roleDefinitionId: roleDef(guid),
                        roleAssignmentName: roleAssignmentName(REGISTRY_ID, principalId, guid),
                    },
                    name,
                );
                assert.strictEqual(r.parent, "reg");
            }
            assert.strictEqual(
                mocks.byType(T.role).length,
                4 + expected.length,
                "the fixed assignments stay",
            );
        });

        it("takes a principal that is an Output, named by its key", async () => {
            await deploy({
                ...validSettings,
                roleAssignments: [
                    {
                        principalId: pulumi.output(PRINCIPAL),
                        principalType: "ServicePrincipal",
                        role: "Azure AI Developer",
                        key: "pipeline",
                    },
                ],
            });
            const r = mocks.one(T.role, "reg-role-pipeline").inputs;
            assert.strictEqual(r.principalId, PRINCIPAL);
            assert.strictEqual(
                r.roleAssignmentName,
                roleAssignmentName(REGISTRY_ID, PRINCIPAL, ROLES.azureAiDeveloper),
            );
        });

        it("keeps each resource name when the list is reordered (names come from keys, not positions)", async () => {
            const a = { principalId: PRINCIPAL, principalType: "User", role: "Reader" };
            const b = { principalId: COMPUTE_A, principalType: "ServicePrincipal", role: "Reader" };
            await deploy({ ...validSettings, roleAssignments: [a, b] });
            const first = mocks
                .byType(T.role)
                .map((r) => `${r.name}=${r.inputs.roleAssignmentName}`)
                .sort();
            resetRegistryMocks();
            await deploy({ ...validSettings, roleAssignments: [b, a] });
            assert.deepStrictEqual(
                mocks
                    .byType(T.role)
                    .map((r) => `${r.name}=${r.inputs.roleAssignmentName}`)
                    .sort(),
                first,
            );
        });
    });

    describe("storage account type and ACR SKU", () => {
        it("defaults to today's Standard_LRS storage and Premium ACR in every region", async () => {
            await deploy({ ...validSettings, replicationLocations: ["westeurope"] });
            const details = mocks
                .one(T.registry)
                .inputs.regionDetails.map((r: any) => [
                    r.location,
                    r.storageAccountDetails[0].systemCreatedStorageAccount.storageAccountType,
                    r.acrDetails[0].systemCreatedAcrAccount.acrAccountSku,
                ]);
            assert.deepStrictEqual(details, [
                ["eastus2", "Standard_LRS", "Premium"],
                ["westeurope", "Standard_LRS", "Premium"],
            ]);
        });

        it("takes a storage account type for all regions and per region", async () => {
            await deploy({
                ...validSettings,
                replicationLocations: ["westeurope", "swedencentral"],
                storageAccountType: "Standard_ZRS",
                regionStorageAccountTypes: { westeurope: "Standard_GZRS" },
            });
            const types = mocks
                .one(T.registry)
                .inputs.regionDetails.map((r: any) => [
                    r.location,
                    r.storageAccountDetails[0].systemCreatedStorageAccount,
                ]);
            assert.deepStrictEqual(types, [
                [
                    "eastus2",
                    { storageAccountType: "Standard_ZRS", storageAccountHnsEnabled: false },
                ],
                [
                    "westeurope",
                    { storageAccountType: "Standard_GZRS", storageAccountHnsEnabled: false },
                ],
                [
                    "swedencentral",
                    { storageAccountType: "Standard_ZRS", storageAccountHnsEnabled: false },
                ],
            ]);
        });
    });
});
