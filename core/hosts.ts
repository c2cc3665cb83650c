/**
 * The hosts a bearer token (or a client secret) may be sent to: the Databricks account hosts, Microsoft
 * Graph and the Entra authority of the Azure public and sovereign clouds, and loopback (tests,
 * emulators). Anything else needs an explicit `allowHosts` entry naming that host.
 *
 * Databricks: the account host is `accounts` + the cloud's DNS zone (databricks-sdk-go
 * config/environments.go: .azuredatabricks.net, .databricks.azure.us, .databricks.azure.cn);
 * workspaces live in the same zones (adb-….azuredatabricks.net). Graph: learn.microsoft.com/graph/deployments.
 * Authority: @azure/identity AzureAuthorityHosts (public, US Government, China).
 */

/** Azure Databricks DNS zones (public, US Government, China). */
const DATABRICKS_ZONES = ["azuredatabricks.net", "databricks.azure.us", "databricks.azure.cn"];

export type HostRole = "account" | "graph" | "authority";

export const TRUSTED_HOSTS: Readonly<Record<HostRole, readonly string[]>> = {
    account: DATABRICKS_ZONES.map((zone) => `accounts.${zone}`),
    graph: [
        "graph.microsoft.com",
        "graph.microsoft.us",
        "dod-graph.microsoft.us",
        "microsoftgraph.chinacloudapi.cn",
    ],
    authority: ["login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn"],
};

export const LOOPBACK: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** An `allowHosts` entry: a bare host name, no scheme, port or path (surrounding blanks allowed). */
export function isHostName(value: unknown): value is string {
    return typeof value === "string" && /^[a-z0-9.-]+$/i.test(value.trim());
}

/** A valid `allowHosts` list. */
export function isHostList(value: unknown): value is string[] {
    return Array.isArray(value) && value.every(isHostName);
}

/** A workspace URL of Azure Databricks (not its account host), e.g. adb-123.4.azuredatabricks.net. */
export function isWorkspaceHost(hostname: string): boolean {
    const h = hostname.toLowerCase();
    return DATABRICKS_ZONES.some((zone) => h.endsWith(`.${zone}`) && h !== `accounts.${zone}`);
}

/**
 * Why `url` may not receive the token of `role`, or undefined when it may: loopback, the trusted
 * hosts of the role, or a host listed in `allowHosts` (exact host names, case-insensitive). `override`
 * names the setting that allows another host, as the caller's user knows it.
 */
export function untrustedHost(
    url: string,
    role: HostRole,
    allowHosts: readonly string[] = [],
    override = "allowHosts (--allow-host)",
): string | undefined {
    let hostname: string;
    try {
        hostname = new URL(url).hostname.toLowerCase();
    } catch {
        return undefined; // not a URL: the URL check reports it
    }
    if (LOOPBACK.has(hostname) || TRUSTED_HOSTS[role].includes(hostname)) return undefined;
    if (allowHosts.some((h) => h.trim().toLowerCase() === hostname)) return undefined;
    if (role === "account" && isWorkspaceHost(hostname)) {
        const zone = DATABRICKS_ZONES.find((z) => hostname.endsWith(`.${z}`))!;
        return (
            `${hostname} is a workspace URL, but the sync calls the account SCIM API at https://accounts.${zone}. ` +
            `Set the account host to https://accounts.${zone} (or leave it unset for the default); DATABRICKS_HOST is also the ` +
            "Databricks CLI's workspace variable, so unset it for the sync or pass --account-host"
        );
    }
    const names = {
        account: "a Databricks account host",
        graph: "a Microsoft Graph host",
        authority: "an Entra authority host",
    }[role];
    return (
        `${hostname} is not ${names} of the Azure public or sovereign clouds (${TRUSTED_HOSTS[role].join(", ")}), and the token would be sent there. ` +
        `If it really is one (a proxy you run, a new cloud), allow it explicitly with ${override}`
    );
}
