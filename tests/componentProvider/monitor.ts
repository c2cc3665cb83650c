/**
 * In-test Pulumi engine for plugin tests: an Engine service (logs, root resource) and a ResourceMonitor
 * that records every registration a plugin sends while it constructs a component, answers like a
 * preview (`dryRun`: ids and computed outputs unknown) or an update, and serves invokes from handlers.
 * Uses the SDK's generated gRPC stubs (`@pulumi/pulumi/proto`), as the real engine's wire format.
 */
import { registryState } from "../../demo/registryState";
import * as grpc from "@grpc/grpc-js";
import { SECRET_SIG, SIG_KEY, UNKNOWN } from "./wire";

// The SDK's generated stubs and google-protobuf (an SDK dependency), untyped here.

const emptyproto = require("google-protobuf/google/protobuf/empty_pb");
const structproto = require("google-protobuf/google/protobuf/struct_pb");
const engrpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
const engproto = require("@pulumi/pulumi/proto/engine_pb");
const resrpc = require("@pulumi/pulumi/proto/resource_grpc_pb");
const resproto = require("@pulumi/pulumi/proto/resource_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");

export interface Registration {
    urn: string;
    type: string;
    name: string;
    parent: string;
    custom: boolean;
    /** Provider reference (`<urn>::<id>`), custom resources only. */
    provider: string;
    /** Inputs in wire form (secrets stay wrapped). */
    inputs: Record<string, any>;
    aliases: string[];
    additionalSecretOutputs: string[];
    deleteBeforeReplace: boolean;
    dependencies: string[];
}

export interface LogEntry {
    severity: number;
    message: string;
    urn: string;
}

export type InvokeHandler = (args: Record<string, any>, provider: string) => Record<string, any>;

/** Outputs a real provider computes that the components read back (an update; unknown in preview). */
function computed(
    type: string,
    name: string,
    inputs: Record<string, any>,
): Record<string, unknown> {
    if (type.startsWith("azure-native:")) {
        // azure-native reports the Azure name as `name`.
        const azureName =
            inputs.registryName ??
            inputs.resourceGroupName ??
            inputs.workspaceName ??
            inputs.privateEndpointName;
        // The registry reports its system-created storage and ACR per region, as the offline mocks do.
        if (type === "azure-native:machinelearningservices:Registry")
            return {
                ...registryState(name, inputs),
                identity: { type: "SystemAssigned", principalId: `principal-of-${name}` },
            };
        return azureName === undefined ? {} : { name: azureName };
    }
    switch (type) {
        case "azuread:index/application:Application":
            return { clientId: `client-id-of-${name}` };
        case "azuread:index/applicationPassword:ApplicationPassword":
            return { value: `password-of-${name}` };
        case "databricks:index/token:Token":
            return { tokenValue: `pat-of-${name}` };
        // Dynamic resources (the engine runs their provider in its dynamic-provider host).
        case "pulumi-nodejs:dynamic/rotation:Clock":
            return {
                rotatedAt: "2026-01-01T00:00:00.000Z",
                rotateAfter: "2026-04-01T00:00:00.000Z",
            };
        case "pulumi-nodejs:dynamic/aad:Token":
            return { accessToken: `aad-token-of-${name}`, expiresOn: "2030-01-01T00:00:00.000Z" };
        default:
            return {};
    }
}

export class TestEngine {
    readonly registrations: Registration[] = [];
    readonly outputs = new Map<string, Record<string, any>>();
    readonly logs: LogEntry[] = [];
    readonly invokes: { tok: string; args: Record<string, any>; provider: string }[] = [];
    readonly invokeHandlers = new Map<string, InvokeHandler>();
    /** Per resource type: changes what the engine answers for it (an update's outputs). */
    readonly stateEdits = new Map<string, (state: Record<string, any>) => void>();
    dryRun = false;
    engineAddress = "";
    monitorAddress = "";
    private readonly servers: grpc.Server[] = [];

    constructor(
        readonly stack = "dev",
        readonly project = "consumer",
    ) {}

