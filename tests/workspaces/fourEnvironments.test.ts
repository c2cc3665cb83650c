/**
 * The internal builders of the workspace trio with a fourth environment in the table (`test`, deployed
 * to, between dev and staging): each gives it what staging has, keyed by its name, with no other
 * source change. The public types keep dev, staging and prod: the args below are cast.
 */
import * as assert from "assert";
import { Problems } from "../../core/problems";
import { ENVIRONMENTS, scopePairs } from "../../core/environments";
import { bindingPlan, trioGrantPlan } from "../../unityCatalog/plan";
import { checkDistinctCatalogs } from "../../unityCatalog/names";
import { validateUnityCatalogSharingArgs } from "../../unityCatalog/unityCatalogSharing";
import { validateMlopsWorkspacesArgs } from "../../workspaces/validation";
import { checkModelRegistryArgs } from "../../workspaces/unityCatalogTrio";
import { secretScopeOutputNames } from "../../workspaces/mlopsWorkspaces";
import { FOUR_ENVIRONMENTS } from "../support/fourEnvironments";
import { HOSTS, linkArgs, STAGING_CLIENT, TENANT } from "./fixtures";
import { ucArgs } from "../unityCatalog/fixtures";

const FOUR = FOUR_ENVIRONMENTS;
const keys = (p: Problems) => p.items.map((i) => i.key);
const reasonAt = (p: Problems, key: string) => p.items.find((i) => i.key === key)?.reason;
const TEST_HOST = "https://adb-4000000000000004.4.azuredatabricks.net";

describe("a fourth environment in the table reaches every per-environment builder", () => {
    it("binding plan: its catalog read-write to its workspace and read-only to dev's; dev's catalog read-only to it", () => {
        const plan = bindingPlan(FOUR).map(
            (b) =>
                `${b.catalogEnv}->${b.workspaceEnv}:${b.bindingType.replace("BINDING_TYPE_", "")}`,
        );
        assert.deepStrictEqual(plan, [
            "dev->dev:READ_WRITE",
            "dev->test:READ_ONLY",
            "test->test:READ_WRITE",
            "test->dev:READ_ONLY",
            "staging->staging:READ_WRITE",
            "staging->dev:READ_ONLY",
            "prod->prod:READ_WRITE",
            "prod->dev:READ_ONLY",
            "prod->staging:READ_ONLY",
        ]);
    });

    it("grant plan: its deployer registers and serves in its catalog, its readers read it", () => {
        const created = { dev: true, test: true, staging: true, prod: true };
        const test = trioGrantPlan(created, FOUR)
            .filter((g) => g.env === "test")
            .map((g) => `${g.securable}/${g.role}:${g.privileges.join(",")}`);
        assert.deepStrictEqual(test, [
            "catalog/readers:USE_CATALOG",
            "schema/readers:EXECUTE,USE_SCHEMA",
            "catalog/deployer:USE_CATALOG",
            "schema/deployer:CREATE_MODEL,EXECUTE,USE_SCHEMA",
        ]);
        // A test catalog the user brought gets no catalog-level grant, as any other.
        assert.deepStrictEqual(
            trioGrantPlan({ ...created, test: false }, FOUR)
                .filter((g) => g.env === "test")
                .map((g) => g.securable),
            ["schema", "schema"],
        );
    });

    it("legacy secret scopes: dev gets one for test, named as the others", () => {
        assert.deepStrictEqual(scopePairs(FOUR).map(secretScopeOutputNames)[0], {
            name: "devSecretScopeNameForTest",
            prefix: "devSecretScopePrefixForTest",
        });
        // The default table gives the outputs MlopsWorkspaces declares.
        assert.deepStrictEqual(
            scopePairs().map((p) => secretScopeOutputNames(p).name),
            [
                "devSecretScopeNameForStaging",
                "devSecretScopeNameForProd",
                "stagingSecretScopeNameForProd",
            ],
        );
    });

    it("catalog names: the test catalog may not be another environment's", () => {
        const p = new Problems();
        checkDistinctCatalogs(
            p,
            { dev: "ml_dev", test: "ml_dev", staging: "ml_staging", prod: "ml_prod" },
            (e) => `catalogs.${e}.name`,
            FOUR,
        );
        assert.deepStrictEqual(keys(p), ["catalogs.test.name"]);
        assert.match(p.items[0].reason, /is also the dev catalog/);
    });

    it("trio validation: the test workspace, its id and its linked principal are required like staging's", () => {
        const args = linkArgs();
        const missing = validateMlopsWorkspacesArgs(args as never, 8_640_000, 90, FOUR);
        assert.deepStrictEqual(keys(missing), ["test", "servicePrincipals.test"]);
        assert.match(reasonAt(missing, "servicePrincipals.test")!, /is required in link mode/);

        const withTest = {
            ...args,
            test: { host: TEST_HOST },
            servicePrincipals: {
                ...args.servicePrincipals,
                test: { clientId: STAGING_CLIENT, tenantId: TENANT, clientSecret: "s" },
            },
        };
        const noId = validateMlopsWorkspacesArgs(withTest as never, 8_640_000, 90, FOUR);
        assert.deepStrictEqual(keys(noId), ["test.workspaceId"]);

        const sameAsStaging = validateMlopsWorkspacesArgs(
            {
                ...withTest,
                test: { host: HOSTS.staging, workspaceId: "2000000000000002" },
            } as never,
            8_640_000,
            90,
            FOUR,
        );
        assert.match(
            reasonAt(sameAsStaging, "staging.host")!,
            /dev, test, staging, prod must be 4 different workspaces/,
        );
        // Unchanged for the default table.
        assert.ok(validateMlopsWorkspacesArgs(args, 8_640_000, 90, ENVIRONMENTS).empty);
    });

    it("unity-catalog checks: a test catalog and the test CI/CD credential are checked; messages list the four", () => {
        const p = new Problems();
        checkModelRegistryArgs(
            {
                ...ucArgs(),
                test: { host: TEST_HOST, workspaceId: "4000000000000004" },
                cicdCredentials: { test: { method: "federation" } },
            } as never,
            p,
            FOUR,
        );
        assert.deepStrictEqual(keys(p), [
            "catalogs.test",
            "cicdCredentials.test.issuer",
            "cicdCredentials.test.subject",
            "account",
        ]);
        assert.match(reasonAt(p, "catalogs.test")!, /of the test catalog/);

        const none = new Problems();
        checkModelRegistryArgs({ ...ucArgs(), catalogs: undefined }, none, FOUR);
        assert.match(reasonAt(none, "catalogs")!, /\{ dev, test, staging, prod \}/);
        const noDevId = new Problems();
        checkModelRegistryArgs(
            { ...ucArgs(), dev: { host: HOSTS.dev }, catalogs: undefined },
            noDevId,
            FOUR,
        );
        assert.strictEqual(
            reasonAt(noDevId, "dev.workspaceId"),
            "is required with modelRegistry \"unity-catalog\": the dev catalog is bound to it, and test's, staging's and prod's read-only to it",
        );
    });

    it("UnityCatalogSharing validation: the test workspace and its deployer are required", () => {
        // What databricks.Provider.isInstance checks, without registering a provider.
        const provider = { __pulumiType: "pulumi:providers:databricks" };
        const ws = (id: string, name: string) => ({
            provider,
            workspaceId: id,
            catalog: { name },
        });
        const args = {
            dev: ws("1", "ml_dev"),
            staging: ws("2", "ml_staging"),
            prod: ws("3", "ml_prod"),
            deployers: { staging: "s", prod: "p" },
        };
        const p = validateUnityCatalogSharingArgs(args as never, new Problems(), FOUR);
        assert.deepStrictEqual(keys(p), ["test", "deployers"]);
        assert.strictEqual(
            reasonAt(p, "deployers"),
            "is required: { test, staging, prod } application ids of the principals that register models there",
        );
        const ok = validateUnityCatalogSharingArgs(
            {
                ...args,
                test: ws("4", "ml_test"),
                deployers: { test: "t", staging: "s", prod: "p" },
            } as never,
            new Problems(),
            FOUR,
        );
        assert.ok(ok.empty, ok.items.map((i) => `${i.key} ${i.reason}`).join("; "));
    });
});

