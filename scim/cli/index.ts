/** The `scim-sync` command as a function; main.ts (the bin) runs it with the real engine and streams. */
export { CliDeps, EXIT_FAILED, EXIT_OK, EXIT_USAGE, runCli } from "./run";
