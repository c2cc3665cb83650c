/**
 * Databricks account SCIM client (Users, ServicePrincipals, Groups): list paging by startIndex/count
 * until an empty `Resources` page, filters with double quotes, group members from GET by id (the
 * list no longer returns them), POST that adopts the existing principal on 409, PatchOp bodies.
 */
import {
    BoundError,
    MAX_ITEMS_PER_COLLECTION,
    MAX_PAGES_PER_COLLECTION,
    PageCounter,
    ShapeError,
    isObject,
} from "./bounds";
import { ApiError, JsonClient } from "./http";
import {
    AccountPrincipal,
    AttributeValues,
    DesiredPrincipal,
    PrincipalKind,
    SYNCED,
    SyncedAttributes,
    accountValue,
    desiredValue,
} from "../contract";
import { hostOf } from "./transport";

export const SCIM_PATHS: Record<PrincipalKind, string> = {
    user: "/Users",
    servicePrincipal: "/ServicePrincipals",
    group: "/Groups",
};
const SCHEMAS: Record<PrincipalKind, string> = {
    user: "urn:ietf:params:scim:schemas:core:2.0:User",
    servicePrincipal: "urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal",
    group: "urn:ietf:params:scim:schemas:core:2.0:Group",
};
/** Documented maximum of `count` for account lists. */
export const SCIM_PAGE_SIZE = 100;
const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/** SCIM error envelope: {"schemas":[…Error],"detail","status","scimType"}. */
export function parseScimError(body: unknown): { code?: string; detail: string } {
    const b = body as any;
    if (b && typeof b === "object")
        return { code: b.scimType ?? b.error_code, detail: String(b.detail ?? b.message ?? "") };
    return { detail: typeof body === "string" ? body.slice(0, 200) : "" };
}

export function scimBaseUrl(host: string, accountId: string): string {
    return `${host}/api/2.0/accounts/${encodeURIComponent(accountId)}/scim/v2`;
}

/** A principal as the account answers it: an object with a string id, else undefined. */
function isResource(r: unknown): r is Record<string, any> & { id: string } {
    return isObject(r) && typeof r.id === "string" && r.id !== "";
}

/** A SCIM resource as an account principal: its key and every attribute of the table (undefined where it does not apply). */
function toAccount(
    kind: PrincipalKind,
    r: Record<string, unknown>,
    attributes: SyncedAttributes,
): AccountPrincipal {
    const p: Partial<AccountPrincipal> & Record<string, unknown> = {
        kind,
        id: String(r.id),
        key: String(r[attributes.keys[kind].scim] ?? ""),
    };
    for (const { name, parse } of attributes.accountFields(kind))
        p[name] = parse ? parse(r[name]) : undefined;
    // The table fills the model's attributes (ATTRIBUTES covers AttributeValues, checked where it
    // is declared); another table's extra attributes ride along under their names.
    return p as AccountPrincipal;
}

export interface FirstPage {
    readonly kind: PrincipalKind;
    readonly items: readonly AccountPrincipal[];
    readonly total: number;
    readonly pageSize: number;
}

export interface PatchChanges extends AttributeValues {
    readonly addMembers?: readonly string[];
    readonly removeMembers?: readonly string[];
}

/**
 * One PatchOp body: removes first, then one add with every new member, then one `replace` per
 * attribute given, in table order.
 */
export function patchBody(
    changes: PatchChanges,
    attributes: SyncedAttributes = SYNCED,
): { schemas: string[]; Operations: unknown[] } {
    const ops: unknown[] = [];
    for (const id of changes.removeMembers ?? [])
        ops.push({ op: "remove", path: `members[value eq "${id}"]` });
    if (changes.addMembers && changes.addMembers.length > 0) {
        ops.push({ op: "add", value: { members: changes.addMembers.map((value) => ({ value })) } });
    }
    for (const attribute of attributes.list) {
        const value = accountValue(changes, attribute);
        if (value !== undefined)
            ops.push({ op: "replace", path: attribute.name, value: attribute.patchValue(value) });
    }
    return { schemas: [PATCH_SCHEMA], Operations: ops };
}

export class AccountClient {
    constructor(
        readonly http: JsonClient,
        /** What is read, sent on create and patched (scim/contract/attributes.ts). */
        readonly attributes: SyncedAttributes = SYNCED,
    ) {}

