/**
 * AadToken: a dynamic resource that mints an Entra ID (AAD) access token for a service principal with the
 * client-credentials grant. PLACEHOLDER provider: issue 3 implements check/diff/create/update/read.
 */
import * as pulumi from "@pulumi/pulumi";

/** The Azure Databricks resource's scope: the first-party app id 2ff814a6-… with `/.default`. */
export const DATABRICKS_SCOPE = "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default";

export interface AadTokenArgs {
    /** Entra tenant (directory) id. */
    readonly tenantId: pulumi.Input<string>;
    /** Client (application) id of the service principal. */
    readonly clientId: pulumi.Input<string>;
    /** Client secret of the service principal. Pass it as a Pulumi secret. */
    readonly clientSecret: pulumi.Input<string>;
    /** Scope to request. Defaults to the Azure Databricks resource, {@link DATABRICKS_SCOPE}. */
    readonly scope?: pulumi.Input<string>;
    /** Entra authority host. Defaults to `https://login.microsoftonline.com`. */
    readonly authorityHost?: pulumi.Input<string>;
}

const provider: pulumi.dynamic.ResourceProvider = {
    async create() {
        throw new Error("AadToken provider not implemented yet");
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
            { ...args, accessToken: undefined, expiresOn: undefined },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["accessToken"] }),
            "aad",
            "Token",
        );
    }
}
