import * as assert from "assert";
import { tokenUsageAccessControls } from "../../workspaces/servicePrincipalGroup";
import { remoteRegistryNames } from "../../workspaces/remoteRegistryAccess";
import { validateMlopsWorkspacesArgs } from "../../workspaces/validation";

describe("trio naming and ACL helpers", () => {
    it("token usage: the SP group first, then each additional group once", () => {
        assert.deepStrictEqual(tokenUsageAccessControls("sps", ["users", "sps", "ds", "users"]), [
            { groupName: "sps", permissionLevel: "CAN_USE" },
            { groupName: "users", permissionLevel: "CAN_USE" },
            { groupName: "ds", permissionLevel: "CAN_USE" },
        ]);
        assert.deepStrictEqual(tokenUsageAccessControls("sps", []), [
            { groupName: "sps", permissionLevel: "CAN_USE" },
        ]);
    });

    it("remote registry scope and keys follow the Terraform modules", () => {
        assert.deepStrictEqual(remoteRegistryNames("prod"), {
            scope: "remote-mr-prod",
            prefix: "prod",
            hostKey: "prod-host",
            tokenKey: "prod-token",
            workspaceIdKey: "prod-workspace-id",
        });
    });
});

describe("validateMlopsWorkspacesArgs", () => {
    const ok = {
        dev: { host: "https://adb-111.1.azuredatabricks.net" },
        staging: { host: "https://adb-123.1.azuredatabricks.net", workspaceId: "123" },
        prod: { workspaceId: "456", host: "https://adb-456.7.azuredatabricks.net" },
        servicePrincipals: { mode: "create", tenantId: "22222222-2222-2222-2222-222222222222" },
    };
    const keys = (a: any) => validateMlopsWorkspacesArgs(a, 8_640_000, 90).items.map((p) => p.key);

    it("accepts complete arguments and defaults", () => assert.deepStrictEqual(keys(ok), []));
    it("requires each workspace, its host, and the target workspaces' ids; a provider object is refused with the migration", () => {
        assert.deepStrictEqual(
            keys({
                ...ok,
                dev: undefined,
                staging: { workspaceId: "1" },
                prod: { host: "https://adb-4.azuredatabricks.net" },
            }),
            ["dev", "staging.host", "prod.workspaceId"],
        );
        const old = validateMlopsWorkspacesArgs(
            { ...ok, dev: { provider: {}, host: ok.dev.host } } as any,
            8_640_000,
            90,
        ).items;
        assert.deepStrictEqual(
            old.map((p) => p.key),
            ["dev.provider"],
        );
        assert.match(old[0].reason, /docs\/migration-0\.2\.md/);
    });
    it("checks each connection's auth method and credentials", () => {
        const secret = { clientId: "c", tenantId: "t", clientSecret: "s" };
        assert.deepStrictEqual(
            keys({ ...ok, dev: { ...ok.dev, authMethod: "client-secret", ...secret } }),
            [],
        );
        assert.deepStrictEqual(
            keys({ ...ok, dev: { ...ok.dev, authMethod: "aad-token", aadToken: "t" } }),
            [],
        );
        assert.deepStrictEqual(
            keys({ ...ok, dev: { ...ok.dev, authMethod: "client-secret", clientId: "c" } }),
            ["dev.tenantId", "dev.clientSecret"],
        );
        assert.deepStrictEqual(
            keys({ ...ok, dev: { ...ok.dev, authMethod: "aad-token", ...secret } }),
            ["dev.clientId", "dev.tenantId", "dev.clientSecret", "dev.aadToken"],
        );
        assert.deepStrictEqual(keys({ ...ok, dev: { ...ok.dev, authMethod: "password" } }), [
            "dev.authMethod",
        ]);
    });
    it("checks plain hosts and workspace ids, lets Outputs through", () => {
        const { output } = require("@pulumi/pulumi");
        assert.deepStrictEqual(
            keys({ ...ok, staging: { workspaceId: 12, host: "adb-1.azuredatabricks.net" } }),
            ["staging.host", "staging.workspaceId"],
        );
        assert.deepStrictEqual(
            keys({ ...ok, staging: { workspaceId: output("x"), host: output("y") } }),
            [],
        );
    });
    it("requires the service principals in link mode per target", () => {
        assert.deepStrictEqual(
            keys({
                ...ok,
                servicePrincipals: {
                    mode: "link",
                    staging: { clientId: "11111111-1111-1111-1111-111111111111", aadToken: "t" },
                },
            }),
            ["servicePrincipals.prod"],
        );
        assert.deepStrictEqual(keys({ ...ok, servicePrincipals: undefined }), [
            "servicePrincipals",
        ]);
        assert.deepStrictEqual(keys({ ...ok, servicePrincipals: { mode: "create" } }), [
            "servicePrincipals.tenantId",
        ]);
    });
    it("checks groups, lifetime and rotation below the lifetime", () => {
        assert.deepStrictEqual(keys({ ...ok, additionalTokenUsageGroups: "users" }), [
            "additionalTokenUsageGroups",
        ]);
        assert.deepStrictEqual(keys({ ...ok, servicePrincipalGroupName: " " }), [
            "servicePrincipalGroupName",
        ]);
        assert.deepStrictEqual(keys({ ...ok, tokenLifetimeSeconds: 1.5 }), [
            "tokenLifetimeSeconds",
        ]);
        assert.deepStrictEqual(keys({ ...ok, tokenRotationDays: 0 }), ["tokenRotationDays"]);
        assert.deepStrictEqual(keys({ ...ok, tokenRotationDays: 100 }), ["tokenRotationDays"]);
        assert.deepStrictEqual(keys({ ...ok, tokenRotationDays: 99 }), []);
        assert.deepStrictEqual(
            keys({ ...ok, tokenLifetimeSeconds: 86_400 * 10, tokenRotationDays: 10 }),
            ["tokenRotationDays"],
        );
    });
});
