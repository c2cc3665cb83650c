/** Bounded concurrency: a semaphore for requests in flight and a pool that maps items through it. */

export class Semaphore {
    private active = 0;
    private readonly waiters: (() => void)[] = [];
    /** Highest number of holders seen at once (for tests and the bench). */
    peak = 0;

    constructor(readonly limit: number) {}

    async run<T>(fn: () => Promise<T>): Promise<T> {
        if (this.active < this.limit) this.active++;
        else await new Promise<void>((resolve) => this.waiters.push(resolve)); // the releaser hands its slot over
        this.peak = Math.max(this.peak, this.active);
        try {
            return await fn();
        } finally {
            const next = this.waiters.shift();
            if (next) next();
            else this.active--;
        }
    }
}

/** Runs `fn` over `items` with at most `limit` at once; results in input order. Stops starting new items once `stop()` is true. */
export async function mapPool<T, R>(
    items: readonly T[],
    limit: number,
    fn: (item: T, index: number) => Promise<R>,
    stop: () => boolean = () => false,
): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length && !stop()) {
            const i = next++;
            results[i] = await fn(items[i], i);
        }
    };
    await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
    return results;
}
