/**
 * Masks secrets at any depth of stack outputs. The Automation API flags an output secret only when its
 * whole masked value is "[secret]" (LocalWorkspace.stackOutputs; pulumi/pulumi#8170): an object
 * holding secrets (the root program's `projectServicePrincipalAadTokens`) comes back in plain text
 * with `secret: false`. Where the secrets are is read from the stack's exported state, in which each
 * secret value, at any depth, is an object carrying the engine's secret signature. Pure.
 */
import type { OutputMap } from "@pulumi/pulumi/automation";

export const SECRET_MASK = "[secret]";

// The engine's secret marker in state: { [SIG_KEY]: SECRET_SIG, ciphertext | plaintext }.
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

function isSecretInState(v: unknown): boolean {
    return (
        typeof v === "object" &&
        v !== null &&
        (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG
    );
}

/** The root stack resource's outputs in an exported deployment (`stack export`), if present. */
export function stackOutputsInState(exported: unknown): Record<string, unknown> | undefined {
    const resources = (
        exported as {
            deployment?: { resources?: { type?: string; outputs?: Record<string, unknown> }[] };
        }
    )?.deployment?.resources;
    return resources?.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs;
}

/** `value` with every part that is a secret in `state` replaced by "[secret]"; objects with no state to compare are masked whole. */
function maskLike(value: unknown, state: unknown, known: boolean): unknown {
    if (known && isSecretInState(state)) return SECRET_MASK;
    if (value === null || typeof value !== "object") return value;
    // No state for this part: an object could hold secrets, so it is not shown.
    if (!known || state === null || typeof state !== "object") return SECRET_MASK;
    if (Array.isArray(value))
        return value.map((v, i) =>
            maskLike(v, (state as unknown[])[i], Array.isArray(state) && i < state.length),
        );
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value))
        out[k] = maskLike(
            (value as Record<string, unknown>)[k],
            (state as Record<string, unknown>)[k],
            k in state,
        );
    return out;
}

/**
 * Stack outputs with secrets masked at any depth, top-level keys sorted. `stateOutputs` are the stack's outputs as
 * stored in its exported state; without them (export failed) every object-valued output is masked whole,
 * since only whole values are known not to be secret.
 */
export function maskOutputs(
    outputs: OutputMap,
    stateOutputs?: Record<string, unknown>,
): Record<string, unknown> {
    const masked: Record<string, unknown> = {};
    for (const key of Object.keys(outputs).sort()) {
        const { value, secret } = outputs[key];
        masked[key] = secret
            ? SECRET_MASK
            : maskLike(
                  value,
                  stateOutputs?.[key],
                  stateOutputs !== undefined && key in stateOutputs,
              );
    }
    return masked;
}
