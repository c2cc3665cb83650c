/**
 * ServicePrincipalToken: a Databricks personal access token owned by a service principal. A
 * `databricks.Provider` built here acts as the SP, and the `databricks.Token` is created through it,
 * so the PAT belongs to the SP, not to the deployer.
 *
 * The provider authenticates with the SP's client secret (`authType: "azure-client-secret"`) when one
 * is given: it then holds no short-lived credential, so `refresh`, `destroy` and removing the token work
 * at any time (explicit providers are configured from state for those, pulumi/pulumi#9107). With only
 * a ready AAD token (`authType: "pat"`: the SDK sends it as a bearer token) those operations fail once
 * that token has expired — see docs/operations.md.
 *
 * Rotation: the token carries the number of the `rotationDays`-long period it was made in
 * (principals/rotationPeriod.ts) as its `replacementTrigger` and in its comment; the first `pulumi up`
 * in a later period replaces it (create before delete), and everything holding `tokenValue` is updated
 * in the same run. No dynamic resource is involved.
 */
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import { Problems } from "../core";
import { workspaceProviderArgs } from "../connections";
import { rotationPeriod } from "../principals";

export const SERVICE_PRINCIPAL_TOKEN_TYPE = "azure-databricks-mlops:index:ServicePrincipalToken";

/** 100 days, as the Terraform modules. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 8_640_000;
/** Rotate after 90 days: ten days before a default token expires. */
export const DEFAULT_TOKEN_ROTATION_DAYS = 90;

export interface ServicePrincipalTokenArgs {
    /** Workspace URL, `https://adb-….azuredatabricks.net`. */
    readonly host: pulumi.Input<string>;
    /** Application (client) id of the SP: authenticates with `clientSecret`, and goes into the token's comment. */
    readonly applicationId: pulumi.Input<string>;
    /** Client secret of the SP's Entra app; with `tenantId`. Preferred over `aadToken` (see the file comment). Secret. */
    readonly clientSecret?: pulumi.Input<string>;
    /** Tenant (directory) id of the SP's Entra app; required with `clientSecret`. */
    readonly tenantId?: pulumi.Input<string>;
    /** A ready AAD token of the SP (Azure Databricks scope), when there is no client secret. Secret. */
    readonly aadToken?: pulumi.Input<string>;
    /** Token lifetime in seconds. Defaults to 8640000 (100 days). */
    readonly lifetimeSeconds?: pulumi.Input<number>;
    /** Length of a rotation period in days. Defaults to 90; keep it below the lifetime. */
    readonly rotationDays?: pulumi.Input<number>;
}

export class ServicePrincipalToken extends pulumi.ComponentResource {
    /** The provider that acts as the SP (client secret, or the given AAD token). */
    public readonly provider: databricks.Provider;
    public readonly token: databricks.Token;
    /** The PAT. Secret. */
    public readonly tokenValue: pulumi.Output<string>;
    /** Start of the current rotation period (ISO 8601): the token was made in it, no earlier. */
    public readonly rotatedAt: pulumi.Output<string>;
    /** Start of the next rotation period (ISO 8601): the first `pulumi up` from then on replaces the token. */
    public readonly rotateAfter: pulumi.Output<string>;

    constructor(
        name: string,
        args: ServicePrincipalTokenArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        const problems = new Problems();
        if (args.clientSecret === undefined && args.aadToken === undefined)
            problems.add("clientSecret", "or aadToken is required to act as the service principal");
        if (args.clientSecret !== undefined && args.aadToken !== undefined)
            problems.add("aadToken", "give either clientSecret + tenantId or aadToken, not both");
        if (args.clientSecret !== undefined && args.tenantId === undefined)
            problems.add(
                "tenantId",
                "is required with clientSecret: the tenant (GUID) of the SP's Entra app",
            );
        problems.throwAsInputErrors(SERVICE_PRINCIPAL_TOKEN_TYPE, name);
        super(SERVICE_PRINCIPAL_TOKEN_TYPE, name, {}, opts);

        this.provider = new databricks.Provider(
            `${name}-provider`,
            args.clientSecret !== undefined
                ? workspaceProviderArgs(args.host, {
                      method: "client-secret",
                      clientId: args.applicationId,
                      tenantId: args.tenantId!,
                      clientSecret: args.clientSecret,
                  })
                : workspaceProviderArgs(args.host, {
                      method: "aad-token",
                      aadToken: args.aadToken!,
                  }),
            { parent: this },
        );
        const period = pulumi
            .output(args.rotationDays ?? DEFAULT_TOKEN_ROTATION_DAYS)
            .apply((days) => rotationPeriod(days));
        this.token = new databricks.Token(
            `${name}-token`,
            {
                // The comment forces replacement too (every Token field is ForceNew in
                // terraform-provider-databricks tokens/resource_token.go), so rotation does not depend on
                // the CLI supporting replacementTrigger.
                comment: pulumi.interpolate`PAT on behalf of ${args.applicationId} (rotation period ${period.index}, from ${period.start})`,
                lifetimeSeconds: args.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
            },
            {
                parent: this,
                provider: this.provider,
                replacementTrigger: period.apply((p) => String(p.index)),
            },
        );
        this.tokenValue = pulumi.secret(this.token.tokenValue);
        this.rotatedAt = period.start;
        this.rotateAfter = period.end;
        this.registerOutputs({
            tokenValue: this.tokenValue,
            rotatedAt: this.rotatedAt,
            rotateAfter: this.rotateAfter,
        });
    }
}
