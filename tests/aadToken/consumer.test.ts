import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AadToken } from "../../providers/aadToken";
import { mocks } from "../mocks";
import { loadSerializedProvider } from "../serializedProvider";
import { CLIENT, FAST_RETRY, SECRET, TENANT, tokenEmulator } from "./fixtures";

const PROJECT_ROOT = path.resolve(__dirname, "../../..");

// What the engine's dynamic-provider host does, in a separate node process whose working directory
// is a consumer program that has the package in its node_modules (linked, as `npm link` would).
const RUNNER = `
const requireFromString = require(process.argv[1]);
const text = require("fs").readFileSync(process.argv[2], "utf8");
const news = JSON.parse(process.argv[3]);
(async () => {
    const provider = requireFromString(text).handler();
    const { inputs, failures } = await provider.check({}, news);
    const { outs } = await provider.create(inputs);
    process.stdout.write(JSON.stringify({ failures, accessToken: outs.accessToken, expiresOn: outs.expiresOn }));
})().catch((e) => { process.stderr.write(String(e && e.message)); process.exit(1); });
`;

describe("AadToken serialized provider in a consumer program", () => {
    const em = tokenEmulator();
    let consumer: string;
    before(async () => {
        await em.start();
        consumer = fs.mkdtempSync(path.join(os.tmpdir(), "aad-token-consumer-"));
        fs.mkdirSync(path.join(consumer, "node_modules"));
        fs.symlinkSync(PROJECT_ROOT, path.join(consumer, "node_modules", "azure-databricks-mlops"), "dir");
        fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true }));
    });
    after(async () => {
        await em.stop();
        fs.rmSync(consumer, { recursive: true, force: true });
    });
    beforeEach(() => mocks.reset());

    it("loads by package name from the consumer's node_modules and mints a token", async () => {
        const { text } = await loadSerializedProvider(
            () => new AadToken("c", { tenantId: TENANT, clientId: CLIENT, clientSecret: pulumi.secret(SECRET), authorityHost: em.authorityHost }),
            "pulumi-nodejs:dynamic/aad:Token",
            "c",
        );
        const providerFile = path.join(consumer, "provider.js.txt");
        fs.writeFileSync(providerFile, text);
        const news = { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, authorityHost: em.authorityHost, retry: FAST_RETRY };
        const stdout = await new Promise<string>((resolve, reject) =>
            execFile(
                process.execPath,
                ["-e", RUNNER, require.resolve("require-from-string"), providerFile, JSON.stringify(news)],
                // The CA path in the test script is relative to the project; the consumer runs elsewhere.
                { cwd: consumer, env: { ...process.env, NODE_EXTRA_CA_CERTS: path.join(PROJECT_ROOT, "tests/emulators/certs/ca.pem") } },
                (error, out, err) => (error ? reject(new Error(`consumer run failed: ${err}`)) : resolve(out)),
            ),
        );
        const result = JSON.parse(stdout) as { failures: unknown[]; accessToken: string; expiresOn: string };
        assert.deepStrictEqual(result.failures, []);
        assert.strictEqual(result.accessToken, em.issued[0].accessToken);
        assert.ok(!Number.isNaN(Date.parse(result.expiresOn)));
    });
});
