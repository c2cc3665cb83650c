/**
 * `npm run bench`: runs each benchmark in turn. Benchmarks report ratios against a baseline measured
 * in the same run, never absolute pass/fail times. Add a benchmark module to the list below.
 */
interface Benchmark {
    readonly name: string;
    readonly run: () => Promise<void>;
}

const BENCHMARKS: readonly Benchmark[] = [
    { name: "load cost (package and root program)", run: () => require("./loadCost").run() },
    {
        name: "scim-sync (engine against emulators, 20 ms latency)",
        run: () => require("./scim").run(),
    },
    {
        name: "scim-pacing (adaptive pacing against hidden rate limits)",
        run: () => require("./scimPacing").run(),
    },
];

async function main(): Promise<void> {
    const only = process.argv[2];
    for (const b of BENCHMARKS.filter((b) => !only || b.name.includes(only))) {
        console.log(`== ${b.name}`);
        await b.run();
    }
}

main().catch((err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
});
