/**
 * Tokens (and the client secret, for the authority) go only to the Databricks account, Graph and Entra
 * hosts of the Azure public and sovereign clouds, to loopback, or to a host allowed by name — in the
 * engine, the CLI, ScimSync's check and AadToken's check. DATABRICKS_HOST naming a workspace is
 * refused with what to set instead. Secret-shaped values are not echoed by the errors about them.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkAadTokenInputs } from "../../providers/aadToken/inputs";
import { checkScimSyncInputs } from "../../providers/scimSync/inputs";
import { runSync } from "../../scim";
import { CliDeps, runCli } from "../../scim/cli/run";
import { TRUSTED_HOSTS, untrustedHost } from "../../core/hosts";
import { checkBaseUrl } from "../../scim/clients/http";
import { FakeEngine, fakeSummary } from "../providers/scimSync/fakeEngine";

const ACCOUNT = "11111111-2222-3333-4444-555555555555";
const TENANT = "99999999-8888-4777-8666-555555555555";
const CLIENT = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
/** Shaped like an Entra client secret value. */
const SECRET_SHAPED = "abc8Q~Zq1xYw2VuT3sR4pO5nM6lK7jI8hG9fE0dC";

function cli(env: Record<string, string>) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scim-hosts-"));
    const engine = new FakeEngine();
    engine.answers.push({
        state: { version: 1, ids: {}, syncedGroups: [], listedGroups: ["A"] },
        summary: fakeSummary(),
        plan: [],
    });
    const out = { text: "", write: (s: string) => ((out.text += s), true) };
    const err = { text: "", isTTY: false, write: (s: string) => ((err.text += s), true) };
    const deps: CliDeps = {
        runSync: (o) => engine.runSync(o),
        ambientTokenProvider: (api) => async () => `ambient-${api}`,
        env: { DATABRICKS_ACCOUNT_ID: ACCOUNT, ...env },
        stdout: out,
        stderr: err,
        createProgressBar: () => ({
            update: () => undefined,
            log: () => undefined,
            stop: () => undefined,
        }),
    };
    const groups = path.join(dir, "g.json");
    fs.writeFileSync(groups, JSON.stringify(["A"]));
    const run = (...argv: string[]) =>
        runCli(
            ["--groups-json-file", groups, "--state-file", path.join(dir, "s.json"), ...argv],
            deps,
        );
    return { run, calls: engine.calls, err };
}

