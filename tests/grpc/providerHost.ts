/**
 * The engine's side of a dynamic provider: starts the real host, `@pulumi/pulumi/cmd/dynamic-provider`,
 * as the Pulumi CLI does and talks to it over gRPC with the SDK's own generated stubs.
 *
 * How the CLI starts it (pulumi/pulumi): the plugin `pulumi-resource-pulumi-nodejs`
 * (sdk/nodejs/dist/pulumi-resource-pulumi-nodejs) runs
 * `node $(node -e "require.resolve('@pulumi/pulumi/cmd/dynamic-provider')") <engine address>`, with
 * the program's folder as working directory (sdk/go/common/resource/plugin/plugin.go, `cmd.Dir = pwd`),
 * so the host and every bare `require` in a provider resolve from the program's node_modules. The host
 * (cmd/dynamic-provider/index.js) needs the engine address argument but never dials it, binds
 * 127.0.0.1:0 and prints the port as its first stdout line; Configure answers acceptSecrets=false
 * (the engine then sends plain values); each CRUD call loads the provider from the `__provider`
 * property with require-from-string; Create/Update failures carrying `id` come back as gRPC UNKNOWN
 * with a `pulumirpc.ErrorResourceInitFailed` in `grpc-status-details-bin` (grpcResponseFromError).
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";

/** The engine's preview sentinel for an unknown value: the SDK's own (runtime/rpc `unknownValue`). */
export { UNKNOWN } from "../../core/unknown";

/** A failure as the engine sees it: gRPC status, message, and the partial-state details if any. */
export class HostError extends Error {
    constructor(
        readonly code: number,
        message: string,
        /** From ErrorResourceInitFailed: the resource exists under `id` with these properties. */
        readonly initFailed?: { id: string; properties: Record<string, any>; reasons: string[] },
    ) {
        super(message);
        this.name = "HostError";
    }
}

export type DiffChanges = "none" | "some" | "unknown";

/** The SDK's modules, loaded from the same @pulumi/pulumi the host uses (the program folder's). */
function sdkModules(cwd: string) {
    const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [cwd] }));
    const fromSdk = (id: string) => require(require.resolve(id, { paths: [sdkDir] }));
    return {
        hostScript: require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [cwd] }),
        grpc: fromSdk("@grpc/grpc-js"),
        provider: fromSdk("@pulumi/pulumi/proto/provider_pb"),
        services: fromSdk("@pulumi/pulumi/proto/provider_grpc_pb"),
        status: fromSdk("@pulumi/pulumi/proto/status_pb"),
        struct: fromSdk("google-protobuf/google/protobuf/struct_pb"),
    };
}

export class ProviderHost {
    /** What the host wrote to stderr (provider logs, the host's own error lines). */
    stderr = "";

    private constructor(
        private readonly proc: ChildProcess,
        private readonly client: any,
        private readonly sdk: ReturnType<typeof sdkModules>,
    ) {}

    /** Starts the host in `cwd` (the program's folder) and connects to it. */
    static async start(
        cwd: string,
        env: NodeJS.ProcessEnv = process.env,
        engineAddress = "127.0.0.1:1",
    ): Promise<ProviderHost> {
        const sdk = sdkModules(cwd);
        const proc = spawn(process.execPath, [sdk.hostScript, engineAddress], {
            cwd,
            env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        proc.stderr!.on("data", (d) => (stderr += d));
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            const timer = setTimeout(
                () =>
                    reject(
                        new Error(
                            `dynamic-provider host printed no port in 30 s; stderr: ${stderr}`,
                        ),
                    ),
                30_000,
            );
            proc.stdout!.on("data", (d) => {
                out += d;
                const line = out.split("\n")[0];
                if (out.includes("\n")) {
                    clearTimeout(timer);
                    if (/^\d+$/.test(line.trim())) resolve(Number(line.trim()));
                    else reject(new Error(`host's first stdout line is not a port: ${line}`));
                }
            });
            proc.on("exit", (code) =>
                reject(
                    new Error(
                        `dynamic-provider host exited (${code}) before printing its port; stderr: ${stderr}`,
                    ),
                ),
            );
        });
        const client = new sdk.services.ResourceProviderClient(
            `127.0.0.1:${port}`,
            sdk.grpc.credentials.createInsecure(),
        );
        const host = new ProviderHost(proc, client, sdk);
        proc.stderr!.on("data", (d) => (host.stderr += d));
        host.stderr = stderr;
        return host;
    }

