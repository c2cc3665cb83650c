/**
 * Databricks account SCIM client (Users, ServicePrincipals, Groups): list paging by startIndex/count
 * until an empty `Resources` page, filters with double quotes, group members from GET by id (the
 * list no longer returns them), POST that adopts the existing principal on 409, PatchOp bodies.
 */
import { ApiError, JsonClient } from "./http";
import { AccountPrincipal, DesiredPrincipal, PrincipalKind } from "./model";

export const SCIM_PATHS: Record<PrincipalKind, string> = { user: "/Users", servicePrincipal: "/ServicePrincipals", group: "/Groups" };
const KEY_ATTRIBUTE: Record<PrincipalKind, string> = { user: "userName", servicePrincipal: "applicationId", group: "displayName" };
const LIST_ATTRIBUTES: Record<PrincipalKind, string> = {
    user: "id,userName,displayName,active,externalId",
    servicePrincipal: "id,applicationId,displayName,active,externalId",
    group: "id,displayName,externalId",
};
/** Documented maximum of `count` for account lists. */
export const SCIM_PAGE_SIZE = 100;
const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/** SCIM error envelope: {"schemas":[…Error],"detail","status","scimType"}. */
export function parseScimError(body: unknown): { code?: string; detail: string } {
    const b = body as any;
    if (b && typeof b === "object") return { code: b.scimType ?? b.error_code, detail: String(b.detail ?? b.message ?? "") };
    return { detail: typeof body === "string" ? body.slice(0, 200) : "" };
}

export function scimBaseUrl(host: string, accountId: string): string {
    return `${host}/api/2.0/accounts/${encodeURIComponent(accountId)}/scim/v2`;
}

function toAccount(kind: PrincipalKind, r: any): AccountPrincipal {
    const key = String(r[KEY_ATTRIBUTE[kind]] ?? "");
    const active = kind === "group" ? undefined : r.active === undefined ? undefined : r.active === true || r.active === "true";
    return { kind, id: String(r.id), key, displayName: String(r.displayName ?? ""), active, externalId: r.externalId };
}

export interface FirstPage {
    readonly kind: PrincipalKind;
    readonly items: readonly AccountPrincipal[];
    readonly total: number;
    readonly pageSize: number;
}

export interface PatchChanges {
    readonly displayName?: string;
    /** A group adopted without externalId gets the Entra id. */
    readonly externalId?: string;
    readonly active?: boolean;
    readonly addMembers?: readonly string[];
    readonly removeMembers?: readonly string[];
}

/** One PatchOp body: removes first, then one add with every new member, then attribute replaces. */
export function patchBody(changes: PatchChanges): { schemas: string[]; Operations: unknown[] } {
    const ops: unknown[] = [];
    for (const id of changes.removeMembers ?? []) ops.push({ op: "remove", path: `members[value eq "${id}"]` });
    if (changes.addMembers && changes.addMembers.length > 0) {
        ops.push({ op: "add", value: { members: changes.addMembers.map((value) => ({ value })) } });
    }
    if (changes.displayName !== undefined) ops.push({ op: "replace", path: "displayName", value: changes.displayName });
    if (changes.externalId !== undefined) ops.push({ op: "replace", path: "externalId", value: changes.externalId });
    // The account API is known to want booleans as strings in PATCH (see API-NOTES B3).
    if (changes.active !== undefined) ops.push({ op: "replace", path: "active", value: String(changes.active) });
    return { schemas: [PATCH_SCHEMA], Operations: ops };
}

export class AccountClient {
    constructor(readonly http: JsonClient) {}

    private listUrl(kind: PrincipalKind, startIndex: number, count: number, filter?: string): string {
        const q = new URLSearchParams({ startIndex: String(startIndex), count: String(count), attributes: LIST_ATTRIBUTES[kind] });
        if (filter) q.set("filter", filter);
        return `${SCIM_PATHS[kind]}?${q.toString()}`;
    }

