/**
 * Reading top-level secret settings (client secrets, AAD tokens). Pulumi marks config secret per
 * top-level key, so each secret has its own key. A value stored in plain text is refused rather than
 * used: it would sit unencrypted in Pulumi.<stack>.yaml.
 */
import * as pulumi from "@pulumi/pulumi";
import { Problems } from "./problems";

/** Whether the engine marked this full key (`<project>:<key>`) secret. The SDK exports this untyped. */
export function isConfigSecret(fullKey: string): boolean {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(k: string): boolean };
    return runtimeConfig.isConfigSecret(fullKey);
}

/** Whether a key is set at all (without reading it as a value anywhere it could be logged). */
export function isSet(config: pulumi.Config, key: string): boolean {
    return config.get(key) !== undefined;
}

/**
 * Reads `key` as a Pulumi secret. Adds a problem (naming the key, never the value) when it is empty or
 * not stored as a secret; returns undefined when absent or invalid.
 */
export function readSecret(config: pulumi.Config, problems: Problems, key: string): pulumi.Output<string> | undefined {
    const raw = config.get(key);
    if (raw === undefined) return undefined;
    const full = `${config.name}:${key}`;
    if (!isConfigSecret(full)) {
        problems.add(full, `must be set as a secret: pulumi config set --secret ${key} <value> (it is stored in plain text)`);
        return undefined;
    }
    if (raw.trim() === "") {
        problems.add(full, "must not be empty");
        return undefined;
    }
    return config.requireSecret(key);
}
