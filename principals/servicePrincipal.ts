/**
 * WorkspaceServicePrincipal: one Entra service principal made known to one Databricks workspace, either
 * linked (an existing Entra app, by client id) or created (`azuread` Application + ServicePrincipal +
 * ApplicationPassword, then linked), optionally joined to a group, with an AAD token to act as it.
 * Shared by MlopsWorkspaces (staging/prod SPs) and MlopsProject (per-project CI/CD SPs).
 */
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import * as azuread from "@pulumi/azuread";
import { AadToken } from "../providers/aadToken";
import { checkGuid, describe, Problems, isDeferred } from "../core";
import { rotationPeriod } from "./rotationPeriod";
import { rfc3339Utc } from "./entraCredentialDates";
import { afterEntraAccepts, CREATED_APP_REPLICATION_MS } from "./entraReplication";

export const WORKSPACE_SERVICE_PRINCIPAL_TYPE =
    "azure-databricks-mlops:index:WorkspaceServicePrincipal";
/** How long a just-created app's "unknown app" / "wrong secret" answers are retried, ms. */
export { CREATED_APP_REPLICATION_MS };
/** A created client secret is renewed on the first run of each new period of this many days; it is valid for two periods. */
export const DEFAULT_CLIENT_SECRET_ROTATION_DAYS = 180;
/**
 * Description of every created client secret. Constant: `display_name` is ForceNew
 * (applications/application_password_resource.go), so a name derived from the SP's would replace the
 * secret whenever the SP is renamed or the registry mode changes its default name.
 */
export const CLIENT_SECRET_DISPLAY_NAME = "azure-databricks-mlops";
/** Entra's portal offers at most 24 months for a client secret (and tenant policies may cap it): two periods stay within that. */
const MAX_CLIENT_SECRET_ROTATION_DAYS = 365;

/** An existing Entra application, linked by client id. Give `aadToken`, or `clientSecret` + `tenantId`. */
export interface LinkedPrincipal {
    /** Client (application) id of the Entra app; becomes the Databricks SP's application id. */
    readonly clientId: pulumi.Input<string>;
    /** Client secret of the app; with `tenantId`, used to mint the AAD token. Pass it as a Pulumi secret. */
    readonly clientSecret?: pulumi.Input<string>;
    /** Tenant (directory) id of the app; required with `clientSecret`. */
    readonly tenantId?: pulumi.Input<string>;
    /** A ready AAD token for the app (Azure Databricks scope); used instead of minting one. Pass it as a Pulumi secret. */
    readonly aadToken?: pulumi.Input<string>;
}

/** Link an existing Entra app. */
export interface LinkPrincipalArgs extends LinkedPrincipal {
    readonly mode: "link";
}

/** Create a new Entra app, its service principal and a client secret, then link it. */
export interface CreatePrincipalArgs {
    readonly mode: "create";
    /** Tenant (directory) id in which the app is created; used to mint its AAD token. */
    readonly tenantId: pulumi.Input<string>;
    /** azuread provider for the Entra resources. Defaults to the default azuread provider. */
    readonly azureadProvider?: azuread.Provider;
    /**
     * Renew the created client secret on the first `pulumi up` of each new period of this many days
     * (periods counted from 1970-01-01 UTC); each secret expires two periods after its period began, so
     * one full period of runs can renew it. Defaults to 180; at most 365.
     */
    readonly clientSecretRotationDays?: number;
}

export type PrincipalSource = LinkPrincipalArgs | CreatePrincipalArgs;

export interface WorkspaceServicePrincipalArgs {
    /** Provider of the workspace the SP is added to. */
    readonly provider: databricks.Provider;
    /** Display name of the SP in Databricks (and of the Entra app in create mode, unless `entraDisplayName` is given). */
    readonly displayName: pulumi.Input<string>;
    /** Display name of the created Entra app (create mode; its client secret is described as `azure-databricks-mlops`). Defaults to `displayName`; MlopsWorkspaces and MlopsProject add the environment, so staging and prod apps are told apart. */
    readonly entraDisplayName?: pulumi.Input<string>;
    /** Link an existing Entra app or create one. */
    readonly principal: PrincipalSource;
    /** Databricks group id the SP joins. Defaults to no group. */
    readonly groupId?: pulumi.Input<string>;
    /** Let the SP create clusters. Defaults to true, as the Terraform modules did; MlopsWorkspaces and MlopsProject pass false unless told otherwise. */
    readonly allowClusterCreate?: pulumi.Input<boolean>;
    /** Entra authority host for minting the AAD token. Defaults to `https://login.microsoftonline.com`. */
    readonly authorityHost?: pulumi.Input<string>;
    /** Hosts outside the Azure clouds' authorities that `authorityHost` may name (a proxy you run); the client secret is sent there. Defaults to none. */
    readonly allowHosts?: string[];
    /**
     * Mint an AAD token for the SP (an `AadToken` dynamic resource) when it has a client secret. Defaults
     * to true. MlopsWorkspaces sets false: its providers act as the SP with the client secret itself,
     * and a dynamic resource cannot run from non-Node consumers (pulumi/pulumi#5455).
     */
    readonly mintAadToken?: boolean;
}

