/**
 * Sync intervals as people write them: `30m`, `6h`, `1d`, `1h30m`, or ISO 8601 durations such as
 * `PT30M`, `P1D`, `P1W`. Used by the `scimSync.interval` config, the `ScimSync` resource and the
 * pipeline runner's `--sync-every`. Pure: no Pulumi, no I/O.
 */

/** What a valid interval looks like, for error messages. */
export const INTERVAL_FORMATS =
    "a duration like 30m, 6h, 1d or 1h30m (units s, m, h, d, w), or ISO 8601 like PT30M, PT6H, P1D or P1W";

/** Shortest interval accepted: a sync more often than this would overlap with the previous one. */
export const MIN_INTERVAL_MS = 60_000;

const UNIT_MS: Record<string, number> = {
    s: 1_000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
    w: 604_800_000,
};

const SHORT = /^(?:\d+[smhdw])+$/i;
const SHORT_PART = /(\d+)([smhdw])/gi;
// Years and months are refused: their length varies, so "due" would be ambiguous.
const ISO = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

export type IntervalResult = { readonly ms: number } | { readonly error: string };

/** Parses an interval; returns its length in milliseconds, or a reason naming the valid forms. */
export function parseInterval(value: unknown): IntervalResult {
    if (typeof value !== "string" || value.trim() === "") {
        return { error: `must be ${INTERVAL_FORMATS}` };
    }
    const text = value.trim();
    let ms: number | undefined;
    if (SHORT.test(text)) {
        ms = 0;
        for (const [, n, unit] of text.matchAll(SHORT_PART))
            ms += Number(n) * UNIT_MS[unit.toLowerCase()];
    } else {
        const m = ISO.exec(text);
        // "P" and "PT" alone match the pattern with no component: not a duration.
        if (m && m.slice(1).some((part) => part !== undefined) && !/T$/i.test(text)) {
            const [w, d, h, min, s] = m.slice(1).map((part) => Number(part ?? 0));
            ms =
                w * UNIT_MS.w +
                d * UNIT_MS.d +
                h * UNIT_MS.h +
                min * UNIT_MS.m +
                Math.round(s * 1000);
        }
    }
    if (ms === undefined) {
        return { error: `must be ${INTERVAL_FORMATS}; got ${JSON.stringify(text.slice(0, 40))}` };
    }
    if (ms < MIN_INTERVAL_MS) {
        return { error: `must be at least 1 minute (1m or PT1M); got ${JSON.stringify(text)}` };
    }
    return { ms };
}

/** True when `intervalMs` has passed since `lastRunAt` (ISO timestamp); a missing or bad timestamp is due. */
export function isDue(lastRunAt: string | undefined, intervalMs: number, now: Date): boolean {
    if (!lastRunAt) return true;
    const last = Date.parse(lastRunAt);
    if (Number.isNaN(last)) return true;
    return now.getTime() - last >= intervalMs;
}
