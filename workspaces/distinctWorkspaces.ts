/**
 * dev, staging and prod (a project's staging and prod) must be different workspaces: each gets its own
 * SP group and, in staging and prod, an authoritative token-usage and registry permission. Two of them
 * in one workspace would be two authoritative resources for one ACL (permanent drift, then a failed
 * create; terraform-provider-databricks docs/resources/permissions.md allows one per workspace).
 * Plain values are compared before anything is registered; Output values once known, by the
 * components' DeferredArgsCheck, with the same InputPropertiesError text.
 */
import { Problems, isDeferred } from "../core";

/** The workspace id in an `https://adb-<id>.<n>.azuredatabricks.net` host, if it has that form. */
export function workspaceIdFromHost(host: string): string | undefined {
    return /^https:\/\/adb-([0-9]+)\.[0-9]+\.azuredatabricks\.net\/?$/i.exec(host.trim())?.[1];
}

/** A host as a workspace identity: its scheme, letter case and trailing slashes do not name another workspace. */
export function normalizeWorkspaceHost(host: string): string {
    return host
        .trim()
        .toLowerCase()
        .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
        .replace(/\/+$/, "");
}

export interface WorkspaceIdentity {
    readonly host?: unknown;
    readonly workspaceId?: unknown;
}

/**
 * Adds a problem (one at most) for each later workspace of `envs` that is an earlier one again: the same host
 * (normalized) or the same workspace id (given, or read from an `adb-<id>` host). Only plain strings are
 * compared. `key(env, field)` names a setting as the user wrote it.
 */
export function checkDistinctWorkspaces(
    problems: Problems,
    workspaces: object,
    envs: readonly string[],
    key: (env: string, field: "host" | "workspaceId") => string = (env, field) => `${env}.${field}`,
): Problems {
    const plain = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);
    const idOf = (w: WorkspaceIdentity) => {
        const given = plain(w.workspaceId);
        if (given !== undefined) return { id: given, field: "workspaceId" as const };
        const host = plain(w.host);
        const fromHost = host === undefined ? undefined : workspaceIdFromHost(host);
        return fromHost === undefined ? undefined : { id: fromHost, field: "host" as const };
    };
    const all = envs.join(", ");
    for (let j = 1; j < envs.length; j++) {
        for (let i = 0; i < j; i++) {
            const a = (workspaces as Record<string, WorkspaceIdentity | undefined>)[envs[i]];
            const b = (workspaces as Record<string, WorkspaceIdentity | undefined>)[envs[j]];
            if (
                !a ||
                !b ||
                typeof a !== "object" ||
                typeof b !== "object" ||
                isDeferred(a) ||
                isDeferred(b)
            )
                continue;
            const [ha, hb] = [plain(a.host), plain(b.host)];
            if (
                ha !== undefined &&
                hb !== undefined &&
                normalizeWorkspaceHost(ha) === normalizeWorkspaceHost(hb)
            ) {
                problems.add(
                    key(envs[j], "host"),
                    `is the same workspace as ${key(envs[i], "host")} (${ha}); ${all} must be ${envs.length} different workspaces`,
                );
                break;
            }
            const [ia, ib] = [idOf(a), idOf(b)];
            if (ia && ib && ia.id === ib.id) {
                problems.add(
                    key(envs[j], ib.field),
                    `is workspace ${ib.id}, the same workspace as ${key(envs[i], ia.field)}; ${all} must be ${envs.length} different workspaces`,
                );
                break;
            }
        }
    }
    return problems;
}
