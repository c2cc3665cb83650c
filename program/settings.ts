/**
 * Config settings go to the components under their own names: a section's reader returns them, the
 * program passes on all but the ones it builds itself, so a new setting needs no change in the program.
 */

/** `section` without `built` (the keys the program turns into something else). */
export function settingsOf<T extends object, K extends keyof T>(
    section: T,
    built: readonly K[],
): Omit<T, K> {
    const rest = { ...section } as Record<PropertyKey, unknown>;
    for (const k of built) delete rest[k];
    return rest as Omit<T, K>;
}
