/**
 * RemoteRegistryAccess: in a source workspace (dev or staging), the secret scope through which MLflow
 * reaches a target workspace's model registry (`databricks://<scope>:<prefix>`): scope
 * `remote-mr-<target>`, secrets `<target>-host`, `<target>-token`, `<target>-workspace-id`, and READ on
 * the scope for `users` and the SP group.
 *
 * READ on the target's registry itself is granted once per target workspace by MlopsWorkspaces (it is
 * an authoritative resource), not here.
 */
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";

export const REMOTE_REGISTRY_ACCESS_TYPE = "azure-databricks-mlops:index:RemoteRegistryAccess";

export interface RemoteRegistryAccessArgs {
    /** Provider of the source workspace, where the scope is created. */
    readonly provider: databricks.Provider;
    /** Target environment: `staging` or `prod`. Names the scope (`remote-mr-<target>`) and the secret prefix. */
    readonly target: string;
    /** URL of the target workspace. */
    readonly targetHost: pulumi.Input<string>;
    /** Numeric id of the target workspace. */
    readonly targetWorkspaceId: pulumi.Input<string>;
    /** PAT of the target workspace's SP. Stored as a secret. */
    readonly targetToken: pulumi.Input<string>;
    /**
     * Principals given READ on the scope, keyed by a stable role that names the ACL resource
     * (`<name>-acl-<role>`). Defaults to `{ users: "users" }`; MlopsWorkspaces adds `{ "sp-group": … }`.
     */
    readonly readers?: Record<string, pulumi.Input<string>>;
}

/** Scope and secret-key naming, as the Terraform modules (notebooks rely on these names). */
export function remoteRegistryNames(target: string): {
    scope: string;
    prefix: string;
    hostKey: string;
    tokenKey: string;
    workspaceIdKey: string;
} {
    return {
        scope: `remote-mr-${target}`,
        prefix: target,
        hostKey: `${target}-host`,
        tokenKey: `${target}-token`,
        workspaceIdKey: `${target}-workspace-id`,
    };
}

export class RemoteRegistryAccess extends pulumi.ComponentResource {
    public readonly scope: databricks.SecretScope;
    /** Name of the secret scope. */
    public readonly scopeName: pulumi.Output<string>;
    /** Prefix of the keys in the scope (the target's name). */
    public readonly prefix: pulumi.Output<string>;

    constructor(
        name: string,
        args: RemoteRegistryAccessArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super(REMOTE_REGISTRY_ACCESS_TYPE, name, {}, opts);
        const n = remoteRegistryNames(args.target);
        const childOpts = { parent: this, provider: args.provider };
        this.scope = new databricks.SecretScope(`${name}-scope`, { name: n.scope }, childOpts);
        // Every field of a secret forces replacement, and deleting the old one calls DeleteSecret(scope, key)
        // on the key its replacement just wrote (terraform-provider-databricks secrets/resource_secret.go;
        // pulumi/pulumi-databricks#642): delete first, or a rotated token's key disappears.
        const secret = (role: string, key: string, value: pulumi.Input<string>) =>
            new databricks.Secret(
                `${name}-${role}`,
                { scope: this.scope.name, key, stringValue: value },
                { ...childOpts, deleteBeforeReplace: true },
            );
        secret("host", n.hostKey, args.targetHost);
        secret("token", n.tokenKey, pulumi.secret(args.targetToken));
        secret("workspace-id", n.workspaceIdKey, args.targetWorkspaceId);
        for (const [role, principal] of Object.entries(args.readers ?? { users: "users" })) {
            new databricks.SecretAcl(
                `${name}-acl-${role}`,
                { scope: this.scope.name, principal, permission: "READ" },
                childOpts,
            );
        }
        this.scopeName = this.scope.name;
        this.prefix = pulumi.output(n.prefix);
        this.registerOutputs({ scopeName: this.scopeName, prefix: this.prefix });
    }
}
