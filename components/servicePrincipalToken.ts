/**
 * ServicePrincipalToken: a Databricks personal access token owned by a service principal. An AAD token
 * of the SP authenticates a `databricks.Provider` (host + token) built here, through which the
 * `databricks.Token` is created, so the PAT belongs to the SP, not to the deployer.
 *
 * The token is replaced once it is older than `rotationDays` (a TokenRotation clock is its
 * `replacementTrigger`), on any `pulumi up` after that date: the new token is created before the old
 * one is deleted, and resources holding `tokenValue` are updated in the same run.
 */
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import { TokenRotation } from "../providers/tokenRotation";

export const SERVICE_PRINCIPAL_TOKEN_TYPE = "azure-databricks-mlops:index:ServicePrincipalToken";

/** 100 days, as the Terraform modules. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 8_640_000;
/** Rotate after 90 days: ten days before a default token expires. */
export const DEFAULT_TOKEN_ROTATION_DAYS = 90;

export interface ServicePrincipalTokenArgs {
    /** Workspace URL, `https://adb-….azuredatabricks.net`. */
    readonly host: pulumi.Input<string>;
    /** AAD token of the SP (Azure Databricks scope). Secret. */
    readonly aadToken: pulumi.Input<string>;
    /** Application id of the SP; goes into the token's comment. */
    readonly applicationId: pulumi.Input<string>;
    /** Token lifetime in seconds. Defaults to 8640000 (100 days). */
    readonly lifetimeSeconds?: pulumi.Input<number>;
    /** Replace the token when it is this many days old. Defaults to 90; keep it below the lifetime. */
    readonly rotationDays?: pulumi.Input<number>;
}

export class ServicePrincipalToken extends pulumi.ComponentResource {
    /** The provider that acts as the SP (host + AAD token). */
    public readonly provider: databricks.Provider;
    public readonly token: databricks.Token;
    /** The PAT. Secret. */
    public readonly tokenValue: pulumi.Output<string>;
    /** When the current token was (re)created by rotation, ISO 8601. */
    public readonly rotatedAt: pulumi.Output<string>;
    /** When the next rotation is due, ISO 8601. */
    public readonly rotateAfter: pulumi.Output<string>;

    constructor(name: string, args: ServicePrincipalTokenArgs, opts?: pulumi.ComponentResourceOptions) {
        super(SERVICE_PRINCIPAL_TOKEN_TYPE, name, {}, opts);
        this.provider = new databricks.Provider(`${name}-provider`, { host: args.host, token: pulumi.secret(args.aadToken) }, { parent: this });
        const rotation = new TokenRotation(`${name}-rotation`, { rotationDays: args.rotationDays ?? DEFAULT_TOKEN_ROTATION_DAYS }, { parent: this });
        this.token = new databricks.Token(
            `${name}-token`,
            {
                // The rotation date in the comment replaces the token too (all its fields force
                // replacement), so rotation does not depend on the CLI supporting replacementTrigger.
                comment: pulumi.interpolate`PAT on behalf of ${args.applicationId} (rotated ${rotation.rotatedAt})`,
                lifetimeSeconds: args.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
            },
            { parent: this, provider: this.provider, replacementTrigger: rotation.rotatedAt },
        );
        this.tokenValue = pulumi.secret(this.token.tokenValue);
        this.rotatedAt = rotation.rotatedAt;
        this.rotateAfter = rotation.rotateAfter;
        this.registerOutputs({ tokenValue: this.tokenValue, rotatedAt: this.rotatedAt, rotateAfter: this.rotateAfter });
    }
}
