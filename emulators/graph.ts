/**
 * Microsoft Graph v1.0 emulator for the SCIM sync: an in-memory directory (users, service principals,
 * groups) that tests mutate, and the endpoints the engine reads, in Graph's documented shapes
 * (API-NOTES A0–A5): groups by display name, group members with @odata.nextLink paging, /groups/delta
 * (members@delta) and /users/delta whose links return only what changed since they were issued (and
 * can be expired: 410 Gone or 400 syncStateNotFound), JSON $batch (≤ 20 requests, per-item 429/503),
 * users, service principals and groups by id. Faults, latency, requests in flight and counters come from the harness.
 * `unreadableTypes` imitates an app without the permission to read a member type: Graph still lists
 * those members, with limited information, "only the @odata.type property for the object type and the
 * id is returned, while other properties are indicated as null" (learn.microsoft.com/graph/api/group-list-members,
 * "Limited information returned for inaccessible member objects"). Deleted users and service principals
 * come in their delta as `{"id", "@removed": {"reason"}}` (API-NOTES A3) and leave their groups.
 */
import {
    EmulatorRequest,
    EmulatorResponse,
    EmulatorServer,
    FaultKind,
    hasBearer,
    seededRandom,
} from "./harness";

export interface GraphUser {
    id: string;
    displayName: string;
    userPrincipalName: string;
    mail?: string;
    userType: "Member" | "Guest";
    accountEnabled: boolean;
}
export interface GraphServicePrincipal {
    id: string;
    appId: string;
    displayName: string;
    accountEnabled: boolean;
}
export interface GraphGroup {
    id: string;
    displayName: string;
    /** Member object ids, in insertion order. */
    members: Set<string>;
}

type Change =
    | { seq: number; type: "group"; id: string; member?: { id: string; removed: boolean } }
    | { seq: number; type: "user" | "sp"; id: string };

const graphError = (
    status: number,
    code: string,
    message: string,
    headers?: Record<string, string>,
): EmulatorResponse => ({
    status,
    headers,
    body: {
        error: {
            code,
            message,
            innerError: {
                "request-id": "00000000-0000-0000-0000-000000000000",
                date: new Date().toISOString(),
            },
        },
    },
});

function graphFault(
    fault: Exclude<FaultKind, "drop">,
    _kind: string,
    retryAfter: number,
): EmulatorResponse {
    switch (fault) {
        case "429":
            return graphError(429, "TooManyRequests", "Too many requests from this application.", {
                "Retry-After": String(retryAfter),
            });
        case "500":
            return graphError(500, "generalException", "An internal server error occurred.");
        case "503":
            return graphError(
                503,
                "serviceNotAvailable",
                "The service is temporarily unavailable.",
                { "Retry-After": "0" },
            );
        case "transient400":
            return graphError(400, "BadRequest", "Bad request.");
        case "invalidClient":
            return graphError(
                401,
                "InvalidAuthenticationToken",
                "Access token validation failure.",
            );
    }
}

interface InnerRoute {
    method: string;
    pattern: RegExp;
    keys: string[];
    kind: string;
    handler: (req: EmulatorRequest) => EmulatorResponse;
}

export class GraphEmulator {
    readonly server = new EmulatorServer({ faultResponder: graphFault });
    readonly users = new Map<string, GraphUser>();
    readonly servicePrincipals = new Map<string, GraphServicePrincipal>();
    readonly groups = new Map<string, GraphGroup>();
    /** When set, requests must carry `Authorization: Bearer <token>`. */
    token?: string;
    /** Items per delta page. */
    deltaPageSize = 100;
    /** Member changes per group item: a group with more comes back as several items, each with a slice (as Graph does for large groups). */
    deltaMembersPerItem = 1000;
    /** Default and maximum $top of a members page (Graph: 100 / 999). */
    memberPageDefault = 100;
    memberPageMax = 999;
    /** Status codes queued for the next $batch items (429 carries Retry-After: 0). */
    readonly batchItemFaults: number[] = [];
    /** Retry-After (seconds) in the headers of a queued item 429 (batchItemFaults). */
    batchItemRetryAfterSeconds = 0;
    /** When each request arrived (performance.now()), with its counter kind: to check what a 429 held back. */
    readonly arrivals: { kind: string; at: number }[] = [];
    /** Rate (0..1) of per-item 429/503 inside $batch answers, from a seeded generator. */
    batchItemFaultRate = 0;
    /** Member types the app may not read (a missing User.Read.All, Application.Read.All, …): listed with limited information. */
    readonly unreadableTypes = new Set<"user" | "servicePrincipal" | "group">();
    /** Group ids whose members listing answers 403 Authorization_RequestDenied (a read that fails for one group only). */
    readonly deniedMemberReads = new Set<string>();

