/**
 * The schema other languages' SDKs are generated from, as the SDK's own analyzer infers it from this
 * package (the code run-plugin runs for GetSchema and before every Construct): it must accept the
 * package, expose exactly the three public components with their documented inputs and outputs, and
 * use no `pulumi.json#/Any` and no reference outside this package's own types.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PACKAGE_ROOT } from "../support/consumerFolder";
import { PROVIDER_NAME, inferRawSchema, inferSchema, pluginExports, refsOf } from "./schema";
import { repositoryOf } from "../../componentProvider/provider";
import { servedSchema } from "../../componentProvider/schema";

const T = (name: string) => `${PROVIDER_NAME}:index:${name}`;
/** How the schema refers to one of its own types. */
const ref = (name: string) => `#/types/${T(name)}`;

describe("multi-language schema (the SDK's analyzer on this package)", function () {
    this.timeout(120_000);
    let schema: any;

    before(async () => {
        schema = await inferSchema();
    });

    it("plugin.ts exports exactly MlopsWorkspaces, MlopsProject and MlRegistry; plugin.js a function run-plugin calls to serve them", () => {
        assert.deepStrictEqual(Object.keys(pluginExports()).sort(), [
            "MlRegistry",
            "MlopsProject",
            "MlopsWorkspaces",
        ]);
        // run-plugin hosts the component classes it finds in `main` itself; a function instead is called (cmd/run-plugin/run.ts).
        assert.strictEqual(typeof require(PACKAGE_ROOT), "function");
        assert.deepStrictEqual(Object.keys(schema.resources).sort(), [
            T("MlRegistry"),
            T("MlopsProject"),
            T("MlopsWorkspaces"),
        ]);
        assert.ok(Object.values(schema.resources).every((r: any) => r.isComponent === true));
        assert.strictEqual(schema.name, PROVIDER_NAME);
        assert.strictEqual(
            schema.version,
            require("../../../package.json").version,
            "the SDKs carry the package version",
        );
    });

    it("the entry without a build fails with what to run, not a bare MODULE_NOT_FOUND", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "unbuilt-"));
        try {
            fs.copyFileSync(path.join(PACKAGE_ROOT, "plugin.js"), path.join(dir, "plugin.js"));
            assert.throws(
                () =>
                    execFileSync(
                        process.execPath,
                        ["-e", `require(${JSON.stringify(path.join(dir, "plugin.js"))})`],
                        { stdio: "pipe" },
                    ),
                (e: any) =>
                    /dist\/plugin\.js is missing; run `npm ci && npm run build`/.test(
                        String(e.stderr),
                    ),
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("MlopsWorkspaces: workspaces as connections, service principals as mode + fields; the Terraform modules' outputs", () => {
        const r = schema.resources[T("MlopsWorkspaces")];
        assert.deepStrictEqual(r.requiredInputs, ["dev", "prod", "servicePrincipals", "staging"]);
        for (const env of ["dev", "staging", "prod"])
            assert.strictEqual(r.inputProperties[env].$ref, ref("WorkspaceConnection"));
        assert.strictEqual(r.inputProperties.servicePrincipals.$ref, ref("ServicePrincipals"));
        assert.deepStrictEqual(r.inputProperties.additionalTokenUsageGroups, {
            type: "array",
            items: { type: "string" },
            optional: true,
            description: r.inputProperties.additionalTokenUsageGroups.description,
        });
        // unity-catalog mode: an enum, the catalogs and credentials as types, the account as a connection (no provider object).
        assert.strictEqual(r.inputProperties.modelRegistry.$ref, ref("ModelRegistryMode"));
        assert.strictEqual(r.inputProperties.catalogs.$ref, ref("ModelCatalogs"));
        assert.strictEqual(r.inputProperties.cicdCredentials.$ref, ref("CicdCredentials"));
        assert.strictEqual(r.inputProperties.account.$ref, ref("AccountConnection"));
        assert.strictEqual(r.inputProperties.accountProvider, undefined);
        assert.deepStrictEqual(r.inputProperties.allowClusterCreate.type, "boolean");
        const legacyOutputs = [
            "devSecretScopeNameForProd",
            "devSecretScopeNameForStaging",
            "devSecretScopePrefixForProd",
            "devSecretScopePrefixForStaging",
            "servicePrincipalGroupName",
            "stagingSecretScopeNameForProd",
            "stagingSecretScopePrefixForProd",
        ];
        const ucOutputs = [
            "devCatalogName",
            "devModelNamePrefix",
            "devModelSchemaName",
            "prodCatalogName",
            "prodModelNamePrefix",
            "prodModelSchemaName",
            "prodServicePrincipalOAuthSecret",
            "stagingCatalogName",
            "stagingModelNamePrefix",
            "stagingModelSchemaName",
            "stagingServicePrincipalOAuthSecret",
        ];
        const both = ["prodServicePrincipalApplicationId", "stagingServicePrincipalApplicationId"];
        assert.deepStrictEqual(
            Object.keys(r.properties).sort(),
            [...legacyOutputs, ...ucOutputs, ...both].sort(),
        );
        assert.ok(Object.values(r.properties).every((p: any) => p.type === "string"));
        // Each mode's outputs are absent in the other mode: only what both have is required.
        assert.deepStrictEqual(r.required, both);
    });

    it("MlopsProject: connections for staging and prod; application ids, secret AAD tokens and client secrets as outputs", () => {
        const r = schema.resources[T("MlopsProject")];
        assert.deepStrictEqual(r.requiredInputs, [
            "prod",
            "projectDirectoryPath",
            "servicePrincipalName",
            "servicePrincipals",
            "staging",
        ]);
        assert.deepStrictEqual(r.inputProperties.createParentDirectories.plain, true);
        assert.deepStrictEqual(
            [r.inputProperties.mintAadTokens.type, r.inputProperties.mintAadTokens.plain],
            ["boolean", true],
        );
        assert.strictEqual(r.inputProperties.modelRegistry.$ref, ref("ModelRegistryMode"));
        assert.strictEqual(r.inputProperties.unityCatalog.$ref, ref("ProjectUnityCatalog"));
        assert.strictEqual(
            schema.types[T("ProjectUnityCatalog")].properties.account.$ref,
            ref("AccountConnection"),
        );
        assert.deepStrictEqual(Object.keys(r.properties).sort(), [
            "prodModelNamePrefix",
            "prodServicePrincipalAadToken",
            "prodServicePrincipalApplicationId",
            "prodServicePrincipalClientSecret",
            "prodServicePrincipalOAuthSecret",
            "projectDirectoryPath",
            "stagingModelNamePrefix",
            "stagingServicePrincipalAadToken",
            "stagingServicePrincipalApplicationId",
            "stagingServicePrincipalClientSecret",
            "stagingServicePrincipalOAuthSecret",
        ]);
        assert.deepStrictEqual(
            r.required.filter((k: string) => /ClientSecret/.test(k)),
            [],
            "client secrets exist in create mode only",
        );
        assert.deepStrictEqual(
            r.required.filter((k: string) => /AadToken/.test(k)),
            [],
            "AAD tokens are not minted with mintAadTokens: false",
        );
    });

    it("MlRegistry: the module's inputs, principal type as an enum, compute identities as a list or a map", () => {
        const r = schema.resources[T("MlRegistry")];
        assert.deepStrictEqual(r.requiredInputs, [
            "location",
            "locationCode",
            "privateDnsZoneId",
            "purpose",
            "subnetId",
            "suffix",
        ]);
        assert.strictEqual(r.inputProperties.userPrincipalType.$ref, ref("PrincipalType"));
        assert.deepStrictEqual(r.inputProperties.computeIdentityPrincipalIds.items, {
            type: "string",
            plain: true,
        });
        assert.deepStrictEqual(r.inputProperties.computeIdentities.additionalProperties, {
            type: "string",
        });
        // The private endpoints of the managed storage and ACR, identities, roles and SKUs.
        for (const k of [
            "blobPrivateDnsZoneId",
            "acrPrivateDnsZoneId",
            "privateEndpointLocation",
            "storageAccountType",
            "acrSku",
        ])
            assert.strictEqual(r.inputProperties[k].type, "string", k);
        for (const k of [
            "managedResourcePrivateEndpoints",
            "systemAssignedIdentity",
            "identityResourceGroupContributor",
            "deleteLock",
        ])
            assert.strictEqual(r.inputProperties[k].type, "boolean", k);
        assert.deepStrictEqual(r.inputProperties.userAssignedIdentityIds.items, { type: "string" });
        assert.deepStrictEqual(r.inputProperties.regionStorageAccountTypes.additionalProperties, {
            type: "string",
            plain: true,
        });
        assert.strictEqual(
            r.inputProperties.roleAssignments.items.$ref,
            ref("MlRegistryRoleAssignment"),
        );
        assert.deepStrictEqual(schema.types[T("MlRegistryRoleAssignment")].required, [
            "principalId",
            "principalType",
            "role",
        ]);
        assert.deepStrictEqual(Object.keys(r.properties).sort(), [
            "acrPrivateEndpointIds",
            "discoveryUrl",
            "logAnalyticsWorkspaceName",
            "mlflowRegistryUri",
            "privateEndpointId",
            "registryId",
            "registryIdentityPrincipalId",
            "registryName",
            "resourceGroupName",
            "storagePrivateEndpointIds",
        ]);
        for (const k of ["storagePrivateEndpointIds", "acrPrivateEndpointIds"])
            assert.deepStrictEqual(
                r.properties[k].additionalProperties,
                { type: "string" },
                `${k}: a map (storage by region, ACR by name)`,
            );
    });

    it("choices are enums; connection and principal types have their documented fields", () => {
        const values = (n: string) => schema.types[T(n)].enum.map((e: any) => e.value);
        /** A type's required fields and all its fields, sorted. */
        const fieldsOf = (n: string) => ({
            required: schema.types[T(n)].required,
            fields: Object.keys(schema.types[T(n)].properties).sort(),
        });
        assert.deepStrictEqual(values("PrincipalMode"), ["link", "create"]);
        assert.deepStrictEqual(values("WorkspaceAuthMethod"), [
            "azure-cli",
            "client-secret",
            "aad-token",
        ]);
        assert.deepStrictEqual(values("PrincipalType"), ["User", "Group"]);
        assert.deepStrictEqual(values("ModelRegistryMode"), ["workspace", "unity-catalog"]);
        assert.deepStrictEqual(values("CicdCredentialMethod"), [
            "oauth-secret",
            "federation",
            "none",
        ]);
        assert.deepStrictEqual(fieldsOf("AccountConnection"), {
            required: ["accountId"],
            fields: [
                "aadToken",
                "accountId",
                "authMethod",
                "clientId",
                "clientSecret",
                "host",
                "providerAliases",
                "tenantId",
            ],
        });
        const authMethodOf = (n: string) => schema.types[T(n)].properties.authMethod.$ref;
        assert.strictEqual(authMethodOf("AccountConnection"), ref("WorkspaceAuthMethod"));
        assert.deepStrictEqual(fieldsOf("WorkspaceConnection"), {
            required: ["host"],
            fields: [
                "aadToken",
                "authMethod",
                "clientId",
                "clientSecret",
                "host",
                "providerAliases",
                "tenantId",
                "workspaceId",
            ],
        });
        assert.strictEqual(authMethodOf("WorkspaceConnection"), ref("WorkspaceAuthMethod"));
        assert.deepStrictEqual(fieldsOf("ServicePrincipals"), {
            required: ["mode"],
            fields: ["clientSecretRotationDays", "entra", "mode", "prod", "staging", "tenantId"],
        });
        assert.strictEqual(
            schema.types[T("ServicePrincipals")].properties.staging.$ref,
            ref("LinkedPrincipal"),
        );
        assert.deepStrictEqual(Object.keys(schema.types[T("LinkedPrincipal")].properties).sort(), [
            "aadToken",
            "clientId",
            "clientSecret",
            "tenantId",
        ]);
        // A created catalog's managed storage (a metastore without a storage root needs it): a string every language can pass.
        assert.deepStrictEqual(fieldsOf("ModelCatalog"), {
            required: ["name"],
            fields: ["create", "name", "storageRoot"],
        });
        const catalog = schema.types[T("ModelCatalog")];
        assert.strictEqual(catalog.properties.storageRoot.type, "string");
        assert.match(catalog.properties.storageRoot.description, /abfss:\/\//);
    });

    it("no Any, no reference to another package's resources (no provider objects), no dependencies", () => {
        const refs = refsOf(schema);
        assert.deepStrictEqual(
            refs.filter((r) => !r.ref.startsWith(`#/types/${PROVIDER_NAME}:index:`)),
            [],
        );
        for (const r of refs)
            assert.ok(schema.types[r.ref.slice("#/types/".length)], `${r.at}: ${r.ref} is defined`);
        assert.deepStrictEqual(schema.dependencies, []);
    });

    it("exactly the credential leaves and outputs are secret, never an object that holds them", () => {
        const flagged: string[] = [];
        for (const [token, type] of Object.entries<any>(schema.types)) {
            for (const [k, p] of Object.entries<any>(type.properties ?? {}))
                if (p.secret) flagged.push(`${token.split(":")[2]}.${k}`);
        }
        for (const [token, r] of Object.entries<any>(schema.resources)) {
            for (const [k, p] of Object.entries<any>(r.inputProperties))
                assert.strictEqual(
                    p.secret,
                    undefined,
                    `input ${k}: a secret container arrives whole and is refused`,
                );
            for (const [k, p] of Object.entries<any>(r.properties))
                if (p.secret) flagged.push(`${token.split(":")[2]}.${k}`);
        }
        assert.deepStrictEqual(flagged.sort(), [
            "AccountConnection.aadToken",
            "AccountConnection.clientSecret",
            "EntraConnection.clientSecret",
            "LinkedPrincipal.aadToken",
            "LinkedPrincipal.clientSecret",
            "MlopsProject.prodServicePrincipalAadToken",
            "MlopsProject.prodServicePrincipalClientSecret",
            "MlopsProject.prodServicePrincipalOAuthSecret",
            "MlopsProject.stagingServicePrincipalAadToken",
            "MlopsProject.stagingServicePrincipalClientSecret",
            "MlopsProject.stagingServicePrincipalOAuthSecret",
            "MlopsWorkspaces.prodServicePrincipalOAuthSecret",
            "MlopsWorkspaces.stagingServicePrincipalOAuthSecret",
            "WorkspaceConnection.aadToken",
            "WorkspaceConnection.clientSecret",
        ]);
    });

    it("input types are served without the Args suffix generators add themselves; every reference follows", async () => {
        const raw = await inferRawSchema();
        const shortened = Object.keys(raw.types)
            .filter((t) => !schema.types[t])
            .map((t) => t.split(":")[2])
            .sort();
        assert.deepStrictEqual(shortened, [
            "AccountConnectionArgs",
            "CicdCredentialArgs",
            "CicdCredentialsArgs",
            "EntraConnectionArgs",
            "MlRegistryRoleAssignmentArgs",
            "ModelCatalogArgs",
            "ModelCatalogsArgs",
            "ProjectCatalogArgs",
            "ProjectUnityCatalogArgs",
            "ServicePrincipalsArgs",
            "WorkspaceConnectionArgs",
        ]);
        for (const name of shortened)
            assert.deepStrictEqual(
                Object.keys(schema.types[T(name.slice(0, -4))].properties),
                Object.keys(raw.types[T(name)].properties),
                name,
            );
        assert.deepStrictEqual(
            refsOf(schema).filter((r) => /Args$/.test(r.ref)),
            [],
        );
        // Nothing else changes: the same resources, inputs and outputs (Construct receives plain values).
        assert.deepStrictEqual(Object.keys(schema.resources), Object.keys(raw.resources));
    });

    it("components carry their class doc comment; the repository (Go's module path) comes from package.json", () => {
        for (const [token, r] of Object.entries<any>(schema.resources))
            assert.ok(r.description?.length > 80, `${token} has a description`);
        assert.strictEqual(schema.repository, repositoryOf(require("../../../package.json")));
        assert.strictEqual(
            repositoryOf({ repository: "github:contoso/azure-databricks-mlops" }),
            "https://github.com/contoso/azure-databricks-mlops",
        );
        assert.strictEqual(
            repositoryOf({
                repository: { url: "git+https://github.com/contoso/azure-databricks-mlops.git" },
            }),
            "https://github.com/contoso/azure-databricks-mlops",
        );
        assert.strictEqual(
            servedSchema(
                { types: {}, resources: {} },
                { repository: "https://github.com/contoso/azure-databricks-mlops" },
            ).repository,
            "https://github.com/contoso/azure-databricks-mlops",
        );
    });

    it("inputs and outputs carry their doc comments", () => {
        for (const [token, r] of Object.entries<any>(schema.resources)) {
            for (const [k, p] of Object.entries<any>({ ...r.inputProperties, ...r.properties })) {
                if (
                    [
                        "registryName",
                        "registryId",
                        "resourceGroupName",
                        "logAnalyticsWorkspaceName",
                        "registryIdentityPrincipalId",
                        "privateEndpointId",
                    ].includes(k)
                )
                    continue;
                assert.ok(p.description, `${token}.${k} has a description`);
            }
        }
    });
});
