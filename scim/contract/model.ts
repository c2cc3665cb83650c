/** Shapes shared by the readers, the planner and the executor. */

export type PrincipalKind = "user" | "servicePrincipal" | "group";

/** A principal as Entra describes it: what the account should hold. */
export interface DesiredPrincipal {
    readonly kind: PrincipalKind;
    /** Entra object id; becomes the SCIM `externalId`. */
    readonly entraId: string;
    /** userName (users), applicationId (SPs) or displayName (groups): what Databricks matches on. */
    readonly key: string;
    readonly displayName: string;
    /** accountEnabled; always true for groups. */
    readonly active: boolean;
}

export interface DesiredState {
    /** Every principal to exist, by Entra id: members of synced groups and the synced groups themselves. */
    readonly principals: ReadonlyMap<string, DesiredPrincipal>;
    /** Synced groups whose membership is made equal to Entra's: group Entra id → member Entra ids. */
    readonly memberships: ReadonlyMap<string, readonly string[]>;
    /** Groups whose Entra member list is not complete this run (see GroupTree.incomplete): members are added, never removed. */
    readonly incomplete?: ReadonlyMap<string, string>;
    /** Principals synced before that were deleted or disabled in Entra, for deactivation (opt-in). */
    readonly gone?: readonly GonePrincipal[];
}

/** A user or service principal synced before, now deleted or disabled in Entra, as the account holds it. */
export interface GonePrincipal {
    readonly entraId: string;
    readonly account: AccountPrincipal;
    readonly reason: "deleted" | "disabled";
}

/**
 * The synced attributes' values by SCIM attribute name, as the account holds them or as an update
 * sets them. Each is described in attributes.ts (how it is read, compared and patched).
 */
export interface AttributeValues {
    readonly displayName?: string;
    /** Absent for groups. */
    readonly active?: boolean;
    readonly externalId?: string;
}

/** A principal as the account holds it. */
export interface AccountPrincipal extends AttributeValues {
    readonly kind: PrincipalKind;
    /** SCIM id. */
    readonly id: string;
    readonly key: string;
    readonly displayName: string;
}

export interface ActualState {
    /** Principals read from the account, by `matchKey(kind, key)`. */
    readonly byKey: ReadonlyMap<string, AccountPrincipal>;
    /** Principals read from the account whose Entra id is known (by externalId, or the state's id map). */
    readonly byEntraId?: ReadonlyMap<string, AccountPrincipal>;
    /** Entra id → SCIM id of principals known to exist whose attributes were not read (incremental runs). */
    readonly known: ReadonlyMap<string, string>;
    /** SCIM group id → member SCIM ids, for the synced groups that exist. */
    readonly members: ReadonlyMap<string, ReadonlySet<string>>;
    /** SCIM id → a name for it (userName, applicationId, group name, or the `display` a group's member list gives). */
    readonly names?: ReadonlyMap<string, string>;
}

/** Databricks compares userName case-insensitively (emails), and application ids are GUIDs. */
export function matchKey(kind: PrincipalKind, key: string): string {
    return kind === "group" ? `group:${key}` : `${kind}:${key.toLowerCase()}`;
}

/** One write of the plan. Member references are Entra ids, resolved to SCIM ids when executed. */
export type Operation =
    | {
          readonly type: "create";
          readonly principal: DesiredPrincipal;
          /** Groups only: members to send inline with the POST (Entra ids). */
          readonly members?: readonly string[];
      }
    | {
          readonly type: "update";
          readonly principal: DesiredPrincipal;
          readonly scimId: string;
          readonly set: AttributeValues;
          readonly was: AttributeValues;
      }
    | {
          /** PATCH active=false of a principal deleted or disabled in Entra (never a DELETE). */
          readonly type: "deactivate";
          readonly principal: DesiredPrincipal;
          readonly scimId: string;
          readonly reason: "deleted" | "disabled";
      }
    | {
          readonly type: "members";
          readonly group: DesiredPrincipal;
          /** Absent when the group is created in the same run. */
          readonly scimId?: string;
          /** Entra ids to add. */
          readonly add: readonly string[];
          /** SCIM ids to remove (they may be principals unknown to Entra). */
          readonly remove: readonly string[];
      };

/** What one read of the listed Entra groups (and their nested groups) found. */
export interface GroupTree {
    /** Every member read, and the start groups. */
    readonly principals: Map<string, DesiredPrincipal>;
    /** Group Entra id → member Entra ids, for every group read. */
    readonly memberships: Map<string, string[]>;
    /** Level of every group read (1 = listed). */
    readonly levels: Map<string, number>;
    /**
     * Groups whose member list is not complete this run, with why: a member listed without its
     * identifying attributes (a missing read permission), or a members read that failed. Nothing is
     * removed from them; the reason is an error of the run. A group whose read failed has no memberships entry.
     */
    readonly incomplete?: Map<string, string>;
}
