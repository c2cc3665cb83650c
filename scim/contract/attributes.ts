/**
 * The synced attributes, one entry each: for every principal kind it applies to, the Graph field(s)
 * Entra's value comes from, the SCIM attribute it maps to, how the desired and the account's values
 * are compared, and the PATCH that brings the account in line. The Graph reader (`$select`,
 * mapping), the account reader (list `attributes`, parsing, POST body), the planner (what differs),
 * the executor (the PATCH) and the CLI's Graph snapshot are all built from this table: syncing one
 * more attribute is one entry here plus its field in the model (`AttributeValues`, and
 * `DesiredPrincipal` when Entra's value is not already there).
 *
 * Shapes, checked against the APIs' references:
 * - Graph v1.0 user: `displayName` (String), `accountEnabled` (Boolean, "true if the account is
 *   enabled"), `userPrincipalName`, `mail`, `userType` (Member | Guest); servicePrincipal: `appId`,
 *   `displayName`, `accountEnabled`; group: `displayName`
 *   (learn.microsoft.com/graph/api/resources/user, …/serviceprincipal, …/group, and the Graph SDKs'
 *   models of them; API-NOTES A2, A6). A property not selected is not returned; one the app may not
 *   read comes back null.
 * - Databricks account SCIM (docs.databricks.com/api/scim/v1: update-account-user,
 *   patch-account-user, update-account-service-principal; API-NOTES B2, B3): users `userName`,
 *   `displayName`, `active` (boolean), `externalId`; service principals `applicationId` (UUID),
 *   `displayName`, `active`, `externalId`; groups `displayName`, `externalId`, `members`, no
 *   `active`. `userName` cannot be changed by PATCH or PUT, and `applicationId` is set at creation
 *   (the account's identity API: "cannot be changed afterwards"), so keys are never patched. PATCH
 *   is a PatchOp with `{"op":"replace","path":<attribute>,"value":…}`; booleans go as
 *   "true"/"false" there, as real booleans in a POST.
 */
import type { AttributeValues, DesiredPrincipal, PrincipalKind } from "./model";

/** A directory object as Graph answers it (a group member, a delta item). */
export type GraphFields = Readonly<Record<string, unknown>>;

/** What identifies a principal on both sides; never patched (the account cannot rename it). */
export interface PrincipalKey {
    /** Graph `$select` entries the key is read from. */
    readonly graphSelect: readonly string[];
    /** The key from a Graph object; empty or absent: the object cannot be synced. */
    readonly fromGraph: (o: GraphFields) => unknown;
    /** The SCIM attribute the account matches on (list filter `<attribute> eq "…"`). */
    readonly scim: string;
}

/**
 * Keys, compared as `matchKey` (model.ts) does: userName and applicationId case-insensitively
 * (emails, GUIDs), a group's displayName exactly.
 */
export const PRINCIPAL_KEYS: Readonly<Record<PrincipalKind, PrincipalKey>> = {
    user: {
        graphSelect: ["userPrincipalName", "mail", "userType"],
        // Guests' UPNs are mangled (alice_contoso.com#EXT#@…); their userName is their mail.
        fromGraph: (o) => (o.userType === "Guest" && o.mail ? o.mail : o.userPrincipalName),
        scim: "userName",
    },
    servicePrincipal: { graphSelect: ["appId"], fromGraph: (o) => o.appId, scim: "applicationId" },
    group: { graphSelect: ["displayName"], fromGraph: (o) => o.displayName, scim: "displayName" },
};

/** How one attribute is synced for one principal kind. */
export interface AttributeRule {
    /** Graph `$select` entries its desired value is read from (none: a constant). */
    readonly graphSelect: readonly string[];
    /** The desired value from a Graph object of this kind; `key`: the object's key, already read. */
    readonly fromGraph: (o: GraphFields, key: string) => unknown;
    /**
     * What Graph answers in those fields (or null). Any other shape is refused before it is believed
     * (a proxy or a hostile host in Graph's place); key fields are always strings.
     */
    readonly graphShape?: "string" | "boolean";
    /** Read from the account: named in list `attributes` and parsed from every answer. */
    readonly fromScim: boolean;
    /** Sent in the POST that creates the principal. */
    readonly onCreate: boolean;
    /**
     * Whether the account's value (as parsed) must be replaced by the desired one. Absent: never
     * patched for this kind.
     */
    readonly differs?: (desired: unknown, actual: unknown) => boolean;
}

/**
 * One synced attribute. Its names are the model's fields, so a misspelt one does not compile; the
 * engine takes any table (`SyncedAttribute<string, string>`), so a test can add an attribute the
 * model does not have.
 */
export interface SyncedAttribute<
    Name extends string = keyof AttributeValues,
    Desired extends string = keyof DesiredPrincipal,
