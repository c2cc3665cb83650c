/**
 * The SCIM sync section of the root program (config key `scimSync`): one ScimSync, and its last run's
 * summary as stack outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { ScimSync } from "../providers/scimSync";
import type { StackConfig } from "./config";

export interface ScimSyncSection {
    readonly resource: ScimSync;
    readonly outputs: Record<string, unknown>;
}

/** The sync; undefined when the stack sets no `scimSync`. */
export function scimSyncSection(config: StackConfig): ScimSyncSection | undefined {
    if (!config.scimSync) return undefined;
    const resource = new ScimSync("scim-sync", {
        ...config.scimSync,
        groups: [...config.scimSync.groups],
    });
    return { resource, outputs: scimSyncOutputs(resource) };
}

/**
 * Last SCIM sync: when, counts and errors (`scimSync`, plain), and the change lists, which name people
 * (`scimSyncChanges`: the change report and, in a dry run, the planned changes; secret, so
 * `stack output` and the pipeline runner mask them).
 */
function scimSyncOutputs(resource: ScimSync): Record<string, unknown> {
    return {
        scimSync: {
            lastRunAt: resource.lastRunAt,
            lastError: resource.lastError,
            created: resource.created,
            updated: resource.updated,
            membersAdded: resource.membersAdded,
            membersRemoved: resource.membersRemoved,
            errors: resource.errors,
            plannedChangeCount: resource.plannedChangeCount,
            deactivated: resource.deactivated,
            changeCount: resource.changeCount,
        },
        scimSyncChanges: pulumi.secret({
            changes: resource.changes,
            plannedChanges: resource.plannedChanges,
        }),
    };
}
