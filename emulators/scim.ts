/**
 * Databricks account SCIM 2.0 emulator (API-NOTES B0–B5): Users, ServicePrincipals and Groups under
 * /api/2.0/accounts/{accountId}/scim/v2 with `filter` (`attr eq "value"`, double quotes), list paging
 * by startIndex/count ending on an empty `Resources` page, POST with the real duplicate (409)
 * messages, PATCH with PatchOp bodies, GET by id (groups with members; lists without them), and the
 * SCIM error envelope. DELETE is counted and refused: the sync must never send one.
 */
import type { RateLimits } from "../scim";
import { EmulatorRequest, EmulatorResponse, EmulatorServer, FaultKind, hasBearer } from "./harness";

export interface ScimUser {
    id: string;
    userName: string;
    displayName: string;
    active: boolean;
    externalId?: string;
}
export interface ScimServicePrincipal {
    id: string;
    applicationId: string;
    displayName: string;
    active: boolean;
    externalId?: string;
}
export interface ScimGroup {
    id: string;
    displayName: string;
    externalId?: string;
    members: Set<string>;
}

export type Resource = "Users" | "ServicePrincipals" | "Groups";
const KIND: Record<Resource, string> = {
    Users: "users",
    ServicePrincipals: "sps",
    Groups: "groups",
};
const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

export const scimError = (
    status: number,
    detail: string,
    scimType?: string,
    headers?: Record<string, string>,
): EmulatorResponse => ({
    status,
    headers,
    body: {
        schemas: [ERROR_SCHEMA],
        detail,
        status: String(status),
        ...(scimType ? { scimType } : {}),
    },
});

function scimFault(
    fault: Exclude<FaultKind, "drop">,
    _kind: string,
    retryAfter: number,
): EmulatorResponse {
    switch (fault) {
        case "429":
            return scimError(429, "Too Many Requests", undefined, {
                "Retry-After": String(retryAfter),
            });
        case "500":
            return scimError(500, "Internal error");
        case "503":
            return scimError(503, "Service temporarily unavailable");
        case "transient400":
            return scimError(400, "Bad request", "invalidSyntax");
        case "invalidClient":
            return scimError(401, "Unauthorized");
    }
}

export class ScimEmulator {
    readonly server = new EmulatorServer({ faultResponder: scimFault });
    readonly accountId = "11111111-2222-3333-4444-555555555555";
    readonly users = new Map<string, ScimUser>();
    readonly servicePrincipals = new Map<string, ScimServicePrincipal>();
    readonly groups = new Map<string, ScimGroup>();
    token?: string;
    /** Largest `count` honoured (the docs say `<= 100`). */
    maxPageSize = 100;
    /** Writes (POST/PATCH) applied so far; `onWrite` sees each. */
    writes = 0;
    onWrite?: (writes: number) => void;
    /** Sees each POST before it is applied: a test adds the principal "meanwhile" here, so the POST meets 409. */
    beforeCreate?: (resource: Resource, body: any) => void;
    /** The next n writes are applied and then answered 503, as when a gateway loses the answer. */
    commitThenFail = 0;
    /** SCIM ids whose GET by id always answers 500 (a read that keeps failing for one principal only). */
    readonly brokenReads = new Set<string>();
    private nextId = 1000;

    constructor() {
        for (const r of ["Users", "ServicePrincipals", "Groups"] as Resource[]) {
            const base = `/api/2.0/accounts/:account/scim/v2/${r}`;
            const k = `scim:${KIND[r]}`;
            this.route("GET", base, `${k}:list`, (q) => this.list(r, q));
            this.route("POST", base, `${k}:post`, (q) => {
                this.beforeCreate?.(r, q.json<any>() ?? {});
                return this.write(q, () => this.create(r, q));
            });
            this.route("GET", `${base}/:id`, `${k}:get`, (q) => this.get(r, q.params.id));
            this.route("PATCH", `${base}/:id`, `${k}:patch`, (q) =>
                this.write(q, () => this.patch(r, q)),
            );
            this.route("PUT", `${base}/:id`, `${k}:put`, () =>
                scimError(405, "PUT is not used by the sync"),
            );
            this.route("DELETE", `${base}/:id`, `${k}:delete`, () =>
                scimError(
                    405,
                    "The emulator refuses DELETE: the sync must never delete a principal",
                ),
            );
        }
    }

