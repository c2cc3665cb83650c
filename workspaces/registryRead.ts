/**
 * RegistryReadAccess: READ on a target workspace's whole model registry for its SP
 * (`databricks.Permissions` with `registeredModelId: "root"`, `CAN_READ`).
 *
 * Authoritative: it replaces every permission on the registry root, so exactly one is declared per
 * workspace, listing every principal that needs it (the Terraform modules declared two on prod, one per
 * source workspace, which overwrote each other on every apply).
 */
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";

export const REGISTRY_READ_ACCESS_TYPE = "azure-databricks-mlops:index:RegistryReadAccess";

export interface RegistryReadAccessArgs {
    /** Provider of the target workspace, whose registry is read. */
    readonly provider: databricks.Provider;
    /** Application ids of the service principals given `CAN_READ`. */
    readonly servicePrincipalApplicationIds: pulumi.Input<pulumi.Input<string>[]>;
}

export class RegistryReadAccess extends pulumi.ComponentResource {
    public readonly permissions: databricks.Permissions;

    constructor(
        name: string,
        args: RegistryReadAccessArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super(REGISTRY_READ_ACCESS_TYPE, name, {}, opts);
        this.permissions = new databricks.Permissions(
            `${name}-permissions`,
            {
                registeredModelId: "root",
                accessControls: pulumi.output(args.servicePrincipalApplicationIds).apply((ids) =>
                    [...new Set(ids)].map((servicePrincipalName) => ({
                        servicePrincipalName,
                        permissionLevel: "CAN_READ",
                    })),
                ),
            },
            { parent: this, provider: args.provider },
        );
        this.registerOutputs({});
    }
}
