/**
 * Validation helpers shared by every config section and component. Validation collects every problem
 * first and throws once, so a user fixes a whole stack config in one round instead of one key per run.
 */
import * as pulumi from "@pulumi/pulumi";
import { looksLikeSecret } from "./scrub";

export interface Problem {
    /** Full config key or property path, e.g. `azure-databricks-mlops:workspaces.prod.host`. */
    readonly key: string;
    /** What is wrong and what would be valid. */
    readonly reason: string;
}

/** Thrown by {@link loadStackConfig}: one error naming every bad key, raised before any resource exists. */
export class ConfigError extends Error {
    constructor(readonly problems: readonly Problem[]) {
        super(
            `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p.key}: ${p.reason}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

export class Problems {
    private readonly list: Problem[] = [];
    add(key: string, reason: string): void {
        this.list.push({ key, reason });
    }
    get items(): readonly Problem[] {
        return this.list;
    }
    get empty(): boolean {
        return this.list.length === 0;
    }
    /** Throws a {@link ConfigError} when anything was collected. */
    throwIfAny(): void {
        if (!this.empty) throw new ConfigError(this.list);
    }
    /**
     * For components: throws one `pulumi.InputPropertiesError` (the SDK's error for bad inputs, shown
     * per property by the CLI) when anything was collected.
     */
    throwAsInputErrors(resourceType: string, name: string): void {
        if (this.empty) return;
        const message =
            `Invalid arguments for ${resourceType} "${name}":\n` +
            this.list.map((p) => `  - ${p.key}: ${p.reason}`).join("\n");
        throw new pulumi.InputPropertiesError({
            message,
            errors: this.list.map((p) => ({ propertyPath: p.key, reason: p.reason })),
        });
    }
}

/** A plain object (what a structured config value is), not an array or null. */
export function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: unknown): value is string {
    return typeof value === "string" && GUID.test(value);
}

/** Adds a problem unless `value` is a GUID. Returns whether it was. */
export function checkGuid(
    problems: Problems,
    key: string,
    value: unknown,
    what = "id",
): value is string {
    if (isGuid(value)) return true;
    problems.add(
        key,
        `must be a GUID ${what} like 00000000-0000-0000-0000-000000000000, got ${describe(value)}`,
    );
    return false;
}

/** Azure Databricks workspace URLs: https, on an Azure Databricks domain, no path. */
const DATABRICKS_HOST = /^https:\/\/[a-z0-9-]+(\.[a-z0-9-]+)*\.azuredatabricks\.net\/?$/i;

export function checkDatabricksHost(
    problems: Problems,
    key: string,
    value: unknown,
): value is string {
    if (typeof value === "string" && DATABRICKS_HOST.test(value)) return true;
    problems.add(
        key,
        `must be an https:// Azure Databricks workspace URL like https://adb-1234567890123456.7.azuredatabricks.net, got ${describe(value)}`,
    );
    return false;
}

export function checkNonEmptyString(
    problems: Problems,
    key: string,
    value: unknown,
): value is string {
    if (typeof value === "string" && value.trim() !== "") return true;
    problems.add(key, `must be a non-empty string, got ${describe(value)}`);
    return false;
}

/**
 * Describes a bad value for an error message without echoing long strings or credential-shaped ones
 * (either may be a pasted secret: a client secret as the client id must not be echoed by the error
 * about it): only short, printable values are quoted. The shapes are core/scrub's, one list for both.
 */
export function describe(value: unknown): string {
    if (value === undefined) return "nothing (it is not set)";
    if (value === null) return "null";
    if (typeof value === "string") {
        if (value === "") return "an empty string";
        if (looksLikeSecret(value))
            return `a ${value.length}-character string shaped like a secret (not shown)`;
        return value.length <= 80 && /^[\x20-\x7e]*$/.test(value)
            ? JSON.stringify(value)
            : `a ${value.length}-character string`;
    }
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "an object";
    return String(value);
}