    get host(): string {
        return this.server.baseUrl;
    }
    start(): Promise<string> {
        return this.server.start();
    }
    stop(): Promise<void> {
        return this.server.stop();
    }
    /**
     * Enforces the account SCIM API's rate limits, per class as scim/clients/pacing names them: GET of one
     * principal (reads), GET of a collection (lists), POST/PUT/DELETE (creates), PATCH (patches).
     */
    enforceRateLimits(limits: Partial<RateLimits>): this {
        const classes: [keyof RateLimits, (kind: string) => boolean][] = [
            ["scimReads", (k) => k.endsWith(":get")],
            ["scimLists", (k) => k.endsWith(":list")],
            ["scimCreates", (k) => /:(post|put|delete)$/.test(k)],
            ["scimPatches", (k) => k.endsWith(":patch")],
        ];
        this.server.setRateLimits(
            classes
                .filter(([c]) => (limits[c] ?? 0) > 0)
                .map(([name, matches]) => ({ name, matches, perSecond: limits[name]! })),
        );
        return this;
    }

    reset(): void {
        this.server.reset();
        this.writes = 0;
        this.onWrite = undefined;
        this.beforeCreate = undefined;
        this.commitThenFail = 0;
        this.brokenReads.clear();
    }
    clear(): void {
        this.reset();
        this.users.clear();
        this.servicePrincipals.clear();
        this.groups.clear();
        this.userIndex.clear();
        this.groupIndex.clear();
        this.nextId = 1000;
    }
    /** DELETE calls received, of every kind. */
    deletes(): number {
        return (
            this.server.count("scim:users:delete") +
            this.server.count("scim:sps:delete") +
            this.server.count("scim:groups:delete")
        );
    }
    /** Writes by HTTP call: POST and PATCH of every kind. */
    writeCalls(): number {
        return ["users", "sps", "groups"].reduce(
            (n, k) =>
                n + this.server.count(`scim:${k}:post`) + this.server.count(`scim:${k}:patch`),
            0,
        );
    }

    /** Adds a principal directly (a pre-existing account). */
    seedUser(u: Omit<ScimUser, "id">): ScimUser {
        const user = { id: this.newId(), ...u };
        this.users.set(user.id, user);
        this.userIndex.set(user.userName.toLowerCase(), user.id);
        return user;
    }
    seedServicePrincipal(sp: Omit<ScimServicePrincipal, "id">): ScimServicePrincipal {
        const created = { id: this.newId(), ...sp };
        this.servicePrincipals.set(created.id, created);
        return created;
    }
    seedGroup(displayName: string, members: string[] = [], externalId?: string): ScimGroup {
        const g = { id: this.newId(), displayName, externalId, members: new Set(members) };
        this.groups.set(g.id, g);
        this.groupIndex.set(displayName, g.id);
        return g;
    }
    userByName(userName: string): ScimUser | undefined {
        const id = this.userIndex.get(userName.toLowerCase());
        const u = id === undefined ? undefined : this.users.get(id);
        return u;
    }
    groupByName(displayName: string): ScimGroup | undefined {
        const id = this.groupIndex.get(displayName);
        const g = id === undefined ? undefined : this.groups.get(id);
        return g;
    }
    /** Name → id indexes so uniqueness checks stay O(1) on a 10,000-user account. */
    private readonly userIndex = new Map<string, string>();
    private readonly groupIndex = new Map<string, string>();
    /** Member display keys of a group (userName / applicationId / group name), sorted. */
    memberNames(displayName: string): string[] {
        const g = this.groupByName(displayName);
        if (!g) throw new Error(`no group ${displayName}`);
        return [...g.members]
            .map(
                (id) =>
                    this.users.get(id)?.userName ??
                    this.servicePrincipals.get(id)?.applicationId ??
                    this.groups.get(id)?.displayName ??
                    `?${id}`,
            )
            .sort();
    }

    private newId(): string {
        return String(this.nextId++);
    }

    private route(
        method: string,
        path: string,
        kind: string,
        handler: (r: EmulatorRequest) => EmulatorResponse,
    ): void {
        this.server.route(method, path, kind, (req) => {
            if (!hasBearer(req, this.token)) return scimError(401, "Invalid access token.");
            if (req.params.account !== this.accountId)
                return scimError(404, `Account ${req.params.account} not found.`);
            return handler(req);
        });
    }

