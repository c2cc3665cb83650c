/**
 * The ScimSync provider's methods, run by the serialized provider after it loads this module by the
 * package's own name. Living in a real module (not in the serialized closure) lets them import the
 * engine and the pure logic normally; dependencies are injectable so tests can fake the engine.
 */
import * as crypto from "crypto";
import type * as scimApi from "../../scim/contract/api";
import { scrubSecrets as scrubTokens } from "../../core/scrub";
import { parseRateLimits } from "../../scim/clients/pacing";
import {
    COMPARED_INPUTS,
    SECRET_INPUTS,
    ScimSyncInputs,
    checkScimSyncInputs,
    decideSync,
    identityChanged,
    stripUndefined,
} from "./inputs";

/** Planned changes kept in the outputs of a dry run; the rest are counted, not listed. */
export const MAX_PLANNED_CHANGES_IN_OUTPUTS = 1000;

export interface ScimSyncDeps {
    runSync(options: scimApi.SyncOptions): Promise<scimApi.SyncResult>;
    /** A token provider for one API from the inputs' credentials (or ambient credentials). */
    tokenProvider(api: "graph" | "databricks", inputs: ScimSyncInputs): scimApi.TokenProvider;
    now(): Date;
    newId(): string;
}

/** Outputs of ScimSync: the non-secret inputs echoed, the engine state, and the last run's summary. */
export interface ScimSyncOutputs {
    readonly [input: string]: unknown;
    /** When the last successful sync started (ISO 8601); absent until one succeeds. */
    readonly lastRunAt?: string;
    /** When the last sync, successful or not, started. */
    readonly lastAttemptAt?: string;
    /** Secret-free reason of the last failed sync; absent after a success. */
    readonly lastError?: string;
    readonly state?: scimApi.SyncState;
    readonly summary?: scimApi.SyncSummary;
    readonly created: scimApi.SyncCounts;
    readonly updated: scimApi.SyncCounts;
    readonly membersAdded: number;
    readonly membersRemoved: number;
    readonly errors: number;
    /** In a dry run, the planned changes (at most {@link MAX_PLANNED_CHANGES_IN_OUTPUTS}); otherwise empty. */
    readonly plannedChanges: readonly scimApi.PlannedChange[];
    readonly plannedChangeCount: number;
    /** The change report of the last run (at most {@link MAX_PLANNED_CHANGES_IN_OUTPUTS}), dry or not, with names, ids and status. */
    readonly changes: readonly scimApi.PlannedChange[];
    readonly changeCount: number;
    /** Users and SPs deactivated by the last run (or, in a dry run, to deactivate). */
    readonly deactivated: scimApi.SyncCounts;
}

/**
 * Rejection for a sync that failed after the resource exists (or was created): Pulumi records
 * `properties` under `id`, so the state carried so far survives and the next `up` retries as an update.
 */
export class ScimSyncFailure extends Error {
    constructor(
        readonly id: string,
        readonly properties: Record<string, unknown>,
        readonly reasons: string[],
    ) {
        super(`SCIM sync failed: ${reasons.join("; ")}`);
        this.name = "ScimSyncFailure";
    }
}

const ZERO = { users: 0, servicePrincipals: 0, groups: 0 };

function defaultDeps(): ScimSyncDeps {
    // Loaded lazily: the engine (and @azure/identity) only when a sync actually runs.
    const engine = () => require("../../scim") as typeof import("../../scim");
    return {
        runSync: (options) => engine().runSync(options),
        tokenProvider: (api, inputs) => engineTokenProvider(engine(), api, inputs),
        now: () => new Date(),
        newId: () => `scim-sync-${crypto.randomUUID()}`,
    };
}

function engineTokenProvider(
    engine: typeof import("../../scim"),
    api: "graph" | "databricks",
    inputs: ScimSyncInputs,
): scimApi.TokenProvider {
    const scope = api === "graph" ? engine.GRAPH_SCOPE : engine.DATABRICKS_SCOPE;
    const token = api === "graph" ? inputs.graphToken : inputs.databricksToken;
    const clientId = api === "graph" ? inputs.graphClientId : inputs.databricksClientId;
    const clientSecret = api === "graph" ? inputs.graphClientSecret : inputs.databricksClientSecret;
    if (token) return engine.tokenProviderFor({ kind: "token", token }, scope);
    if (clientId && clientSecret && inputs.tenantId) {
        return engine.tokenProviderFor(
            {
                kind: "clientSecret",
                tenantId: inputs.tenantId,
                clientId,
                clientSecret,
                authorityHost: inputs.authorityHost,
            },
            scope,
        );
    }
    // Ambient credentials, resolved here at run time on the machine running `pulumi up`.
    return engine.tokenProviderFor({ kind: "default", tenantId: inputs.tenantId }, scope);
}

/** The checked `rateLimits` input as engine options; undefined = the engine's defaults. */
function rateLimitsOf(inputs: ScimSyncInputs): scimApi.SyncOptions["rateLimits"] {
    if (inputs.rateLimits === undefined) return undefined;
    const parsed = parseRateLimits(inputs.rateLimits);
    return "error" in parsed ? undefined : parsed;
}

/** Replaces every secret input value found in `text` (an engine message may quote a request). */
export function scrubSecrets(text: string, inputs: Record<string, any>): string {
    return scrubTokens(
        text,
        SECRET_INPUTS.map((k) => inputs[k]),
    );
}

function echoInputs(inputs: ScimSyncInputs): Record<string, unknown> {
    const echoed: Record<string, unknown> = {};
    for (const k of COMPARED_INPUTS) echoed[k] = (inputs as any)[k];
    return stripUndefined(echoed);
}

