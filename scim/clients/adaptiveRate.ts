/**
 * The rate of one operation class, learnt from the answers instead of guessed: additive increase,
 * multiplicative decrease (Chiu & Jain, "Analysis of the increase and decrease algorithms for
 * congestion avoidance", 1989), in the form TCP gives it (RFC 5681 §3.1: slow start until the first
 * loss, then congestion avoidance; at most one decrease per round, i.e. a 429 of a request sent
 * before the last decrease decreases nothing), applied to a request rate instead of a window:
 * - slow start: no ceiling known yet, each paced success adds SLOW_START_STEP req/s, so the rate
 *   grows exponentially in time (dr/dt = step × r: doubles every ln 2 ÷ step s);
 * - a 429 sets the ceiling to the rate the throttled request was sent at and cuts the rate to
 *   DECREASE × that; a 429 again before RECOVERY_SUCCESSES successes (the first one after slow start
 *   too, whose overshoot is unknown) halves it, as TCP does on a loss;
 * - congestion avoidance: below TARGET × ceiling the rate closes 1/APPROACH of the gap per success
 *   (a concave approach, as CUBIC's, RFC 9438 §4.2, spends little time far below the ceiling), and
 *   probes beyond it by PROBE_STEP × ceiling per success, a step growing with the successes past the
 *   target (CUBIC's convex region), so a ceiling set too low or a limit that rose is found again, at
 *   one 429 every few hundred requests.
 * Increases count only requests that waited for their slot, and probes stop at twice the rate really sent:
 * a class limited by latency or concurrency rather than by its pace learns nothing (RFC 7661's
 * "application-limited"). The rate really sent is measured as the AWS SDKs' adaptive retry mode does
 * (botocore retries/adaptive.py and bucket.py: sends counted in half-second buckets, smoothed 0.8),
 * and a 429 takes the lower of it and the paced rate as the rate throttled, as that mode does. Once
 * two 429s lie LIMIT_WINDOW_MS or more apart, the account's bucket was empty at both, so the
 * requests it accepted in between, per second, are at most its sustained limit (a token bucket
 * conserves them, less the refill lost while it was full): the next run starts no higher, where a
 * bucket's saved-up burst would have inflated the measured rate. The
 * schedule is in requests, not seconds, so the share of 429s and of time lost is the same at 1
 * request/s as at 100.
 */
import type { LearnedRate } from "../contract";

const SLOW_START_STEP = 4;
const DECREASE = 0.9;
const RECOVERY_SUCCESSES = 8;
const TARGET = 0.97;
const APPROACH = 20;
const PROBE_STEP = 0.0001;
/** Successes past the target after which the probe step has doubled. */
const PROBE_ACCEL = 200;
const LIMIT_WINDOW_MS = 2_000;
const MEASURE_BUCKET_MS = 500;
const MEASURE_SMOOTHING = 0.8;
const MAX_OVER_MEASURED = 2;
/** Never slower than one request per 20 s: the sync must end. */
const MIN_RATE = 0.05;

export class AdaptiveRate {
    rate: number;
    ceiling?: number;
    /** Decreases so far: a request remembers the count it was sent under. */
    cuts = 0;
    throttled = 0;
    readonly startRate: number;
    private successesSinceCut = 0;
    private acceptedSinceCut = 0;
    private pastTarget = 0;
    private cutAt?: number;
    /** Requests accepted per second between the last two 429s (a lower bound of the limit). */
    private sustained?: number;
    /** Sends per second really made (see `sent`). */
    measured = 0;
    private bucketStart = -1;
    private bucketCount = 0;

    /** `max`: the explicit rate limit (a hard ceiling), Infinity when none. */
    constructor(
        start: number,
        readonly max: number,
        learned?: LearnedRate,
    ) {
        this.rate = Math.min(max, learned?.rate ?? start);
        this.ceiling = learned?.ceiling;
        this.startRate = this.rate;
    }

    /** A request of `cost` left at `now` (ms): counts towards the measured send rate. */
    sent(now: number, cost: number): void {
        if (this.bucketStart < 0) this.bucketStart = now;
        this.bucketCount += cost;
        const span = now - this.bucketStart;
        if (span >= MEASURE_BUCKET_MS) {
            const rate = (this.bucketCount * 1000) / span;
            this.measured =
                this.measured === 0
                    ? rate
                    : MEASURE_SMOOTHING * rate + (1 - MEASURE_SMOOTHING) * this.measured;
            this.bucketStart = now;
            this.bucketCount = 0;
        }
    }

    /** Any success of the class (for the limit between two 429s). */
    accepted(): void {
        this.acceptedSinceCut++;
    }

    /** A success of a request that waited for its slot (others teach nothing). */
    success(): void {
        this.successesSinceCut++;
        if (this.ceiling === undefined) {
            this.rate += SLOW_START_STEP;
        } else {
            const target = TARGET * this.ceiling;
            if (this.rate < target) this.rate += (target - this.rate) / APPROACH;
            else this.pastTarget++;
            // Not the bound (the rate really sent is well below the pace): no probing further.
            if (!(this.measured > 0 && this.rate >= MAX_OVER_MEASURED * this.measured))
                this.rate += PROBE_STEP * this.ceiling * (1 + this.pastTarget / PROBE_ACCEL);
        }
        this.rate = Math.min(this.max, this.rate);
    }

    /**
     * A 429 of a request sent at `sentRate` under `sentCuts` decreases. Returns true when the rate
     * was cut (false: that request was sent before the last cut, which has answered it already).
     */
    throttle(sentRate: number, sentCuts: number, now: number): boolean {
        this.throttled++;
        if (sentCuts < this.cuts) return false;
        // A rate learnt by an earlier run is not a recovery: only a cut of this run is.
        const recovering =
            this.ceiling === undefined ||
            (this.cutAt !== undefined && this.successesSinceCut < RECOVERY_SUCCESSES);
        const throttledAt = this.measured > 0 ? Math.min(sentRate, this.measured) : sentRate;
        if (
            this.cutAt !== undefined &&
            now - this.cutAt >= LIMIT_WINDOW_MS &&
            this.acceptedSinceCut > 0
        ) {
            this.sustained = (this.acceptedSinceCut * 1000) / (now - this.cutAt);
        }
        this.cutAt = now;
        this.acceptedSinceCut = 0;
        this.pastTarget = 0;
        this.ceiling = throttledAt;
        this.rate = Math.max(
            MIN_RATE,
            Math.min(this.max, throttledAt * (recovering ? 0.5 : DECREASE)),
        );
        this.cuts++;
        this.successesSinceCut = 0;
        return true;
    }

    /**
     * Where the next run starts: the rate now, but no more than twice the rate really sent (a pace
     * never reached proves nothing) nor above the approach target of the last throttled rate, nor
     * above what the account sustained between the last two 429s; and, never throttled, not below
     * where this run started (only a 429 teaches a lower rate).
     */
    learned(): LearnedRate {
        const round = (x: number) => Math.round(x * 1000) / 1000;
        let rate = this.rate;
        if (this.measured > 0) rate = Math.min(rate, MAX_OVER_MEASURED * this.measured);
        if (this.ceiling !== undefined)
            rate = Math.min(rate, TARGET * this.ceiling, this.sustained ?? Infinity);
        else rate = Math.max(this.startRate, rate);
        rate = Math.max(MIN_RATE, rate);
        return this.ceiling === undefined
            ? { rate: round(rate) }
            : { rate: round(rate), ceiling: round(this.ceiling) };
    }
}