    /** The first list page of a kind: its principals, totalResults and the page size the server honours. */
    async firstPage(kind: PrincipalKind): Promise<FirstPage> {
        const { body } = await this.http.request("GET", this.listUrl(kind, 1, SCIM_PAGE_SIZE));
        const items = ((body?.Resources ?? []) as any[]).map((r) => toAccount(kind, r));
        return { kind, items, total: Number(body?.totalResults ?? items.length), pageSize: items.length };
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
        const take = (body: any) => {
            const resources = (body?.Resources ?? []) as any[];
            for (const r of resources) byId.set(String(r.id), toAccount(kind, r));
            return resources.length;
        };
        let read = first.items.length;
        const starts: number[] = [];
        for (let s = 1 + first.pageSize; s <= first.total; s += first.pageSize) starts.push(s);
        const pages = await Promise.all(starts.map((s) => this.http.request("GET", this.listUrl(kind, s, first.pageSize))));
        for (const p of pages) read += take(p.body);
        for (let start = 1 + read; ; ) {
            const { body } = await this.http.request("GET", this.listUrl(kind, start, SCIM_PAGE_SIZE));
            const n = take(body);
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
        const { body } = await this.http.request("GET", this.listUrl(kind, 1, 1));
        return Number(body?.totalResults ?? 0);
    }

    /** The principal with this userName / applicationId / displayName, if any. */
    async find(kind: PrincipalKind, key: string): Promise<AccountPrincipal | undefined> {
        const filter = `${KEY_ATTRIBUTE[kind]} eq "${key.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
        const { body } = await this.http.request("GET", this.listUrl(kind, 1, SCIM_PAGE_SIZE, filter));
        const found = ((body?.Resources ?? []) as any[]).map((r) => toAccount(kind, r));
        return found.find((p) => (kind === "group" ? p.key === key : p.key.toLowerCase() === key.toLowerCase()));
    }

    /** A principal by SCIM id, with the member ids for a group; undefined on 404. */
    async get(kind: PrincipalKind, id: string): Promise<{ principal: AccountPrincipal; members: string[]; memberNames: Map<string, string> } | undefined> {
        const { status, body } = await this.http.request("GET", `${SCIM_PATHS[kind]}/${encodeURIComponent(id)}`, undefined, [404]);
        if (status === 404) return undefined;
        const raw = (body?.members ?? []) as any[];
        const members = raw.map((m) => String(m.value));
        // `display` names a member in removal details when it is not among the principals read.
        const memberNames = new Map(raw.filter((m) => typeof m.display === "string" && m.display !== "").map((m) => [String(m.value), String(m.display)]));
        return { principal: toAccount(kind, body), members, memberNames };
    }

    /**
     * Creates a principal (a group with its members inline). On 409 (it exists, e.g. our own earlier
     * attempt whose answer was lost) the existing one is looked up and adopted.
     */
    async create(p: DesiredPrincipal, members: readonly string[] = []): Promise<{ principal: AccountPrincipal; adopted: boolean }> {
        const body: Record<string, unknown> = { displayName: p.displayName, externalId: p.entraId };
        if (p.kind === "user") Object.assign(body, { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: p.key, active: p.active });
        if (p.kind === "servicePrincipal") {
            Object.assign(body, { schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"], applicationId: p.key, active: p.active });
        }
        if (p.kind === "group") {
            Object.assign(body, { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"] });
            if (members.length > 0) body.members = members.map((value) => ({ value }));
        }
        const res = await this.http.request("POST", SCIM_PATHS[p.kind], body, [409]);
        if (res.status !== 409) return { principal: toAccount(p.kind, res.body), adopted: false };
        const existing = await this.find(p.kind, p.key);
        if (!existing) {
            const { code, detail } = parseScimError(res.body);
            throw new ApiError("scim", "POST", SCIM_PATHS[p.kind], 409, code, detail);
        }
        return { principal: existing, adopted: true };
    }

    async patch(kind: PrincipalKind, id: string, changes: PatchChanges): Promise<void> {
        await this.http.request("PATCH", `${SCIM_PATHS[kind]}/${encodeURIComponent(id)}`, patchBody(changes));
    }
}
