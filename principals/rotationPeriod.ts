/**
 * Rotation without a dynamic resource: time is cut into fixed periods of `days` days counted from
 * 1970-01-01T00:00:00Z, and a credential carries the number of the period it was made in. The program
 * computes the current number on every run; when it moves on, the credential's trigger (the
 * Databricks token's `replacementTrigger` and comment, the Entra password's `rotateWhenChanged`)
 * changes and the credential is replaced — on a plain `pulumi up`, from any language, with no
 * provider of our own to load (dynamic resources cannot run from Python/Go/.NET/YAML consumers,
 * pulumi/pulumi#5455). Pure; tested without mocks.
 */

const DAY_MS = 86_400_000;

export interface RotationPeriod {
    /** Number of the period `now` falls in: floor(now / period length). Changes exactly at a boundary. */
    readonly index: number;
    /** Start of the period, ISO 8601: the earliest time a credential of this period was made. */
    readonly start: string;
    /** Start of the next period, ISO 8601: the first `pulumi up` after it replaces the credential. */
    readonly end: string;
}

/** The period of `days` days that `nowMs` falls in. `days` must be positive (validated by the callers). */
export function rotationPeriod(days: number, nowMs: number = Date.now()): RotationPeriod {
    const length = days * DAY_MS;
    const index = Math.floor(nowMs / length);
    return {
        index,
        start: new Date(index * length).toISOString(),
        end: new Date((index + 1) * length).toISOString(),
    };
}