    private badShape(method: string, pathOrUrl: string, status: number, what: string): ShapeError {
        const url = this.http.url(pathOrUrl);
        return new ShapeError("scim", method, hostOf(url), new URL(url).pathname, status, what);
    }

    /**
     * A list page believed: `totalResults` a number (clamped to the collection bound), `Resources`
     * an array (absent = empty) of principals with a string id.
     */
    private listPage(
        kind: PrincipalKind,
        path: string,
        res: { status: number; body: any },
    ): { items: AccountPrincipal[]; total: number } {
        const body = res.body;
        const bad = (what: string) => this.badShape("GET", path, res.status, what);
        if (!isObject(body)) throw bad("its body is not a SCIM ListResponse object");
        if (
            typeof body.totalResults !== "number" ||
            !Number.isFinite(body.totalResults) ||
            body.totalResults < 0
        )
            throw bad("its totalResults is not a number");
        const resources = body.Resources ?? [];
        if (!Array.isArray(resources)) throw bad("its Resources is not an array");
        if (!resources.every(isResource)) throw bad("an item of its Resources has no string id");
        return {
            items: resources.map((r) => toAccount(kind, r, this.attributes)),
            total: Math.min(body.totalResults, MAX_ITEMS_PER_COLLECTION),
        };
    }

    private listUrl(
        kind: PrincipalKind,
        startIndex: number,
        count: number,
        filter?: string,
    ): string {
        const q = new URLSearchParams({
            startIndex: String(startIndex),
            count: String(count),
            attributes: this.attributes.scimAttributes(kind),
        });
        if (filter) q.set("filter", filter);
        return `${SCIM_PATHS[kind]}?${q.toString()}`;
    }

    /** The first list page of a kind: its principals, totalResults and the page size the server honours. */
    async firstPage(kind: PrincipalKind): Promise<FirstPage> {
        const path = this.listUrl(kind, 1, SCIM_PAGE_SIZE);
        const { items, total } = this.listPage(kind, path, await this.http.request("GET", path));
        return { kind, items, total: Math.max(total, items.length), pageSize: items.length };
    }

    /** Calls that reading the rest of a list would take: the remaining pages and the empty page that ends it. */
    static restCalls(first: FirstPage): number {
        if (first.items.length === 0) return 0;
        return Math.ceil(Math.max(0, first.total - first.items.length) / first.pageSize) + 1;
    }

    /**
     * Every principal of a kind, from its first page on. The other pages are read in parallel (their
     * start indexes follow from totalResults); a last read past the end must come back empty (the
     * SDK's stop rule), else reading goes on.
     */
    async listRest(first: FirstPage): Promise<AccountPrincipal[]> {
        const kind = first.kind;
        const byId = new Map<string, AccountPrincipal>(first.items.map((p) => [p.id, p]));
        if (first.items.length === 0) return [];
        const counter = new PageCounter(`scim: the ${SCIM_PATHS[kind].slice(1)} list`);
        counter.page(first.items.length);
        const take = (path: string, res: { status: number; body: any }) => {
            const { items } = this.listPage(kind, path, res);
            counter.page(items.length);
            for (const p of items) byId.set(p.id, p);
            return items.length;
        };
        let read = first.items.length;
        const pagesNeeded = Math.ceil((first.total - first.items.length) / first.pageSize);
        if (pagesNeeded + 1 > MAX_PAGES_PER_COLLECTION) {
            throw new BoundError(
                `scim: the ${SCIM_PATHS[kind].slice(1)} list claims ${first.total} items in pages of ${first.pageSize}, more than ${MAX_PAGES_PER_COLLECTION} pages; not read`,
            );
        }
        const starts: number[] = [];
        for (let s = 1 + first.pageSize; s <= first.total; s += first.pageSize) starts.push(s);
        const paths = starts.map((s) => this.listUrl(kind, s, first.pageSize));
        const pages = await Promise.all(paths.map((p) => this.http.request("GET", p)));
        pages.forEach((p, i) => (read += take(paths[i], p)));
        for (let start = 1 + read; ;) {
            const path = this.listUrl(kind, start, SCIM_PAGE_SIZE);
            const n = take(path, await this.http.request("GET", path));
            if (n === 0) break;
            start += n;
        }
        return [...byId.values()];
    }

