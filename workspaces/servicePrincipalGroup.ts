/**
 * ServicePrincipalGroup: the `mlops-service-principals` group in one workspace and, where SP tokens are
 * created (staging, prod), the workspace's token-usage permissions.
 *
 * The token-usage `databricks.Permissions` (`authorization: "tokens"`) is authoritative: it replaces
 * every token ACL in the workspace, so it is declared exactly once per workspace, with the group plus
 * `additionalTokenUsageGroups`. Whoever loses CAN_USE by it has their active tokens deleted at once
 * (terraform-provider-databricks docs/resources/permissions.md, "Token usage"), so a set without the
 * workspace's `users` group is warned about on every preview and update. Databricks refuses to set it
 * until at least one personal access token exists in the workspace (see docs/workspaces.md).
 */
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";

export const SERVICE_PRINCIPAL_GROUP_TYPE = "azure-databricks-mlops:index:ServicePrincipalGroup";
/** The workspace's group of all users: who holds token usage in a workspace that never set token permissions. */
export const ALL_USERS_GROUP = "users";

export interface ServicePrincipalGroupArgs {
    /** Provider of the workspace. */
    readonly provider: databricks.Provider;
    /** Display name of the group. */
    readonly groupName: pulumi.Input<string>;
    /**
     * Set the workspace's token usage: `CAN_USE` for this group and each of these groups. Omit it to
     * leave token usage alone (the dev workspace, where no SP token is created). Authoritative.
     */
    readonly tokenUsageGroups?: pulumi.Input<pulumi.Input<string>[]>;
}

export class ServicePrincipalGroup extends pulumi.ComponentResource {
    public readonly group: databricks.Group;
    /** Databricks id of the group. */
    public readonly groupId: pulumi.Output<string>;
    /** Display name of the group. */
    public readonly groupName: pulumi.Output<string>;
    /** The workspace's token-usage permissions, when `tokenUsageGroups` was given. */
    public readonly tokenUsage?: databricks.Permissions;

    constructor(
        name: string,
        args: ServicePrincipalGroupArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super(SERVICE_PRINCIPAL_GROUP_TYPE, name, {}, opts);
        const childOpts = { parent: this, provider: args.provider };
        this.group = new databricks.Group(name, { displayName: args.groupName }, childOpts);
        this.groupId = this.group.id;
        this.groupName = this.group.displayName;

        if (args.tokenUsageGroups !== undefined) {
            // The created group's name (not the argument), so the ACL waits for the group to exist.
            this.tokenUsage = new databricks.Permissions(
                `${name}-token-usage`,
                {
                    authorization: "tokens",
                    accessControls: pulumi
                        .all([this.group.displayName, args.tokenUsageGroups])
                        .apply(([group, extra]) => tokenUsageAccessControls(group, extra)),
                },
                childOpts,
            );
            pulumi.all([args.groupName, args.tokenUsageGroups]).apply(([group, extra]) => {
                const warning = tokenUsageRevocationWarning(group, extra);
                if (warning) pulumi.log.warn(warning, this);
            });
        }
        this.registerOutputs({ groupId: this.groupId, groupName: this.groupName });
    }
}

/** `CAN_USE` for the SP group first, then each additional group once, in the order given. */
export function tokenUsageAccessControls(
    spGroup: string,
    additional: readonly string[],
): { groupName: string; permissionLevel: string }[] {
    return [spGroup, ...additional]
        .filter((g, i, all) => all.indexOf(g) === i)
        .map((groupName) => ({ groupName, permissionLevel: "CAN_USE" }));
}

/**
 * The warning for a token-usage set that leaves out the workspace's `users` group, naming who keeps
 * CAN_USE; undefined when `users` keeps it (everyone keeps CAN_USE through it, so no token is revoked).
 */
export function tokenUsageRevocationWarning(
    spGroup: string,
    additional: readonly string[],
): string | undefined {
    const keep = tokenUsageAccessControls(spGroup, additional).map((a) => a.groupName);
    if (keep.includes(ALL_USERS_GROUP)) return undefined;
    return (
        `token usage (databricks.Permissions, authorization "tokens") is authoritative: only workspace admins and the groups ${keep.map((g) => JSON.stringify(g)).join(", ")} keep CAN_USE. ` +
        `Every other user and service principal loses it, and Databricks revokes (deletes) their active personal access tokens at once. ` +
        `Add "${ALL_USERS_GROUP}" to additionalTokenUsageGroups to keep token usage for everyone (the workspace default).`
    );
}
