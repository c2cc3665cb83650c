/**
 * Root Pulumi program: reads and validates the stack config, then wires the components. No resource
 * logic lives here.
 */
import { loadStackConfig } from "./config";

const config = loadStackConfig();

// Sections are wired below by their issues (workspace trio, projects, ML registry, SCIM sync).
export const configuredSections = Object.entries(config)
    .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k]) => k);
