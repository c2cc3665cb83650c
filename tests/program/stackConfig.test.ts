import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, loadStackConfig } from "../../program/config";
import { LINK_SECRETS, linkTrio, NS, withConfig } from "./workspacesConfigFixtures";

describe("loadStackConfig: keys no reader knows", () => {
    it("refuses a misspelt top-level key, suggesting the real one, with every other problem", () => {
        withConfig(
            {
                workspaces: linkTrio(),
                ...LINK_SECRETS,
                scimsync: { accountId: "x" },
                leftover: "1",
            },
            Object.keys(LINK_SECRETS),
            (c) => {
                assert.throws(
                    () => loadStackConfig(c),
                    (e: unknown) => {
                        assert.ok(e instanceof ConfigError);
                        const keys = e.problems.map((p) => p.key);
                        assert.deepStrictEqual(keys.sort(), [`${NS}:leftover`, `${NS}:scimsync`]);
                        assert.match(
                            e.message,
                            /azure-databricks-mlops:scimsync: is not a setting of this program \(did you mean azure-databricks-mlops:scimSync\?\); its settings are .*workspaces/,
                        );
                        assert.doesNotMatch(
                            e.problems.find((p) => p.key.endsWith("leftover"))!.reason,
                            /did you mean/,
                        );
                        return true;
                    },
                );
            },
        );
    });

    it("ignores other namespaces' keys (providers' settings) and accepts a valid stack", () => {
        const saved = pulumi.runtime.allConfig();
        try {
            pulumi.runtime.setAllConfig(
                {
                    [`${NS}:workspaces`]: JSON.stringify(linkTrio()),
                    ...Object.fromEntries(
                        Object.entries(LINK_SECRETS).map(([k, v]) => [`${NS}:${k}`, String(v)]),
                    ),
                    "azure-native:location": "eastus2",
                    "databricks:host": "https://x",
                },
                Object.keys(LINK_SECRETS).map((k) => `${NS}:${k}`),
            );
            const stack = loadStackConfig(new pulumi.Config(NS));
            assert.ok(stack.workspaces);
        } finally {
            pulumi.runtime.setAllConfig(saved, []);
        }
    });
});
