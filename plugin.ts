/**
 * The Pulumi plugin's components (PulumiPlugin.yaml, `pulumi package add`): exactly the three
 * components other languages use. `run-plugin` hosts every ComponentResource class exported here and
 * infers the schema from these classes' TypeScript sources (docs/multi-language.md). TypeScript
 * programs import the package by name instead, which gives the whole API (components/index.ts).
 */
export { MlopsWorkspaces } from "./components/mlopsWorkspaces";
export { MlopsProject } from "./components/mlopsProject";
export { MlRegistry } from "./components/mlRegistry";