    private write(req: EmulatorRequest, apply: () => EmulatorResponse): EmulatorResponse {
        const res = apply();
        if (res.status < 300) {
            this.writes++;
            this.onWrite?.(this.writes);
            if (this.commitThenFail > 0) {
                this.commitThenFail--;
                return scimError(503, "Service temporarily unavailable");
            }
        }
        return res;
    }

    private store(r: Resource): Map<string, any> {
        return r === "Users"
            ? this.users
            : r === "ServicePrincipals"
              ? this.servicePrincipals
              : this.groups;
    }

    private render(r: Resource, o: any, withMembers: boolean): Record<string, unknown> {
        if (r === "Users") {
            return {
                schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
                id: o.id,
                userName: o.userName,
                displayName: o.displayName,
                active: o.active,
                emails: [{ value: o.userName, primary: true, type: "work" }],
                ...(o.externalId ? { externalId: o.externalId } : {}),
            };
        }
        if (r === "ServicePrincipals") {
            return {
                schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"],
                id: o.id,
                applicationId: o.applicationId,
                displayName: o.displayName,
                active: o.active,
                ...(o.externalId ? { externalId: o.externalId } : {}),
            };
        }
        const body: Record<string, unknown> = {
            schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            id: o.id,
            displayName: o.displayName,
            meta: { resourceType: "Group" },
            ...(o.externalId ? { externalId: o.externalId } : {}),
        };
        if (withMembers) {
            body.members = [...(o.members as Set<string>)].map((id) => ({
                value: id,
                display:
                    this.users.get(id)?.displayName ??
                    this.servicePrincipals.get(id)?.displayName ??
                    this.groups.get(id)?.displayName,
                $ref: `${this.users.has(id) ? "Users" : this.servicePrincipals.has(id) ? "ServicePrincipals" : "Groups"}/${id}`,
            }));
        }
        return body;
    }

    private list(r: Resource, req: EmulatorRequest): EmulatorResponse {
        const q = req.url.searchParams;
        let items = [...this.store(r).values()].sort((a, b) => Number(a.id) - Number(b.id));
        const filter = q.get("filter");
        if (filter !== null) {
            const m = /^\s*(\w+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter);
            if (!m)
                return scimError(
                    400,
                    `Invalid filter: ${filter}. Only simple expressions attr eq "value" are supported.`,
                    "invalidFilter",
                );
            const attr = m[1].toLowerCase();
            const value = m[2].replace(/\\(.)/g, "$1");
            const caseless = attr === "username" || attr === "applicationid";
            items = items.filter((o) => {
                const key = Object.keys(o).find((k) => k.toLowerCase() === attr);
                const v = key === undefined ? undefined : String(o[key]);
                return (
                    v !== undefined &&
                    (caseless ? v.toLowerCase() === value.toLowerCase() : v === value)
                );
            });
        }
        const startIndex = Math.max(1, Number(q.get("startIndex") ?? 1) || 1);
        const count = Math.min(Number(q.get("count") ?? 10000) || 10000, this.maxPageSize);
        const page = items.slice(startIndex - 1, startIndex - 1 + count);
        return {
            status: 200,
            body: {
                schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                totalResults: items.length,
                startIndex,
                itemsPerPage: page.length,
                Resources: page.map((o) => this.render(r, o, false)),
            },
        };
    }

    private get(r: Resource, id: string): EmulatorResponse {
        if (this.brokenReads.has(id)) return scimError(500, "Internal error");
        const o = this.store(r).get(id);
        return o
            ? { status: 200, body: this.render(r, o, true) }
            : scimError(404, `Resource ${id} not found.`);
    }

    private exists(id: string): boolean {
        return this.users.has(id) || this.servicePrincipals.has(id) || this.groups.has(id);
    }

