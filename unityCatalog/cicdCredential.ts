/**
 * CicdCredential: how one CI/CD service principal authenticates to Databricks instead of with a PAT:
 *
 * - `oauth-secret`: a Databricks OAuth client secret (`databricks.ServicePrincipalSecret`, through the
 *   workspace provider; 730-day default lifetime, every input forces a new secret), exposed as a secret;
 * - `federation`: a workload identity federation policy (`databricks.ServicePrincipalFederationPolicy`),
 *   an account-level API (terraform-provider-databricks
 *   internal/providers/pluginfw/products/service_principal_federation_policy: GetAccountClient), so it
 *   needs the account provider; the pipeline exchanges its own OIDC token (GitHub Actions, Azure DevOps)
 *   and no secret exists at all;
 * - `none`: nothing.
 *
 * See docs/unity-catalog.md ("CI/CD without secrets").
 */
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import { Problems, isDeferred } from "../core";
import { CicdCredentialMethod } from "./modes";
import { checkCicdCredential } from "./cicdCredentialCheck";

export const CICD_CREDENTIAL_TYPE = "azure-databricks-mlops:index:CicdCredential";

/** The CI/CD credential of one service principal. */
export interface CicdCredentialArgs {
    /** `oauth-secret` (default), `federation` or `none`. */
    readonly method?: CicdCredentialMethod;
    /** With `federation`: the token issuer, e.g. `https://token.actions.githubusercontent.com` or `https://vstoken.dev.azure.com/<organization id>`. */
    readonly issuer?: pulumi.Input<string>;
    /** With `federation`: the required subject, e.g. `repo:contoso/churn:environment:prod` (GitHub) or `p://<org>/<project>/<pipeline>` (Azure DevOps, audience `api://AzureADTokenExchange`). */
    readonly subject?: pulumi.Input<string>;
    /** With `federation`: accepted audiences. Defaults to the Databricks account id. */
    readonly audiences?: pulumi.Input<string>[];
    /** With `federation`: the claim holding the subject. Defaults to `sub`. */
    readonly subjectClaim?: pulumi.Input<string>;
}

export interface CicdCredentialResourceArgs {
    /** Application id of the service principal. */
    readonly applicationId: pulumi.Input<string>;
    /** Workspace id (SCIM id) of the service principal, for the OAuth secret. */
    readonly servicePrincipalId: pulumi.Input<string>;
    /** Provider of the workspace the SP is in (OAuth secret). */
    readonly provider: databricks.Provider;
    /** Account-level provider (`https://accounts.azuredatabricks.net` + account id): required with `federation`. */
    readonly accountProvider?: databricks.Provider;
    readonly credential: CicdCredentialArgs;
}

export class CicdCredential extends pulumi.ComponentResource {
    /** The OAuth client secret (method `oauth-secret`). Secret. */
    public readonly oauthSecret?: pulumi.Output<string>;
    /** The federation policy's id (method `federation`). */
    public readonly federationPolicyId?: pulumi.Output<string>;

    constructor(
        name: string,
        args: CicdCredentialResourceArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        const problems = new Problems();
        const needsAccount = checkCicdCredential(
            problems,
            "credential",
            args.credential,
            (v) => !isDeferred(v),
        );
        if (needsAccount && !databricks.Provider.isInstance(args.accountProvider)) {
            problems.add(
                "accountProvider",
                "is required with method federation: a databricks.Provider for https://accounts.azuredatabricks.net with the account id",
            );
        }
        problems.throwAsInputErrors(CICD_CREDENTIAL_TYPE, name);
        super(CICD_CREDENTIAL_TYPE, name, {}, opts);

        const method = args.credential.method ?? CicdCredentialMethod.OAuthSecret;
        if (method === CicdCredentialMethod.OAuthSecret) {
            const secret = new databricks.ServicePrincipalSecret(
                `${name}-oauth-secret`,
                { servicePrincipalId: args.servicePrincipalId },
                // The SDK marks `secret` an additional secret output itself; wrapped again so it stays secret in any copy.
                { parent: this, provider: args.provider },
            );
            this.oauthSecret = pulumi.secret(secret.secret);
            // Nothing renews it: Read drops an expired secret from state, and only a refresh then makes a new
            // one (tokens/resource_service_principal_secret.go). Say so while there is time to act.
            pulumi.all([secret.expireTime, secret.urn]).apply(([expireTime, urn]) => {
                const warning = oauthSecretExpiryWarning(expireTime, urn, Date.now());
                if (warning) void pulumi.log.warn(warning, this);
            });
        } else if (method === CicdCredentialMethod.Federation) {
            const c = args.credential;
            // The account's id of the SP, looked up by application id once the workspace has created it.
            const accountSp = databricks.getServicePrincipalOutput(
                { applicationId: args.applicationId },
                { parent: this, provider: args.accountProvider, dependsOn: opts?.dependsOn },
            );
            const policy = new databricks.ServicePrincipalFederationPolicy(
                `${name}-federation`,
                {
                    servicePrincipalId: accountSp.scimId.apply((id) => accountScimId(id, name)),
                    description: pulumi.interpolate`CI/CD of ${args.applicationId} (azure-databricks-mlops)`,
                    oidcPolicy: {
                        issuer: c.issuer,
                        subject: c.subject,
                        audiences: c.audiences,
                        subjectClaim: c.subjectClaim,
                    },
                },
                { parent: this, provider: args.accountProvider },
            );
            this.federationPolicyId = policy.policyId;
        }
        this.registerOutputs({
            oauthSecret: this.oauthSecret,
            federationPolicyId: this.federationPolicyId,
        });
    }
}

/** How long before an OAuth secret expires each `up` warns about it. */
export const OAUTH_SECRET_EXPIRY_WARNING_DAYS = 60;

/** The warning for an OAuth secret that expires within {@link OAUTH_SECRET_EXPIRY_WARNING_DAYS} days (or has), else undefined. */
export function oauthSecretExpiryWarning(
    expireTime: string | undefined,
    urn: string,
    nowMs: number,
): string | undefined {
    const at = expireTime ? Date.parse(expireTime) : NaN;
    if (Number.isNaN(at) || at - nowMs > OAUTH_SECRET_EXPIRY_WARNING_DAYS * 86_400_000)
        return undefined;
    const next =
        "then give CI/CD the new secret from the stack outputs (or switch this principal to method federation: no secret to expire).";
    if (at <= nowMs) {
        return `The OAuth secret ${urn} expired on ${expireTime}: run \`pulumi up --refresh\` (the refresh drops it, the update creates a new one), ${next}`;
    }
    return `The OAuth secret ${urn} expires on ${expireTime} and nothing renews it on a plain \`pulumi up\`: replace it now with \`pulumi up --replace '${urn}'\`, ${next}`;
}

/** The policy API takes the SP's id as a number: refuse one that a JavaScript number would round. */
export function accountScimId(id: string, name: string): number {
    const n = Number(id);
    if (!/^[0-9]+$/.test(id) || !Number.isSafeInteger(n)) {
        const problems = new Problems();
        problems.add(
            "applicationId",
            `resolves to account service principal id ${JSON.stringify(id)}, which is not a whole number below 2^53 as the federation policy API needs`,
        );
        problems.throwAsInputErrors(CICD_CREDENTIAL_TYPE, name);
    }
    return n;
}