    private readonly inner: InnerRoute[] = [];
    private readonly changes: Change[] = [];
    private seq = 0;
    private generation = 1;
    private nextObjectId = 1;
    /** Draws for batchItemFaultRate. */
    private readonly random = seededRandom(7);
    private readonly pages = new Map<
        string,
        { items: unknown[]; deltaToken: string; resource: string }
    >();
    private nextPageId = 1;

    constructor() {
        this.route("GET", "/v1.0/groups/delta", "graph:delta:groups", (r) =>
            this.delta("groups", r),
        );
        this.route("GET", "/v1.0/users/delta", "graph:delta:users", (r) => this.delta("users", r));
        this.route("GET", "/v1.0/servicePrincipals/delta", "graph:delta:sps", (r) =>
            this.delta("servicePrincipals", r),
        );
        this.route("GET", "/v1.0/groups", "graph:groups:list", (r) => this.listGroups(r));
        this.route("GET", "/v1.0/groups/:id/members", "graph:members", (r) => this.members(r));
        this.route("GET", "/v1.0/groups/:id", "graph:groups:get", (r) => this.getGroup(r));
        this.route("GET", "/v1.0/users/:id", "graph:users:get", (r) => this.getUser(r));
        this.route("GET", "/v1.0/servicePrincipals/:id", "graph:sps:get", (r) => this.getSp(r));
        this.server.route("POST", "/v1.0/$batch", "graph:batch", (r) =>
            this.wrap(r, "graph:batch", (q) => this.batch(q)),
        );
    }

    get url(): string {
        return `${this.server.baseUrl}/v1.0`;
    }
    start(): Promise<string> {
        return this.server.start();
    }
    stop(): Promise<void> {
        return this.server.stop();
    }
    /** Counters, faults and latency back to zero; the directory stays. */
    /**
     * Enforces a read budget like Graph's (resource units per app and tenant): `perSecond` requests, a
     * $batch costing one per request inside; answers report `x-ms-throttle-limit-percentage` once 80%
     * of the budget is used, as Graph does.
     */
    enforceRateLimit(perSecond: number): this {
        const cost = ({ kind, body }: { kind: string; body: string }) => {
            if (kind !== "graph:batch") return 1;
            try {
                return Math.max(1, (JSON.parse(body)?.requests ?? []).length);
            } catch {
                return 1;
            }
        };
        this.server.setRateLimits(
            perSecond > 0
                ? [{ name: "graphReads", matches: () => true, perSecond, cost, reportUse: true }]
                : [],
        );
        return this;
    }

    reset(): void {
        this.server.reset();
        this.batchItemFaults.length = 0;
        this.batchItemFaultRate = 0;
        this.batchItemRetryAfterSeconds = 0;
        this.arrivals.length = 0;
        this.deltaPageSize = 100;
        this.deltaMembersPerItem = 1000;
        this.memberPageMax = 999;
        this.unreadableTypes.clear();
        this.deniedMemberReads.clear();
    }
    /** Empties the directory too (delta links issued before stay valid but see the removals as nothing). */
    clear(): void {
        this.reset();
        this.users.clear();
        this.servicePrincipals.clear();
        this.groups.clear();
        this.changes.length = 0;
        this.nextObjectId = 1;
    }

    // ---- directory mutations (each recorded for delta queries) ----

    private newId(): string {
        const n = (this.nextObjectId++).toString(16).padStart(12, "0");
        return `00000000-0000-4000-8000-${n}`;
    }
    private record(
        c:
            | { type: "group"; id: string; member?: { id: string; removed: boolean } }
            | { type: "user" | "sp"; id: string },
    ): void {
        this.changes.push({ ...c, seq: ++this.seq });
    }