    /** Stops the host process. */
    async stop(): Promise<void> {
        this.client.close();
        if (this.proc.exitCode === null) {
            const exited = new Promise((r) => this.proc.once("exit", r));
            this.proc.kill();
            await exited;
        }
    }

    private struct(value: Record<string, unknown>): any {
        return this.sdk.struct.Struct.fromJavaScript(value);
    }

    private call<T>(method: string, request: any): Promise<T> {
        return new Promise((resolve, reject) =>
            this.client[method](request, (err: any, resp: T) =>
                err ? reject(this.hostError(err)) : resolve(resp),
            ),
        );
    }

    /** Decodes a gRPC error the way the engine does, including ErrorResourceInitFailed details. */
    private hostError(err: any): HostError {
        const bin = err.metadata?.get?.("grpc-status-details-bin")?.[0];
        let initFailed: HostError["initFailed"];
        if (bin) {
            const status = this.sdk.status.Status.deserializeBinary(new Uint8Array(bin));
            for (const any of status.getDetailsList()) {
                if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
                const d = this.sdk.provider.ErrorResourceInitFailed.deserializeBinary(
                    any.getValue_asU8(),
                );
                initFailed = {
                    id: d.getId(),
                    properties: d.getProperties()?.toJavaScript() ?? {},
                    reasons: d.getReasonsList(),
                };
            }
        }
        return new HostError(err.code, err.details ?? err.message, initFailed);
    }

    async configure(variables: Record<string, unknown> = {}): Promise<{ acceptSecrets: boolean }> {
        const req = new this.sdk.provider.ConfigureRequest();
        req.setArgs(this.struct(variables));
        const resp: any = await this.call("configure", req);
        return { acceptSecrets: resp.getAcceptsecrets() };
    }

    async check(
        urn: string,
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
    ): Promise<{ inputs: Record<string, any>; failures: { property: string; reason: string }[] }> {
        const req = new this.sdk.provider.CheckRequest();
        req.setUrn(urn);
        req.setOlds(this.struct(olds));
        req.setNews(this.struct(news));
        const resp: any = await this.call("check", req);
        return {
            inputs: resp.getInputs()?.toJavaScript() ?? {},
            failures: resp
                .getFailuresList()
                .map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async diff(
        id: string,
        urn: string,
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
    ): Promise<{ changes: DiffChanges; replaces: string[]; deleteBeforeReplace: boolean }> {
        const req = new this.sdk.provider.DiffRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setOlds(this.struct(olds));
        req.setNews(this.struct(news));
        const resp: any = await this.call("diff", req);
        const C = this.sdk.provider.DiffResponse.DiffChanges;
        const changes = (
            { [C.DIFF_NONE]: "none", [C.DIFF_SOME]: "some", [C.DIFF_UNKNOWN]: "unknown" } as Record<
                number,
                DiffChanges
            >
        )[resp.getChanges()];
        return {
            changes,
            replaces: resp.getReplacesList(),
            deleteBeforeReplace: resp.getDeletebeforereplace(),
        };
    }

    async create(
        urn: string,
        properties: Record<string, unknown>,
    ): Promise<{ id: string; properties: Record<string, any> }> {
        const req = new this.sdk.provider.CreateRequest();
        req.setUrn(urn);
        req.setProperties(this.struct(properties));
        const resp: any = await this.call("create", req);
        return { id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {} };
    }

    async read(
        id: string,
        urn: string,
        properties: Record<string, unknown>,
    ): Promise<{ id: string; properties: Record<string, any>; inputs?: Record<string, any> }> {
        const req = new this.sdk.provider.ReadRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setProperties(this.struct(properties));
        const resp: any = await this.call("read", req);
        return {
            id: resp.getId(),
            properties: resp.getProperties()?.toJavaScript() ?? {},
            inputs: resp.getInputs()?.toJavaScript(),
        };
    }

    async update(
        id: string,
        urn: string,
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
    ): Promise<{ properties: Record<string, any> }> {
        const req = new this.sdk.provider.UpdateRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setOlds(this.struct(olds));
        req.setNews(this.struct(news));
        const resp: any = await this.call("update", req);
        return { properties: resp.getProperties()?.toJavaScript() ?? {} };
    }

    async delete(id: string, urn: string, properties: Record<string, unknown>): Promise<void> {
        const req = new this.sdk.provider.DeleteRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setProperties(this.struct(properties));
        await this.call("delete", req);
    }
}

/** A URN as the engine would send it for a dynamic resource of `type` named `name`. */
export function urnOf(type: string, name: string): string {
    return `urn:pulumi:test::azure-databricks-mlops::${type}::${name}`;
}
