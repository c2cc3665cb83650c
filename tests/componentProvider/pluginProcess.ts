/**
 * Starts this package as the engine starts a source-based plugin (pulumi/pulumi
 * sdk/nodejs/cmd/pulumi-language-nodejs/main.go, RunPlugin): `node <@pulumi/pulumi/cmd/run-plugin, resolved
 * from the plugin folder> <plugin folder> <engine address>`, working directory = the consumer's folder
 * (here an empty one, as a Python, Go, C# or YAML project has no node_modules). The plugin prints its
 * gRPC port on its first stdout line; the ResourceProvider client talks to it.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { PACKAGE_ROOT } from "../support/consumerFolder";
import { TestEngine } from "./monitor";

const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const structproto = require("google-protobuf/google/protobuf/struct_pb");

export interface PluginProcess {
    child: ChildProcess;
    /** The empty consumer folder it runs in. */
    cwd: string;
    client: any;
    stderr(): string;
    stop(): Promise<void>;
}

export async function startPlugin(
    engineAddress: string,
    pluginDir = PACKAGE_ROOT,
    timeoutMs = 60_000,
): Promise<PluginProcess> {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "consumer-"));
    const runPlugin = require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [pluginDir] });
    const child = spawn(process.execPath, [runPlugin, pluginDir, engineAddress], {
        cwd,
        stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr!.on("data", (d) => (err += d));
    const port = await new Promise<number>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(
            () =>
                reject(new Error(`run-plugin printed no port in ${timeoutMs} ms; stderr: ${err}`)),
            timeoutMs,
        );
        child.stdout!.on("data", (d) => {
            out += d;
            const line = out.split("\n")[0];
            if (out.includes("\n")) {
                clearTimeout(timer);
                if (/^\d+$/.test(line.trim())) resolve(Number(line.trim()));
                else
                    reject(
                        new Error(`run-plugin's first line is not a port: ${line}; stderr: ${err}`),
                    );
            }
        });
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`run-plugin exited with ${code}; stderr: ${err}`));
        });
    });
    const client = new provrpc.ResourceProviderClient(
        `127.0.0.1:${port}`,
        grpc.credentials.createInsecure(),
    );
    return {
        child,
        cwd,
        client,
        stderr: () => err,
        stop: async () => {
            client.close();
            if (child.exitCode === null) {
                const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
                child.kill();
                await exited;
            }
            fs.rmSync(cwd, { recursive: true, force: true });
        },
    };
}

/** Calls a unary method of the client, as a promise. */
export function rpc<T>(client: any, method: string, req: unknown): Promise<T> {
    return new Promise<T>((resolve, reject) =>
        client[method](req, (e: Error | null, r: T) => (e ? reject(e) : resolve(r))),
    );
}

export async function getSchema(client: any): Promise<any> {
    const req = new provproto.GetSchemaRequest();
    const resp: any = await rpc(client, "getSchema", req);
    return JSON.parse(resp.getSchema());
}

export interface ConstructArgs {
    type: string;
    name: string;
    /** Inputs in wire form (see wire.ts). */
    inputs: Record<string, unknown>;
    monitorAddress: string;
    dryRun: boolean;
    stack?: string;
    project?: string;
}

/** Construct as the engine sends it; resolves { urn, state } (state in wire form). */
export async function construct(
    client: any,
    a: ConstructArgs,
): Promise<{ urn: string; state: Record<string, any> }> {
    const req = new provproto.ConstructRequest();
    req.setProject(a.project ?? "consumer");
    req.setStack(a.stack ?? "dev");
    req.setDryrun(a.dryRun);
    req.setParallel(4);
    req.setMonitorendpoint(a.monitorAddress);
    req.setType(a.type);
    req.setName(a.name);
    req.setInputs(structproto.Struct.fromJavaScript(a.inputs));
    req.setAcceptsOutputValues(true);
    const resp: any = await rpc(client, "construct", req);
    return { urn: resp.getUrn(), state: resp.getState()?.toJavaScript() ?? {} };
}

/**
 * For one describe block: an in-test engine and the plugin started on it before its tests, both
 * stopped after. `construct` sends Construct to that plugin with that engine's monitor (an update;
 * a preview with `{ dryRun: true }`).
 */
export function pluginOnTestEngine() {
    const engine = new TestEngine();
    let started: PluginProcess | undefined;
    before(async () => {
        await engine.start();
        started = await startPlugin(engine.engineAddress);
    });
    after(async () => {
        await started?.stop();
        await engine.stop();
    });
    const plugin = (): PluginProcess => {
        if (!started) throw new Error("the plugin starts in the describe block's before hook");
        return started;
    };
    return {
        engine,
        plugin,
        construct: (
            type: string,
            name: string,
            inputs: Record<string, unknown>,
            { dryRun = false } = {},
        ) =>
            construct(plugin().client, {
                type,
                name,
                inputs,
                monitorAddress: engine.monitorAddress,
                dryRun,
            }),
    };
}
