/**
 * Checks of MlopsWorkspaces arguments that can be made before anything is created. Values may be
 * Outputs (unknown until deployment): only plain values are checked, presence always.
 */
import { Problems, describe, WHOLE_OBJECT_DEFERRED, isDeferred } from "../core";
import { checkPrincipalIds, validatePrincipalSource } from "../principals";
import { WorkspaceConnectionArgs, validateConnection, validateEntra } from "../connections";
import { checkDistinctWorkspaces } from "./distinctWorkspaces";

const DAY_SECONDS = 86_400;

/** Numeric Databricks workspace id (the `o=` in workspace URLs; the digits in `adb-<id>.<n>`). */
export const WORKSPACE_ID = /^[0-9]+$/;

export interface WorkspacesArgsShape {
    readonly dev?: WorkspaceConnectionArgs;
    readonly staging?: WorkspaceConnectionArgs;
    readonly prod?: WorkspaceConnectionArgs;
    readonly servicePrincipals?: any;
    readonly additionalTokenUsageGroups?: unknown;
    readonly servicePrincipalGroupName?: unknown;
    readonly tokenLifetimeSeconds?: unknown;
    readonly tokenRotationDays?: unknown;
    readonly allowClusterCreate?: unknown;
}

const known = (v: unknown) => v !== undefined && !isDeferred(v);

export function validateMlopsWorkspacesArgs(
    args: WorkspacesArgsShape,
    lifetimeDefault: number,
    rotationDefault: number,
): Problems {
    const problems = new Problems();
    for (const env of ["dev", "staging", "prod"] as const) {
        const ws = args[env];
        validateConnection(ws, env, problems);
        if (!ws || typeof ws !== "object") continue;
        if (env !== "dev" && ws.workspaceId === undefined)
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

    checkDistinctWorkspaces(problems, args, ["dev", "staging", "prod"]);

    const sp = args.servicePrincipals;
    if (
        isDeferred(sp) ||
        (sp && typeof sp === "object" && (isDeferred(sp.staging) || isDeferred(sp.prod)))
    ) {
        const key = isDeferred(sp)
            ? "servicePrincipals"
            : isDeferred(sp.staging)
              ? "servicePrincipals.staging"
              : "servicePrincipals.prod";
        problems.add(key, WHOLE_OBJECT_DEFERRED);
    } else if (!sp || typeof sp !== "object") {
        problems.add(
            "servicePrincipals",
            `is required: { mode: "link", staging, prod } or { mode: "create", tenantId }`,
        );
    } else if (sp.mode === "link") {
        for (const env of ["staging", "prod"] as const) {
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