    addUser(u: Partial<GraphUser> & { userPrincipalName: string }): GraphUser {
        const user: GraphUser = {
            id: u.id ?? this.newId(),
            displayName: u.displayName ?? u.userPrincipalName.split("@")[0],
            userType: "Member",
            accountEnabled: true,
            ...u,
        };
        this.users.set(user.id, user);
        this.record({ type: "user", id: user.id });
        return user;
    }
    updateUser(id: string, patch: Partial<Omit<GraphUser, "id">>): void {
        Object.assign(this.users.get(id)!, patch);
        this.record({ type: "user", id });
    }
    /** Deletes a user (or service principal): it leaves every group, and its delta says `@removed`. */
    deleteObject(id: string): void {
        for (const g of this.groups.values()) if (g.members.has(id)) this.removeMember(g.id, id);
        const type = this.users.delete(id)
            ? "user"
            : this.servicePrincipals.delete(id)
              ? "sp"
              : undefined;
        if (!type) throw new Error(`no user or service principal ${id}`);
        this.record({ type, id });
    }
    addServicePrincipal(
        sp: Partial<GraphServicePrincipal> & { appId: string },
    ): GraphServicePrincipal {
        const s: GraphServicePrincipal = {
            id: sp.id ?? this.newId(),
            displayName: sp.displayName ?? `sp-${sp.appId.slice(0, 8)}`,
            accountEnabled: true,
            ...sp,
        };
        this.servicePrincipals.set(s.id, s);
        this.record({ type: "sp", id: s.id });
        return s;
    }
    updateServicePrincipal(id: string, patch: Partial<Omit<GraphServicePrincipal, "id">>): void {
        Object.assign(this.servicePrincipals.get(id)!, patch);
        this.record({ type: "sp", id });
    }
    addGroup(displayName: string, id?: string): GraphGroup {
        const g: GraphGroup = { id: id ?? this.newId(), displayName, members: new Set() };
        this.groups.set(g.id, g);
        this.record({ type: "group", id: g.id });
        return g;
    }
    groupByName(displayName: string): GraphGroup {
        const g = [...this.groups.values()].find((x) => x.displayName === displayName);
        if (!g) throw new Error(`no group ${displayName}`);
        return g;
    }
    renameGroup(id: string, displayName: string): void {
        this.groups.get(id)!.displayName = displayName;
        this.record({ type: "group", id });
    }
    addMember(groupId: string, memberId: string): void {
        const g = this.groups.get(groupId)!;
        if (
            !this.users.has(memberId) &&
            !this.servicePrincipals.has(memberId) &&
            !this.groups.has(memberId)
        )
            throw new Error(`no object ${memberId}`);
        g.members.add(memberId);
        this.record({ type: "group", id: groupId, member: { id: memberId, removed: false } });
    }
    removeMember(groupId: string, memberId: string): void {
        this.groups.get(groupId)!.members.delete(memberId);
        this.record({ type: "group", id: groupId, member: { id: memberId, removed: true } });
    }
    /** Invalidates every delta link issued so far: the next use answers 410 Gone or 400 syncStateNotFound. */
    expireDeltaLinks(how: "410" | "syncStateNotFound"): void {
        this.generation++;
        this.expiredAnswer = how;
    }
    private expiredAnswer: "410" | "syncStateNotFound" = "410";

    // ---- routing ----

    private route(
        method: string,
        path: string,
        kind: string,
        handler: (r: EmulatorRequest) => EmulatorResponse,
    ): void {
        const keys: string[] = [];
        const source = path.replace(/[.]/g, "\\.").replace(/:(\w+)/g, (_m, k: string) => {
            keys.push(k);
            return "([^/]+)";
        });
        this.inner.push({
            method,
            pattern: new RegExp(`^${source.replace(/^\/v1\\\.0/, "")}/?$`),
            keys,
            kind,
            handler,
        });
        this.server.route(method, path, kind, (r) => this.wrap(r, kind, handler));
    }

    private wrap(
        req: EmulatorRequest,
        kind: string,
        handler: (r: EmulatorRequest) => EmulatorResponse,
    ): EmulatorResponse {
        this.arrivals.push({ kind, at: performance.now() });
        if (!hasBearer(req, this.token))
            return graphError(
                401,
                "InvalidAuthenticationToken",
                "Access token is empty or invalid.",
            );
        return handler(req);
    }

