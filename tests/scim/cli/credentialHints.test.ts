/**
 * The scim-sync CLI's credential and host errors say what to do: which API (Microsoft Graph or the
 * Databricks account), its host, the variable or flag to set and the runbook section. A secret that
 * could not be sent (offline) does not read as a bare `network_error`.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { tokenProviderFor } from "../../../scim/clients/auth";
import { EXIT_FAILED, runCli } from "../../../scim/cli/run";
import {
    ApiEndpoint,
    CredentialError,
    failureHint,
    RUNBOOK_SECTION,
    tokenFailureMessage,
    withCredentialHint,
} from "../../../scim/cli/credentialHints";
import { ApiError } from "../../../scim/clients/http";
import { TransportError } from "../../../scim/clients/transport";
import { githubSlug, readDoc } from "../../docs/markdown";
import { FakeEngine } from "../../providers/scimSync/fakeEngine";

const ACCOUNT = "11111111-2222-3333-4444-555555555555";
const GRAPH: ApiEndpoint = {
    api: "graph",
    url: "https://graph.microsoft.com/v1.0",
    explicitToken: false,
};
const ACCOUNT_API: ApiEndpoint = {
    api: "databricks",
    url: "https://accounts.azuredatabricks.net",
    explicitToken: false,
};

/** What DefaultAzureCredential throws when nothing is configured (AggregateAuthenticationError). */
function noCredential(): Error {
    const unavailable = (m: string) =>
        Object.assign(new Error(m), { name: "CredentialUnavailableError" });
    return Object.assign(
        new Error(
            "ChainedTokenCredential authentication failed.\nCredentialUnavailableError: EnvironmentCredential is unavailable.\nCredentialUnavailableError: ManagedIdentityCredential: Network unreachable. Message: network_error",
        ),
        {
            name: "AggregateAuthenticationError",
            errors: [
                unavailable("EnvironmentCredential is unavailable."),
                unavailable(
                    "ManagedIdentityCredential: Network unreachable. Message: network_error",
                ),
                unavailable("Azure CLI could not be found."),
            ],
        },
    );
}

