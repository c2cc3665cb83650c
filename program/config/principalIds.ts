/**
 * One Entra app can be only one Databricks service principal per workspace (`applicationId` is unique
 * there): the same client id linked twice in staging or in prod — by the trio and a project, or by two
 * projects — would pass every per-section check and fail at apply, after other resources changed.
 * Checked across sections here instead, before anything is registered.
 */
import { Problems } from "../../core";
import type { WorkspacesConfig } from "./workspaces";
import type { ProjectConfig } from "./projects";
import { deployTargets } from "../../core";

/** Adds a problem for each linked client id that an earlier principal in the same workspace already uses. */
export function checkClientIdsPerWorkspace(
    ns: string,
    workspaces: WorkspacesConfig | undefined,
    projects: readonly ProjectConfig[],
    problems: Problems,
): void {
    const owners: { key: string; sps: WorkspacesConfig["servicePrincipals"] | undefined }[] = [
        { key: `${ns}:workspaces.servicePrincipals`, sps: workspaces?.servicePrincipals },
        ...projects.map((p, i) => ({
            key: `${ns}:projects[${i}].servicePrincipals`,
            sps: p.servicePrincipals,
        })),
    ];
    for (const env of deployTargets()) {
        const seen = new Map<string, string>();
        for (const { key, sps } of owners) {
            if (sps?.mode !== "link") continue;
            const id = sps[env].clientId.toLowerCase();
            const first = seen.get(id);
            const here = `${key}.${env}.clientId`;
            if (first === undefined) seen.set(id, here);
            else {
                problems.add(
                    here,
                    `is the same Entra app as ${first} (${sps[env].clientId}); an app can be only one service principal in the ${env} workspace, ` +
                        "so give each its own app (or use servicePrincipals.mode create)",
                );
            }
        }
    }
}
