/**
 * The package's schema as `run-plugin` serves it: the plugin's provider (componentProvider/provider.ts,
 * the SDK's ComponentProvider whose analyzer runs for GetSchema and before every Construct) over the
 * components plugin.ts exports.
 */
import * as path from "path";
import { PACKAGE_ROOT } from "../support/consumerFolder";
import { MlopsComponentProvider } from "../../componentProvider/provider";

export const PROVIDER_NAME = "azure-databricks-mlops";

interface ComponentProviderLike {
    getSchema(): Promise<string>;
}

/** What plugin.ts exports (the compiled dist/plugin.js): the components the provider hosts. */
export function pluginExports(): Record<string, unknown> {
    return require(path.join(PACKAGE_ROOT, "dist", "plugin"));
}

let inferred: Promise<any> | undefined;

/** The inferred schema, parsed (analysed once per test process). Throws the analyzer's error when it rejects the package. */
export function inferSchema(): Promise<any> {
    inferred ??= analyse();
    return inferred;
}

async function analyse(): Promise<any> {
    const provider: ComponentProviderLike = new MlopsComponentProvider(PACKAGE_ROOT);
    return JSON.parse(await provider.getSchema());
}

/** The schema exactly as the SDK's analyzer infers it, before the plugin's additions. */
export async function inferRawSchema(): Promise<any> {
    // Internal modules of the SDK, as run-plugin uses them (not part of its typed public API).
    const experimental = require(
        path.join(
            path.dirname(require.resolve("@pulumi/pulumi/package.json")),
            "provider",
            "experimental",
            "provider",
        ),
    );
    const components = experimental.getPulumiComponents(pluginExports());
    const provider: ComponentProviderLike = new experimental.ComponentProvider({
        name: PROVIDER_NAME,
        dirname: PACKAGE_ROOT,
        components,
    });
    return JSON.parse(await provider.getSchema());
}

/** Every `$ref` in a schema fragment, with its JSON path. */
export function refsOf(node: unknown, at = "$"): { at: string; ref: string }[] {
    if (Array.isArray(node)) return node.flatMap((n, i) => refsOf(n, `${at}[${i}]`));
    if (!node || typeof node !== "object") return [];
    return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) =>
        k === "$ref" && typeof v === "string" ? [{ at, ref: v }] : refsOf(v, `${at}.${k}`),
    );
}
