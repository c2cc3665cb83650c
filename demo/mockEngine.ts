/**
 * One mock engine for every component test and for the offline demo (tests/support/mocks.ts re-exports it). It records each registered
 * resource twice over: inputs as the engine sees them (from `setMocks`), and parent/provider/options
 * (from a stack transformation, since mocks are not told the parent). Run programs through `run()`,
 * which wraps them in a real root stack so transformations apply.
 */
import { registryState } from "./registryState";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";

export interface RecordedResource {
    type: string;
    name: string;
    /** Inputs as sent to the engine (secret inputs are unwrapped here; see `secretInputs`). */
    inputs: Record<string, any>;
    /** Names of inputs that were Pulumi secrets when registered. */
    secretInputs: Set<string>;
    /** Mock id: `mocked::<type>::<name>`. */
    id: string;
    custom: boolean;
    /** Parent's name and type, when the resource has a parent other than the stack. */
    parent?: string;
    parentType?: string;
    /** Name of the explicit provider resource, if any. */
    provider?: string;
    /** Resource options as registered (dependsOn, additionalSecretOutputs, ...). */
    opts: pulumi.ResourceOptions;
}

export type CallHandler = (args: pulumi.runtime.MockCallArgs) => Record<string, any>;
/** Gets a registered resource and the outputs the mocks would report for it; returns another id and outputs to override them. */
export type EveryNewResourceHandler = (
    rec: RecordedResource,
    state: Record<string, any>,
) =>
    | { id?: string; state?: Record<string, any> }
    | undefined
    | Promise<{ id?: string; state?: Record<string, any> } | undefined>;

