/**
 * The root program's plumbing between the config readers and the sections: the config holds every
 * section in reading order (the order of `configuredSections`), a section passes on the settings it
 * does not build itself, and an output a mode does not have is not exported.
 */
import * as assert from "assert";
import { loadStackConfig } from "../../program/config";
import { configuredSectionsOf, exportOutputs } from "../../program/outputs";
import { settingsOf } from "../../program/settings";
import { withConfig } from "./workspacesConfigFixtures";

describe("root program sections", () => {
    it("the stack config has every section, set or not, in reading order; configuredSections lists the set ones", () => {
        const config = withConfig(
            { scimSync: { accountId: "5f3d2c1b-0000-4000-8000-000000000001", groups: ["A"] } },
            [],
            (c) => loadStackConfig(c),
        );
        assert.deepStrictEqual(Object.keys(config), [
            "workspaces",
            "projects",
            "mlRegistry",
            "scimSync",
        ]);
        assert.deepStrictEqual(config.projects, []);
        assert.deepStrictEqual(configuredSectionsOf(config), ["scimSync"]);
    });

    it("settingsOf passes on every setting but the built ones, and leaves the section as it is", () => {
        const section = {
            dev: { host: "h" },
            servicePrincipalDisplayName: "sp",
            tokenRotationDays: 30,
        };
        assert.deepStrictEqual(settingsOf(section, ["dev"]), {
            servicePrincipalDisplayName: "sp",
            tokenRotationDays: 30,
        });
        assert.deepStrictEqual(Object.keys(section), [
            "dev",
            "servicePrincipalDisplayName",
            "tokenRotationDays",
        ]);
    });

    it("exportOutputs adds the defined outputs only (an undefined one would be warned about on every run)", () => {
        const target: Record<string, unknown> = { configuredSections: [] };
        exportOutputs(target, { unityCatalog: undefined, projectSecrets: {}, count: 0 });
        assert.deepStrictEqual(target, { configuredSections: [], projectSecrets: {}, count: 0 });
        assert.ok(!("unityCatalog" in target));
    });
});
