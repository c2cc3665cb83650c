/**
 * Checks of MlopsWorkspaces arguments that can be made before anything is created. Values may be
 * Outputs (unknown until deployment): only plain values are checked, presence always.
 */
import { Problems, describe, WHOLE_OBJECT_DEFERRED, isDeferred } from "../core";
import { checkPrincipalIds, validatePrincipalSource } from "../principals";
import { WorkspaceConnectionArgs, validateConnection, validateEntra } from "../connections";
import { checkDistinctWorkspaces } from "./distinctWorkspaces";
import {
    defaultTable,
    deployTargets,
    EnvironmentTable,
    EnvName,
    envNames,
    isDeployTarget,
} from "../core";

const DAY_SECONDS = 86_400;

/** Numeric Databricks workspace id (the `o=` in workspace URLs; the digits in `adb-<id>.<n>`). */
export const WORKSPACE_ID = /^[0-9]+$/;

/** The args as far as the checks need them: a connection per environment of the table, and the rest. */
export interface WorkspacesArgsShape extends Partial<
    Readonly<Record<EnvName, WorkspaceConnectionArgs>>
> {
    readonly servicePrincipals?: any;
    readonly additionalTokenUsageGroups?: unknown;
    readonly servicePrincipalGroupName?: unknown;
    readonly tokenLifetimeSeconds?: unknown;
    readonly tokenRotationDays?: unknown;
    readonly allowClusterCreate?: unknown;
}

const known = (v: unknown) => v !== undefined && !isDeferred(v);

/**
 * `table`: the environments, whose names are the per-environment keys of `args` and of a linked
 * `servicePrincipals` (the default table: dev, staging, prod).
 */
export function validateMlopsWorkspacesArgs<N extends string = EnvName>(
    args: WorkspacesArgsShape,
    lifetimeDefault: number,
    rotationDefault: number,
    table: EnvironmentTable<N> = defaultTable(),
): Problems {
    const problems = new Problems();
    const envs = envNames(table);
    const targets = deployTargets(table);
    const workspaces = args as Partial<Record<N, WorkspaceConnectionArgs>>;
    for (const env of envs) {
        const ws = workspaces[env];
        validateConnection(ws, env, problems);
        if (!ws || typeof ws !== "object") continue;
        // The workspaces deployed to are what the legacy secret scopes point at: their ids are needed.
        if (isDeployTarget(env, table) && ws.workspaceId === undefined)
            problems.add(
                `${env}.workspaceId`,
                "is required: the numeric workspace id (the digits after adb- in the workspace URL)",
            );
        else if (
            known(ws.workspaceId) &&
            !(typeof ws.workspaceId === "string" && WORKSPACE_ID.test(ws.workspaceId))
        ) {
            problems.add(
                `${env}.workspaceId`,
                `must be a numeric workspace id like "1234567890123456" (a string of digits), got ${describe(ws.workspaceId)}`,
            );
        }
    }

    checkDistinctWorkspaces(problems, args, envs);

    const sp = args.servicePrincipals;
    const deferredTarget =
        !isDeferred(sp) && sp && typeof sp === "object"
            ? targets.find((t) => isDeferred(sp[t]))
            : undefined;
    if (isDeferred(sp) || deferredTarget !== undefined) {
        const key = isDeferred(sp) ? "servicePrincipals" : `servicePrincipals.${deferredTarget}`;
        problems.add(key, WHOLE_OBJECT_DEFERRED);
    } else if (!sp || typeof sp !== "object") {
        problems.add(
            "servicePrincipals",
            `is required: { mode: "link", ${targets.join(", ")} } or { mode: "create", tenantId }`,
        );
    } else if (sp.mode === "link") {
        for (const env of targets) {
            const p = sp[env];
            if (!p || typeof p !== "object")
                problems.add(
                    `servicePrincipals.${env}`,
                    "is required in link mode: { clientId, aadToken } or { clientId, clientSecret, tenantId }",
                );
            else {
                validatePrincipalSource(
                    { ...p, mode: "link" },
                    `servicePrincipals.${env}`,
                    problems,
                );
                checkPrincipalIds({ ...p, mode: "link" }, `servicePrincipals.${env}`, problems);
            }
        }
    } else {
        validatePrincipalSource(sp, "servicePrincipals", problems);
        checkPrincipalIds(sp, "servicePrincipals", problems);
        if (sp.mode === "create") validateEntra(sp.entra, "servicePrincipals.entra", problems);
    }

    const groups = args.additionalTokenUsageGroups;
    if (known(groups)) {
        if (!Array.isArray(groups))
            problems.add(
                "additionalTokenUsageGroups",
                `must be a list of group names, got ${describe(groups)}`,
            );
        else
            groups.forEach((g, i) => {
                if (known(g) && (typeof g !== "string" || g.trim() === ""))
                    problems.add(
                        `additionalTokenUsageGroups[${i}]`,
                        `must be a non-empty group name, got ${describe(g)}`,
                    );
            });
    }
    const groupName = args.servicePrincipalGroupName;
    if (known(groupName) && (typeof groupName !== "string" || groupName.trim() === "")) {
        problems.add(
            "servicePrincipalGroupName",
            `must be a non-empty group name, got ${describe(groupName)}`,
        );
    }

    if (known(args.allowClusterCreate) && typeof args.allowClusterCreate !== "boolean") {
        problems.add(
            "allowClusterCreate",
            `must be true or false (default false: the registry-reader SPs create no clusters), got ${describe(args.allowClusterCreate)}`,
        );
    }
    checkTokenTiming(
        problems,
        { lifetime: "tokenLifetimeSeconds", rotation: "tokenRotationDays" },
        args.tokenLifetimeSeconds,
        args.tokenRotationDays,
        lifetimeDefault,
        rotationDefault,
    );
    return problems;
}

/**
 * Token lifetime (positive whole seconds) and rotation period (positive days, below the lifetime so a
 * token is replaced before it expires). Unknown (Output) values are skipped. `keys` name the settings.
 */
export function checkTokenTiming(
    problems: Problems,
    keys: { lifetime: string; rotation: string },
    lifetimeValue: unknown,
    rotationValue: unknown,
    lifetimeDefault: number,
    rotationDefault: number,
): void {
    const lifetime = lifetimeValue ?? lifetimeDefault;
    const rotation = rotationValue ?? rotationDefault;
    const lifetimeOk =
        !known(lifetime) ||
        (typeof lifetime === "number" && Number.isInteger(lifetime) && lifetime > 0);
    if (!lifetimeOk)
        problems.add(
            keys.lifetime,
            `must be a positive whole number of seconds (default ${lifetimeDefault}, 100 days), got ${describe(lifetime)}`,
        );
    if (!known(rotation)) return;
    if (typeof rotation !== "number" || !(rotation > 0)) {
        problems.add(
            keys.rotation,
            `must be a positive number of days (default ${rotationDefault}), got ${describe(rotation)}`,
        );
    } else if (lifetimeOk && typeof lifetime === "number" && rotation >= lifetime / DAY_SECONDS) {
        problems.add(
            keys.rotation,
            `must be less than the token lifetime (${+(lifetime / DAY_SECONDS).toFixed(2)} days = ${keys.lifetime} ${lifetime}), so tokens are replaced before they expire; got ${rotation}`,
        );
    }
}
