/** The mock engine lives with the offline demo (demo/mockEngine.ts), which ships it; tests use the same one. */
export * from "../demo/mockEngine";
