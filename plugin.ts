/**
 * The Pulumi plugin's components (PulumiPlugin.yaml, `pulumi package add`): exactly the three
 * components other languages use. `run-plugin` hosts every ComponentResource class exported here and
 * infers the schema from these classes' TypeScript sources (docs/multi-language.md). TypeScript
 * programs import the package by name instead, which gives the whole API (publicApi/index.ts).
 */
export { MlopsWorkspaces } from "./workspaces/mlopsWorkspaces";
export { MlopsProject } from "./projects/mlopsProject";
export { MlRegistry } from "./mlRegistry/mlRegistry";
