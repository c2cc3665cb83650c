import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { MOCK_SUBSCRIPTION, mocks } from "../support/mocks";
import { MlRegistry, MlRegistryArgs } from "../../mlRegistry/mlRegistry";
import { REGISTRY_ID, RG_ID, T, TYPE, deploy, resetRegistryMocks, roleDef } from "./deploy";
import { ROLES, roleAssignmentName } from "../../mlRegistry/naming";
import {
    ACR_ZONE_ID,
    BLOB_ZONE_ID,
    COMPUTE_A,
    COMPUTE_B,
    SUB,
    SUBNET_ID,
    USER,
    ZONE_ID,
    validSettings,
} from "./fixtures";

describe("MlRegistry (under mocks)", () => {
    beforeEach(resetRegistryMocks);

    it("creates each resource once, all children of the component", async () => {
        await deploy();
        const counts = Object.fromEntries(
            Object.entries(T).map(([k, t]) => [k, mocks.byType(t).length]),
        );
        assert.deepStrictEqual(counts, {
            rg: 1,
            logs: 1,
            registry: 1,
            endpoint: 3,
            dns: 3,
            diag: 1,
            role: 4,
            lock: 0,
        });
        const azure = mocks.resources.filter((r) => r.type.startsWith("azure-native:"));
        for (const r of azure) {
            assert.deepStrictEqual([r.parent, r.parentType], ["reg", TYPE], `${r.name}'s parent`);
            assert.strictEqual(r.opts.ignoreChanges, undefined, `${r.name} needs no ignoreChanges`);
        }
        assert.deepStrictEqual(mocks.one(TYPE).inputs, {}, "no raw args in the component's state");
        assert.deepStrictEqual(
            mocks.callLog.map((c) => c.token),
            ["azure-native:authorization:getClientConfig"],
        );
    });

    it("names and tags the resource group and the Log Analytics workspace (30 days by default)", async () => {
        await deploy();
        assert.deepStrictEqual(mocks.one(T.rg).inputs, {
            resourceGroupName: "rg-aml-reg-shared-eus2",
            location: "eastus2",
            tags: validSettings.tags,
        });
        assert.deepStrictEqual(mocks.one(T.logs).inputs, {
            workspaceName: "lawsharedeus2x7k2",
            resourceGroupName: "rg-aml-reg-shared-eus2",
            location: "eastus2",
            sku: { name: "PerGB2018" },
            retentionInDays: 30,
            tags: validSettings.tags,
        });
    });

    it("creates a private registry with a system identity and system-created Standard_LRS storage and Premium ACR, declaring nothing Azure manages", async () => {
        await deploy();
        const reg = mocks.one(T.registry).inputs;
        assert.deepStrictEqual(reg, {
            registryName: "amlrsharedeus2x7k2",
            resourceGroupName: "rg-aml-reg-shared-eus2",
            location: "eastus2",
            identity: { type: "SystemAssigned" },
            publicNetworkAccess: "Disabled",
            regionDetails: [
                {
                    location: "eastus2",
                    storageAccountDetails: [
                        {
                            systemCreatedStorageAccount: {
                                storageAccountType: "Standard_LRS",
                                storageAccountHnsEnabled: false,
                            },
                        },
                    ],
                    acrDetails: [{ systemCreatedAcrAccount: { acrAccountSku: "Premium" } }],
                },
            ],
            tags: validSettings.tags,
        });
    });

    it("puts the private endpoint (group amlregistry) in the subnet and its DNS zone group on privatelink.api.azureml.ms", async () => {
        await deploy();
        const pe = mocks.one(T.endpoint, "reg-endpoint").inputs;
        assert.strictEqual(pe.privateEndpointName, "peamlrsharedeus2x7k2amlregistry");
        assert.strictEqual(pe.customNetworkInterfaceName, "nicpeamlrsharedeus2x7k2amlregistry");
        assert.strictEqual(pe.resourceGroupName, "rg-aml-reg-shared-eus2");
        assert.strictEqual(pe.location, "eastus2");
        assert.strictEqual(pe.subnet.id, SUBNET_ID);
        assert.deepStrictEqual(pe.privateLinkServiceConnections, [
            {
                name: "pecamlrsharedeus2x7k2amlregistry",
                privateLinkServiceId: REGISTRY_ID,
                groupIds: ["amlregistry"],
            },
        ]);
        assert.deepStrictEqual(pe.tags, validSettings.tags);
        assert.deepStrictEqual(mocks.one(T.dns, "reg-dns").inputs, {
            privateDnsZoneGroupName: "default",
            privateEndpointName: "peamlrsharedeus2x7k2amlregistry",
            resourceGroupName: "rg-aml-reg-shared-eus2",
            privateDnsZoneConfigs: [
                { name: "privatelink-api-azureml-ms", privateDnsZoneId: ZONE_ID },
            ],
        });
    });

    // Azure Monitor documents two log categories for Microsoft.MachineLearningServices/registries and
    // no metrics and no category groups; asking for AllMetrics or allLogs asks for what is not published.
    it("sends the registry's two documented log categories to the workspace, and asks for no metrics", async () => {
        await deploy();
        assert.deepStrictEqual(mocks.one(T.diag).inputs, {
            name: "diagamlrsharedeus2x7k2",
            resourceUri: REGISTRY_ID,
            workspaceId: `mocked::${T.logs}::reg-logs`,
            logs: [
                { category: "RegistryAssetReadEvent", enabled: true },
                { category: "RegistryAssetWriteEvent", enabled: true },
            ],
        });
    });

    it("assigns the roles with full definition ids, principal types and deterministic names", async () => {
        await deploy();
        const expected = [
            ["reg-user-registry-user", REGISTRY_ID, USER, "User", ROLES.azureMlRegistryUser],
            ["reg-user-ai-developer", REGISTRY_ID, USER, "User", ROLES.azureAiDeveloper],
            [
                `reg-compute-${COMPUTE_A}-registry-user`,
                REGISTRY_ID,
                COMPUTE_A,
                "ServicePrincipal",
                ROLES.azureMlRegistryUser,
            ],
            [
                `reg-compute-${COMPUTE_B}-registry-user`,
                REGISTRY_ID,
                COMPUTE_B,
                "ServicePrincipal",
                ROLES.azureMlRegistryUser,
            ],
        ];
        for (const [name, scope, principalId, principalType, role] of expected) {
            assert.deepStrictEqual(
                mocks.one(T.role, name).inputs,
                {
                    scope,
                    principalId,
                    principalType,
                    roleDefinitionId: roleDef(role),
                    roleAssignmentName: roleAssignmentName(scope, principalId, role),
                },
                name,
            );
        }
        const names = mocks.byType(T.role).map((r) => r.inputs.roleAssignmentName);
        assert.strictEqual(new Set(names).size, 4, "no two assignments share a name");
        mocks.reset();
        await deploy();
        assert.deepStrictEqual(
            mocks.byType(T.role).map((r) => r.inputs.roleAssignmentName),
            names,
            "a rerun gives the same names",
        );
    });

    it("gives the registry's identity no role on the resource group unless asked", async () => {
        await deploy();
        assert.deepStrictEqual(
            mocks
                .byType(T.role)
                .filter((r) => r.inputs.scope === RG_ID)
                .map((r) => r.name),
            [],
        );
        assert.ok(
            !mocks
                .byType(T.role)
                .some((r) => r.inputs.roleDefinitionId === roleDef(ROLES.contributor)),
            "no Contributor anywhere",
        );
    });

    it("identityResourceGroupContributor: true keeps today's Contributor assignment on the resource group (same resource name, same Azure name)", async () => {
        await deploy({ ...validSettings, identityResourceGroupContributor: true });
        assert.deepStrictEqual(mocks.one(T.role, "reg-identity-rg-contributor").inputs, {
            scope: RG_ID,
            principalId: "principal-id-of-reg-registry",
            principalType: "ServicePrincipal",
            roleDefinitionId: roleDef(ROLES.contributor),
            roleAssignmentName: roleAssignmentName(
                RG_ID,
                "principal-id-of-reg-registry",
                ROLES.contributor,
            ),
        });
    });

    it("exports the module's outputs", async () => {
        const out = await deploy();
        assert.deepStrictEqual(out, {
            registryName: "amlrsharedeus2x7k2",
            registryId: REGISTRY_ID,
            resourceGroupName: "rg-aml-reg-shared-eus2",
            logAnalyticsWorkspaceName: "lawsharedeus2x7k2",
            registryIdentityPrincipalId: "principal-id-of-reg-registry",
            privateEndpointId: `mocked::${T.endpoint}::reg-endpoint`,
            discoveryUrl:
                "https://eastus2.api.azureml.ms/registrymanagement/v1.0/registries/amlrsharedeus2x7k2/discovery",
            mlflowRegistryUri: `azureml://eastus2.api.azureml.ms/mlflow/v1.0/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/rg-aml-reg-shared-eus2/providers/Microsoft.MachineLearningServices/registries/amlrsharedeus2x7k2`,
            storagePrivateEndpointIds: { eastus2: `mocked::${T.endpoint}::reg-blob-endpoint` },
            acrPrivateEndpointIds: {
                acramlrsharedeus2x7k2eastus2: `mocked::${T.endpoint}::reg-acr-endpoint`,
            },
        });
    });

    it("adds replication regions, retention, endpoint region, a group principal, a delete lock and name overrides", async () => {
        await deploy({
            ...validSettings,
            userPrincipalType: "Group",
            replicationLocations: ["westeurope"],
            logRetentionDays: 90,
            privateEndpointLocation: "westus2",
            deleteLock: true,
            names: { registry: "contoso-models", resourceGroup: "rg-models" },
        });
        assert.deepStrictEqual(
            mocks.one(T.registry).inputs.regionDetails.map((r: { location: string }) => r.location),
            ["eastus2", "westeurope"],
        );
        assert.ok(
            mocks
                .one(T.registry)
                .inputs.regionDetails.every(
                    (r: any) => r.acrDetails[0].systemCreatedAcrAccount.acrAccountSku === "Premium",
                ),
        );
        assert.strictEqual(mocks.one(T.registry).inputs.registryName, "contoso-models");
        assert.strictEqual(mocks.one(T.rg).inputs.resourceGroupName, "rg-models");
        assert.strictEqual(mocks.one(T.logs).inputs.retentionInDays, 90);
        assert.strictEqual(mocks.one(T.endpoint, "reg-endpoint").inputs.location, "westus2");
        assert.strictEqual(
            mocks.one(T.endpoint, "reg-endpoint").inputs.privateEndpointName,
            "pecontoso-modelsamlregistry",
        );
        assert.strictEqual(
            mocks.one(T.role, "reg-user-ai-developer").inputs.principalType,
            "Group",
        );
        const lock = mocks.one(T.lock);
        assert.deepStrictEqual([lock.name, lock.parentType], ["reg-lock", TYPE]);
        assert.strictEqual(lock.inputs.scope, REGISTRY_ID);
        assert.strictEqual(lock.inputs.level, "CanNotDelete");
        assert.strictEqual(lock.inputs.lockName, "contoso-models-cannotdelete");
    });

    it("takes compute identities that are Outputs through a map, named by its keys", async () => {
        await deploy({
            ...validSettings,
            userObjectId: undefined,
            computeIdentityPrincipalIds: undefined,
            computeIdentities: { "gpu-cluster": pulumi.output(COMPUTE_A) },
        });
        const roles = mocks
            .byType(T.role)
            .map((r) => r.name)
            .sort();
        assert.deepStrictEqual(roles, ["reg-compute-gpu-cluster-registry-user"]);
        assert.strictEqual(
            mocks.one(T.role, "reg-compute-gpu-cluster-registry-user").inputs.principalId,
            COMPUTE_A,
        );
    });

    it("refuses bad args with one InputPropertiesError naming each property, before creating anything", async () => {
        await assert.rejects(
            deploy({
                ...validSettings,
                subnetId: "snet-pe",
                userObjectId: "me",
                logRetentionDays: 5,
            }),
            (err: Error) => {
                assert.ok(pulumi.InputPropertiesError.isInstance(err), `got ${err}`);
                assert.match(
                    err.message,
                    /Invalid arguments for azure-databricks-mlops:index:MlRegistry "reg"/,
                );
                assert.match(err.message, /subnetId: must be a subnet resource id/);
                assert.match(err.message, /userObjectId: must be a GUID/);
                assert.match(
                    err.message,
                    /logRetentionDays: must be a whole number of days from 30 to 730/,
                );
                return true;
            },
        );
        assert.deepStrictEqual(
            mocks.resources.filter((r) => !r.type.startsWith("pulumi:")).map((r) => r.name),
            [],
            "nothing is registered, the component included",
        );
    });

    it("compute identities: the list or the map, not both; a bad map key is named under computeIdentities", async () => {
        await assert.rejects(
            deploy({ ...validSettings, computeIdentities: { gpu: COMPUTE_B } }),
            (err: Error) => {
                assert.match(
                    err.message,
                    /- computeIdentities: give computeIdentityPrincipalIds \(plain ids\) or computeIdentities \(a map, ids may be Outputs\), not both/,
                );
                return true;
            },
        );
        await assert.rejects(
            deploy({
                ...validSettings,
                computeIdentityPrincipalIds: undefined,
                computeIdentities: { "GPU!": COMPUTE_B },
            }),
            (err: Error) => {
                assert.match(err.message, /- computeIdentities\.GPU!: has a bad key/);
                return true;
            },
        );
    });

    // A bad value known only at deployment must fail with the same InputPropertiesError. The mock
    // engine never settles a registration whose input rejects, so a transformation takes the checked
    // Output out of the child's props (putting a good value in its place) and the test awaits it.
    const promiseOf = (o: unknown) =>
        (pulumi.output(o) as unknown as { promise(): Promise<unknown> }).promise();
    const role = {
        type: T.role,
        take: (p: any) => p.principalId,
        fix: (p: any) => ({ ...p, principalId: USER, roleAssignmentName: "fixed" }),
    };
    // [property, args with a bad Output, child that receives it, expected problem]
    const zone = (resourceName: string, good: string) => ({
        type: T.dns,
        name: resourceName,
        take: (p: any) => p.privateDnsZoneConfigs[0].privateDnsZoneId,
        fix: (p: any) => ({ ...p, privateDnsZoneConfigs: [{ name: "z", privateDnsZoneId: good }] }),
    });
    const UAMI = `/subscriptions/${SUB}/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-registry`;
    const badLater: [
        string,
        Partial<MlRegistryArgs>,
        { type: string; name?: string; take: (p: any) => unknown; fix: (p: any) => any },
        RegExp,
    ][] = [
        [
            "subnetId",
            { subnetId: pulumi.output("snet-pe") },
            {
                type: T.endpoint,
                take: (p) => p.subnet.id,
                fix: (p) => ({ ...p, subnet: { id: SUBNET_ID } }),
            },
            /- subnetId: must be a subnet resource id/,
        ],
        [
            "privateDnsZoneId",
            {
                privateDnsZoneId: pulumi.output(
                    ZONE_ID.replace("api.azureml.ms", "notebooks.azure.net"),
                ),
            },
            zone("reg-dns", ZONE_ID),
            /- privateDnsZoneId: must be the id of the privatelink\.api\.azureml\.ms zone/,
        ],
        [
            "blobPrivateDnsZoneId",
            { blobPrivateDnsZoneId: pulumi.output(ZONE_ID) },
            zone("reg-blob-dns", BLOB_ZONE_ID),
            /- blobPrivateDnsZoneId: must be the id of the privatelink\.blob\.core\.windows\.net zone, got the zone "privatelink\.api\.azureml\.ms"/,
        ],
        [
            "acrPrivateDnsZoneId",
            { acrPrivateDnsZoneId: pulumi.output(BLOB_ZONE_ID) },
            zone("reg-acr-dns", ACR_ZONE_ID),
            /- acrPrivateDnsZoneId: must be the id of the privatelink\.azurecr\.io zone/,
        ],
        [
            "userObjectId",
            { userObjectId: pulumi.output("me"), computeIdentityPrincipalIds: undefined },
            role,
            /- userObjectId: must be a GUID object id/,
        ],
        [
            "computeIdentities",
            {
                userObjectId: undefined,
                computeIdentityPrincipalIds: undefined,
                computeIdentities: { gpu: pulumi.output("cluster-identity") },
            },
            role,
            /- computeIdentities\.gpu: must be a GUID principal/,
        ],
        [
            "roleAssignments",
            {
                userObjectId: undefined,
                computeIdentityPrincipalIds: undefined,
                roleAssignments: [
                    {
                        principalId: pulumi.output("someone"),
                        principalType: "User",
                        role: "Reader",
                        key: "auditor",
                    },
                ],
            },
            role,
            /- roleAssignments\[0\]\.principalId: must be a GUID principal/,
        ],
        [
            "userAssignedIdentityIds",
            { userAssignedIdentityIds: [pulumi.output("id-registry")] },
            {
                type: T.registry,
                take: (p) => p.identity.userAssignedIdentities[0],
                fix: (p) => ({ ...p, identity: { ...p.identity, userAssignedIdentities: [UAMI] } }),
            },
            /- userAssignedIdentityIds\[0\]: must be a user-assigned managed identity's resource id/,
        ],
    ];
    for (const [property, over, child, problem] of badLater) {
        it(`fails the deployment with the same InputPropertiesError when the Output ${property} resolves to a bad value`, async () => {
            const taken: unknown[] = [];
            await mocks.run(() => {
                new MlRegistry(
                    "reg",
                    { ...validSettings, ...over },
                    {
                        transformations: [
                            (a) => {
                                if (
                                    a.type !== child.type ||
                                    (child.name !== undefined && a.name !== child.name)
                                )
                                    return undefined;
                                taken.push(child.take(a.props));
                                return { props: child.fix(a.props), opts: a.opts };
                            },
                        ],
                    },
                );
            });
            assert.ok(taken.length > 0, `no ${child.type} received ${property}`);
            for (const value of taken) {
                await assert.rejects(promiseOf(value), (err: Error) => {
                    assert.ok(pulumi.InputPropertiesError.isInstance(err), `got ${err}`);
                    assert.match(
                        err.message,
                        /Invalid arguments for azure-databricks-mlops:index:MlRegistry "reg"/,
                    );
                    assert.match(err.message, problem);
                    return true;
                });
            }
        });
    }

    it("passes Output values through their checks to the resources", async () => {
        await deploy({
            ...validSettings,
            subnetId: pulumi.output(SUBNET_ID),
            privateDnsZoneId: pulumi.output(ZONE_ID),
            userObjectId: pulumi.output(USER),
        });
        assert.strictEqual(mocks.one(T.endpoint, "reg-endpoint").inputs.subnet.id, SUBNET_ID);
        assert.strictEqual(
            mocks.one(T.dns, "reg-dns").inputs.privateDnsZoneConfigs[0].privateDnsZoneId,
            ZONE_ID,
        );
        assert.strictEqual(mocks.one(T.role, "reg-user-ai-developer").inputs.principalId, USER);
    });
});
