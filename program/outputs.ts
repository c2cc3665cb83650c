/** Stack outputs of the root program. */
import type { StackConfig } from "./config";

/**
 * Adds the stack outputs of a configured section to `target` (the program's exports). An output the
 * section's mode does not have exports nothing rather than `undefined`, which the SDK warns about on
 * every run ("Undefined value … will not show as a stack output").
 */
export function exportOutputs(
    target: Record<string, unknown>,
    outputs: Record<string, unknown>,
): void {
    for (const [k, v] of Object.entries(outputs)) if (v !== undefined) target[k] = v;
}

/** The config sections a stack sets (workspaces, projects, mlRegistry, scimSync): what `pulumi up` manages. */
export function configuredSectionsOf(config: StackConfig): string[] {
    return Object.entries(config)
        .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
        .map(([k]) => k);
}
