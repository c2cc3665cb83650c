/**
 * Builds the `databricks.Provider` of one workspace from its host and how to authenticate: Azure CLI
 * (`az login`), an Entra app's client secret, or a ready AAD token. Every variant sets `authType`
 * (names from databricks-sdk-go config/auth_*.go), so the provider never combines it with credentials
 * it finds in `ARM_*` / `DATABRICKS_*` variables. Used by the components (from a
 * WorkspaceConnectionArgs), the root program and ServicePrincipalToken; public so other programs can
 * build providers the same way. Also the create mode's azuread provider (EntraConnectionArgs).
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import * as databricks from "@pulumi/databricks";
import {
    Problems,
    checkDatabricksHost,
    checkGuid,
    describe,
    WHOLE_OBJECT_DEFERRED,
    isDeferred,
    WorkspaceAuthMethod,
} from "../core";
import {
    AccountConnectionArgs,
    EntraConnectionArgs,
    WorkspaceConnectionArgs,
} from "./connectionArgs";

export type WorkspaceAuth =
    | { readonly method: "azure-cli" }
    | {
          readonly method: "client-secret";
          readonly clientId: pulumi.Input<string>;
          readonly tenantId: pulumi.Input<string>;
          readonly clientSecret: pulumi.Input<string>;
      }
    | { readonly method: "aad-token"; readonly aadToken: pulumi.Input<string> };

/** Provider args for a workspace; credentials are always passed as secrets. */
export function workspaceProviderArgs(
    host: pulumi.Input<string>,
    auth: WorkspaceAuth,
): databricks.ProviderArgs {
    switch (auth.method) {
        case "azure-cli":
            return { host, authType: "azure-cli" };
        case "client-secret":
            return {
                host,
                authType: "azure-client-secret",
                azureClientId: auth.clientId,
                azureTenantId: auth.tenantId,
                azureClientSecret: pulumi.secret(auth.clientSecret),
            };
        case "aad-token":
            // An Entra access token for the Azure Databricks resource works as a bearer token: the SDK's
            // "pat" auth sends `token` as `Authorization: Bearer` (databricks-sdk-go config/auth_pat.go).
            // The explicit authType keeps ARM_CLIENT_* variables of a pipeline from adding a second
            // method ("more than one authorization method configured").
            return { host, authType: "pat", token: pulumi.secret(auth.aadToken) };
    }
}

/** A provider named `name` for the workspace at `host`. */
export function workspaceProvider(
    name: string,
    host: pulumi.Input<string>,
    auth: WorkspaceAuth,
    opts?: pulumi.CustomResourceOptions,
): databricks.Provider {
    return new databricks.Provider(name, workspaceProviderArgs(host, auth), opts);
}

/** The connection settings for a workspace at `host` with `auth` (the inverse of {@link connectionAuth}). */
export function workspaceConnection(
    host: pulumi.Input<string>,
    auth: WorkspaceAuth,
    more: Omit<WorkspaceConnectionArgs, "host" | "authMethod"> = {},
): WorkspaceConnectionArgs {
    const { method, ...credentials } = auth as WorkspaceAuth & Record<string, pulumi.Input<string>>;
    return { ...more, host, authMethod: method, ...credentials };
}

/** The auth of a checked connection ({@link validateConnection}, {@link validateAccountConnection}). */
export function connectionAuth(c: WorkspaceConnectionArgs | AccountConnectionArgs): WorkspaceAuth {
    switch (c.authMethod ?? WorkspaceAuthMethod.AzureCli) {
        case "client-secret":
            return {
                method: "client-secret",
                clientId: c.clientId!,
                tenantId: c.tenantId!,
                clientSecret: c.clientSecret!,
            };
        case "aad-token":
            return { method: "aad-token", aadToken: c.aadToken! };
        default:
            return { method: "azure-cli" };
    }
}

/** The provider of a checked connection, named `name`, taking over the connection's `providerAliases`. */
export function connectionProvider(
    name: string,
    c: WorkspaceConnectionArgs,
    opts: pulumi.CustomResourceOptions,
): databricks.Provider {
    return workspaceProvider(name, c.host, connectionAuth(c), {
        ...opts,
        aliases: [...(opts.aliases ?? []), ...(c.providerAliases ?? [])],
    });
}

/** The Azure Databricks account console, the account API's host. */
export const ACCOUNTS_HOST = "https://accounts.azuredatabricks.net";

/** The account-level provider of a checked account connection, named `name`, taking over its `providerAliases`. */
export function accountConnectionProvider(
    name: string,
    c: AccountConnectionArgs,
    opts: pulumi.CustomResourceOptions,
): databricks.Provider {
    const args = {
        ...workspaceProviderArgs(c.host ?? ACCOUNTS_HOST, connectionAuth(c)),
        accountId: c.accountId,
    };
    return new databricks.Provider(name, args, {
        ...opts,
        aliases: [...(opts.aliases ?? []), ...(c.providerAliases ?? [])],
    });
}

const FIELDS_BY_METHOD: Record<WorkspaceAuthMethod, readonly (keyof WorkspaceConnectionArgs)[]> = {
    "azure-cli": [],
    "client-secret": ["clientId", "tenantId", "clientSecret"],
    "aad-token": ["aadToken"],
};
const CREDENTIALS = ["clientId", "tenantId", "clientSecret", "aadToken"] as const;

