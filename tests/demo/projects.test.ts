import * as assert from "assert";
import { assertShows, devDemo } from "./runDemo";

describe("npm run demo shows the projects of Pulumi.dev.yaml", function () {
    this.timeout(60_000);
    let stdout = "";
    let code = -1;
    before(async () => {
        ({ code, stdout } = await devDemo());
    });

    it("prints each project with its SPs, directories and permissions in staging and prod", () => {
        assert.strictEqual(code, 0);
        assertShows(stdout, [
            "azure-databricks-mlops:index:MlopsProject  churn",
            "azure-databricks-mlops:index:MlopsProject  fraud",
            "azure-databricks-mlops:index:WorkspaceServicePrincipal  churn-staging",
            "databricks:index/servicePrincipal:ServicePrincipal  churn-prod-sp  (provider: churn-prod)",
            "databricks:index/directory:Directory  churn-staging-parent-Projects  (provider: churn-staging)",
            "databricks:index/directory:Directory  fraud-prod-directory  (provider: fraud-prod)",
            "databricks:index/permissions:Permissions  churn-staging-directory-permissions  (provider: churn-staging)",
            "azuread:index/application:Application  fraud-staging-app",
            '"permissionLevel":"CAN_MANAGE","servicePrincipalName":"00000000-0000-0000-0000-00000000c001"',
        ]);
    });

    it("lists the project outputs, tokens masked, and prints no credential placeholder", () => {
        const tail = stdout.slice(stdout.indexOf("Stack outputs:"));
        assert.match(
            tail,
            /projects: \{"churn":\{"projectDirectoryPath":"\/Projects\/churn","stagingServicePrincipalApplicationId":"00000000-0000-0000-0000-00000000c001"/,
        );
        assert.match(tail, /"fraud":\{"projectDirectoryPath":"\/Shared\/fraud"/);
        assert.match(tail, /projectServicePrincipalAadTokens: \[secret\]/);
        assert.ok(
            !stdout.includes("demo-placeholder-for-projectCredentials"),
            "a project credential leaked",
        );
    });
});
