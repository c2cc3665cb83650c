/**
 * Reading top-level secret settings (client secrets, AAD tokens). Pulumi marks config secret per
 * top-level key, so each secret has its own key. A value stored in plain text is refused rather than
 * used: it would sit unencrypted in Pulumi.<stack>.yaml.
 */
import * as pulumi from "@pulumi/pulumi";
import { Problems } from "../../core";

/** Whether the engine marked this full key (`<project>:<key>`) secret. The SDK exports this untyped. */
export function isConfigSecret(fullKey: string): boolean {
    const runtimeConfig = require("@pulumi/pulumi/runtime/config") as {
        isConfigSecret(k: string): boolean;
    };
    return runtimeConfig.isConfigSecret(fullKey);
}

/**
 * Whether a key is set. An empty string counts as unset: Pulumi.yaml declares optional secret keys with
 * `default: ""` (a declared key without a default would be required in every stack).
 */
export function isSet(config: pulumi.Config, key: string): boolean {
    const raw = config.get(key);
    return raw !== undefined && raw.trim() !== "";
}

/**
 * Reads `key` as a Pulumi secret. Adds a problem (naming the key, never the value) when it is not stored
 * as a secret; returns undefined when unset (see {@link isSet}) or invalid.
 */
export function readSecret(
    config: pulumi.Config,
    problems: Problems,
    key: string,
): pulumi.Output<string> | undefined {
    if (!isSet(config, key)) return undefined;
    const full = `${config.name}:${key}`;
    if (!isConfigSecret(full)) {
        problems.add(
            full,
            `must be set as a secret: pulumi config set --secret ${key} <value> (it is stored in plain text)`,
        );
        return undefined;
    }
    return config.requireSecret(key);
}
