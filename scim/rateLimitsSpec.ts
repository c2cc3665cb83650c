/**
 * The `--rate-limits` / `rateLimits` text as users type it, checked for keys that are really rate
 * limit classes (own keys of RATE_LIMIT_KEYS: `constructor` or `toString` must not resolve to
 * Object's), then parsed by scim/pacing.
 */
import { RateLimits, RATE_LIMIT_KEYS, parseRateLimits } from "./pacing";

export function parseRateLimitSpec(spec: string): RateLimits | { error: string } {
    for (const part of spec.split(",")) {
        const key = /^\s*([a-z.]+)\s*=/i.exec(part)?.[1]?.toLowerCase();
        // Only names Object itself has (constructor, toString, …): every other key is pacing's to judge.
        if (key !== undefined && key in RATE_LIMIT_KEYS && !Object.prototype.hasOwnProperty.call(RATE_LIMIT_KEYS, key)) {
            return { error: `${JSON.stringify(part.trim().slice(0, 40))} is not a rate limit; keys: ${Object.keys(RATE_LIMIT_KEYS).join(", ")}` };
        }
    }
    return parseRateLimits(spec);
}
