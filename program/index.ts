/** The root program's sections and the build check, which index.ts calls in order (config: program/config). */
export { assertFreshBuild } from "./buildCheck";
export { configuredSectionsOf, exportOutputs } from "./outputs";
export { mlRegistrySection } from "./mlRegistry";
export { projectsSection } from "./projects";
export { scimSyncSection } from "./scimSync";
export { workspacesSection } from "./workspaces";