> {
    /**
     * The SCIM attribute, which is also the PATCH path, the field of `AccountPrincipal` and the key
     * of an update's `set` and `was` (`AttributeValues`).
     */
    readonly name: Name;
    /** The field of `DesiredPrincipal` that holds Entra's value. */
    readonly desired: Desired;
    /** The account's value from a SCIM resource's attribute (absent when the resource has none). */
    readonly parse: (raw: unknown) => unknown;
    /** The `value` of the PATCH `replace` operation. */
    readonly patchValue: (value: unknown) => unknown;
    /**
     * Ties the account principal to its Entra object: a principal adopted on 409 gets it as part of
     * the adoption (not counted as an update), and a group's PATCH setting it goes alone.
     */
    readonly identity?: boolean;
    /** The kinds it applies to, each with its rule. */
    readonly kinds: Readonly<Partial<Record<PrincipalKind, AttributeRule>>>;
}

const displayNameRule: AttributeRule = {
    graphSelect: ["displayName"],
    // Absent or null in Graph: the key stands in (a user's userName, an SP's appId).
    fromGraph: (o, key) => o.displayName ?? key,
    graphShape: "string",
    fromScim: true,
    onCreate: true,
    // Exact and case-sensitive; an empty desired name never overwrites the account's.
    differs: (desired, actual) => Boolean(desired) && actual !== desired,
};

const activeRule: AttributeRule = {
    graphSelect: ["accountEnabled"],
    // Only an explicit false disables: absent or null (not readable) keeps the principal active.
    fromGraph: (o) => o.accountEnabled !== false,
    graphShape: "boolean",
    fromScim: true,
    onCreate: true,
    // An account that does not report `active` is left alone.
    differs: (desired, actual) => actual !== undefined && actual !== desired,
};

const externalIdRule = (differs?: AttributeRule["differs"]): AttributeRule => ({
    graphSelect: ["id"],
    fromGraph: (o) => o.id,
    graphShape: "string",
    fromScim: true,
    onCreate: true,
    differs,
});

const TABLE = [
    {
        name: "displayName",
        desired: "displayName",
        parse: (raw) => String(raw ?? ""),
        patchValue: (v) => v,
        kinds: { user: displayNameRule, servicePrincipal: displayNameRule, group: displayNameRule },
    },
    {
        name: "active",
        desired: "active",
        parse: (raw) => (raw === undefined ? undefined : raw === true || raw === "true"),
        // The account API is known to want booleans as strings in PATCH (API-NOTES B3).
        patchValue: (v) => String(v),
        kinds: {
            user: activeRule,
            servicePrincipal: activeRule,
            // Account groups have no `active`; the desired side carries true.
            group: { graphSelect: [], fromGraph: () => true, fromScim: false, onCreate: false },
        },
    },
    {
        name: "externalId",
        // The Entra object id.
        desired: "entraId",
        parse: (raw) => raw,
        patchValue: (v) => v,
        identity: true,
        kinds: {
            // A user's or SP's externalId is never overwritten: one naming another Entra object is
            // refused by the planner instead (a B2B guest's mail can equal a user's userName).
            user: externalIdRule(),
            servicePrincipal: externalIdRule(),
            // A group adopted by name (none, or another one if adoption is allowed) gets Entra's id.
            group: externalIdRule((desired, actual) => actual !== desired),
        },
    },
] satisfies readonly SyncedAttribute[];

/**
 * Every field of `AttributeValues` has an entry (the reverse is the type of `name`): a field added to
 * the model without one fails to compile here, naming the field.
 */
type Unsynced = Exclude<keyof AttributeValues, (typeof TABLE)[number]["name"]>;
const everyAttributeValueSynced: [Unsynced] extends [never] ? true : Unsynced = true;
void everyAttributeValueSynced;

/** The synced attributes, in the order of an update's fields and of the PATCH's `replace`s. */
export const ATTRIBUTES: readonly SyncedAttribute[] = TABLE;

/** An entry of any table the engine takes: the names need not be the model's (a test's table). */
type AnyAttribute = SyncedAttribute<string, string>;

/** An attribute's name and how a kind's SCIM answer is parsed for it (no parser: not read). */
export interface AccountField {
    readonly name: string;
    readonly parse?: (raw: unknown) => unknown;
}

/** A Graph field and the type Graph answers it as (or null). */
export interface GraphFieldShape {
    readonly field: string;
    readonly shape: "string" | "boolean";
}

export interface KindAttribute {
    readonly attribute: AnyAttribute;
    readonly rule: AttributeRule;
}

/**
 * A table of synced attributes with what the readers, the planner and the executor derive from it,
 * computed once. The builders take one (the default: {@link SYNCED}).
 */
