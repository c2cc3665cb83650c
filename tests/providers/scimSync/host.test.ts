/**
 * ScimSync's serialized provider run the way the engine's dynamic-provider host runs it — a fresh node
 * process, `require-from-string` with no file name, the program's folder as working directory — from a
 * consumer program that links the package (tests/support/consumerFolder.ts), and from this project's own folder
 * (package self-reference). Each run syncs against the emulators. The real host over gRPC, from an
 * installed copy too: tests/grpc/dynamicProviders.test.ts.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ScimSync } from "../../../providers";
import { makeConsumerFolder } from "../../support/consumerFolder";
import { PROJECT_ROOT, runInHost } from "../../support/hostProcess";
import { mocks } from "../../support/mocks";
import { loadSerializedProvider } from "../../support/serializedProvider";
import {
    accountSnapshot,
    Emulators,
    GRAPH_TOKEN,
    SCIM_TOKEN,
    seedSmallTenant,
} from "../../scim/fixture";

const BODY = `
    const { id, outs } = await provider.create(inputs);
    const diff = await provider.diff(id, outs, inputs);
    process.stdout.write(JSON.stringify({ failures, created: outs.created, ids: Object.keys(outs.state.ids).length, changes: diff.changes }));
`;

describe("ScimSync serialized provider in the engine's host process", () => {
    const em = new Emulators();
    let consumer: string;
    let providerFile: string;
    before(async () => {
        await em.start();
        consumer = makeConsumerFolder("scim-sync-consumer");
        mocks.reset();
        const { text } = await loadSerializedProvider(
            () => new ScimSync("s", { accountId: em.scim.accountId, groups: ["Data Team"] }),
            "pulumi-nodejs:dynamic/scim:Sync",
            "s",
        );
        providerFile = path.join(consumer, "provider.js.txt");
        fs.writeFileSync(providerFile, text);
    });
    after(async () => {
        await em.stop();
        fs.rmSync(consumer, { recursive: true, force: true });
    });
    beforeEach(() => {
        em.clear();
        seedSmallTenant(em.graph);
    });

    for (const where of [
        "a consumer program (package in node_modules)",
        "this project's folder (self-reference)",
    ]) {
        it(`syncs from ${where}`, async () => {
            const cwd = where.startsWith("a consumer") ? consumer : PROJECT_ROOT;
            const news = {
                accountId: em.scim.accountId,
                accountHost: em.scim.host,
                graphUrl: em.graph.url,
                groups: ["Data Team"],
                groupSearchDepth: 3,
                interval: "1h",
                graphToken: GRAPH_TOKEN,
                databricksToken: SCIM_TOKEN,
                version: "1",
                rateLimits: "off",
            };
            const stdout = await runInHost(providerFile, news, BODY, cwd);
            assert.deepStrictEqual(JSON.parse(stdout), {
                failures: [],
                created: { users: 4, servicePrincipals: 1, groups: 3 },
                ids: 8,
                changes: false,
            });
            assert.strictEqual(accountSnapshot(em.scim).users.length, 4);
            assert.ok(!stdout.includes(GRAPH_TOKEN) && !stdout.includes(SCIM_TOKEN));
        });
    }
});
