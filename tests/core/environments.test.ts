import * as assert from "assert";
import {
    andList,
    deployTargets,
    ENVIRONMENTS,
    environmentTableProblems,
    envNames,
    flatPerEnv,
    isDeployTarget,
    perEnv,
    readersOf,
    readsOf,
    scopePairs,
} from "../../core/environments";
import { FOUR_ENVIRONMENTS } from "../support/fourEnvironments";
import { trioGrantPlan } from "../../unityCatalog/plan";

const pairs = (ps: { source: string; target: string }[]) =>
    ps.map((p) => `${p.source}->${p.target}`);

describe("the table of environments", () => {
    it("by default: dev, staging and prod in order; staging and prod deployed to; dev reads staging and prod, staging reads prod", () => {
        assert.deepStrictEqual(envNames(), ["dev", "staging", "prod"]);
        assert.deepStrictEqual(deployTargets(), ["staging", "prod"]);
        assert.strictEqual(isDeployTarget("dev"), false);
        assert.strictEqual(isDeployTarget("prod"), true);
        assert.deepStrictEqual(
            perEnv(envNames(), (e) => readersOf(e)),
            {
                dev: [],
                staging: ["dev"],
                prod: ["dev", "staging"],
            },
        );
        assert.deepStrictEqual(
            perEnv(envNames(), (e) => readsOf(e)),
            {
                dev: ["staging", "prod"],
                staging: ["prod"],
                prod: [],
            },
        );
        assert.deepStrictEqual(environmentTableProblems(ENVIRONMENTS), []);
    });

    it("by default, the legacy secret scopes are dev -> staging, dev -> prod and staging -> prod", () => {
        assert.deepStrictEqual(pairs(scopePairs()), ["dev->staging", "dev->prod", "staging->prod"]);
    });

    it("a fourth environment's name without its table does not compile (it would use the default table)", () => {
        // Each line compiles only with the table: without it, `N` is the default table's names.
        // @ts-expect-error "test" is not an environment of the default table
        assert.strictEqual(isDeployTarget("test"), false);
        // @ts-expect-error the same, for readersOf
        assert.deepStrictEqual(readersOf("test"), []);
        // @ts-expect-error the same, for readsOf
        assert.deepStrictEqual(readsOf("test"), []);
        const plan = trioGrantPlan(
            // @ts-expect-error a record keyed by another table's names
            { dev: true, test: true, staging: true, prod: true },
        );
        assert.ok(plan.every((g) => (g.env as string) !== "test"));
        assert.strictEqual(isDeployTarget("test", FOUR_ENVIRONMENTS), true);
    });

    it("with a fourth environment: it is listed, deployed to, read and reading, and gets the scopes of its reads", () => {
        const t = FOUR_ENVIRONMENTS;
        assert.deepStrictEqual(environmentTableProblems(t), []);
        assert.deepStrictEqual(envNames(t), ["dev", "test", "staging", "prod"]);
        assert.deepStrictEqual(deployTargets(t), ["test", "staging", "prod"]);
        assert.deepStrictEqual(readersOf("test", t), ["dev"]);
        assert.deepStrictEqual(readersOf("dev", t), ["test"]);
        // test reads dev, which has no service principal (no token to put in a scope): no scope for it.
        assert.deepStrictEqual(pairs(scopePairs(t)), [
            "dev->test",
            "dev->staging",
            "dev->prod",
            "staging->prod",
        ]);
    });

    it("flattens per-environment records into the public types' flat outputs", () => {
        assert.deepStrictEqual(
            flatPerEnv(
                perEnv(envNames(FOUR_ENVIRONMENTS), (e) => `${e}_catalog`),
                "CatalogName",
            ),
            {
                devCatalogName: "dev_catalog",
                testCatalogName: "test_catalog",
                stagingCatalogName: "staging_catalog",
                prodCatalogName: "prod_catalog",
            },
        );
        assert.strictEqual(andList(["staging's", "prod's"]), "staging's and prod's");
        assert.strictEqual(andList(["a", "b", "c"]), "a, b and c");
        assert.strictEqual(andList(["a"]), "a");
    });

    it("says what is wrong with a table", () => {
        assert.deepStrictEqual(
            environmentTableProblems([
                { name: "dev", deployTarget: false, reads: ["dev", "qa"] },
                { name: "dev", deployTarget: false, reads: [] },
                { name: "Pre-Prod", deployTarget: false, reads: [] },
            ]),
            [
                "environment dev reads itself",
                "environment dev reads qa, which is not in the table",
                "environment dev is listed twice",
                'environment "Pre-Prod" must be a lowerCamelCase name',
                "no environment is deployed to",
            ],
        );
    });
});
