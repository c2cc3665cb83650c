/**
 * The optional `mlRegistry` section of the stack config: one private Azure ML registry (MlRegistry).
 * Validated with the component's own rules (mlRegistry/validation.ts), so a stack and a
 * program that uses the component directly get the same errors, here under full config keys.
 */
import * as pulumi from "@pulumi/pulumi";
import { Problems, describe } from "../../core";
import { validateMlRegistry } from "../../mlRegistry";
import type { MlRegistryNames, MlRegistryArgs } from "../../mlRegistry";

/** The MlRegistry args as stack config gives them (plain values); see docs/ml-registry.md. */
export interface MlRegistryConfig {
    readonly purpose: string;
    readonly location: string;
    readonly locationCode: string;
    readonly suffix: string;
    readonly subnetId: string;
    readonly privateDnsZoneId: string;
    readonly blobPrivateDnsZoneId?: string;
    readonly acrPrivateDnsZoneId?: string;
    readonly managedResourcePrivateEndpoints?: boolean;
    readonly privateEndpointLocation?: string;
    readonly systemAssignedIdentity?: boolean;
    readonly userAssignedIdentityIds?: string[];
    readonly userObjectId?: string;
    readonly userPrincipalType?: "User" | "Group";
    readonly computeIdentityPrincipalIds?: readonly string[] | Readonly<Record<string, string>>;
    readonly roleAssignments?: {
        principalId: string;
        principalType: string;
        role: string;
        key?: string;
    }[];
    readonly tags?: Readonly<Record<string, string>>;
    readonly logRetentionDays?: number;
    readonly replicationLocations?: readonly string[];
    readonly storageAccountType?: string;
    readonly regionStorageAccountTypes?: Record<string, string>;
    readonly acrSku?: string;
    readonly identityResourceGroupContributor?: boolean;
    readonly deleteLock?: boolean;
    readonly names?: Partial<MlRegistryNames>;
}

export function readMlRegistry(
    config: pulumi.Config,
    problems: Problems,
): MlRegistryConfig | undefined {
    const section = `${config.name}:mlRegistry`;
    let raw: unknown;
    try {
        raw = config.getObject<unknown>("mlRegistry");
    } catch {
        problems.add(section, "must be valid structured config (a YAML object)");
        return undefined;
    }
    if (raw === undefined) return undefined;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        problems.add(
            section,
            `must be an object with purpose, location, locationCode, suffix, subnetId, privateDnsZoneId, blobPrivateDnsZoneId and acrPrivateDnsZoneId, got ${describe(raw)}`,
        );
        return undefined;
    }
    const names = validateMlRegistry(
        problems,
        raw as Record<string, unknown>,
        (path) => `${section}.${path}`,
    );
    return names ? (raw as MlRegistryConfig) : undefined;
}

/** The component args for a checked config section: a map of compute identities goes to `computeIdentities`. */
export function mlRegistryArgs(c: MlRegistryConfig): MlRegistryArgs {
    const { computeIdentityPrincipalIds: ids, replicationLocations, ...rest } = c;
    return {
        ...rest,
        ...(ids === undefined
            ? {}
            : Array.isArray(ids)
              ? { computeIdentityPrincipalIds: [...ids] }
              : { computeIdentities: { ...(ids as Record<string, string>) } }),
        ...(replicationLocations === undefined
            ? {}
            : { replicationLocations: [...replicationLocations] }),
    };
}