// The engine's wire form of a secret: { [SPECIAL_SIG_KEY]: SECRET_SIG, value }.
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Whether a recorded value is a secret in the engine's wire form (nested secrets stay wrapped). */
export function isWireSecret(v: unknown): boolean {
    return (
        typeof v === "object" &&
        v !== null &&
        (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG
    );
}

/** Stack name the mocks report; the demo sets it (before loading this module) to the stack it shows. */
export const MOCK_STACK_ENV = "AZURE_DATABRICKS_MLOPS_MOCK_STACK";

class MockRecorder {
    readonly resources: RecordedResource[] = [];
    private readonly calls = new Map<string, CallHandler>();
    private readonly states = new Map<
        string,
        (args: pulumi.runtime.MockResourceArgs) => Record<string, any>
    >();
    private fallback?: CallHandler;
    private every?: EveryNewResourceHandler;
    readonly callLog: pulumi.runtime.MockCallArgs[] = [];
    private readonly pending = new Map<string, Partial<RecordedResource>>();

    constructor() {
        pulumi.runtime.setMocks(
            {
                newResource: async (args) => {
                    const secretInputs = new Set<string>();
                    const inputs = unwrapSecrets(args.inputs, secretInputs);
                    const rec = this.entry(args.type, args.name);
                    Object.assign(rec, {
                        inputs,
                        secretInputs,
                        id: `mocked::${args.type}::${args.name}`,
                        custom: args.custom ?? true,
                    });
                    const extra = this.states.get(args.type)?.(args) ?? {};
                    const state = {
                        ...args.inputs,
                        ...defaultState(args.type, args.name, inputs),
                        ...extra,
                    };
                    const every = this.every && (await this.every(rec, state));
                    if (every?.id) rec.id = every.id;
                    return {
                        id: rec.id,
                        state: secretOutputs({ ...state, ...every?.state }, rec.opts),
                    };
                },
                call: (args) => {
                    this.callLog.push(args);
                    const handler = this.calls.get(args.token);
                    if (handler) return handler(args);
                    if (this.fallback) return this.fallback(args);
                    throw new Error(`unmocked invoke ${args.token}`);
                },
            },
            "azure-databricks-mlops",
            process.env[MOCK_STACK_ENV] || "test",
            false,
        );
    }

    /** Answer invokes of `token` (e.g. `databricks:index/getGroup:getGroup`). */
    onCall(token: string, handler: CallHandler): void {
        this.calls.set(token, handler);
    }

    /** Adds to (or overrides) the outputs the engine reports for new resources of `type`, e.g. a computed start date; `undefined` removes the handler. */
    onNewResource(
        type: string,
        state: ((args: pulumi.runtime.MockResourceArgs) => Record<string, any>) | undefined,
    ): void {
        if (state) this.states.set(type, state);
        else this.states.delete(type);
    }

    /**
     * Sees every new resource (recorded, with the outputs the mocks would report) and may change its id and
     * outputs, as a replayed run does for a replaced resource; `undefined` removes the handler.
     */
    onEveryNewResource(handler: EveryNewResourceHandler | undefined): void {
        this.every = handler;
    }

    /** Answer every invoke without its own handler (the demo; tests leave this unset so unmocked invokes throw). */
    onAnyCall(handler: CallHandler | undefined): void {
        this.fallback = handler;
    }

    /** Runs `fn` with no invoke answers but those it installs, then restores the answers installed before. */
    async withOwnCalls<T>(fn: () => Promise<T>): Promise<T> {
        const saved = new Map(this.calls);
        const fallback = this.fallback;
        this.calls.clear();
        this.fallback = undefined;
        try {
            return await fn();
        } finally {
            this.calls.clear();
            for (const [k, v] of saved) this.calls.set(k, v);
            this.fallback = fallback;
        }
    }

    reset(): void {
        this.resources.length = 0;
        this.callLog.length = 0;
        this.pending.clear();
    }

    /**
     * Runs `program` inside a root stack with the recording transformation and returns the stack
     * outputs (resolved, secrets unwrapped). Throws what the program throws.
     */
    async run<T extends Record<string, any> | void>(
        program: () => T | Promise<T>,
    ): Promise<Record<string, any>> {
        const outputs = await pulumi.runtime.runInPulumiStack(async () => {
            pulumi.runtime.registerStackTransformation((a) => {
                const rec = this.entry(a.type, a.name);
                const parent = a.opts.parent as
                    (pulumi.Resource & { __name?: string; __pulumiType?: string }) | undefined;
                if (parent && parent.__pulumiType !== "pulumi:pulumi:Stack") {
                    rec.parent = parent.__name;
                    rec.parentType = parent.__pulumiType;
                }
                const provider = (a.opts as pulumi.CustomResourceOptions).provider as
                    (pulumi.ProviderResource & { __name?: string }) | undefined;
                if (provider) rec.provider = provider.__name;
                rec.opts = a.opts;
                return undefined;
            });
            return (await program()) ?? undefined;
        });
        // Registrations still in flight when the outputs resolved: wait for them (internal SDK helper).
        await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
        return (outputs ?? {}) as Record<string, any>;
    }

    /** All resources of a type token. */
    byType(type: string): RecordedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource with this type (and name, if given); throws listing what exists otherwise. */
    one(type: string, name?: string): RecordedResource {
        const found = this.byType(type).filter((r) => name === undefined || r.name === name);
        if (found.length !== 1) {
            throw new Error(
                `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ` +
                    this.byType(type)
                        .map((r) => r.name)
                        .join(", "),
            );
        }
        return found[0];
    }

    private entry(type: string, name: string): RecordedResource {
        let rec = this.resources.find((r) => r.type === type && r.name === name);
        if (!rec) {
            rec = {
                type,
                name,
                inputs: {},
                secretInputs: new Set(),
                id: "",
                custom: true,
                opts: {},
            };
            this.resources.push(rec);
        }
        return rec;
    }
}

function unwrapSecrets(inputs: Record<string, any>, secret: Set<string>): Record<string, any> {
    const out: Record<string, any> = {};
    for (const [k, v] of Object.entries(inputs ?? {})) {
        if (v && typeof v === "object" && v[SIG_KEY] === SECRET_SIG) {
            secret.add(k);
            out[k] = v.value;
        } else out[k] = v;
    }
    return out;
}

/** The time mocked clocks report as "now" (fixed, so output is reproducible). */
export const MOCK_NOW = "2026-01-01T00:00:00.000Z";

/**
 * The engine keeps the outputs named in `additionalSecretOutputs` secret; mocks do not, so do it here
 * (the options were recorded by the transformation before the registration reached the mock).
 */
function secretOutputs(
    state: Record<string, any>,
    opts: pulumi.ResourceOptions | undefined,
): Record<string, any> {
    for (const key of (opts as pulumi.CustomResourceOptions | undefined)?.additionalSecretOutputs ??
        []) {
        const v = state[key];
        if (v !== undefined && !(v && typeof v === "object" && v[SIG_KEY] === SECRET_SIG))
            state[key] = { [SIG_KEY]: SECRET_SIG, value: v };
    }
    return state;
}

/** Outputs a real provider would compute that components read back. */
function defaultState(
    type: string,
    name: string,
    inputs: Record<string, any>,
): Record<string, any> {
    switch (type) {
        case "azuread:index/application:Application":
            return { clientId: `client-id-of-${name}`, objectId: `object-id-of-${name}` };
        case "azuread:index/applicationPassword:ApplicationPassword":
            return { value: `password-of-${name}` };
        case "databricks:index/token:Token":
            return { tokenValue: `pat-of-${name}` };
        // --- Unity Catalog mode: the OAuth secret Databricks generates, the policy id it assigns.
        case "databricks:index/servicePrincipalSecret:ServicePrincipalSecret":
            return { secret: `oauth-secret-of-${name}` };
        case "databricks:index/servicePrincipalFederationPolicy:ServicePrincipalFederationPolicy":
            return { policyId: `policy-of-${name}` };
        case "pulumi-nodejs:dynamic/rotation:Clock":
            return {
                rotatedAt: MOCK_NOW,
                rotateAfter: new Date(
                    Date.parse(MOCK_NOW) + Number(inputs.rotationDays) * 86_400_000,
                ).toISOString(),
            };
        case "pulumi-nodejs:dynamic/aad:Token":
            return { accessToken: `aad-token-of-${name}`, expiresOn: "2030-01-01T00:00:00.000Z" };
        // --- MlRegistry: azure-native reports the Azure name as `name`, and the registry its identity.
        case "azure-native:machinelearningservices:Registry":
            return registryState(name, inputs);
        case "azure-native:resources:ResourceGroup":
            return { name: inputs.resourceGroupName ?? name };
        case "azure-native:operationalinsights:Workspace":
            return { name: inputs.workspaceName ?? name };
        case "azure-native:network:PrivateEndpoint":
            return { name: inputs.privateEndpointName ?? name };
        // --- end MlRegistry

        case "pulumi-nodejs:dynamic/scim:Sync": {
            // SCIM sync: a run with nothing to do (the real counts come from Graph and the account).
            const zero = { users: 0, servicePrincipals: 0, groups: 0 };
            return {
                lastRunAt: MOCK_NOW,
                created: zero,
                updated: zero,
                membersAdded: 0,
                membersRemoved: 0,
                errors: 0,
                plannedChangeCount: 0,
                plannedChanges: [],
            };
        }
        default:
            return inputs.name === undefined ? { name } : {};
    }
}

export { MOCK_SUBSCRIPTION } from "./registryState";

/** The process-wide recorder; importing this module installs the mocks. */
export const mocks = new MockRecorder();

/** Resolves an Output's value and whether it is secret (test helper). */
export async function settle<T>(
    o: pulumi.Output<T> | pulumi.Input<T>,
): Promise<{ value: T; secret: boolean }> {
    const out = pulumi.output(o);
    const [value, secret] = await Promise.all([
        new Promise<T>((resolve) =>
            out.apply((v) => {
                resolve(v as T);
                return v;
            }),
        ),
        pulumi.isSecret(out),
    ]);
    return { value, secret };
}
