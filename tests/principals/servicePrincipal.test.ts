import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import { mocks, settle, RecordedResource } from "../support/mocks";
import {
    checkPrincipalIds,
    WorkspaceServicePrincipal,
    WorkspaceServicePrincipalArgs,
    validatePrincipalSource,
} from "../../principals/servicePrincipal";

const CLIENT_ID = "11111111-1111-1111-1111-111111111111";
const TENANT_ID = "22222222-2222-2222-2222-222222222222";
const SP_TYPE = "azure-databricks-mlops:index:WorkspaceServicePrincipal";
const dependsOnNames = (r: RecordedResource) =>
    ((r.opts.dependsOn ?? []) as (pulumi.Resource & { __name?: string })[])
        .map((d) => d.__name)
        .sort();

/** A WorkspaceServicePrincipal under mocks, in a workspace whose provider is named "ws". */
async function runInWorkspace(
    name: string,
    args: Omit<WorkspaceServicePrincipalArgs, "provider">,
): Promise<WorkspaceServicePrincipal> {
    let sp!: WorkspaceServicePrincipal;
    await mocks.run(() => {
        const provider = new databricks.Provider("ws", {
            host: "https://adb-1.1.azuredatabricks.net",
        });
        sp = new WorkspaceServicePrincipal(name, { provider, ...args });
    });
    return sp;
}

describe("WorkspaceServicePrincipal", () => {
    beforeEach(() => mocks.reset());

    it("link mode with client secret: Databricks SP with the client id, group member, AAD token minted as that SP", async () => {
        const sp = await runInWorkspace("staging", {
            displayName: "mlops-sp",
            principal: {
                mode: "link",
                clientId: CLIENT_ID,
                tenantId: TENANT_ID,
                clientSecret: pulumi.secret("s3cret"),
            },
            groupId: "group-1",
        });
        const dsp = mocks.one("databricks:index/servicePrincipal:ServicePrincipal", "staging-sp");
        assert.deepStrictEqual(
            {
                applicationId: dsp.inputs.applicationId,
                displayName: dsp.inputs.displayName,
                allowClusterCreate: dsp.inputs.allowClusterCreate,
            },
            { applicationId: CLIENT_ID, displayName: "mlops-sp", allowClusterCreate: true },
        );
        assert.strictEqual(dsp.parent, "staging");
        assert.strictEqual(dsp.parentType, SP_TYPE);
        assert.strictEqual(dsp.provider, "ws");
        const gm = mocks.one("databricks:index/groupMember:GroupMember", "staging-group-member");
        assert.deepStrictEqual(
            [gm.inputs.groupId, gm.inputs.memberId, gm.provider],
            ["group-1", dsp.id, "ws"],
        );
        const tok = mocks.one("pulumi-nodejs:dynamic/aad:Token", "staging-aad-token");
        assert.strictEqual(tok.inputs.clientId, CLIENT_ID);
        assert.strictEqual(tok.inputs.tenantId, TENANT_ID);
        assert.strictEqual(tok.inputs.clientSecret, "s3cret");
        assert.ok(
            tok.secretInputs.has("clientSecret"),
            "client secret reaches the token resource as a secret",
        );
        assert.strictEqual(tok.parent, "staging");
        assert.deepStrictEqual(
            dependsOnNames(tok),
            ["staging-sp"],
            "the token is minted once the SP exists in the workspace",
        );
        assert.strictEqual(
            tok.inputs.retry,
            undefined,
            "a linked app's bad credentials fail at once",
        );
        assert.deepStrictEqual(await settle(sp.aadToken), {
            value: "aad-token-of-staging-aad-token",
            secret: true,
        });
        assert.deepStrictEqual(await settle(sp.applicationId), { value: CLIENT_ID, secret: false });
        assert.strictEqual(mocks.byType("azuread:index/application:Application").length, 0);
    });

    it("link mode with a plain-text client secret still sends it as a secret", async () => {
        await runInWorkspace("p", {
            displayName: "x",
            principal: {
                mode: "link",
                clientId: CLIENT_ID,
                tenantId: TENANT_ID,
                clientSecret: "plain",
            },
        });
        assert.ok(mocks.one("pulumi-nodejs:dynamic/aad:Token").secretInputs.has("clientSecret"));
        assert.strictEqual(
            mocks.byType("databricks:index/groupMember:GroupMember").length,
            0,
            "no group given, no membership",
        );
    });

    it("link mode with an AAD token: no token resource, the given token is exposed as a secret", async () => {
        const sp = await runInWorkspace("p", {
            displayName: "x",
            principal: { mode: "link", clientId: CLIENT_ID, aadToken: "eyJ-given" },
        });
        assert.strictEqual(mocks.byType("pulumi-nodejs:dynamic/aad:Token").length, 0);
        assert.deepStrictEqual(await settle(sp.aadToken), { value: "eyJ-given", secret: true });
    });

    it("create mode: Entra application, service principal and password, then linked by the app's client id", async () => {
        const sp = await runInWorkspace("prod", {
            displayName: "mlops-prod",
            principal: { mode: "create", tenantId: TENANT_ID },
            groupId: "g",
        });
        const app = mocks.one("azuread:index/application:Application", "prod-app");
        assert.strictEqual(app.inputs.displayName, "mlops-prod");
        assert.strictEqual(app.parent, "prod");
        const esp = mocks.one("azuread:index/servicePrincipal:ServicePrincipal", "prod-entra-sp");
        assert.strictEqual(esp.inputs.clientId, "client-id-of-prod-app");
        const pw = mocks.one(
            "azuread:index/applicationPassword:ApplicationPassword",
            "prod-password",
        );
        assert.strictEqual(
            pw.inputs.applicationId,
            "mocked::azuread:index/application:Application::prod-app",
        );
        const dsp = mocks.one("databricks:index/servicePrincipal:ServicePrincipal", "prod-sp");
        assert.strictEqual(dsp.inputs.applicationId, "client-id-of-prod-app");
        const tok = mocks.one("pulumi-nodejs:dynamic/aad:Token", "prod-aad-token");
        assert.deepStrictEqual(
            [tok.inputs.tenantId, tok.inputs.clientId, tok.inputs.clientSecret],
            [TENANT_ID, "client-id-of-prod-app", "password-of-prod-password"],
        );
        assert.ok(tok.secretInputs.has("clientSecret"));
        assert.deepStrictEqual(
            dependsOnNames(tok),
            ["prod-entra-sp", "prod-sp"],
            "Entra grants no token to an app without its service principal",
        );
        assert.deepStrictEqual(
            tok.inputs.retry,
            { maxAttempts: 12, badCredentialRetryMs: 120_000 },
            "a just-created app is retried while Entra replicates it",
        );
        assert.deepStrictEqual(await settle(sp.clientSecret!), {
            value: "password-of-prod-password",
            secret: true,
        });
        assert.deepStrictEqual(await settle(sp.applicationId), {
            value: "client-id-of-prod-app",
            secret: false,
        });
    });

    it("rejects a link principal with neither AAD token nor client secret + tenant, naming each property", async () => {
        await assert.rejects(
            runInWorkspace("bad", {
                displayName: "x",
                principal: { mode: "link", clientId: CLIENT_ID },
            }),
            (e: Error) =>
                /principal\.clientSecret/.test(e.message) && /principal\.tenantId/.test(e.message),
        );
        assert.deepStrictEqual(
            mocks.resources.map((r) => r.type).filter((t) => !/^pulumi:/.test(t)),
            [],
            "nothing is registered, the component included",
        );
    });
});

