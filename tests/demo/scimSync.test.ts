/** `npm run demo` shows the example stack's ScimSync and its summary output. */
import * as assert from "assert";
import { devDemo } from "./runDemo";

describe("npm run demo: the SCIM sync of the example stack", function () {
    this.timeout(60_000);
    it("shows the ScimSync with its inputs from Pulumi.dev.yaml and the scimSync stack output", async () => {
        const out = await devDemo();
        assert.strictEqual(out.code, 0, out.stderr);
        assert.match(out.stdout, /pulumi-nodejs:dynamic\/scim:Sync  scim-sync/);
        assert.match(
            out.stdout,
            /groups: \["Data Engineers","Data Scientists","MLOps Service Principals"\]/,
        );
        assert.match(out.stdout, /interval: "6h"/);
        assert.match(out.stdout, /dryRunPrincipals: true/);
        assert.match(out.stdout, /configuredSections: \[.*"scimSync".*\]/);
        assert.match(out.stdout, /scimSync: \{.*"lastRunAt":.*"errors":0.*\}/);
    });
});
