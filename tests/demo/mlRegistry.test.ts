import * as assert from "assert";
import { assertShows, devDemo } from "./runDemo";

describe("npm run demo shows the ML registry (child process)", function () {
    this.timeout(60_000);
    let stdout = "";
    before(async () => {
        const run = await devDemo();
        assert.strictEqual(run.code, 0, `demo failed: ${run.stderr}`);
        stdout = run.stdout;
    });

    it("lists the MlRegistry and each of its resources for Pulumi.dev.yaml", () => {
        assertShows(stdout, [
            "azure-databricks-mlops:index:MlRegistry  ml-registry",
            "azure-native:resources:ResourceGroup  ml-registry-rg",
            "azure-native:operationalinsights:Workspace  ml-registry-logs",
            "azure-native:machinelearningservices:Registry  ml-registry-registry",
            "azure-native:network:PrivateEndpoint  ml-registry-endpoint",
            "azure-native:network:PrivateDnsZoneGroup  ml-registry-dns",
            "azure-native:network:PrivateEndpoint  ml-registry-blob-endpoint",
            "azure-native:network:PrivateDnsZoneGroup  ml-registry-blob-dns",
            "azure-native:network:PrivateEndpoint  ml-registry-acr-endpoint",
            "azure-native:network:PrivateDnsZoneGroup  ml-registry-acr-dns",
            "azure-native:monitor:DiagnosticSetting  ml-registry-diagnostics",
            "azure-native:authorization:RoleAssignment  ml-registry-user-registry-user",
            "azure-native:authorization:RoleAssignment  ml-registry-role-data-scientists",
        ]);
        assert.ok(
            !stdout.includes("ml-registry-identity-rg-contributor"),
            "no resource-group role for the registry's identity unless asked",
        );
    });

    it("shows role definition ids in the demo subscription and the mlRegistry stack output", () => {
        assert.match(
            stdout,
            /roleDefinitionId: "\/subscriptions\/00000000-0000-4000-8000-0000000000aa\/providers\/Microsoft\.Authorization\/roleDefinitions\/1823dd4f/,
        );
        assert.match(
            stdout,
            /mlRegistry: \{"registryName":"amlrsharedeus2x7k2",.*"resourceGroupName":"rg-aml-reg-shared-eus2"/,
        );
    });

    it("shows the endpoints to the managed storage and ACR, aimed at what the registry reports, and the connection outputs", () => {
        assert.match(
            stdout,
            /privateLinkServiceConnections: \[\{"groupIds":\["blob"\],"name":"pecamlrsharedeus2x7k2eastus2blob","privateLinkServiceId":"\/subscriptions\//,
            "an ARM id the registry reported (cut at 120 characters)",
        );
        assert.match(
            stdout,
            /privateLinkServiceConnections: \[\{"groupIds":\["registry"\],"name":"pecamlrsharedeus2x7k2eastus2registry"/,
        );
        assert.match(
            stdout,
            /mlRegistry: \{.*"discoveryUrl":"https:\/\/eastus2\.api\.azureml\.ms\/registrymanagement\/v1\.0\/registries\/amlrsharedeus2x7k2\/discovery",.*"mlflowRegistryUri":"azureml:\/\/eastus2\.api\.azureml\.ms\/mlflow\/v1\.0\/.*"storagePrivateEndpointIds":\{"eastus2":"mocked::azure-native:network:PrivateEndpoint::ml-registry-blob-endpoint"\},"acrPrivateEndpointIds":\{"acramlrsharedeus2x7k2eastus2":"mocked::azure-native:network:PrivateEndpoint::ml-registry-acr-endpoint"\}/,
        );
    });
});
