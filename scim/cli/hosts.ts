/**
 * The CLI's hosts: `--account-host` or DATABRICKS_HOST (the Databricks SDK's variable, which users of
 * the original tool set to the accounts host), `--graph-url` or GRAPH_URL, each a URL of a trusted
 * host (scim/hosts) unless `--allow-host` names it. DATABRICKS_HOST is also the Databricks CLI's
 * *workspace* variable: a workspace URL there is refused with what to set instead.
 */
import { isHostName, untrustedHost } from "../../core/hosts";
import { checkBaseUrl } from "../clients";

/** `setting` names where the value came from; throws an Error with the message for the user. */
export function checkCliHost(
    value: string,
    setting: string,
    role: "account" | "graph",
    allowHosts: readonly string[],
): void {
    checkBaseUrl(value, setting);
    const why = untrustedHost(value, role, allowHosts);
    if (why) throw new Error(`${setting}: ${why}`);
}

/** `--allow-host` values, repeatable and comma-separated: host names only. */
export function collectAllowHost(value: string, previous: readonly string[] = []): string[] {
    const hosts = value
        .split(",")
        .map((h) => h.trim())
        .filter((h) => h !== "");
    const bad = hosts.find((h) => !isHostName(h));
    if (bad !== undefined || hosts.length === 0)
        throw new Error(
            "--allow-host: expected a host name such as scim-proxy.contoso.com (no scheme, port or path)",
        );
    return [...previous, ...hosts];
}