export class SyncedAttributes {
    private readonly byKind: Readonly<Record<PrincipalKind, readonly KindAttribute[]>>;
    private readonly parsers: Readonly<Record<PrincipalKind, readonly AccountField[]>>;
    private readonly created: Readonly<Record<PrincipalKind, readonly AnyAttribute[]>>;
    private readonly shapes: Readonly<Record<PrincipalKind, readonly GraphFieldShape[]>>;

    constructor(
        readonly list: readonly AnyAttribute[],
        readonly keys: Readonly<Record<PrincipalKind, PrincipalKey>> = PRINCIPAL_KEYS,
    ) {
        const of = (kind: PrincipalKind) =>
            list.flatMap((attribute) => {
                const rule = attribute.kinds[kind];
                return rule ? [{ attribute, rule }] : [];
            });
        const perKind = <T>(f: (kind: PrincipalKind) => T): Record<PrincipalKind, T> => ({
            user: f("user"),
            servicePrincipal: f("servicePrincipal"),
            group: f("group"),
        });
        this.byKind = perKind(of);
        this.parsers = perKind((kind) =>
            list.map((a) => ({
                name: a.name,
                parse: a.kinds[kind]?.fromScim ? a.parse : undefined,
            })),
        );
        this.shapes = perKind((kind) => {
            const shapes = new Map<string, GraphFieldShape["shape"]>();
            for (const f of keys[kind].graphSelect) shapes.set(f, "string");
            for (const { rule } of of(kind))
                if (rule.graphShape)
                    for (const f of rule.graphSelect) shapes.set(f, rule.graphShape);
            return [...shapes].map(([field, shape]) => ({ field, shape }));
        });
        this.created = perKind((kind) =>
            of(kind)
                .filter((a) => a.rule.onCreate)
                .map((a) => a.attribute),
        );
    }

    /** Every attribute of the table, with its parser for a kind (none where it does not apply). */
    accountFields(kind: PrincipalKind): readonly AccountField[] {
        return this.parsers[kind];
    }

    /** The Graph fields of a kind whose shape is checked on every object read, with that shape. */
    graphShapes(kind: PrincipalKind): readonly GraphFieldShape[] {
        return this.shapes[kind];
    }

    /** The attributes sent in the POST that creates a principal of a kind. */
    onCreate(kind: PrincipalKind): readonly AnyAttribute[] {
        return this.created[kind];
    }

    /** The attributes that apply to a kind, with their rule, in table order. */
    of(kind: PrincipalKind): readonly KindAttribute[] {
        return this.byKind[kind];
    }

    /**
     * The `$select` of a read of these kinds: `id` (unless left out: delta feeds always carry it),
     * then each kind's key and attribute fields, each once.
     */
    graphSelect(kinds: readonly PrincipalKind[], withId = true): string {
        const fields = new Set<string>(withId ? ["id"] : []);
        for (const kind of kinds) {
            for (const f of this.keys[kind].graphSelect) fields.add(f);
            for (const { rule } of this.of(kind)) for (const f of rule.graphSelect) fields.add(f);
        }
        if (!withId) fields.delete("id");
        return [...fields].join(",");
    }

    /** The list `attributes` of a kind: `id`, its key, and the attributes read from the account. */
    scimAttributes(kind: PrincipalKind): string {
        const fields = new Set<string>(["id", this.keys[kind].scim]);
        for (const { attribute, rule } of this.of(kind))
            if (rule.fromScim) fields.add(attribute.name);
        return [...fields].join(",");
    }

    /** The Graph fields the attribute of this name is read from for a kind (none: not applicable). */
    graphFieldsOf(kind: PrincipalKind, name: string): readonly string[] {
        return this.of(kind).find((a) => a.attribute.name === name)?.rule.graphSelect ?? [];
    }

    /** Whether the attribute of this name ties the account principal to its Entra object. */
    isIdentity(name: string): boolean {
        return this.list.some((a) => a.name === name && a.identity === true);
    }
}

/** The attributes the sync keeps in line. */
export const SYNCED = new SyncedAttributes(ATTRIBUTES);

/** Entra's value of an attribute for a desired principal. */
export function desiredValue(p: DesiredPrincipal, attribute: AnyAttribute): unknown {
    return fieldOf(p, attribute.desired);
}

/** The account's value of an attribute, as read (or as an update sets it). */
export function accountValue(a: AttributeValues, attribute: AnyAttribute): unknown {
    return fieldOf(a, attribute.name);
}

/**
 * A field by an attribute's name. The names of {@link ATTRIBUTES} are the model's (checked by their
 * type); another table's may be fields the model does not declare, read here as what they are.
 */
function fieldOf(o: DesiredPrincipal | AttributeValues, field: string): unknown {
    return (o as Readonly<Record<string, unknown>>)[field];
}