describe("the default table reproduces the trio's plans", () => {
    it("grants: dev's readers develop, staging's and prod's readers read and their deployers register and serve", () => {
        assert.deepStrictEqual(
            trioGrantPlan({ dev: true, staging: true, prod: true }).map(
                (g) => `${g.env}/${g.securable}/${g.role}:${g.privileges.join(",")}`,
            ),
            [
                "dev/catalog/readers:USE_CATALOG",
                "dev/schema/readers:CREATE_MODEL,EXECUTE,USE_SCHEMA",
                "staging/catalog/readers:USE_CATALOG",
                "staging/schema/readers:EXECUTE,USE_SCHEMA",
                "staging/catalog/deployer:USE_CATALOG",
                "staging/schema/deployer:CREATE_MODEL,EXECUTE,USE_SCHEMA",
                "prod/catalog/readers:USE_CATALOG",
                "prod/schema/readers:EXECUTE,USE_SCHEMA",
                "prod/catalog/deployer:USE_CATALOG",
                "prod/schema/deployer:CREATE_MODEL,EXECUTE,USE_SCHEMA",
            ],
        );
        assert.deepStrictEqual(bindingPlan(), bindingPlan(ENVIRONMENTS));
    });

    it("the dev workspace id message names what reads dev's catalog bindings", () => {
        const p = new Problems();
        checkModelRegistryArgs({ ...ucArgs(), dev: { host: HOSTS.dev } }, p);
        assert.strictEqual(
            reasonAt(p, "dev.workspaceId"),
            "is required with modelRegistry \"unity-catalog\": the dev catalog is bound to it, and staging's and prod's read-only to it",
        );
    });
});
