/**
 * Root Pulumi program: checks the build, reads and validates the stack config, then runs each section
 * whose config key is set (program/<section>.ts) and exports the stack outputs. No resource logic
 * lives here.
 */
import {
    assertFreshBuild,
    configuredSectionsOf,
    exportOutputs,
    workspacesSection,
    projectsSection,
    scimSyncSection,
    mlRegistrySection,
} from "./program";
import { loadStackConfig } from "./program/config";

// `pulumi up` runs this file from source (ts-node); the dynamic providers run dist/: refuse a
// missing or stale build before anything is registered. (The built copy, dist/index.js, is its own build.)
if (__filename.endsWith(".ts")) assertFreshBuild(__dirname);

// Throws one ConfigError naming every bad key before any resource is registered.
const config = loadStackConfig();

/** The config sections this stack sets (workspaces, projects, mlRegistry, scimSync): what `pulumi up` manages. */
export const configuredSections = configuredSectionsOf(config);

// The trio first: projects take its group name and depend on it.
const workspaces = workspacesSection(config);
exportOutputs(module.exports, workspaces?.outputs ?? {});

const projectsPart = projectsSection(config, workspaces);
/** Per project (by name): its directory and the application ids of its SPs. */
export const projects = projectsPart.projects;
exportOutputs(module.exports, projectsPart.outputs);

exportOutputs(module.exports, scimSyncSection(config)?.outputs ?? {});
exportOutputs(module.exports, mlRegistrySection(config)?.outputs ?? {});
