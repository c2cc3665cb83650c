import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AadToken } from "../../../providers/aadToken/aadToken";
import { makeConsumerFolder } from "../../support/consumerFolder";
import { runInHost } from "../../support/hostProcess";
import { mocks } from "../../support/mocks";
import { loadSerializedProvider } from "../../support/serializedProvider";
import { CLIENT, FAST_RETRY, SECRET, TENANT, tokenEmulator } from "./fixtures";

// What the engine's dynamic-provider host does, in a separate node process whose working directory
// is a consumer program that has the package in its node_modules (linked, as `npm link` would).
describe("AadToken serialized provider in a consumer program", () => {
    const em = tokenEmulator();
    let consumer: string;
    before(async () => {
        await em.start();
        consumer = makeConsumerFolder("aad-token-consumer");
    });
    after(async () => {
        await em.stop();
        fs.rmSync(consumer, { recursive: true, force: true });
    });
    beforeEach(() => mocks.reset());

    it("loads by package name from the consumer's node_modules and mints a token", async () => {
        const { text } = await loadSerializedProvider(
            () =>
                new AadToken("c", {
                    tenantId: TENANT,
                    clientId: CLIENT,
                    clientSecret: pulumi.secret(SECRET),
                    authorityHost: em.authorityHost,
                }),
            "pulumi-nodejs:dynamic/aad:Token",
            "c",
        );
        const providerFile = path.join(consumer, "provider.js.txt");
        fs.writeFileSync(providerFile, text);
        const news = {
            tenantId: TENANT,
            clientId: CLIENT,
            clientSecret: SECRET,
            authorityHost: em.authorityHost,
            retry: FAST_RETRY,
        };
        const stdout = await runInHost(
            providerFile,
            news,
            "const { outs } = await provider.create(inputs); process.stdout.write(JSON.stringify({ failures, accessToken: outs.accessToken, expiresOn: outs.expiresOn }));",
            consumer,
        );
        const result = JSON.parse(stdout) as {
            failures: unknown[];
            accessToken: string;
            expiresOn: string;
        };
        assert.deepStrictEqual(result.failures, []);
        assert.strictEqual(result.accessToken, em.issued[0].accessToken);
        assert.ok(!Number.isNaN(Date.parse(result.expiresOn)));
    });
});
