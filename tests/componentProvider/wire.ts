/**
 * Property values in the engine's wire form (pulumi/pulumi sdk/go/common/resource/plugin/rpc.go,
 * sdk/nodejs/runtime/rpc.ts): secrets and output values are objects tagged by a signature key,
 * unknowns a sentinel string.
 */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });

/** An output value: known (`value`) or unknown (no value), optionally secret, with the URNs it depends on. */
export function outputValue(
    value: unknown,
    opts: { secret?: boolean; dependencies?: string[] } = {},
): Record<string, unknown> {
    const o: Record<string, unknown> = { [SIG_KEY]: OUTPUT_VALUE_SIG };
    if (value !== undefined) o.value = value;
    if (opts.secret) o.secret = true;
    if (opts.dependencies) o.dependencies = opts.dependencies;
    return o;
}

export const isSecret = (v: unknown): boolean =>
    !!v &&
    typeof v === "object" &&
    ((v as any)[SIG_KEY] === SECRET_SIG ||
        ((v as any)[SIG_KEY] === OUTPUT_VALUE_SIG && (v as any).secret === true));

/** The plain value inside a wire secret or output value. */
export const unwrap = (v: any): any =>
    v && typeof v === "object" && (v[SIG_KEY] === SECRET_SIG || v[SIG_KEY] === OUTPUT_VALUE_SIG)
        ? v.value
        : v;