describe("trusted hosts", () => {
    it("the Azure public and sovereign clouds' hosts and loopback are trusted; another host is refused naming it and the override", () => {
        for (const role of ["account", "graph", "authority"] as const) {
            for (const host of TRUSTED_HOSTS[role])
                assert.strictEqual(untrustedHost(`https://${host}/x`, role), undefined, host);
            for (const loop of ["http://127.0.0.1:8080", "https://localhost:1", "http://[::1]:2"])
                assert.strictEqual(untrustedHost(loop, role), undefined);
        }
        assert.ok(
            TRUSTED_HOSTS.account.includes("accounts.databricks.azure.us") &&
                TRUSTED_HOSTS.account.includes("accounts.databricks.azure.cn"),
        );
        const why = untrustedHost("https://graph.evil.example/v1.0", "graph");
        assert.match(
            why!,
            /graph\.evil\.example is not a Microsoft Graph host .*graph\.microsoft\.com.*allowHosts \(--allow-host\)/,
        );
        assert.strictEqual(
            untrustedHost("https://Graph.Proxy.Contoso.com/v1.0", "graph", [
                "graph.proxy.contoso.com",
            ]),
            undefined,
        );
        // A trusted host of one role is not trusted for another.
        assert.ok(untrustedHost("https://graph.microsoft.com", "account"));
    });

    it("the engine refuses an untrusted Graph or account host before any token is asked for", async () => {
        let tokens = 0;
        const token = async () => (tokens++, "t");
        const base = { groups: ["A"], graph: { token }, account: { accountId: ACCOUNT, token } };
        await assert.rejects(
            runSync({ ...base, graph: { url: "https://graph.evil.example/v1.0", token } }),
            /graph URL \(--graph-url \/ GRAPH_URL\): graph\.evil\.example is not a Microsoft Graph host/,
        );
        await assert.rejects(
            runSync({
                ...base,
                account: {
                    ...base.account,
                    host: "https://adb-1234567890123456.7.azuredatabricks.net",
                },
            }),
            /adb-1234567890123456\.7\.azuredatabricks\.net is a workspace URL.*https:\/\/accounts\.azuredatabricks\.net/,
        );
        assert.strictEqual(tokens, 0);
    });

    describe("the CLI", () => {
        it("DATABRICKS_HOST naming a workspace exits 2 saying what to set instead; naming the accounts host it is used", async () => {
            const bad = cli({
                DATABRICKS_HOST: "https://adb-1234567890123456.7.azuredatabricks.net",
            });
            assert.strictEqual(await bad.run(), 2);
            assert.match(
                bad.err.text,
                /--account-host \/ DATABRICKS_HOST: adb-1234567890123456\.7\.azuredatabricks\.net is a workspace URL/,
            );
            assert.match(
                bad.err.text,
                /Set the account host to https:\/\/accounts\.azuredatabricks\.net .*unset it for the sync or pass --account-host/,
            );
            assert.strictEqual(bad.calls.length, 0);
            const gov = cli({ DATABRICKS_HOST: "https://adb-1.2.databricks.azure.us" });
            assert.strictEqual(await gov.run(), 2);
            assert.match(gov.err.text, /https:\/\/accounts\.databricks\.azure\.us/);
            const good = cli({ DATABRICKS_HOST: "https://accounts.azuredatabricks.net/" });
            assert.strictEqual(await good.run(), 0, good.err.text);
            assert.strictEqual(good.calls[0].account.host, "https://accounts.azuredatabricks.net/");
        });

        it("another host needs --allow-host (repeatable, comma-separated), which reaches the engine", async () => {
            const refused = cli({});
            assert.strictEqual(
                await refused.run("--graph-url", "https://graph.proxy.contoso.com/v1.0"),
                2,
            );
            assert.match(
                refused.err.text,
                /--graph-url \/ GRAPH_URL: graph\.proxy\.contoso\.com is not a Microsoft Graph host.*--allow-host/,
            );
            const allowed = cli({});
            const code = await allowed.run(
                "--graph-url",
                "https://graph.proxy.contoso.com/v1.0",
                "--account-host",
                "https://scim.proxy.contoso.com",
                "--allow-host",
                "graph.proxy.contoso.com",
                "--allow-host",
                "x.contoso.com,scim.proxy.contoso.com",
            );
            assert.strictEqual(code, 0, allowed.err.text);
            assert.deepStrictEqual(allowed.calls[0].allowHosts, [
                "graph.proxy.contoso.com",
                "x.contoso.com",
                "scim.proxy.contoso.com",
            ]);
            const bad = cli({});
            assert.strictEqual(await bad.run("--allow-host", "https://x.com/"), 2);
            assert.match(bad.err.text, /--allow-host: expected a host name/);
        });

        it("a secret pasted as a URL is not echoed; --rate-limits constructor=5 is a clean usage error", async () => {
            const h = cli({});
            assert.strictEqual(await h.run("--graph-url", SECRET_SHAPED), 2);
            assert.ok(!h.err.text.includes(SECRET_SHAPED), h.err.text);
            assert.match(
                h.err.text,
                /--graph-url \/ GRAPH_URL: a 40-character value shaped like a secret \(not shown\) is not a URL/,
            );
            for (const key of ["constructor", "toString", "__proto__"]) {
                const r = cli({});
                assert.strictEqual(await r.run("--rate-limits", `${key}=5`), 2);
                assert.match(
                    r.err.text,
                    new RegExp(
                        `--rate-limits / SCIM_SYNC_RATE_LIMITS: "${key}=5" is not a rate limit;.*keys: graph\\.reads`,
                    ),
                );
                assert.doesNotMatch(r.err.text, /function|native code|\{/);
            }
        });
    });

    it("ScimSync's check: accountHost, graphUrl and authorityHost must be trusted or in allowHosts; secret-shaped values not echoed", () => {
        const base = { accountId: ACCOUNT, groups: ["A"], tenantId: TENANT };
        const { failures } = checkScimSyncInputs({
            ...base,
            accountHost: "https://adb-1.2.azuredatabricks.net",
            graphUrl: "https://graph.evil.example",
            authorityHost: "https://login.evil.example",
        });
        assert.deepStrictEqual(failures.map((f) => f.property).sort(), [
            "accountHost",
            "authorityHost",
            "graphUrl",
        ]);
        assert.match(
            failures.find((f) => f.property === "authorityHost")!.reason,
            /login\.evil\.example is not an Entra authority host.*allowHosts$/,
        );
        assert.match(failures.find((f) => f.property === "accountHost")!.reason, /workspace URL/);
        const allowed = checkScimSyncInputs({
            ...base,
            graphUrl: "https://graph.evil.example",
            authorityHost: "https://login.evil.example",
            allowHosts: ["graph.evil.example", "login.evil.example"],
        });
        assert.deepStrictEqual(allowed.failures, []);
        assert.deepStrictEqual(allowed.inputs.allowHosts, [
            "graph.evil.example",
            "login.evil.example",
        ]);
        assert.deepStrictEqual(
            checkScimSyncInputs({ ...base, allowHosts: "x" }).failures.map((f) => f.property),
            ["allowHosts"],
        );
        const masked = checkScimSyncInputs({
            ...base,
            graphUrl: SECRET_SHAPED,
            accountId: SECRET_SHAPED,
            groups: [SECRET_SHAPED.repeat(1), 5],
        });
        assert.ok(masked.failures.length >= 2);
        assert.ok(
            !JSON.stringify(masked.failures).includes(SECRET_SHAPED),
            JSON.stringify(masked.failures),
        );
    });

    it("AadToken's check: the authority must be an Entra host of an Azure cloud, loopback, or in allowHosts", () => {
        const base = { tenantId: TENANT, clientId: CLIENT, clientSecret: "s3cret-value" };
        assert.deepStrictEqual(checkAadTokenInputs({ ...base }).failures, []);
        assert.deepStrictEqual(
            checkAadTokenInputs({ ...base, authorityHost: "https://login.microsoftonline.us" })
                .failures,
            [],
        );
        assert.deepStrictEqual(
            checkAadTokenInputs({ ...base, authorityHost: "https://localhost:8443" }).failures,
            [],
        );
        const refused = checkAadTokenInputs({
            ...base,
            authorityHost: "https://login.evil.example",
        }).failures;
        assert.deepStrictEqual(
            refused.map((f) => f.property),
            ["authorityHost"],
        );
        assert.match(
            refused[0].reason,
            /login\.evil\.example is not an Entra authority host.*allowHosts$/,
        );
        assert.deepStrictEqual(
            checkAadTokenInputs({
                ...base,
                authorityHost: "https://login.evil.example",
                allowHosts: ["login.evil.example"],
            }).failures,
            [],
        );
        assert.deepStrictEqual(
            checkAadTokenInputs({ ...base, allowHosts: ["https://x/"] }).failures.map(
                (f) => f.property,
            ),
            ["allowHosts"],
        );
    });

    it("a URL error masks a secret-shaped value", () => {
        assert.throws(
            () => checkBaseUrl(SECRET_SHAPED, "graph URL"),
            (e: Error) =>
                !e.message.includes(SECRET_SHAPED) &&
                /shaped like a secret \(not shown\)/.test(e.message),
        );
        assert.throws(() => checkBaseUrl("not a url", "graph"), /"not a url" is not a URL/);
    });
});
