/** What the CLI and the `scim` entry use of the engine: the sync run, its state file, safe file writes. */
export { readRegularFile, removeStaleTemps, writeFileAtomic } from "./files";
export { emptyState, parseState, readStateFile, writeStateFile } from "./state";
export {
    DEFAULT_ACCOUNT_HOST,
    DEFAULT_CONCURRENCY,
    DEFAULT_GRAPH_URL,
    MAX_GROUP_SEARCH_DEPTH,
    runSync,
} from "./sync";
