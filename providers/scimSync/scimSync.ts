/**
 * ScimSync: a dynamic resource that runs the Entra ID → Databricks account SCIM sync inside `pulumi up`.
 * The engine's state (delta links, id map, synced groups) lives in the resource's outputs, so the
 * Pulumi state is the cache. A `pulumi up` syncs when inputs changed, when the last run failed, or when
 * `interval` has passed since `lastRunAt`; otherwise it does nothing. Deleting the resource stops the
 * sync and never deletes a principal from the account.
 */
import * as pulumi from "@pulumi/pulumi";

/** Bump when the provider's behaviour changes, so existing stacks run an update with the new code. */
export const SCIM_SYNC_PROVIDER_VERSION = "2";

export interface ScimSyncArgs {
    /** Databricks account id (GUID). */
    readonly accountId: pulumi.Input<string>;
    /** Databricks accounts host. Defaults to `https://accounts.azuredatabricks.net`. `http://` only for loopback. */
    readonly accountHost?: pulumi.Input<string>;
    /** Entra tenant id. Required with client secrets; otherwise ambient credentials choose the tenant. */
    readonly tenantId?: pulumi.Input<string>;
    /** Display names of the Entra groups to sync. */
    readonly groups: pulumi.Input<pulumi.Input<string>[]>;
    /** 1 = only the listed groups; n = nested groups down to n levels (at most 10). Defaults to 1. */
    readonly groupSearchDepth?: pulumi.Input<number>;
    /** Ignore delta links and read every listed group in full on each run. Defaults to false. */
    readonly fullSync?: pulumi.Input<boolean>;
    /** Write nothing; list planned principal (and membership) changes in `plannedChanges`. Defaults to false. */
    readonly dryRunPrincipals?: pulumi.Input<boolean>;
    /** Apply principals, but only list membership changes. Defaults to false. */
    readonly dryRunMembers?: pulumi.Input<boolean>;
    /**
     * Removal guard: the largest share (percent, 0–100) of a group's members one run may remove. A run
     * over it, or one that would empty a group, writes nothing and fails. Defaults to 50.
     */
    readonly maxRemovalPercent?: pulumi.Input<number>;
    /** Lifts the removal guard (set it for one `up`, then unset it). Defaults to false. */
    readonly allowMassRemoval?: pulumi.Input<boolean>;
    /** Adopt an account group of a listed name whose externalId names another Entra object. Defaults to false (an error). */
    readonly allowGroupAdoption?: pulumi.Input<boolean>;
    /**
     * Adopt an account user or service principal of the same userName / applicationId whose externalId
     * names another Entra object (a B2B guest's userName is its mail). Defaults to false: refused by name.
     */
    readonly allowPrincipalAdoption?: pulumi.Input<boolean>;
    /**
     * Host names (e.g. `scim-proxy.contoso.com`) that `accountHost`, `graphUrl` and `authorityHost` may
     * name besides the Azure public and sovereign clouds' own hosts and loopback. Defaults to none.
     */
    readonly allowHosts?: pulumi.Input<pulumi.Input<string>[]>;
    /** Deactivate (active=false, never delete) users and SPs synced before that were deleted or disabled in Entra. Defaults to false. */
    readonly deactivateDeleted?: pulumi.Input<boolean>;
    /** Maximum requests in flight per API (1–64). Defaults to 10. */
    readonly concurrency?: pulumi.Input<number>;
    /**
     * Requests per second per API and operation class, e.g. `scim.creates=3,scim.patches=1` (keys
     * `graph.reads`, `scim.reads`, `scim.lists`, `scim.creates`, `scim.patches`; 0 or `off` = unpaced).
     * Defaults to the documented limits: Graph 350 reads/s; SCIM 20 reads, 4 lists, 5 creates, 2 patches per second.
     */
    readonly rateLimits?: pulumi.Input<string>;
    /**
     * How often `pulumi up` re-syncs when nothing else changed: `30m`, `6h`, `1d`, or ISO 8601 (`PT30M`,
     * `P1D`). Defaults to none: sync only when inputs change.
     */
    readonly interval?: pulumi.Input<string>;
    /** Microsoft Graph base URL. Defaults to `https://graph.microsoft.com/v1.0`. */
    readonly graphUrl?: pulumi.Input<string>;
    /** Entra authority host for client-secret credentials. Defaults to `https://login.microsoftonline.com`. */
    readonly authorityHost?: pulumi.Input<string>;
    /** Client id of the app that reads Graph. With `graphClientSecret`; omit both for ambient credentials. */
    readonly graphClientId?: pulumi.Input<string>;
    /** Client secret for `graphClientId`. Always stored as a secret. */
    readonly graphClientSecret?: pulumi.Input<string>;
    /** A ready Graph bearer token instead of client credentials. Always stored as a secret. */
    readonly graphToken?: pulumi.Input<string>;
    /** Client id of an account admin service principal. With `databricksClientSecret`; omit both for ambient credentials. */
    readonly databricksClientId?: pulumi.Input<string>;
    /** Client secret for `databricksClientId`. Always stored as a secret. */
    readonly databricksClientSecret?: pulumi.Input<string>;
    /** A ready Databricks account bearer token instead of client credentials. Always stored as a secret. */
    readonly databricksToken?: pulumi.Input<string>;
}

