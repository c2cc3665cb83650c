/**
 * The config readers' per-environment keys with a fourth environment in the table (`test`, deployed
 * to): `catalogs.test` and `cicdCredentials.test` are read and checked like staging's.
 */
import * as assert from "assert";
import { Problems } from "../../core/problems";
import { readCatalogs, readCicdCredentials } from "../../program/config/unityCatalog";
import { FOUR_ENVIRONMENTS } from "../support/fourEnvironments";

const k = (p: string) => `proj:workspaces.${p}`;
const keys = (p: Problems) => p.items.map((i) => i.key);

describe("config readers with a fourth environment in the table", () => {
    it("catalogs: reads catalogs.test, requires it, and names the four in the shape", () => {
        const p = new Problems();
        const catalogs = readCatalogs(
            {
                dev: { name: "ml_dev" },
                test: { name: "ml_test", create: false },
                staging: { name: "ml_staging" },
                prod: { name: "ml_prod" },
            },
            k,
            p,
            FOUR_ENVIRONMENTS,
        );
        assert.ok(p.empty);
        assert.deepStrictEqual(catalogs?.test, { name: "ml_test", create: false });

        const missing = new Problems();
        readCatalogs(
            { dev: { name: "ml_dev" }, staging: { name: "ml_staging" }, prod: { name: "ml_prod" } },
            k,
            missing,
            FOUR_ENVIRONMENTS,
        );
        assert.deepStrictEqual(keys(missing), [k("catalogs.test")]);

        const none = new Problems();
        readCatalogs(undefined, k, none, FOUR_ENVIRONMENTS);
        assert.match(
            none.items[0].reason,
            /\{ dev: \{ name, create\?, storageRoot\? \}, test: \{ … \}, staging: \{ … \}, prod: \{ … \} \}/,
        );
    });

    it("CI/CD credentials: cicdCredentials.test is a known key, checked like the others", () => {
        const p = new Problems();
        const { value, needsAccount } = readCicdCredentials(
            { test: { method: "federation" }, staging: { method: "none" } },
            k,
            p,
            FOUR_ENVIRONMENTS,
        );
        assert.strictEqual(needsAccount, true);
        assert.deepStrictEqual(Object.keys(value), ["test", "staging"]);
        assert.deepStrictEqual(keys(p), [
            k("cicdCredentials.test.issuer"),
            k("cicdCredentials.test.subject"),
        ]);
        const unknown = new Problems();
        readCicdCredentials({ test: {} }, k, unknown);
        assert.deepStrictEqual(keys(unknown), [k("cicdCredentials.test")]);
        assert.match(unknown.items[0].reason, /valid ones: staging, prod/);
    });
});
