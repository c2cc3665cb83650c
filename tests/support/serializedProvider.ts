/**
 * Loads a dynamic provider the way the Pulumi engine does: from the `__provider` text that the
 * resource registers (and that Pulumi keeps in state), not from the TypeScript module. A provider that
 * captures a client, a credential, an Output or a relative import may work when called directly and
 * still break here, so every dynamic provider is tested through this path too.
 *
 * Usage (callers `mocks.reset()` in their own beforeEach):
 *   const { provider } = await loadSerializedProvider(() => new AadToken("t", args), "pulumi-nodejs:dynamic/aad:Token", "t");
 *   await provider.create!(inputs);
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { mocks } from "./mocks";
import { PACKAGE_ROOT } from "./consumerFolder";

export interface SerializedProvider {
    /** The provider object returned by the module's `exports.handler()`. */
    readonly provider: pulumi.dynamic.ResourceProvider;
    /** The serialized module text, as Pulumi stores it in state. */
    readonly text: string;
    /** Where the text was written (inside the project tree, so `node_modules` and self-reference resolve). */
    readonly file: string;
}

/** `tests/.tmp` in the source tree; gitignored. */
export const SERIALIZED_DIR = path.join(PACKAGE_ROOT, "tests", ".tmp");

/**
 * Constructs the resource(s) under mocks, takes the recorded `__provider` input of the resource with
 * this type (and name), and loads it with {@link loadProviderText}.
 */
export async function loadSerializedProvider(
    construct: () => unknown,
    type: string,
    name?: string,
): Promise<SerializedProvider> {
    await mocks.run(() => {
        construct();
    });
    const text = mocks.one(type, name).inputs.__provider;
    if (typeof text !== "string" || text === "") {
        throw new Error(
            `resource ${type}${name ? ` ${name}` : ""} registered no __provider text (is it a dynamic resource?)`,
        );
    }
    return loadProviderText(text);
}

/**
 * Writes serialized provider text to a file inside the project tree, `require`s it fresh and calls
 * `exports.handler()`, as the engine's dynamic-provider host does (it uses require-from-string from
 * the program's directory).
 */
export function loadProviderText(text: string): SerializedProvider {
    fs.mkdirSync(SERIALIZED_DIR, { recursive: true });
    const hash = crypto.createHash("sha256").update(text).digest("hex").slice(0, 16);
    const file = path.join(SERIALIZED_DIR, `provider-${hash}.js`);
    fs.writeFileSync(file, text);
    delete require.cache[require.resolve(file)];

    const mod = require(file) as { handler?: () => pulumi.dynamic.ResourceProvider };
    if (typeof mod.handler !== "function")
        throw new Error(`serialized provider ${file} exports no handler()`);
    return { provider: mod.handler(), text, file };
}
