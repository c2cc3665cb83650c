/**
 * Turns Pulumi.yaml + Pulumi.<stack>.yaml into the engine's config environment (`PULUMI_CONFIG` and
 * `PULUMI_CONFIG_SECRET_KEYS`), as the CLI would pass it to the program: project defaults first, stack
 * values over them, keys namespaced `<project>:<key>`, non-strings as JSON.
 *
 * `secure:` values cannot be decrypted offline: each becomes a placeholder string and its top-level key
 * is marked secret, so the program reads it with getSecret/requireSecret as it would for real.
 * Pure (no Pulumi import): it runs before @pulumi/pulumi is loaded.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

export interface StackConfigEnv {
    readonly project: string;
    readonly stack: string;
    /** `<project>:<key>` → value as the engine passes it (strings raw, everything else JSON). */
    readonly config: Record<string, string>;
    /** Full keys whose value is (or contains) a `secure:` value. */
    readonly secretKeys: string[];
}

/** Placeholder that replaces an undecryptable `secure:` value. */
export function placeholderFor(key: string): string {
    return `demo-placeholder-for-${key}`;
}

export function stackConfigEnv(
    projectYaml: string,
    stackYaml: string | undefined,
    stack: string,
): StackConfigEnv {
    const project = (yaml.load(projectYaml) ?? {}) as {
        name?: string;
        config?: Record<string, unknown>;
    };
    if (!project.name) throw new Error("Pulumi.yaml has no name");
    const ns = (k: string) => (k.includes(":") ? k : `${project.name}:${k}`);
    const config: Record<string, string> = {};
    const secretKeys = new Set<string>();
    const put = (key: string, value: unknown) => {
        let secret = false;
        const plain = replaceSecure(value, key, () => (secret = true));
        if (plain === undefined) return;
        config[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
        if (secret) secretKeys.add(key);
        else secretKeys.delete(key);
    };
    for (const [k, decl] of Object.entries(project.config ?? {})) {
        // A declaration is { type?, description?, default?, value? }; a bare value is a default too.
        const d = decl as Record<string, unknown> | null;
        const isDecl =
            d !== null &&
            typeof d === "object" &&
            !Array.isArray(d) &&
            ["type", "description", "default", "value", "secret", "items"].some((x) => x in d);
        const value = isDecl ? (d!.value ?? d!.default) : decl;
        if (value !== undefined && value !== null) put(ns(k), value);
    }
    const stackDoc = (stackYaml ? yaml.load(stackYaml) : undefined) as
        { config?: Record<string, unknown> } | undefined;
    for (const [k, v] of Object.entries(stackDoc?.config ?? {})) put(ns(k), v);
    return { project: project.name, stack, config, secretKeys: [...secretKeys].sort() };
}

/** Replaces every `{ secure: … }` in a value by a placeholder, calling `onSecret` when one is found. */
function replaceSecure(v: unknown, key: string, onSecret: () => void): unknown {
    if (Array.isArray(v)) return v.map((x) => replaceSecure(x, key, onSecret));
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (Object.keys(o).length === 1 && "secure" in o) {
            onSecret();
            return placeholderFor(key.replace(/^[^:]*:/, ""));
        }
        return Object.fromEntries(
            Object.entries(o).map(([k, x]) => [k, replaceSecure(x, key, onSecret)]),
        );
    }
    return v;
}

/** The stack a `Pulumi.<stack>.yaml` file is for (its file name), or the name without `.yaml`. */
export function stackNameOf(file: string): string {
    const base = path.basename(file).replace(/\.ya?ml$/, "");
    return base.replace(/^Pulumi\./, "");
}

/** Reads the files of `stack` from the project folder; `stackFile` instead of `<projectDir>/Pulumi.<stack>.yaml` when given. */
export function readStackConfigEnv(
    projectDir: string,
    stack: string,
    stackFile = path.join(projectDir, `Pulumi.${stack}.yaml`),
): StackConfigEnv {
    const projectYaml = fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8");
    if (!fs.existsSync(stackFile)) throw new Error(`no stack file ${stackFile}`);
    return stackConfigEnv(projectYaml, fs.readFileSync(stackFile, "utf8"), stack);
}