describe("scim-sync credential and host hints", function () {
    this.timeout(30_000);

    it("a token failure names the API, its host, the variable to set and the runbook section", () => {
        const m = tokenFailureMessage(ACCOUNT_API, noCredential());
        assert.match(
            m,
            /^could not get a token for the Databricks account API \(accounts\.azuredatabricks\.net\): no credential was found/,
        );
        assert.match(
            m,
            /Set DATABRICKS_TOKEN to a token \(az account get-access-token --resource 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/,
        );
        assert.match(m, /AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET .*account admin/);
        assert.ok(m.endsWith(`See ${RUNBOOK_SECTION}.`));
        assert.doesNotMatch(m, /ChainedTokenCredential|\n/);
        const g = tokenFailureMessage(
            GRAPH,
            new Error(
                "ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided.",
            ),
        );
        assert.match(
            g,
            /^could not get a token for Microsoft Graph \(graph\.microsoft\.com\): Entra ID refused the credential \(AADSTS7000215: the client secret is wrong\)\. Set GRAPH_TOKEN/,
        );
    });

    it("a client secret that cannot be sent (no network) reads as unreachable token endpoint, not a wrong secret: real @azure/identity", async () => {
        // A closed loopback port as the authority: MSAL cannot send the secret, as offline.
        const provider = tokenProviderFor(
            {
                kind: "clientSecret",
                tenantId: "00000000-0000-0000-0000-000000000001",
                clientId: "00000000-0000-0000-0000-000000000002",
                clientSecret: "wrong",
                authorityHost: "https://127.0.0.1:9",
            },
            "https://graph.microsoft.com/.default",
        );
        const err = await withCredentialHint(provider, GRAPH)().then(
            () => assert.fail("no token expected"),
            (e: unknown) => e,
        );
        assert.ok(err instanceof CredentialError);
        assert.match(
            err.message,
            /^could not get a token for Microsoft Graph \(graph\.microsoft\.com\): the Entra token endpoint .* could not be reached, so the credential itself was not checked/,
        );
        assert.doesNotMatch(err.message, /^network_error/);
    });

    it("in the CLI: the account token failing says so on stderr with DATABRICKS_TOKEN; exit 1", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scim-hints-"));
        const groups = path.join(dir, "groups.json");
        fs.writeFileSync(groups, '["Data Engineers"]');
        const engine = new FakeEngine();
        engine.answers.push(async (o) => {
            await o.graph.token();
            await o.account.token();
            throw new Error("not reached");
        });
        let stderr = "";
        const code = await runCli(
            ["--groups-json-file", groups, "--state-file", path.join(dir, "state.json")],
            {
                runSync: (o) => engine.runSync(o),
                ambientTokenProvider: (api) =>
                    api === "graph"
                        ? async () => "graph-token"
                        : async () => Promise.reject(noCredential()),
                env: { DATABRICKS_ACCOUNT_ID: ACCOUNT },
                stdout: { write: () => true },
                stderr: { write: (s: string) => (stderr += s) },
            },
        );
        assert.strictEqual(code, EXIT_FAILED);
        assert.match(
            stderr,
            /scim-sync: sync failed: could not get a token for the Databricks account API \(accounts\.azuredatabricks\.net\): no credential was found \(.*\)\. Set DATABRICKS_TOKEN/,
        );
    });

    it("a refused call or an unreachable host: the API, host, what to set and the runbook", () => {
        const graphToken: ApiEndpoint = { ...GRAPH, explicitToken: true };
        const h401 = failureHint(
            new ApiError(
                "graph",
                "GET",
                "/groups",
                401,
                "InvalidAuthenticationToken",
                "Lifetime validation failed",
            ),
            [graphToken, ACCOUNT_API],
        );
        assert.match(
            h401!,
            /^Microsoft Graph \(graph\.microsoft\.com\) refused the token in GRAPH_TOKEN \(HTTP 401\).*Set GRAPH_TOKEN to a fresh one/,
        );
        const h403 = failureHint(
            new ApiError("scim", "POST", "/api/2.0/accounts/x/scim/v2/Users", 403, undefined, ""),
            [GRAPH, ACCOUNT_API],
        );
        assert.match(
            h403!,
            /^the Databricks account API \(accounts\.azuredatabricks\.net\) accepted .* \(HTTP 403\): the identity needs account admin/,
        );
        const h404 = failureHint(
            new ApiError(
                "scim",
                "GET",
                `/api/2.0/accounts/${ACCOUNT}/scim/v2/Groups`,
                404,
                undefined,
                "",
            ),
            [GRAPH, ACCOUNT_API],
        );
        assert.match(
            h404!,
            /knows no such account \(HTTP 404\): check --account-id \/ DATABRICKS_ACCOUNT_ID and --account-host \/ DATABRICKS_HOST/,
        );
        const unreachable = failureHint(
            new TransportError("scim", "accounts.example.net", "dns" as any, "ENOTFOUND"),
            [GRAPH, ACCOUNT_API],
        );
        assert.match(
            unreachable!,
            /^the Databricks account API at accounts\.example\.net could not be reached: check --account-host \/ DATABRICKS_HOST/,
        );
        for (const h of [h401, h403, h404, unreachable])
            assert.ok(h!.endsWith(`See ${RUNBOOK_SECTION}.`));
        assert.strictEqual(
            failureHint(new ApiError("graph", "GET", "/groups", 400, undefined, "bad"), [GRAPH]),
            undefined,
        );
    });

    it("the runbook section the hints name exists", () => {
        const [file, anchor] = RUNBOOK_SECTION.split("#");
        const headings = readDoc(file)
            .split("\n")
            .filter((l) => /^#+ /.test(l))
            .map((l) => githubSlug(l.replace(/^#+ /, "")));
        assert.ok(headings.includes(anchor), `${RUNBOOK_SECTION} in ${headings.join(", ")}`);
    });
});