/**
 * Keeps the serialized provider (`__provider`, which the host adds to successful outputs itself) in the
 * properties of a partial failure: Pulumi stores them as the resource's state, and a later delete or
 * refresh loads the provider from there.
 */
function withProvider(
    properties: Record<string, unknown>,
    inputs: ScimSyncInputs,
): Record<string, unknown> {
    const text = (inputs as unknown as Record<string, unknown>).__provider;
    return typeof text === "string" ? { ...properties, __provider: text } : properties;
}

/** JSON round trip: Pulumi's wire form (protobuf Struct) refuses `undefined`. */
function plain<T>(value: T): T {
    return JSON.parse(JSON.stringify(value));
}

export function scimSyncMethods(overrides: Partial<ScimSyncDeps> = {}) {
    const deps: ScimSyncDeps = { ...defaultDeps(), ...overrides };

    async function run(
        id: string,
        inputs: ScimSyncInputs,
        previous: Record<string, any> | undefined,
    ): Promise<ScimSyncOutputs> {
        const carried: scimApi.SyncState | undefined =
            previous && !identityChanged(previous, inputs) ? previous.state : undefined;
        const startedAt = deps.now().toISOString();
        let result: scimApi.SyncResult;
        try {
            result = await deps.runSync({
                groups: inputs.groups,
                groupSearchDepth: inputs.groupSearchDepth,
                fullSync: inputs.fullSync,
                dryRunPrincipals: inputs.dryRunPrincipals,
                // Both switches = write nothing, which is what dryRunPrincipals alone does (the engine wants one).
                dryRunMembers: inputs.dryRunMembers && !inputs.dryRunPrincipals,
                concurrency: inputs.concurrency,
                maxRemovalPercent: inputs.maxRemovalPercent,
                allowMassRemoval: inputs.allowMassRemoval,
                allowGroupAdoption: inputs.allowGroupAdoption,
                allowPrincipalAdoption: inputs.allowPrincipalAdoption,
                allowHosts: inputs.allowHosts,
                deactivateDeleted: inputs.deactivateDeleted,
                rateLimits: rateLimitsOf(inputs),
                graph: { url: inputs.graphUrl, token: deps.tokenProvider("graph", inputs) },
                account: {
                    host: inputs.accountHost,
                    accountId: inputs.accountId,
                    token: deps.tokenProvider("databricks", inputs),
                },
                state: carried,
            });
        } catch (e) {
            const reason = scrubSecrets(e instanceof Error ? e.message : String(e), inputs);
            // Keep what the previous run produced (state, counts, lastRunAt); mark the failure to retry.
            const properties = plain({
                ...emptyOutputs(),
                ...(previous ?? {}),
                ...echoInputs(inputs),
                state: carried,
                lastAttemptAt: startedAt,
                lastError: reason,
            });
            throw new ScimSyncFailure(id, withProvider(properties, inputs), [reason]);
        }
        const { summary, plan, state } = result;
        const failed = summary.errors > 0;
        const messages = summary.errorMessages.map((m) => scrubSecrets(m, inputs));
        const outs: ScimSyncOutputs = plain({
            ...echoInputs(inputs),
            lastRunAt: failed ? previous?.lastRunAt : startedAt,
            lastAttemptAt: startedAt,
            lastError: failed
                ? messages.join("; ") || `${summary.errors} operation(s) failed`
                : undefined,
            state,
            summary: { ...summary, errorMessages: messages },
            created: summary.created,
            updated: summary.updated,
            membersAdded: summary.membersAdded,
            membersRemoved: summary.membersRemoved,
            errors: summary.errors,
            plannedChanges: summary.dryRun ? plan.slice(0, MAX_PLANNED_CHANGES_IN_OUTPUTS) : [],
            plannedChangeCount: plan.length,
            changes: plan.slice(0, MAX_PLANNED_CHANGES_IN_OUTPUTS).map((c) => ({
                ...c,
                detail: c.detail === undefined ? undefined : scrubSecrets(c.detail, inputs),
            })),
            changeCount: plan.length,
            deactivated: summary.deactivated ?? ZERO,
        });
        if (failed)
            throw new ScimSyncFailure(
                id,
                withProvider(outs, inputs),
                messages.length ? messages : [outs.lastError as string],
            );
        return outs;
    }

    return {
        async check(_olds: any, news: any) {
            const { inputs, failures } = checkScimSyncInputs(news ?? {});
            return { inputs, failures };
        },
        async diff(_id: string, olds: any, news: any) {
            const decision = decideSync(olds ?? {}, news ?? {}, deps.now());
            // Never a replace: the resource owns no principal, so there is nothing to recreate.
            return {
                changes: decision.changes,
                replaces: [] as string[],
                deleteBeforeReplace: false,
            };
        },
        async create(inputs: any) {
            const id = deps.newId();
            const outs = await run(id, inputs, undefined);
            return { id, outs };
        },
        async update(id: string, olds: any, news: any) {
            return { outs: await run(id, news, olds) };
        },
        async read(id: string, props: any) {
            // Nothing to refresh: the account's principals are not owned by this resource.
            return { id, props };
        },
        async delete() {
            // Deliberately nothing: deleting the resource stops syncing but never deletes a principal.
        },
    };
}

function emptyOutputs(): ScimSyncOutputs {
    return {
        created: ZERO,
        updated: ZERO,
        membersAdded: 0,
        membersRemoved: 0,
        errors: 0,
        plannedChanges: [],
        plannedChangeCount: 0,
        changes: [],
        changeCount: 0,
        deactivated: ZERO,
    };
}
