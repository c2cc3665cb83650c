/**
 * `pulumi package add <local path or git URL@tag>` as the engine does it, minus the CLI: a fresh clone
 * of this work (no dist/, no node_modules), `npm install --loglevel=error` in it (what the Node.js
 * language host runs for a plugin folder: pulumi/pulumi sdk/nodejs/npm/npm.go, InstallDependencies),
 * then the real run-plugin started on that folder from an empty consumer folder. Shows that the
 * `prepare` build runs on install (no manual `npm run build`), and that GetSchema and a Construct work
 * from the installed folder alone.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { INSTALL_ROOT, gitSnapshot, run } from "./installs";
import { TestEngine } from "../componentProvider/monitor";
import {
    PluginProcess,
    construct,
    getSchema,
    startPlugin,
} from "../componentProvider/pluginProcess";
import { unwrap } from "../componentProvider/wire";

const PKG = "azure-databricks-mlops";

describe("plugin folder installed as `pulumi package add` installs it", function () {
    this.timeout(600_000);
    const engine = new TestEngine();
    let dir: string;
    let plugin: PluginProcess;

    before(async () => {
        const src = await gitSnapshot();
        dir = path.join(INSTALL_ROOT, "plugin-folder");
        await run("git", ["clone", "-q", src, dir], INSTALL_ROOT);
        assert.ok(!fs.existsSync(path.join(dir, "dist")), "a clone has no build");
        await run(
            "npm",
            ["install", "--loglevel=error", "--prefer-offline", "--no-audit", "--no-fund"],
            dir,
            480_000,
        );
        await engine.start();
        plugin = await startPlugin(engine.engineAddress, dir);
    });
    after(async () => {
        await plugin?.stop();
        await engine.stop();
    });

    it("npm install ran the prepare build: dist/plugin.js exists", () => {
        assert.ok(fs.existsSync(path.join(dir, "dist", "plugin.js")));
    });

    it("GetSchema from the installed folder: the three components", async () => {
        const schema = await getSchema(plugin.client);
        assert.deepStrictEqual(Object.keys(schema.resources).sort(), [
            `${PKG}:index:MlRegistry`,
            `${PKG}:index:MlopsProject`,
            `${PKG}:index:MlopsWorkspaces`,
        ]);
    });

    it("Construct from the installed folder: MlopsWorkspaces builds its providers and children, no dynamic resource", async () => {
        engine.reset(false);
        const { state } = await construct(plugin.client, {
            type: `${PKG}:index:MlopsWorkspaces`,
            name: "mlops",
            inputs: {
                dev: { host: "https://adb-1000000000000001.1.azuredatabricks.net" },
                staging: {
                    host: "https://adb-2000000000000002.2.azuredatabricks.net",
                    workspaceId: "2000000000000002",
                },
                prod: {
                    host: "https://adb-3000000000000003.3.azuredatabricks.net",
                    workspaceId: "3000000000000003",
                },
                servicePrincipals: {
                    mode: "link",
                    staging: { clientId: "11111111-1111-1111-1111-111111111111", aadToken: "t1" },
                    prod: { clientId: "33333333-3333-3333-3333-333333333333", aadToken: "t2" },
                },
            },
            monitorAddress: engine.monitorAddress,
            dryRun: false,
        });
        assert.deepStrictEqual(
            engine
                .byType("pulumi:providers:databricks")
                .map((p) => p.name)
                .sort(),
            [
                "mlops-dev",
                "mlops-prod",
                "mlops-prod-token-provider",
                "mlops-staging",
                "mlops-staging-token-provider",
            ],
        );
        assert.deepStrictEqual(
            engine.registrations.filter((r) => r.type.startsWith("pulumi-nodejs:")),
            [],
        );
        assert.strictEqual(unwrap(state.devSecretScopeNameForProd), "remote-mr-prod");
    });
});