export class WorkspaceServicePrincipal extends pulumi.ComponentResource {
    /** Client (application) id of the Entra app, equal to the Databricks SP's application id. */
    public readonly applicationId: pulumi.Output<string>;
    /** An AAD access token for the SP (Azure Databricks scope): the given one, or minted. Secret; undefined when `mintAadToken` is false and none was given. */
    public readonly aadToken?: pulumi.Output<string>;
    /** The Databricks service principal. */
    public readonly servicePrincipal: databricks.ServicePrincipal;
    /** Databricks id of the SP. */
    public readonly servicePrincipalId: pulumi.Output<string>;
    /** The client secret created in create mode. Secret; undefined in link mode. */
    public readonly clientSecret?: pulumi.Output<string>;
    /** Group membership, when `groupId` was given. */
    public readonly groupMember?: databricks.GroupMember;

    constructor(
        name: string,
        args: WorkspaceServicePrincipalArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        // Bad arguments fail before anything, the component included, is registered.
        checkPrincipalIds(
            args.principal,
            "principal",
            validatePrincipalSource(args.principal, "principal"),
        ).throwAsInputErrors(WORKSPACE_SERVICE_PRINCIPAL_TYPE, name);
        super(WORKSPACE_SERVICE_PRINCIPAL_TYPE, name, {}, opts);

        const p = args.principal;
        let clientId: pulumi.Input<string>;
        let tokenSource:
            | { aadToken: pulumi.Input<string> }
            | { tenantId: pulumi.Input<string>; clientSecret: pulumi.Input<string> };
        // Entra refuses the client-credentials grant (AADSTS7000229) until the app has its service principal.
        let entraServicePrincipal: azuread.ServicePrincipal | undefined;
        if (p.mode === "create") {
            const entraOpts = { parent: this, provider: p.azureadProvider };
            const entraName = args.entraDisplayName ?? args.displayName;
            // Owned by whoever deploys, so a deployer with only Application.ReadWrite.OwnedBy (or no admin
            // role) can still update, renew and delete them later.
            const owners = [azuread.getClientConfigOutput(entraOpts).objectId];
            const app = new azuread.Application(
                `${name}-app`,
                { displayName: entraName, owners },
                entraOpts,
            );
            entraServicePrincipal = new azuread.ServicePrincipal(
                `${name}-entra-sp`,
                { clientId: app.clientId, owners },
                entraOpts,
            );
            // end_date and rotate_when_changed are ForceNew (terraform-provider-azuread
            // applications/application_password_resource.go): a new period creates a new secret before the
            // old one is deleted; the secret lives two periods, so it is renewed a full period before expiry.
            // The end date is sent in the form the provider stores it (entraCredentialDates.ts), or every
            // run would replace the secret. start_date is left to the provider (Computed: no diff).
            const days = p.clientSecretRotationDays ?? DEFAULT_CLIENT_SECRET_ROTATION_DAYS;
            const period = rotationPeriod(days);
            const password = new azuread.ApplicationPassword(
                `${name}-password`,
                {
                    applicationId: app.id,
                    displayName: CLIENT_SECRET_DISPLAY_NAME,
                    rotateWhenChanged: { rotationPeriod: `${days}d-${period.index}` },
                    endDate: rfc3339Utc(
                        Date.parse(rotationPeriod(days, Date.parse(period.end)).end),
                    ),
                },
                // Secrets created before the name was constant keep their old description instead of
                // being replaced once (a rotation still replaces them, and Pulumi carries the ignored old
                // description over to the new secret).
                { ...entraOpts, ignoreChanges: ["displayName"] },
            );
            clientId = app.clientId;
            // The providers acting as this SP get the secret only once Entra accepts it (a brand-new app
            // and secret are refused until they replicate); an older secret passes at once, with no call.
            this.clientSecret = pulumi.secret(
                pulumi
                    .all([
                        password.value,
                        password.startDate,
                        app.clientId,
                        p.tenantId,
                        args.authorityHost,
                        entraServicePrincipal.id,
                    ])
                    .apply(([clientSecret, startDate, appClientId, tenantId, authorityHost]) =>
                        afterEntraAccepts({
                            clientSecret,
                            startDate,
                            clientId: appClientId,
                            tenantId,
                            authorityHost,
                            allowHosts: args.allowHosts,
                        }),
                    ),
            );
            tokenSource = { tenantId: p.tenantId, clientSecret: this.clientSecret };
        } else {
            clientId = p.clientId;
            tokenSource =
                p.aadToken !== undefined
                    ? { aadToken: p.aadToken }
                    : {
                          tenantId: p.tenantId as pulumi.Input<string>,
                          clientSecret: pulumi.secret(p.clientSecret as pulumi.Input<string>),
                      };
        }

        this.servicePrincipal = new databricks.ServicePrincipal(
            `${name}-sp`,
            {
                applicationId: clientId,
                displayName: args.displayName,
                allowClusterCreate: args.allowClusterCreate ?? true,
            },
            { parent: this, provider: args.provider },
        );
        this.applicationId = this.servicePrincipal.applicationId;
        this.servicePrincipalId = this.servicePrincipal.id;

        if (args.groupId !== undefined) {
            this.groupMember = new databricks.GroupMember(
                `${name}-group-member`,
                { groupId: args.groupId, memberId: this.servicePrincipal.id },
                { parent: this, provider: args.provider },
            );
        }

        // A created app and secret take a while to replicate in Entra: until then it answers "unknown app" or
        // "wrong secret", which must not fail the first `pulumi up`. Linked apps fail at once on those.
        const retry = entraServicePrincipal
            ? { maxAttempts: 12, badCredentialRetryMs: CREATED_APP_REPLICATION_MS }
            : undefined;
        if ("aadToken" in tokenSource) {
            this.aadToken = pulumi.secret(tokenSource.aadToken);
        } else if (args.mintAadToken ?? true) {
            // The SP must exist in the workspace before its token is useful there (and, when created, in Entra).
            const token = new AadToken(
                `${name}-aad-token`,
                {
                    tenantId: tokenSource.tenantId,
                    clientId,
                    clientSecret: tokenSource.clientSecret,
                    authorityHost: args.authorityHost,
                    allowHosts: args.allowHosts,
                    retry,
                },
                {
                    parent: this,
                    dependsOn: entraServicePrincipal
                        ? [this.servicePrincipal, entraServicePrincipal]
                        : [this.servicePrincipal],
                },
            );
            this.aadToken = pulumi.secret(token.accessToken);
        }

        this.registerOutputs({
            applicationId: this.applicationId,
            aadToken: this.aadToken,
            servicePrincipalId: this.servicePrincipalId,
        });
    }
}