/** Checks a connection's shape (values may be Outputs): host, a known authMethod and exactly its credentials. */
export function validateConnection(
    c: WorkspaceConnectionArgs | undefined,
    path: string,
    problems: Problems,
): Problems {
    if (
        !checkConnectionObject(
            c,
            path,
            problems,
            "workspace",
            "{ host, workspaceId?, authMethod?, clientId/tenantId/clientSecret | aadToken } of the workspace",
        )
    )
        return problems;
    if (c.host === undefined || c.host === "")
        problems.add(
            `${path}.host`,
            "is required: the workspace URL, https://adb-<workspace id>.<n>.azuredatabricks.net",
        );
    else if (!isDeferred(c.host)) checkDatabricksHost(problems, `${path}.host`, c.host);
    checkCredentials(c, path, problems);
    return problems;
}

/** Checks an account connection (values may be Outputs): accountId, an optional host, a known authMethod and exactly its credentials. */
export function validateAccountConnection(
    c: AccountConnectionArgs | undefined,
    path: string,
    problems: Problems,
): Problems {
    if (
        !checkConnectionObject(
            c,
            path,
            problems,
            "account",
            `{ accountId, host?, authMethod?, clientId/tenantId/clientSecret | aadToken } of the Databricks account`,
        )
    )
        return problems;
    if (c.host !== undefined && !isDeferred(c.host))
        checkDatabricksHost(problems, `${path}.host`, c.host);
    if (c.accountId === undefined || c.accountId === "")
        problems.add(
            `${path}.accountId`,
            "is required: the Databricks account id (a GUID, shown in the account console)",
        );
    else if (!isDeferred(c.accountId))
        checkGuid(problems, `${path}.accountId`, c.accountId, "Databricks account id");
    checkCredentials(c, path, problems);
    return problems;
}

function checkConnectionObject<C extends object>(
    c: C | undefined,
    path: string,
    problems: Problems,
    what: string,
    shape: string,
): c is C {
    if (isDeferred(c)) {
        problems.add(path, WHOLE_OBJECT_DEFERRED);
        return false;
    }
    if (!c || typeof c !== "object") {
        problems.add(path, `is required: ${shape}`);
        return false;
    }
    if ("provider" in c) {
        problems.add(
            `${path}.provider`,
            `is no longer accepted: give the ${what}'s connection (host, authMethod and credentials) instead; see docs/migration-0.2.md`,
        );
    }
    return true;
}

function checkCredentials(
    c: WorkspaceConnectionArgs | AccountConnectionArgs,
    path: string,
    problems: Problems,
): void {
    const method = c.authMethod ?? WorkspaceAuthMethod.AzureCli;
    const needed = FIELDS_BY_METHOD[method as WorkspaceAuthMethod];
    if (!needed) {
        problems.add(
            `${path}.authMethod`,
            `must be one of ${Object.keys(FIELDS_BY_METHOD).join(", ")}, got ${describe(method)}`,
        );
        return;
    }
    for (const key of CREDENTIALS) {
        const given = c[key] !== undefined && c[key] !== "";
        if (needed.includes(key) && !given)
            problems.add(`${path}.${key}`, `is required with authMethod ${method}`);
        if (!needed.includes(key) && given)
            problems.add(
                `${path}.${key}`,
                `is not used with authMethod ${method}; ${key === "aadToken" ? "set authMethod aad-token" : "set authMethod client-secret"} or remove it`,
            );
    }
}

/** The azuread provider of a create-mode tenant, named `name`; credentials as secrets. */
export function entraProvider(
    name: string,
    tenantId: pulumi.Input<string>,
    e: EntraConnectionArgs,
    opts: pulumi.CustomResourceOptions,
): azuread.Provider {
    const args: azuread.ProviderArgs = { tenantId: e.tenantId ?? tenantId };
    if (e.clientId !== undefined) args.clientId = e.clientId;
    if (e.clientSecret !== undefined) args.clientSecret = pulumi.secret(e.clientSecret);
    return new azuread.Provider(name, args, {
        ...opts,
        aliases: [...(opts.aliases ?? []), ...(e.providerAliases ?? [])],
    });
}

/** Checks an EntraConnectionArgs: a client id and secret go together. */
export function validateEntra(
    e: EntraConnectionArgs | undefined,
    path: string,
    problems: Problems,
): Problems {
    if (e === undefined) return problems;
    if (isDeferred(e)) {
        problems.add(path, WHOLE_OBJECT_DEFERRED);
        return problems;
    }
    if (typeof e !== "object" || e === null) {
        problems.add(
            path,
            `must be { tenantId?, clientId?, clientSecret?, providerAliases? }, got ${describe(e)}`,
        );
        return problems;
    }
    if ((e.clientId === undefined) !== (e.clientSecret === undefined)) {
        problems.add(
            `${path}.${e.clientId === undefined ? "clientId" : "clientSecret"}`,
            "give clientId and clientSecret together, or neither for the ambient Azure login",
        );
    }
    return problems;
}
