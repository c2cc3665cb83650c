import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { mocks, settle } from "../support/mocks";
import { workspaceSecretKeys } from "../../program/config/workspaces";
import { rotationPeriod } from "../../principals/rotationPeriod";
import {
    LINK_SECRETS,
    linkTrio,
    NS,
    runRootProgram,
    TENANT,
    DEPLOYER,
} from "./workspacesConfigFixtures";

/** The root program's exports for this config. */
const runRoot = async (values: Record<string, unknown>, secretKeys: string[]) =>
    (await runRootProgram(values, secretKeys)).exported;

describe("root program (index.ts), workspace trio", () => {
    it("builds the three workspace providers from config: Azure CLI, client secret (secret), AAD token (secret); each takes over 0.1's root provider URN", async () => {
        await runRoot({ workspaces: linkTrio(), ...LINK_SECRETS }, Object.keys(LINK_SECRETS));
        const p = (n: string) => mocks.one("pulumi:providers:databricks", `mlops-${n}`);
        for (const env of ["dev", "staging", "prod"]) {
            assert.strictEqual(p(env).parent, "mlops");
            assert.deepStrictEqual(await settle(pulumi.output(p(env).opts.aliases![0] as string)), {
                value: `urn:pulumi:test::azure-databricks-mlops::pulumi:providers:databricks::${env}`,
                secret: false,
            });
        }
        assert.deepStrictEqual(p("dev").inputs, {
            host: "https://adb-1000000000000001.1.azuredatabricks.net",
            authType: "azure-cli",
        });
        const staging = p("staging");
        assert.deepStrictEqual(
            [
                staging.inputs.authType,
                staging.inputs.azureClientId,
                staging.inputs.azureTenantId,
                staging.inputs.azureClientSecret,
            ],
            ["azure-client-secret", DEPLOYER, TENANT, "deployer-secret"],
        );
        assert.ok(staging.secretInputs.has("azureClientSecret"));
        const prod = p("prod");
        assert.deepStrictEqual(
            [prod.inputs.host, prod.inputs.authType, prod.inputs.token],
            ["https://prod.example.azuredatabricks.net", "pat", "deployer-token"],
        );
        assert.ok(prod.secretInputs.has("token"));
    });

    it("creates MlopsWorkspaces with the configured principals and exports the TF outputs", async () => {
        const w = { ...linkTrio(), servicePrincipalGroupName: "ml-sps", tokenRotationDays: 30 };
        const out = await runRoot({ workspaces: w, ...LINK_SECRETS }, Object.keys(LINK_SECRETS));
        const stagingSp = mocks.one("pulumi:providers:databricks", "mlops-staging-token-provider");
        assert.deepStrictEqual(
            [stagingSp.inputs.authType, stagingSp.inputs.azureClientSecret],
            ["azure-client-secret", "staging-sp-secret"],
        );
        assert.ok(stagingSp.secretInputs.has("azureClientSecret"));
        assert.strictEqual(
            mocks.one("pulumi:providers:databricks", "mlops-prod-token-provider").inputs.token,
            "prod-sp-token",
        );
        for (const t of mocks.byType("databricks:index/token:Token"))
            assert.strictEqual(
                (await settle(t.opts.replacementTrigger)).value,
                String(rotationPeriod(30).index),
            );
        assert.strictEqual(
            mocks.one("databricks:index/secret:Secret", "mlops-dev-to-prod-workspace-id").inputs
                .stringValue,
            "3000000000000003",
        );
        const values: Record<string, unknown> = {};
        for (const k of [
            "devSecretScopeNameForStaging",
            "stagingSecretScopePrefixForProd",
            "servicePrincipalGroupName",
            "stagingServicePrincipalApplicationId",
        ]) {
            values[k] = (await settle(out[k])).value;
        }
        assert.deepStrictEqual(values, {
            devSecretScopeNameForStaging: "remote-mr-staging",
            stagingSecretScopePrefixForProd: "prod",
            servicePrincipalGroupName: "ml-sps",
            stagingServicePrincipalApplicationId: "11111111-1111-1111-1111-111111111111",
        });
        assert.strictEqual(out.workspaceProviders, undefined, "providers are not stack outputs");
    });

    it("create mode: Entra resources through an azuread provider for the configured tenant", async () => {
        const secrets = { stagingWorkspaceClientSecret: "d", prodWorkspaceAadToken: "t" };
        await runRoot(
            {
                workspaces: {
                    ...linkTrio(),
                    servicePrincipals: { mode: "create", tenantId: TENANT },
                },
                ...secrets,
            },
            Object.keys(secrets),
        );
        const entra = mocks.one("pulumi:providers:azuread", "mlops-entra");
        assert.deepStrictEqual([entra.inputs.tenantId, entra.parent], [TENANT, "mlops"]);
        assert.deepStrictEqual(await settle(pulumi.output(entra.opts.aliases![0] as string)), {
            value: "urn:pulumi:test::azure-databricks-mlops::pulumi:providers:azuread::entra",
            secret: false,
        });
        for (const t of [
            "azuread:index/application:Application",
            "azuread:index/servicePrincipal:ServicePrincipal",
            "azuread:index/applicationPassword:ApplicationPassword",
        ]) {
            assert.deepStrictEqual(
                mocks.byType(t).map((r) => r.provider),
                ["mlops-entra", "mlops-entra"],
            );
        }
    });

    it("bad config: one ConfigError naming each bad key, and no resource registered", async () => {
        const w = linkTrio();
        w.staging.host = "https://example.com";
        w.servicePrincipals.prod.clientId = 42;
        await assert.rejects(
            runRoot({ workspaces: w, ...LINK_SECRETS }, Object.keys(LINK_SECRETS)),
            (e: Error) => {
                assert.strictEqual(e.name, "ConfigError");
                assert.match(
                    e.message,
                    /azure-databricks-mlops:workspaces\.staging\.host: must be an https:\/\/ Azure Databricks workspace URL/,
                );
                assert.match(
                    e.message,
                    /azure-databricks-mlops:workspaces\.servicePrincipals\.prod\.clientId: must be a GUID/,
                );
                return true;
            },
        );
        assert.deepStrictEqual(
            mocks.resources.map((r) => r.type).filter((t) => t !== "pulumi:pulumi:Stack"),
            [],
        );
    });
});

describe("Pulumi.yaml and Pulumi.dev.yaml", () => {
    const ROOT = path.resolve(__dirname, "../../..");
    const project = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
        config: Record<string, any>;
    };
    const dev = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")) as {
        config: Record<string, any>;
    };

    it("leaves `workspaces` undeclared (the CLI would require it in registry- and sync-only stacks); secret keys optional (empty default)", () => {
        assert.strictEqual(project.config[`${NS}:workspaces`], undefined);
        for (const k of workspaceSecretKeys()) {
            const d = project.config[`${NS}:${k}`];
            assert.ok(d, `${k} declared`);
            assert.deepStrictEqual(
                [d.type, d.default, typeof d.description],
                ["string", "", "string"],
                k,
            );
        }
    });

    it("the example stack holds no plain-text secret", () => {
        for (const k of workspaceSecretKeys()) {
            const v = dev.config[`${NS}:${k}`];
            if (v !== undefined)
                assert.ok(typeof v === "object" && "secure" in v, `${k} is secure`);
        }
    });
});
