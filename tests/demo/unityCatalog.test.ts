import * as assert from "assert";
import { assertShows, DemoRun, runDemo } from "./runDemo";

describe("npm run demo uc (child process): the unity-catalog example stack", function () {
    this.timeout(60_000);
    let out: DemoRun;
    before(async () => {
        out = await runDemo(["uc"]);
    });

    it("exits 0 and shows catalogs, schemas, bindings, grants and CI/CD credentials", () => {
        assert.strictEqual(out.code, 0, out.stderr);
        assert.match(out.stdout, /offline demo of stack "uc"/);
        assertShows(out.stdout, [
            "azure-databricks-mlops:index:UnityCatalogSharing  mlops-uc",
            "databricks:index/catalog:Catalog  mlops-uc-staging-catalog  (provider: mlops-staging)",
            'isolationMode: "ISOLATED"',
            'storageRoot: "abfss://models@mlopsstorage.dfs.core.windows.net/staging"',
            "databricks:index/schema:Schema  mlops-uc-prod-schema  (provider: mlops-prod)",
            "databricks:index/workspaceBinding:WorkspaceBinding  mlops-uc-prod-binding-dev  (provider: mlops-prod)",
            'bindingType: "BINDING_TYPE_READ_ONLY"',
            "databricks:index/grant:Grant  mlops-uc-staging-schema-grant-deployer  (provider: mlops-staging)",
            'privileges: ["CREATE_MODEL","EXECUTE","USE_SCHEMA"]',
            "databricks:index/servicePrincipalSecret:ServicePrincipalSecret  mlops-staging-cicd-oauth-secret  (provider: mlops-staging)",
            "databricks:index/servicePrincipalFederationPolicy:ServicePrincipalFederationPolicy  mlops-prod-cicd-federation  (provider: mlops-account)",
            "azure-databricks-mlops:index:UnityCatalogProject  churn-uc",
            'schema: "mlops_staging.churn"',
            "databricks:index/servicePrincipalFederationPolicy:ServicePrincipalFederationPolicy  churn-prod-cicd-federation  (provider: churn-account)",
        ]);
    });

    it("creates no PAT, secret scope, secret, token usage or registry permission", () => {
        for (const t of [
            "databricks:index/token:Token",
            "databricks:index/secretScope:SecretScope",
            "databricks:index/secret:Secret ",
            "databricks:index/secretAcl:SecretAcl",
            "dynamic/rotation:Clock",
        ]) {
            assert.ok(!out.stdout.includes(t), `${t} must not be in a unity-catalog stack`);
        }
        assert.ok(!/authorization: "tokens"|registeredModelId/.test(out.stdout));
        assert.ok(
            !out.stdout.includes("databricks:index/grants:Grants"),
            "never the authoritative Grants",
        );
    });

    it("prints the catalog outputs, masks the OAuth secrets, and says which grants the existing prod catalog needs", () => {
        const tail = out.stdout.slice(out.stdout.indexOf("Stack outputs:"));
        assert.match(
            tail,
            /unityCatalog: .*"prod":\{"catalogName":"mlops_prod","schemaName":"models","modelNamePrefix":"mlops_prod\.models"\}/,
        );
        assert.match(tail, /\n  servicePrincipalOAuthSecrets: \[secret\]/);
        assert.match(tail, /projectServicePrincipalOAuthSecrets: \[secret\]/);
        assert.ok(
            !tail.includes("projectServicePrincipalAadTokens"),
            "no token output in unity-catalog mode",
        );
        assert.match(tail, /"stagingModelNamePrefix":"mlops_staging\.churn"/);
        assert.ok(
            !out.stdout.includes("oauth-secret-of-"),
            "the OAuth secret's value never prints",
        );
        assert.match(
            out.stdout + out.stderr,
            /GRANT USE CATALOG ON CATALOG `mlops_prod` TO `data-scientists`/,
        );
    });
});
