import * as assert from "assert";
import { devStackConfigEnv, runProbe } from "../../bench/loadCost";

// Not timed (timing lives in `npm run bench`): what loading the package pulls in, in a fresh process.
describe("package load (fresh process, not timed)", () => {
    it("never loads the top-level @pulumi/azure-native index, only the submodules MlRegistry uses", () => {
        const loaded = runProbe("package");
        assert.strictEqual(
            loaded.azureNativeIndexLoaded,
            false,
            "a top-level azure-native import costs every submodule's load time",
        );
        assert.deepStrictEqual(loaded.azureNativeSubmodules, [
            "authorization",
            "machinelearningservices",
            "monitor",
            "network",
            "operationalinsights",
            "resources",
        ]);
    });

    it("the probe does see a top-level import (so the check above can fail)", () => {
        assert.strictEqual(runProbe("azure-native").azureNativeIndexLoaded, true);
    });

    it("the root program with Pulumi.dev.yaml runs under mocks without the top-level index", () => {
        const loaded = runProbe("program", devStackConfigEnv());
        assert.strictEqual(loaded.azureNativeIndexLoaded, false);
        assert.ok(
            (loaded.resources ?? 0) > 10,
            `the program registered resources (${loaded.resources})`,
        );
    });
});
