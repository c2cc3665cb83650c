import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { assertShows, DemoRun, devDemo, runDemo } from "./runDemo";

const ROOT = path.resolve(__dirname, "../../..");
const TMP = path.join(ROOT, "tests", ".tmp", "demo");

describe("npm run demo (child process)", function () {
    this.timeout(60_000);
    let out: DemoRun;
    before(async () => {
        out = await devDemo();
    });

    it("exits 0 and shows the whole trio for Pulumi.dev.yaml", () => {
        assert.strictEqual(out.code, 0, out.stderr);
        assert.match(out.stdout, /offline demo of stack "dev"/);
        assertShows(out.stdout, [
            "pulumi:pulumi:Stack  azure-databricks-mlops-dev",
            "azure-databricks-mlops:index:MlopsWorkspaces  mlops",
            "├─ pulumi:providers:databricks  mlops-dev",
            "databricks:index/group:Group  mlops-dev-sp-group  (provider: mlops-dev)",
            "databricks:index/permissions:Permissions  mlops-staging-sp-group-token-usage  (provider: mlops-staging)",
            "databricks:index/servicePrincipal:ServicePrincipal  mlops-prod-sp  (provider: mlops-prod)",
            "pulumi:providers:databricks  mlops-staging-token-provider",
            'authType: "azure-client-secret"',
            "databricks:index/token:Token  mlops-prod-token-token  (provider: mlops-prod-token-provider)",
            "databricks:index/permissions:Permissions  mlops-prod-registry-read-permissions  (provider: mlops-prod)",
            "databricks:index/secretScope:SecretScope  mlops-staging-to-prod-scope  (provider: mlops-staging)",
            "databricks:index/secretAcl:SecretAcl  mlops-dev-to-staging-acl-sp-group  (provider: mlops-dev)",
            'registeredModelId: "root"',
            'authorization: "tokens"',
            "lifetimeSeconds: 8640000",
            'name: "remote-mr-staging"',
        ]);
        assert.strictEqual((out.stdout.match(/databricks:index\/secret:Secret /g) ?? []).length, 9);
    });

    it("nests children under their parents", () => {
        const lines = out.stdout.split("\n");
        const comp = lines.findIndex((l) => l.includes("RemoteRegistryAccess  mlops-dev-to-prod"));
        const child = lines.findIndex((l) => l.includes("SecretScope  mlops-dev-to-prod-scope"));
        assert.ok(comp > 0 && child > comp);
        const indent = (l: string) => l.search(/[a-z]/);
        assert.ok(
            indent(lines[child]) > indent(lines[comp]),
            "child indented deeper than its parent",
        );
    });

    it("masks every secret input and never prints a placeholder secret value", () => {
        assert.match(out.stdout, /clientSecret: \[secret\]/);
        assert.match(out.stdout, /azureClientSecret: \[secret\]/);
        assert.match(out.stdout, /stringValue: \[secret\]/);
        assert.ok(
            !out.stdout.includes("demo-placeholder-for"),
            "a secret's placeholder value leaked",
        );
        assert.ok(!out.stdout.includes("__provider"), "internal inputs are not shown");
    });

    it("prints the stack outputs", () => {
        const tail = out.stdout.slice(out.stdout.indexOf("Stack outputs:"));
        assert.match(tail, /devSecretScopeNameForStaging: "remote-mr-staging"/);
        assert.match(tail, /stagingSecretScopePrefixForProd: "prod"/);
        assert.match(tail, /servicePrincipalGroupName: "mlops-service-principals"/);
        assert.match(
            tail,
            /prodServicePrincipalApplicationId: "00000000-0000-0000-0000-00000000bbbb"/,
        );
    });

    it("a bad stack config prints the ConfigError naming each key and exits 1, creating nothing", async () => {
        fs.mkdirSync(TMP, { recursive: true });
        fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(TMP, "Pulumi.yaml"));
        const dev = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")) as {
            config: Record<string, any>;
        };
        const ws = dev.config["azure-databricks-mlops:workspaces"];
        ws.prod.host = "http://prod.example.com";
        ws.servicePrincipals.staging.clientId = "app-one";
        fs.writeFileSync(path.join(TMP, "Pulumi.bad.yaml"), yaml.dump(dev));
        const bad = await runDemo(["--config-dir", TMP, "bad"]);
        assert.strictEqual(bad.code, 1);
        assert.match(bad.stderr, /Invalid stack configuration \(2 problems\)/);
        assert.match(
            bad.stderr,
            /azure-databricks-mlops:workspaces\.prod\.host: must be an https:\/\//,
        );
        assert.match(
            bad.stderr,
            /azure-databricks-mlops:workspaces\.servicePrincipals\.staging\.clientId: must be a GUID/,
        );
        assert.ok(!bad.stdout.includes("Resources"), "no tree for a bad config");
    });
});