/**
 * Loads one of this package's entry points by its own name: from node_modules in a consumer project,
 * and by package self-reference from this project's folder (the dynamic provider host runs the
 * serialized code with the program's folder as working directory and no file name of its own).
 */
function loadOwnModule(entry: string): any {
    const name = "azure-databricks-mlops/" + entry;
    try {
        return require(name);
    } catch (e: any) {
        if (!e || e.code !== "MODULE_NOT_FOUND") throw e;
        const fromCwd = require("module").createRequire(
            require("path").join(process.cwd(), "package.json"),
        );
        return fromCwd(name);
    }
}

// Each method loads the real implementation at run time: nothing imported is captured, so the
// serialized provider stays a few lines and loads wherever the package resolves.
const scimSyncProvider: pulumi.dynamic.ResourceProvider = {
    check: (olds, news) => loadOwnModule("providers").scimSyncMethods().check(olds, news),
    diff: (id, olds, news) => loadOwnModule("providers").scimSyncMethods().diff(id, olds, news),
    create: (inputs) => loadOwnModule("providers").scimSyncMethods().create(inputs),
    update: (id, olds, news) => loadOwnModule("providers").scimSyncMethods().update(id, olds, news),
    read: (id, props) => loadOwnModule("providers").scimSyncMethods().read(id, props),
    delete: (id, props) => loadOwnModule("providers").scimSyncMethods().delete(id, props),
};

const SECRETS = [
    "graphClientSecret",
    "graphToken",
    "databricksClientSecret",
    "databricksToken",
] as const;
/** Outputs that list principals by name and id. */
const CHANGE_LISTS = ["changes", "plannedChanges"] as const;

export class ScimSync extends pulumi.dynamic.Resource {
    /** When the last successful sync started (ISO 8601). */
    declare readonly lastRunAt: pulumi.Output<string | undefined>;
    /** When the last sync, successful or not, started. */
    declare readonly lastAttemptAt: pulumi.Output<string | undefined>;
    /** Secret-free reason of the last failure; absent after a success. */
    declare readonly lastError: pulumi.Output<string | undefined>;
    /** Principals created by the last run: `{ users, servicePrincipals, groups }`. */
    declare readonly created: pulumi.Output<{
        users: number;
        servicePrincipals: number;
        groups: number;
    }>;
    /** Principals updated by the last run. */
    declare readonly updated: pulumi.Output<{
        users: number;
        servicePrincipals: number;
        groups: number;
    }>;
    declare readonly membersAdded: pulumi.Output<number>;
    declare readonly membersRemoved: pulumi.Output<number>;
    /** Operations that failed after retries in the last run. */
    declare readonly errors: pulumi.Output<number>;
    /** The engine's summary of the last run. */
    declare readonly summary: pulumi.Output<any>;
    /** Dry run only: the planned changes (first 1000); `plannedChangeCount` counts all. */
    declare readonly plannedChanges: pulumi.Output<
        { op: string; kind: string; key: string; detail?: string }[]
    >;
    declare readonly plannedChangeCount: pulumi.Output<number>;
    /**
     * The change report of the last run (first 1000; `changeCount` counts all): one entry per planned or
     * applied change, with names, Entra and SCIM ids and status (`applied`, `failed`, `planned`, `blocked`).
     */
    declare readonly changes: pulumi.Output<
        {
            op: string;
            kind: string;
            key: string;
            detail?: string;
            entraId?: string;
            scimId?: string;
            status?: string;
        }[]
    >;
    declare readonly changeCount: pulumi.Output<number>;
    /** Users and SPs deactivated by the last run (deactivateDeleted). */
    declare readonly deactivated: pulumi.Output<{
        users: number;
        servicePrincipals: number;
        groups: number;
    }>;
    /** The engine's state (delta links, id map, synced groups): the cache for the next run. */
    declare readonly state: pulumi.Output<any>;

    constructor(name: string, args: ScimSyncArgs, opts?: pulumi.CustomResourceOptions) {
        const secrets: Record<string, pulumi.Input<string> | undefined> = {};
        // Wrapped here so a plain-string secret still lands encrypted in the stack's inputs.
        for (const k of SECRETS)
            secrets[k] = args[k] === undefined ? undefined : pulumi.secret(args[k]!);
        super(
            scimSyncProvider,
            name,
            {
                ...args,
                ...secrets,
                version: SCIM_SYNC_PROVIDER_VERSION,
                lastRunAt: undefined,
                lastAttemptAt: undefined,
                lastError: undefined,
                created: undefined,
                updated: undefined,
                membersAdded: undefined,
                membersRemoved: undefined,
                errors: undefined,
                summary: undefined,
                plannedChanges: undefined,
                plannedChangeCount: undefined,
                changes: undefined,
                changeCount: undefined,
                deactivated: undefined,
                state: undefined,
            },
            // The change lists name people (UPNs, display names, Entra ids): secret, so runners and `stack output` mask them.
            pulumi.mergeOptions(opts, { additionalSecretOutputs: [...SECRETS, ...CHANGE_LISTS] }),
            "scim",
            "Sync",
        );
    }
}