describe("validatePrincipalSource", () => {
    const keys = (p: any) => validatePrincipalSource(p, "sp").items.map((i) => i.key);
    const c = CLIENT_ID;
    const t = TENANT_ID;
    it("accepts link with token, link with secret + tenant, create with tenant", () => {
        assert.deepStrictEqual(keys({ mode: "link", clientId: c, aadToken: "t" }), []);
        assert.deepStrictEqual(
            keys({ mode: "link", clientId: c, clientSecret: "s", tenantId: t }),
            [],
        );
        assert.deepStrictEqual(keys({ mode: "create", tenantId: t }), []);
    });
    it("names each missing or conflicting property", () => {
        assert.deepStrictEqual(keys({ mode: "link" }), [
            "sp.clientId",
            "sp.clientSecret",
            "sp.tenantId",
        ]);
        assert.deepStrictEqual(keys({ mode: "link", clientId: c, clientSecret: "s" }), [
            "sp.tenantId",
        ]);
        assert.deepStrictEqual(
            keys({ mode: "link", clientId: c, aadToken: "t", clientSecret: "s" }),
            ["sp.aadToken"],
        );
        assert.deepStrictEqual(keys({ mode: "create" }), ["sp.tenantId"]);
        assert.deepStrictEqual(keys({ mode: "other" }), ["sp.mode"]);
        assert.deepStrictEqual(keys(undefined), ["sp"]);
    });
});

describe("checkPrincipalIds", () => {
    const keys = (p: any) => checkPrincipalIds(p, "sp").items.map((i) => i.key);
    it("requires plain client and tenant ids to be GUIDs, saying which id; lets Outputs and absent ids through", () => {
        const problems = checkPrincipalIds(
            {
                mode: "link",
                clientId: "my-app",
                clientSecret: "s",
                tenantId: "contoso.onmicrosoft.com",
            },
            "sp",
        ).items;
        assert.deepStrictEqual(
            problems.map((p) => p.key),
            ["sp.clientId", "sp.tenantId"],
        );
        assert.match(problems[0].reason, /must be a GUID client \(application\) id .*got "my-app"/);
        assert.match(
            problems[1].reason,
            /must be a GUID tenant \(directory\) id .*got "contoso\.onmicrosoft\.com"/,
        );
        assert.deepStrictEqual(keys({ mode: "create", tenantId: "contoso" }), ["sp.tenantId"]);
        assert.deepStrictEqual(keys({ mode: "create", tenantId: TENANT_ID }), []);
        assert.deepStrictEqual(
            keys({
                mode: "link",
                clientId: pulumi.output("later"),
                clientSecret: "s",
                tenantId: pulumi.output("later"),
            }),
            [],
        );
        assert.deepStrictEqual(
            keys({ mode: "link" }),
            [],
            "absent ids are validatePrincipalSource's to report",
        );
    });

    it("WorkspaceServicePrincipal refuses a plain non-GUID client id before registering anything", async () => {
        mocks.reset();
        await assert.rejects(
            runInWorkspace("bad", {
                displayName: "x",
                principal: { mode: "link", clientId: "my-app", aadToken: "t" },
            }),
            /principal\.clientId: must be a GUID client \(application\) id/,
        );
        assert.deepStrictEqual(
            mocks.resources.map((r) => r.type).filter((t) => !/^pulumi:/.test(t)),
            [],
        );
    });
});
