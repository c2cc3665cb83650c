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
 *   probes beyond it by PROBE_STEP × ceiling per success (additive increase), so an account whose
 *   limit rose is found again, at one 429 every few hundred requests.
 * Increases count only requests that waited for their slot: a class limited by latency or
 * concurrency rather than by its pace learns nothing (RFC 7661's "application-limited"). The
 * schedule is in requests, not seconds, so the share of 429s and of time lost is the same at 1
 * request/s as at 100.
 */

/** What a class learnt: the rate to start the next run at, and the rate last throttled. */
export interface LearnedRate {
    /** Requests per second. */
    readonly rate: number;
    /** The send rate of the last request answered 429; absent while none was. */
    readonly ceiling?: number;
}

const SLOW_START_STEP = 2;
const DECREASE = 0.9;
const RECOVERY_SUCCESSES = 8;
const TARGET = 0.97;
const APPROACH = 20;
const PROBE_STEP = 0.0002;
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

    /** A success of a request that waited for its slot (others teach nothing). */
    success(): void {
        this.successesSinceCut++;
        if (this.ceiling === undefined) {
            this.rate += SLOW_START_STEP;
        } else {
            const target = TARGET * this.ceiling;
            if (this.rate < target) this.rate += (target - this.rate) / APPROACH;
            this.rate += PROBE_STEP * this.ceiling;
            // Beyond the last throttled rate without a 429: the limit is higher now.
            if (this.rate > this.ceiling) this.ceiling = this.rate;
        }
        this.rate = Math.min(this.max, this.rate);
    }

    /**
     * A 429 of a request sent at `sentRate` under `sentCuts` decreases. Returns true when the rate
     * was cut (false: that request was sent before the last cut, which has answered it already).
     */
    throttle(sentRate: number, sentCuts: number): boolean {
        this.throttled++;
        if (sentCuts < this.cuts) return false;
        const recovering = this.ceiling === undefined || this.successesSinceCut < RECOVERY_SUCCESSES;
        this.ceiling = sentRate;
        this.rate = Math.max(MIN_RATE, Math.min(this.max, sentRate * (recovering ? 0.5 : DECREASE)));
        this.cuts++;
        this.successesSinceCut = 0;
        return true;
    }

    learned(): LearnedRate {
        const round = (x: number) => Math.round(x * 1000) / 1000;
        return this.ceiling === undefined ? { rate: round(this.rate) } : { rate: round(this.rate), ceiling: round(this.ceiling) };
    }
}
