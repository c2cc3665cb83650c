/**
 * AadToken: a dynamic resource that mints an Entra ID (AAD) access token for a service principal with
 * the client-credentials grant, and mints a new one on `pulumi up` when the stored one is expired or
 * within 10 minutes of expiry. The provider's logic lives in ./client.ts (network) and
 * ./inputs.ts (check/diff); see docs/aad-token.md.
 */
import * as pulumi from "@pulumi/pulumi";
import { AAD_TOKEN_PROVIDER_VERSION, DATABRICKS_SCOPE } from "./inputs";

export { DATABRICKS_SCOPE };

/** Retry settings of the token request. Every field is optional. */
export interface AadTokenRetryArgs {
    /** Attempts in all, including the first. Defaults to 6. */
    readonly maxAttempts?: number;
    /** First backoff delay in ms, doubled per attempt (full jitter). Defaults to 500. */
    readonly baseDelayMs?: number;
    /**
     * Largest backoff delay in ms; a longer Retry-After is cut to it too. A Retry-After wait and the
     * backoff delay add up, so one wait can reach twice this. Defaults to 30000.
     */
    readonly maxDelayMs?: number;
    /** Stop retrying once this many ms have passed since the first attempt. Defaults to 120000. */
    readonly maxTotalMs?: number;
    /** Time limit of one attempt in ms. Defaults to 30000. */
    readonly attemptTimeoutMs?: number;
    /**
     * Retry bad-credential answers (unknown app, wrong secret, ...) for this many ms after the first
     * attempt, within maxAttempts and maxTotalMs: for an app or secret created moments ago, which Entra
     * has not replicated yet. Defaults to 0: bad credentials fail at once.
     */
    readonly badCredentialRetryMs?: number;
}

export interface AadTokenArgs {
    /** Entra tenant (directory) id, a GUID. */
    readonly tenantId: pulumi.Input<string>;
    /** Client (application) id of the service principal, a GUID. */
    readonly clientId: pulumi.Input<string>;
    /** Client secret of the service principal. Stored as a Pulumi secret even if passed as plain text. */
    readonly clientSecret: pulumi.Input<string>;
    /** Scope to request (`<resource>/.default`). Defaults to the Azure Databricks resource, {@link DATABRICKS_SCOPE}. */
    readonly scope?: pulumi.Input<string>;
    /** Entra authority host, https. Defaults to `https://login.microsoftonline.com`. */
    readonly authorityHost?: pulumi.Input<string>;
    /**
     * Host names `authorityHost` may name besides the Entra hosts of the Azure public and sovereign
     * clouds (login.microsoftonline.com, login.microsoftonline.us, login.chinacloudapi.cn) and loopback.
     * Defaults to none: the client secret is sent to no other host.
     */
    readonly allowHosts?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Retries of transient failures (network errors, 429 with Retry-After, 5xx, Entra's transient
     * codes). Bad credentials are retried only within `badCredentialRetryMs` (default 0: never).
     * Defaults as in {@link AadTokenRetryArgs}.
     */
    readonly retry?: pulumi.Input<AadTokenRetryArgs>;
}

/**
 * Loads the provider's logic by the package's own name at run time. The engine runs the serialized
 * provider without a file name, so Node's self-reference does not apply there; then resolve from the
 * program's directory instead (`require-from-string` looks up node_modules from there too).
 */
function loadAadTokenClient(): typeof import("./client") {
    const id = "azure-databricks-mlops/providers/aadTokenClient";
    try {
        return require(id);
    } catch (e) {
        if ((e as { code?: string }).code !== "MODULE_NOT_FOUND") throw e;
        const nodeModule = require("module") as typeof import("module");
        const nodePath = require("path") as typeof import("path");
        return nodeModule.createRequire(nodePath.join(process.cwd(), "index.js"))(id);
    }
}

/**
 * The provider. It captures nothing but `loadAadTokenClient`: no clients, credentials or Outputs, so
 * its serialized text (kept in state as `__provider`) loads anywhere the package is installed.
 */
const provider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: any, news: any) {
        return loadAadTokenClient().checkAadTokenInputs(news);
    },
    async diff(_id: string, olds: any, news: any) {
        const d = loadAadTokenClient().diffAadToken(olds, news);
        return {
            changes: d.changes,
            replaces: d.replaces,
            deleteBeforeReplace: d.deleteBeforeReplace,
        };
    },
    async create(inputs: any) {
        return loadAadTokenClient().createAadToken(inputs);
    },
    async update(_id: string, _olds: any, news: any) {
        const { outs } = await loadAadTokenClient().createAadToken(news);
        return { outs };
    },
    async read(id: string, props: any) {
        // A token cannot be looked up at Entra: the stored state is the current state; diff decides refresh.
        return { id, props };
    },
    async delete() {
        // Nothing to revoke: client-credentials tokens cannot be revoked and expire on their own.
    },
};

export class AadToken extends pulumi.dynamic.Resource {
    /** The access token. Secret. */
    declare readonly accessToken: pulumi.Output<string>;
    /** Expiry of the access token, ISO 8601. */
    declare readonly expiresOn: pulumi.Output<string>;

    constructor(name: string, args: AadTokenArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            provider,
            name,
            {
                tenantId: args.tenantId,
                clientId: args.clientId,
                clientSecret: pulumi.secret(args.clientSecret),
                scope: args.scope,
                authorityHost: args.authorityHost,
                allowHosts: args.allowHosts,
                retry: args.retry,
                version: AAD_TOKEN_PROVIDER_VERSION,
                accessToken: undefined,
                expiresOn: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["accessToken", "clientSecret"] }),
            "aad",
            "Token",
        );
    }
}