    async listAll(kind: PrincipalKind): Promise<AccountPrincipal[]> {
        return this.listRest(await this.firstPage(kind));
    }

    /** totalResults of a kind, from a one-item page. */
    async total(kind: PrincipalKind): Promise<number> {
        const path = this.listUrl(kind, 1, 1);
        return this.listPage(kind, path, await this.http.request("GET", path)).total;
    }

    /** The principal with this userName / applicationId / displayName, if any. */
    async find(kind: PrincipalKind, key: string): Promise<AccountPrincipal | undefined> {
        const filter = `${this.attributes.keys[kind].scim} eq "${key.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
        const path = this.listUrl(kind, 1, SCIM_PAGE_SIZE, filter);
        const { items: found } = this.listPage(kind, path, await this.http.request("GET", path));
        return found.find((p) =>
            kind === "group" ? p.key === key : p.key.toLowerCase() === key.toLowerCase(),
        );
    }

    /** A principal by SCIM id, with the member ids for a group; undefined on 404. */
    async get(
        kind: PrincipalKind,
        id: string,
    ): Promise<
        | { principal: AccountPrincipal; members: string[]; memberNames: Map<string, string> }
        | undefined
    > {
        const path = `${SCIM_PATHS[kind]}/${encodeURIComponent(id)}`;
        const { status, body } = await this.http.request("GET", path, undefined, [404]);
        if (status === 404) return undefined;
        if (!isResource(body))
            throw this.badShape(
                "GET",
                path,
                status,
                "its body is not a principal with a string id",
            );
        const raw = body.members ?? [];
        if (
            !Array.isArray(raw) ||
            !raw.every(
                (m) => isObject(m) && (typeof m.value === "string" || typeof m.value === "number"),
            )
        ) {
            throw this.badShape("GET", path, status, "its members is not an array of {value}");
        }
        const members = raw.map((m) => String(m.value));
        // `display` names a member in removal details when it is not among the principals read.
        const memberNames = new Map(
            raw
                .filter((m) => typeof m.display === "string" && m.display !== "")
                .map((m) => [String(m.value), String(m.display)]),
        );
        return { principal: toAccount(kind, body, this.attributes), members, memberNames };
    }

    /**
     * Creates a principal (a group with its members inline). On 409 (it exists, e.g. our own earlier
     * attempt whose answer was lost) the existing one is looked up and adopted.
     */
    async create(
        p: DesiredPrincipal,
        members: readonly string[] = [],
    ): Promise<{ principal: AccountPrincipal; adopted: boolean }> {
        const body: Record<string, unknown> = {
            schemas: [SCHEMAS[p.kind]],
            [this.attributes.keys[p.kind].scim]: p.key,
        };
        for (const attribute of this.attributes.onCreate(p.kind))
            body[attribute.name] = desiredValue(p, attribute);
        if (p.kind === "group" && members.length > 0)
            body.members = members.map((value) => ({ value }));
        const res = await this.http.request("POST", SCIM_PATHS[p.kind], body, [409]);
        if (res.status !== 409) {
            // Without an id there is nothing to map the Entra object to: the create failed, whatever the status said.
            if (!isResource(res.body))
                throw this.badShape(
                    "POST",
                    SCIM_PATHS[p.kind],
                    res.status,
                    "its body has no string id",
                );
            return { principal: toAccount(p.kind, res.body, this.attributes), adopted: false };
        }
        const existing = await this.find(p.kind, p.key);
        if (!existing) {
            const { code, detail } = parseScimError(res.body);
            throw new ApiError("scim", "POST", SCIM_PATHS[p.kind], 409, code, detail);
        }
        return { principal: existing, adopted: true };
    }

    async patch(kind: PrincipalKind, id: string, changes: PatchChanges): Promise<void> {
        const path = `${SCIM_PATHS[kind]}/${encodeURIComponent(id)}`;
        const { status, body } = await this.http.request(
            "PATCH",
            path,
            patchBody(changes, this.attributes),
        );
        // Documented answer: {} (or the principal); an HTML page or a bare string is not the account's.
        if (body !== undefined && !isObject(body))
            throw this.badShape("PATCH", path, status, "its body is not a JSON object");
    }
}
