/** `npm run bench`: runs each benchmark module in turn (not a test; prints tables). */
interface BenchModule {
    readonly name: string;
    run(): Promise<void>;
}

const modules: BenchModule[] = [require("./scim")];

async function main(): Promise<void> {
    for (const m of modules) {
        console.log(`\n## ${m.name}\n`);
        await m.run();
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