    async start(): Promise<void> {
        const engine = new grpc.Server();
        engine.addService(engrpc.EngineService, {
            log: (call: any, cb: any) => {
                const r = call.request;
                this.logs.push({
                    severity: r.getSeverity(),
                    message: r.getMessage(),
                    urn: r.getUrn(),
                });
                cb(null, new emptyproto.Empty());
            },
            getRootResource: (_: any, cb: any) => cb(null, new engproto.GetRootResourceResponse()),
            setRootResource: (_: any, cb: any) => cb(null, new engproto.SetRootResourceResponse()),
            startDebugging: (_: any, cb: any) => cb(null, new emptyproto.Empty()),
            requirePulumiVersion: (_: any, cb: any) =>
                cb(null, new engproto.RequirePulumiVersionResponse()),
        } as any);
        const monitor = new grpc.Server();
        monitor.addService(resrpc.ResourceMonitorService, {
            supportsFeature: (call: any, cb: any) => {
                const resp = new resproto.SupportsFeatureResponse();
                resp.setHassupport(
                    [
                        "secrets",
                        "resourceReferences",
                        "outputValues",
                        "aliasSpecs",
                        "deletedWith",
                    ].includes(call.request.getId()),
                );
                cb(null, resp);
            },
            registerResource: (call: any, cb: any) => {
                try {
                    cb(null, this.register(call.request));
                } catch (e) {
                    cb(
                        new Error(
                            `test engine: registering ${call.request.getType()} ${call.request.getName()}: ${(e as Error).message}`,
                        ),
                        null,
                    );
                }
            },
            registerResourceOutputs: (call: any, cb: any) => {
                this.outputs.set(
                    call.request.getUrn(),
                    call.request.getOutputs()?.toJavaScript() ?? {},
                );
                cb(null, new emptyproto.Empty());
            },
            invoke: (call: any, cb: any) => {
                const tok = call.request.getTok();
                const args = call.request.getArgs()?.toJavaScript() ?? {};
                const provider = call.request.getProvider();
                this.invokes.push({ tok, args, provider });
                const handler = this.invokeHandlers.get(tok);
                const resp = new provproto.InvokeResponse();
                if (!handler) {
                    const failure = new provproto.CheckFailure();
                    failure.setReason(`the test engine has no answer for ${tok}`);
                    resp.setFailuresList([failure]);
                } else resp.setReturn(structproto.Struct.fromJavaScript(handler(args, provider)));
                cb(null, resp);
            },
            registerPackage: (call: any, cb: any) => {
                const resp = new resproto.RegisterPackageResponse();
                resp.setRef(`${call.request.getName()}-${call.request.getVersion()}`);
                cb(null, resp);
            },
            signalAndWaitForShutdown: (_: any, cb: any) => cb(null, new emptyproto.Empty()),
        } as any);
        const bind = (s: grpc.Server) =>
            new Promise<number>((resolve, reject) =>
                s.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) =>
                    err ? reject(err) : resolve(port),
                ),
            );
        this.engineAddress = `127.0.0.1:${await bind(engine)}`;
        this.monitorAddress = `127.0.0.1:${await bind(monitor)}`;
        this.servers.push(engine, monitor);
    }

    async stop(): Promise<void> {
        await Promise.all(
            this.servers.map((s) => new Promise<void>((resolve) => s.tryShutdown(() => resolve()))),
        );
    }

    reset(dryRun: boolean): void {
        this.registrations.length = 0;
        this.outputs.clear();
        this.logs.length = 0;
        this.invokes.length = 0;
        this.stateEdits.clear();
        this.dryRun = dryRun;
    }

    /** The registrations of one type (and name). */
    byType(type: string): Registration[] {
        return this.registrations.filter((r) => r.type === type);
    }

    one(type: string, name: string): Registration {
        const found = this.registrations.filter((r) => r.type === type && r.name === name);
        if (found.length !== 1)
            throw new Error(
                `expected one ${type} ${name}, found ${found.length}: ${this.byType(type)
                    .map((r) => r.name)
                    .join(", ")}`,
            );
        return found[0];
    }

    /** URN of a resource named `name` of `type` under `parent` (its type chain), as the engine forms it. */
    urnOf(type: string, name: string, parent: string): string {
        const chain = parent ? `${parent.split("::")[2]}$${type}` : type;
        return `urn:pulumi:${this.stack}::${this.project}::${chain}::${name}`;
    }

    private register(req: any): any {
        const type: string = req.getType();
        const name: string = req.getName();
        const parent: string = req.getParent();
        const custom: boolean = req.getCustom();
        const urn = this.urnOf(type, name, parent);
        const inputs = req.getObject()?.toJavaScript() ?? {};
        const aliases: string[] = [
            ...req.getAliasurnsList(),
            ...req
                .getAliasesList()
                .map((a: any) =>
                    a.getUrn() ? a.getUrn() : `spec:${JSON.stringify(a.getSpec()?.toObject())}`,
                ),
        ];
        this.registrations.push({
            urn,
            type,
            name,
            parent,
            custom,
            provider: req.getProvider(),
            inputs,
            aliases,
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            deleteBeforeReplace: req.getDeletebeforereplace(),
            dependencies: req.getDependenciesList(),
        });
        const resp = new resproto.RegisterResourceResponse();
        resp.setUrn(urn);
        if (!custom) return resp;
        // Preview: the engine knows no id and no computed output yet. Update: inputs come back as outputs.
        resp.setId(this.dryRun ? UNKNOWN : `id-of-${name}`);
        const state: Record<string, unknown> = { ...inputs };
        for (const [k, v] of Object.entries(computed(type, name, inputs)))
            state[k] = this.dryRun ? UNKNOWN : v;
        this.stateEdits.get(type)?.(state);
        for (const k of req.getAdditionalsecretoutputsList()) {
            if (state[k] !== undefined && !(state[k] && (state[k] as any)[SIG_KEY] === SECRET_SIG))
                state[k] = { [SIG_KEY]: SECRET_SIG, value: state[k] };
        }
        resp.setObject(structproto.Struct.fromJavaScript(state as any));
        return resp;
    }
}