/**
 * Checks a link-or-create principal's shape (presence only: values may be Outputs). `path` prefixes
 * each problem, e.g. `servicePrincipals.staging`.
 */
export function validatePrincipalSource(
    p: PrincipalSource | undefined,
    path: string,
    problems: Problems = new Problems(),
): Problems {
    if (!p || typeof p !== "object") {
        problems.add(
            path,
            `must be { mode: "link", clientId, aadToken | clientSecret + tenantId } or { mode: "create", tenantId }`,
        );
        return problems;
    }
    if (p.mode === "create") {
        if (p.tenantId === undefined || p.tenantId === "")
            problems.add(
                `${path}.tenantId`,
                "is required in create mode: the Entra tenant id the app is created in",
            );
        const days = p.clientSecretRotationDays;
        if (
            days !== undefined &&
            !(typeof days === "number" && days > 0 && days <= MAX_CLIENT_SECRET_ROTATION_DAYS)
        ) {
            problems.add(
                `${path}.clientSecretRotationDays`,
                `must be a number of days above 0 and at most ${MAX_CLIENT_SECRET_ROTATION_DAYS} (each secret is valid for two periods), got ${describe(days)}`,
            );
        }
    } else if (p.mode === "link") {
        if (p.clientId === undefined || p.clientId === "")
            problems.add(
                `${path}.clientId`,
                "is required in link mode: the client (application) id of the existing Entra app",
            );
        const hasToken = p.aadToken !== undefined;
        const hasSecret = p.clientSecret !== undefined;
        if (hasToken && hasSecret) {
            problems.add(
                `${path}.aadToken`,
                "give either aadToken or clientSecret + tenantId, not both",
            );
        } else if (!hasToken) {
            if (!hasSecret)
                problems.add(
                    `${path}.clientSecret`,
                    "is required in link mode unless aadToken is given (with tenantId, to mint the SP's AAD token)",
                );
            if (p.tenantId === undefined || p.tenantId === "")
                problems.add(
                    `${path}.tenantId`,
                    "is required in link mode unless aadToken is given (with clientSecret, to mint the SP's AAD token)",
                );
        }
    } else {
        problems.add(
            `${path}.mode`,
            `must be "link" or "create", got ${JSON.stringify((p as { mode?: unknown }).mode)}`,
        );
    }
    return problems;
}

/**
 * Checks that a principal's plain client and tenant ids are GUIDs, so a typo is named by its property
 * path before anything is registered. Absent ids are {@link validatePrincipalSource}'s to report;
 * Outputs are checked by AadToken once known.
 */
export function checkPrincipalIds(
    p: PrincipalSource | undefined,
    path: string,
    problems: Problems = new Problems(),
): Problems {
    if (!p || typeof p !== "object") return problems;
    const guidIfPlain = (key: string, value: unknown, what: string) => {
        if (value !== undefined && value !== "" && !isDeferred(value))
            checkGuid(problems, `${path}.${key}`, value, what);
    };
    if (p.mode === "link") guidIfPlain("clientId", p.clientId, "client (application) id");
    if (p.mode === "link" || p.mode === "create")
        guidIfPlain("tenantId", p.tenantId, "tenant (directory) id");
    return problems;
}