    private batch(req: EmulatorRequest): EmulatorResponse {
        const body = req.json<{ requests?: { id?: string; method?: string; url?: string }[] }>();
        const requests = body?.requests;
        if (!Array.isArray(requests) || requests.length === 0)
            return graphError(400, "BadRequest", "Invalid batch payload.");
        if (requests.length > 20)
            return graphError(
                400,
                "BadRequest",
                "The number of batch requests exceeds the limit of 20.",
            );
        const ids = new Set(requests.map((r) => String(r.id ?? "").toLowerCase()));
        if (ids.size !== requests.length || ids.has(""))
            return graphError(400, "BadRequest", "Batch request ids must be present and unique.");
        const responses = requests.map((r) => {
            const url = new URL(`http://graph${r.url ?? ""}`);
            const route = this.inner.find(
                (x) => x.method === (r.method ?? "GET") && x.pattern.test(url.pathname),
            );
            if (!route)
                return {
                    id: r.id,
                    status: 400,
                    body: graphError(400, "BadRequest", `Unsupported batch url ${url.pathname}`)
                        .body,
                };
            this.server.counters.set(
                `batch>${route.kind}`,
                (this.server.counters.get(`batch>${route.kind}`) ?? 0) + 1,
            );
            const queued = this.batchItemFaults.shift();
            const fault =
                queued ??
                (this.batchItemFaultRate > 0 && this.random() < this.batchItemFaultRate
                    ? this.random() < 0.5
                        ? 429
                        : 503
                    : undefined);
            if (fault !== undefined) {
                this.server.faultCounters.set(
                    `batch>${route.kind}:${fault}`,
                    (this.server.faultCounters.get(`batch>${route.kind}:${fault}`) ?? 0) + 1,
                );
                const f =
                    fault === 429
                        ? graphFault(
                              "429",
                              route.kind,
                              queued === undefined ? 0 : this.batchItemRetryAfterSeconds,
                          )
                        : graphFault("503", route.kind, 0);
                return { id: r.id, status: f.status, headers: f.headers ?? {}, body: f.body };
            }
            const m = route.pattern.exec(url.pathname)!;
            const params: Record<string, string> = {};
            route.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])));
            const fullUrl = new URL(`${this.url}${r.url}`);
            const res = route.handler({
                ...req,
                method: r.method ?? "GET",
                url: fullUrl,
                params,
                body: "",
                json: () => null as never,
            });
            return {
                id: r.id,
                status: res.status,
                headers: { "Content-Type": "application/json", ...(res.headers ?? {}) },
                body: res.body,
            };
        });
        // Graph may answer in any order.
        return { status: 200, body: { responses: responses.reverse() } };
    }

    // ---- resources ----

    private listGroups(req: EmulatorRequest): EmulatorResponse {
        const filter = req.url.searchParams.get("$filter");
        let groups = [...this.groups.values()];
        if (filter !== null) {
            const m = /^displayName eq '((?:[^']|'')*)'$/.exec(filter.trim());
            if (!m)
                return graphError(
                    400,
                    "Request_UnsupportedQuery",
                    "Unsupported or invalid query filter clause specified.",
                );
            const name = m[1].replace(/''/g, "'");
            if (name.length > 120)
                return graphError(
                    400,
                    "Request_BadRequest",
                    "The value of the eq filter must not exceed 120 characters.",
                );
            // Directory string comparisons are case-insensitive.
            groups = groups.filter((g) => g.displayName.toLowerCase() === name.toLowerCase());
        }
        return {
            status: 200,
            body: {
                "@odata.context": `${this.url}/$metadata#groups(id,displayName)`,
                value: groups.map((g) => ({ id: g.id, displayName: g.displayName })),
            },
        };
    }

    private memberObject(id: string): Record<string, unknown> | undefined {
        const type = this.users.has(id)
            ? "user"
            : this.servicePrincipals.has(id)
              ? "servicePrincipal"
              : this.groups.has(id)
                ? "group"
                : undefined;
        if (type && this.unreadableTypes.has(type)) {
            return {
                "@odata.type": `#microsoft.graph.${type}`,
                id,
                displayName: null,
                userPrincipalName: null,
                mail: null,
                appId: null,
                accountEnabled: null,
            };
        }
        const u = this.users.get(id);
        if (u)
            return {
                "@odata.type": "#microsoft.graph.user",
                ...u,
                ...(u.mail === undefined ? { mail: null } : {}),
            };
        const s = this.servicePrincipals.get(id);
        if (s) return { "@odata.type": "#microsoft.graph.servicePrincipal", ...s };
        const g = this.groups.get(id);
        if (g)
            return {
                "@odata.type": "#microsoft.graph.group",
                id: g.id,
                displayName: g.displayName,
            };
        return undefined;
    }

    private members(req: EmulatorRequest): EmulatorResponse {
        const g = this.groups.get(req.params.id);
        if (!g)
            return graphError(
                404,
                "Request_ResourceNotFound",
                `Resource '${req.params.id}' does not exist or one of its queried reference-property objects are not present.`,
            );
        if (this.deniedMemberReads.has(g.id))
            return graphError(
                403,
                "Authorization_RequestDenied",
                "Insufficient privileges to complete the operation.",
            );
        const top = Math.min(
            Number(req.url.searchParams.get("$top") ?? this.memberPageDefault) ||
                this.memberPageDefault,
            this.memberPageMax,
        );
        const skip = Number(req.url.searchParams.get("$skiptoken") ?? 0);
        const all = [...g.members]
            .map((id) => this.memberObject(id))
            .filter((o) => o !== undefined);
        const page = all.slice(skip, skip + top).map((o) => selected(o, req.url.searchParams));
        const body: Record<string, unknown> = {
            "@odata.context": `${this.url}/$metadata#directoryObjects`,
            value: page,
        };
        if (skip + top < all.length) {
            const next = new URL(req.url.toString());
            next.searchParams.set("$skiptoken", String(skip + top));
            body["@odata.nextLink"] = next.toString();
        }
        return { status: 200, body };
    }

    private getGroup(req: EmulatorRequest): EmulatorResponse {
        const g = this.groups.get(req.params.id);
        return g
            ? { status: 200, body: { id: g.id, displayName: g.displayName } }
            : graphError(
                  404,
                  "Request_ResourceNotFound",
                  `Resource '${req.params.id}' does not exist.`,
              );
    }
    private getUser(req: EmulatorRequest): EmulatorResponse {
        const u = this.users.get(req.params.id);
        return u
            ? { status: 200, body: u }
            : graphError(
                  404,
                  "Request_ResourceNotFound",
                  `Resource '${req.params.id}' does not exist.`,
              );
    }
    private getSp(req: EmulatorRequest): EmulatorResponse {
        const s = this.servicePrincipals.get(req.params.id);
        return s
            ? { status: 200, body: s }
            : graphError(
                  404,
                  "Request_ResourceNotFound",
                  `Resource '${req.params.id}' does not exist.`,
              );
    }

    // ---- delta ----

    private deltaLink(resource: string, seq: number): string {
        return `${this.url}/${resource}/delta?$deltatoken=${this.generation}.${seq}`;
    }

    private delta(
        resource: "groups" | "users" | "servicePrincipals",
        req: EmulatorRequest,
    ): EmulatorResponse {
        const q = req.url.searchParams;
        const skip = q.get("$skiptoken");
        if (skip !== null) {
            const [pageId, offsetText] = skip.split(".");
            const cached = this.pages.get(pageId);
            if (!cached || cached.resource !== resource)
                return graphError(
                    400,
                    "syncStateNotFound",
                    "The sync state generation is not found.",
                );
            return this.deltaPage(resource, pageId, cached, Number(offsetText));
        }
        const token = q.get("$deltatoken");
        if (token === "latest")
            return {
                status: 200,
                body: { value: [], "@odata.deltaLink": this.deltaLink(resource, this.seq) },
            };
        let since = 0;
        if (token !== null && token !== "") {
            const [gen, seq] = token.split(".").map(Number);
            if (gen !== this.generation) {
                if (this.expiredAnswer === "410") {
                    return graphError(
                        410,
                        "resyncRequired",
                        "Resync required. The delta token is no longer valid, and the app must reset the sync state.",
                        {
                            Location: `${this.url}/${resource}/delta?$deltatoken=`,
                        },
                    );
                }
                return graphError(
                    400,
                    "syncStateNotFound",
                    "The sync state generation is not found. The delta token is expired and data must be synchronized again.",
                );
            }
            since = seq;
        }
        const initial = token === null || token === "";
        const items =
            resource === "groups"
                ? this.groupChanges(since, initial)
                : resource === "users"
                  ? this.userChanges(since, initial)
                  : this.spChanges(since, initial);
        const pageId = String(this.nextPageId++);
        const cached = { items, deltaToken: `${this.generation}.${this.seq}`, resource };
        this.pages.set(pageId, cached);
        return this.deltaPage(resource, pageId, cached, 0);
    }

    private deltaPage(
        resource: string,
        pageId: string,
        cached: { items: unknown[]; deltaToken: string },
        offset: number,
    ): EmulatorResponse {
        const value = cached.items.slice(offset, offset + this.deltaPageSize);
        const body: Record<string, unknown> = {
            "@odata.context": `${this.url}/$metadata#${resource}`,
            value,
        };
        if (offset + this.deltaPageSize < cached.items.length)
            body["@odata.nextLink"] =
                `${this.url}/${resource}/delta?$skiptoken=${pageId}.${offset + this.deltaPageSize}`;
        else {
            body["@odata.deltaLink"] =
                `${this.url}/${resource}/delta?$deltatoken=${cached.deltaToken}`;
            this.pages.delete(pageId);
        }
        return { status: 200, body };
    }

    /** Groups changed after `since` (all groups on an initial round), with their net member changes. */
    private groupChanges(since: number, initial: boolean): unknown[] {
        const out: unknown[] = [];
        if (initial) {
            for (const g of this.groups.values()) {
                const item: Record<string, unknown> = { id: g.id, displayName: g.displayName };
                if (g.members.size > 0)
                    item["members@delta"] = [...g.members].map((id) => ({
                        "@odata.type": this.memberObject(id)?.["@odata.type"],
                        id,
                    }));
                out.push(item);
            }
            return out;
        }
        const byGroup = new Map<string, Map<string, boolean>>();
        for (const c of this.changes) {
            if (c.seq <= since || c.type !== "group") continue;
            const m = byGroup.get(c.id) ?? new Map<string, boolean>();
            byGroup.set(c.id, m);
            if (c.member) m.set(c.member.id, c.member.removed);
        }
        for (const [id, memberChanges] of byGroup) {
            const g = this.groups.get(id);
            if (!g) {
                out.push({ id, "@removed": { reason: "deleted" } });
                continue;
            }
            const entries = [...memberChanges].map(([mid, removed]) => ({
                "@odata.type":
                    this.memberObject(mid)?.["@odata.type"] ?? "#microsoft.graph.directoryObject",
                id: mid,
                ...(removed ? { "@removed": { reason: "deleted" } } : {}),
            }));
            if (entries.length === 0) out.push({ id, displayName: g.displayName });
            for (let i = 0; i < entries.length; i += this.deltaMembersPerItem) {
                out.push({
                    id,
                    displayName: g.displayName,
                    "members@delta": entries.slice(i, i + this.deltaMembersPerItem),
                });
            }
        }
        return out;
    }

    private spChanges(since: number, initial: boolean): unknown[] {
        const ids = initial
            ? [...this.servicePrincipals.keys()]
            : [
                  ...new Set(
                      this.changes.filter((c) => c.seq > since && c.type === "sp").map((c) => c.id),
                  ),
              ];
        return ids.map(
            (id) => this.servicePrincipals.get(id) ?? { id, "@removed": { reason: "deleted" } },
        );
    }

    private userChanges(since: number, initial: boolean): unknown[] {
        const ids = initial
            ? [...this.users.keys()]
            : [
                  ...new Set(
                      this.changes
                          .filter((c) => c.seq > since && c.type === "user")
                          .map((c) => c.id),
                  ),
              ];
        return ids.map((id) => {
            const u = this.users.get(id);
            // A deleted user is soft-deleted first (restorable for 30 days): reason "changed" (API-NOTES A3).
            return u
                ? { ...u, ...(u.mail === undefined ? { mail: null } : {}) }
                : { id, "@removed": { reason: "changed" } };
        });
    }
}

/**
 * Only the properties named in `$select` (and `@odata.type`, `id`), as Graph answers a members list:
 * a property not selected is not returned (API-NOTES A1, "the list returns only the default
 * properties. Use $select for others").
 */
function selected(o: Record<string, unknown>, q: URLSearchParams): Record<string, unknown> {
    const select = q.get("$select");
    if (select === null) return o;
    const keep = new Set(["@odata.type", "id", ...select.split(",")]);
    return Object.fromEntries(Object.entries(o).filter(([k]) => keep.has(k)));
}
