import * as assert from "assert";
import { Problems } from "../../core/problems";
import {
    checkCatalogStorageRoot,
    checkDistinctCatalogs,
    defaultProjectSchema,
    storageRootProblem,
    ucNameProblem,
} from "../../unityCatalog/names";
import { checkCicdCredential } from "../../unityCatalog/cicdCredentialCheck";
import { bindingPlan, trioGrantPlan, useCatalogStatements } from "../../unityCatalog/plan";

const keys = (p: Problems) => p.items.map((i) => i.key);

describe("unity-catalog plan (pure)", () => {
    it("binds each catalog read-write to its own workspace and read-only to its readers: dev reads staging and prod, staging reads prod", () => {
        assert.deepStrictEqual(
            bindingPlan().map((b) => `${b.catalogEnv}->${b.workspaceEnv}:${b.bindingType}`),
            [
                "dev->dev:BINDING_TYPE_READ_WRITE",
                "staging->staging:BINDING_TYPE_READ_WRITE",
                "staging->dev:BINDING_TYPE_READ_ONLY",
                "prod->prod:BINDING_TYPE_READ_WRITE",
                "prod->dev:BINDING_TYPE_READ_ONLY",
                "prod->staging:BINDING_TYPE_READ_ONLY",
            ],
        );
    });

    it("plans one grant per securable and principal: readers read, the deployer registers and serves", () => {
        const plan = trioGrantPlan({ dev: true, staging: true, prod: true });
        const pairs = plan.map((g) => `${g.env}/${g.securable}/${g.role}`);
        assert.strictEqual(
            new Set(pairs).size,
            pairs.length,
            "never two grants for one principal on one securable (each owns its principal's privileges)",
        );
        const get = (env: string, securable: string, role: string) =>
            plan.find((g) => g.env === env && g.securable === securable && g.role === role)
                ?.privileges;
        assert.deepStrictEqual(get("prod", "catalog", "readers"), ["USE_CATALOG"]);
        assert.deepStrictEqual(get("prod", "schema", "readers"), ["EXECUTE", "USE_SCHEMA"]);
        assert.deepStrictEqual(get("staging", "schema", "deployer"), [
            "CREATE_MODEL",
            "EXECUTE",
            "USE_SCHEMA",
        ]);
        assert.deepStrictEqual(get("dev", "schema", "readers"), [
            "CREATE_MODEL",
            "EXECUTE",
            "USE_SCHEMA",
        ]);
        assert.strictEqual(get("dev", "schema", "deployer"), undefined, "dev has no deploying SP");
    });

    it("makes no catalog-level grant on a catalog the user brought", () => {
        const plan = trioGrantPlan({ dev: true, staging: true, prod: false });
        assert.deepStrictEqual(
            plan.filter((g) => g.env === "prod").map((g) => g.securable),
            ["schema", "schema"],
        );
        assert.ok(plan.some((g) => g.env === "staging" && g.securable === "catalog"));
        assert.deepStrictEqual(
            useCatalogStatements("mlops_prod", ["account users", "app", "app"]),
            [
                "GRANT USE CATALOG ON CATALOG `mlops_prod` TO `account users`",
                "GRANT USE CATALOG ON CATALOG `mlops_prod` TO `app`",
            ],
        );
    });

    it("accepts Unity Catalog names and explains what is wrong with bad ones", () => {
        for (const ok of ["mlops_prod", "models", "a-b", "x".repeat(255)])
            assert.strictEqual(ucNameProblem(ok), undefined, ok);
        assert.match(ucNameProblem("Mlops")!, /lowercase.*"mlops"/);
        assert.match(ucNameProblem("a.b")!, /must not contain '\.'/);
        assert.match(ucNameProblem("a b")!, /spaces/);
        assert.match(ucNameProblem("a/b")!, /'\/'/);
        assert.match(ucNameProblem("x".repeat(256))!, /at most 255/);
        assert.match(ucNameProblem("")!, /Unity Catalog name/);
        assert.strictEqual(defaultProjectSchema("Churn-Model"), "churn_model");
    });

    it("accepts an abfss:// storage root in the form the provider stores, with or without the final slash, and explains bad ones", () => {
        for (const ok of [
            "abfss://models@mlopsstorage.dfs.core.windows.net/prod",
            "abfss://models@mlopsstorage.dfs.core.windows.net/prod/",
            "abfss://uc-root@mlopsstorage.dfs.core.windows.net",
            "abfss://models@govstorage.dfs.core.usgovcloudapi.net/a/b%20c",
        ]) {
            assert.strictEqual(storageRootProblem(ok), undefined, ok);
        }
        for (const bad of [
            "s3://bucket/prod",
            "abfss://models@mlopsstorage.blob.core.windows.net/prod",
            "abfss://Models@mlopsstorage.dfs.core.windows.net/prod",
            "abfss://models@mlopsstorage.dfs.core.windows.net/a b",
            "abfss://models@mlopsstorage.dfs.core.windows.net//prod",
            "abfss://models@mlopsstorage.dfs.core.windows.net/prod?x=1",
            " abfss://models@mlopsstorage.dfs.core.windows.net/prod",
            42,
        ]) {
            assert.match(
                storageRootProblem(bad) ?? "",
                /must be an abfss:\/\/ URL .* like abfss:\/\/models@mlopsstorage\.dfs\.core\.windows\.net\/prod/,
                String(bad),
            );
        }
        // Linear time on a long path that fails at its end (no nested quantifier).
        const t0 = Date.now();
        assert.ok(
            storageRootProblem(
                `abfss://models@mlopsstorage.dfs.core.windows.net/${"a".repeat(50_000)} `,
            ),
        );
        assert.ok(Date.now() - t0 < 500);
    });

    it("takes a storage root only for a catalog the stack creates", () => {
        const p = new Problems();
        const known = () => true;
        checkCatalogStorageRoot(
            p,
            "catalogs.dev.storageRoot",
            "abfss://models@mlopsstorage.dfs.core.windows.net/dev",
            undefined,
            known,
        );
        checkCatalogStorageRoot(
            p,
            "catalogs.staging.storageRoot",
            "abfss://models@mlopsstorage.dfs.core.windows.net/staging",
            true,
            known,
        );
        checkCatalogStorageRoot(
            p,
            "catalogs.prod.storageRoot",
            "abfss://models@mlopsstorage.dfs.core.windows.net/prod",
            false,
            known,
        );
        checkCatalogStorageRoot(p, "catalogs.qa.storageRoot", "/mnt/models", true, known);
        checkCatalogStorageRoot(
            p,
            "catalogs.later.storageRoot",
            "unknown until deployed",
            true,
            () => false,
        );
        assert.deepStrictEqual(keys(p), ["catalogs.prod.storageRoot", "catalogs.qa.storageRoot"]);
        assert.match(
            p.items[0].reason,
            /only applies to a catalog this stack creates \(create is false/,
        );
        assert.match(p.items[1].reason, /got "\/mnt\/models"/);
    });

    it("refuses one catalog for two environments", () => {
        const p = new Problems();
        checkDistinctCatalogs(
            p,
            { dev: "a", staging: "b", prod: "a" },
            (e) => `catalogs.${e}.name`,
        );
        assert.deepStrictEqual(keys(p), ["catalogs.prod.name"]);
        assert.match(p.items[0].reason, /also the dev catalog/);
    });

    it("checks CI/CD credentials: federation needs issuer and subject and the account; other methods take no federation keys", () => {
        const p = new Problems();
        const known = () => true;
        assert.strictEqual(checkCicdCredential(p, "c1", { method: "federation" }, known), true);
        assert.deepStrictEqual(keys(p), ["c1.issuer", "c1.subject"]);
        const q = new Problems();
        checkCicdCredential(
            q,
            "c2",
            { method: "federation", issuer: "http://x", subject: "s", audiences: [] },
            known,
        );
        checkCicdCredential(q, "c3", { method: "oauth-secret", subject: "s" }, known);
        checkCicdCredential(q, "c4", { method: "pat" }, known);
        assert.deepStrictEqual(keys(q), ["c2.issuer", "c2.audiences", "c3.subject", "c4.method"]);
        assert.match(q.items[3].reason, /oauth-secret, federation, none/);
        const ok = new Problems();
        assert.strictEqual(
            checkCicdCredential(
                ok,
                "c",
                {
                    method: "federation",
                    issuer: "https://token.actions.githubusercontent.com",
                    subject: "repo:o/r:environment:prod",
                },
                known,
            ),
            true,
        );
        assert.strictEqual(checkCicdCredential(ok, "c", { method: "oauth-secret" }, known), false);
        assert.ok(ok.empty);
    });
});