    private create(r: Resource, req: EmulatorRequest): EmulatorResponse {
        const b = req.json<any>() ?? {};
        if (r === "Users") {
            if (typeof b.userName !== "string" || b.userName === "")
                return scimError(400, "Request is missing userName", "invalidValue");
            if (this.userByName(b.userName)) {
                return scimError(
                    409,
                    `User with email ${b.userName} already exists in this account. Note: emails are case insensitive (i.e abc@domain.com and ABC@DOMAIN.COM are considered equivalent)`,
                    "uniqueness",
                );
            }
            const u: ScimUser = {
                id: this.newId(),
                userName: b.userName,
                displayName: b.displayName ?? b.userName,
                active: b.active !== false,
                externalId: b.externalId,
            };
            this.users.set(u.id, u);
            this.userIndex.set(u.userName.toLowerCase(), u.id);
            return { status: 201, body: this.render(r, u, true) };
        }
        if (r === "ServicePrincipals") {
            if (typeof b.applicationId !== "string")
                return scimError(400, "Request is missing applicationId", "invalidValue");
            if (
                [...this.servicePrincipals.values()].some(
                    (s) => s.applicationId.toLowerCase() === b.applicationId.toLowerCase(),
                )
            ) {
                return scimError(
                    409,
                    `Service principal with application ID ${b.applicationId} already exists.`,
                    "uniqueness",
                );
            }
            const s: ScimServicePrincipal = {
                id: this.newId(),
                applicationId: b.applicationId,
                displayName: b.displayName ?? b.applicationId,
                active: b.active !== false,
                externalId: b.externalId,
            };
            this.servicePrincipals.set(s.id, s);
            return { status: 201, body: this.render(r, s, true) };
        }
        if (typeof b.displayName !== "string" || b.displayName === "")
            return scimError(400, "Request is missing displayName", "invalidValue");
        if (this.groupByName(b.displayName))
            return scimError(409, `Group with name ${b.displayName} already exists.`, "uniqueness");
        const members = ((b.members ?? []) as any[]).map((m) => String(m?.value));
        const missing = members.find((m) => !this.exists(m));
        if (missing !== undefined)
            return scimError(404, `Member ${missing} not found.`, "invalidValue");
        const g: ScimGroup = {
            id: this.newId(),
            displayName: b.displayName,
            externalId: b.externalId,
            members: new Set(members),
        };
        this.groups.set(g.id, g);
        this.groupIndex.set(g.displayName, g.id);
        return { status: 201, body: this.render(r, g, true) };
    }

    private patch(r: Resource, req: EmulatorRequest): EmulatorResponse {
        const o = this.store(r).get(req.params.id);
        if (!o) return scimError(404, `Resource ${req.params.id} not found.`);
        const b = req.json<any>();
        const invalid = scimError(
            400,
            "Request is unparsable, syntactically incorrect, or violates schema.",
            "invalidSyntax",
        );
        if (
            !b ||
            !Array.isArray(b.schemas) ||
            !b.schemas.includes("urn:ietf:params:scim:api:messages:2.0:PatchOp") ||
            !Array.isArray(b.Operations)
        )
            return invalid;
        // Validate everything first: a PATCH applies all its operations or none.
        const steps: (() => void)[] = [];
        for (const op of b.Operations) {
            const kind = String(op?.op ?? "").toLowerCase();
            const path = op?.path as string | undefined;
            if (kind === "add" && (path === undefined || path === "members")) {
                const list = path === undefined ? op.value?.members : op.value;
                if (r !== "Groups" || !Array.isArray(list)) return invalid;
                const ids = list.map((m: any) => String(m?.value));
                const missing = ids.find((id: string) => !this.exists(id));
                if (missing !== undefined)
                    return scimError(404, `Member ${missing} not found.`, "invalidValue");
                steps.push(() => ids.forEach((id: string) => (o as ScimGroup).members.add(id)));
            } else if (kind === "remove" && r === "Groups" && typeof path === "string") {
                const m = /^members\[value eq "([^"]+)"\]$/.exec(path);
                if (!m) return invalid;
                steps.push(() => (o as ScimGroup).members.delete(m[1]));
            } else if (
                kind === "replace" &&
                path === "displayName" &&
                typeof op.value === "string"
            ) {
                if (r === "Groups" && op.value !== o.displayName && this.groupByName(op.value))
                    return scimError(
                        409,
                        `Group with name ${op.value} already exists.`,
                        "uniqueness",
                    );
                steps.push(() => {
                    if (r === "Groups") {
                        this.groupIndex.delete(o.displayName);
                        this.groupIndex.set(op.value, o.id);
                    }
                    o.displayName = op.value;
                });
            } else if (
                kind === "replace" &&
                path === "externalId" &&
                typeof op.value === "string"
            ) {
                steps.push(() => (o.externalId = op.value));
            } else if (
                kind === "replace" &&
                path === "active" &&
                r !== "Groups" &&
                [true, false, "true", "false"].includes(op.value)
            ) {
                steps.push(() => (o.active = op.value === true || op.value === "true"));
            } else return invalid;
        }
        steps.forEach((s) => s());
        return { status: 200, body: {} };
    }
}
