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

// ---- SCIM sync (issue 8): config `scimSync` → ScimSync; its last run's summary as a stack output. ----
import { ScimSync } from "./providers/scimSync";

const scimSyncResource = config.scimSync ? new ScimSync("scim-sync", { ...config.scimSync, groups: [...config.scimSync.groups] }) : undefined;

/** Last SCIM sync: when, counts, errors, and in a dry run the planned changes. Undefined without `scimSync`. */
export const scimSync = scimSyncResource && {
    lastRunAt: scimSyncResource.lastRunAt,
    lastError: scimSyncResource.lastError,
    created: scimSyncResource.created,
    updated: scimSyncResource.updated,
    membersAdded: scimSyncResource.membersAdded,
    membersRemoved: scimSyncResource.membersRemoved,
    errors: scimSyncResource.errors,
    plannedChangeCount: scimSyncResource.plannedChangeCount,
    plannedChanges: scimSyncResource.plannedChanges,
};
