/**
 * Microsoft Graph reader: groups by display name and group members through JSON $batch (20 requests
 * a call, each following its @odata.nextLink), and delta queries for groups (with members@delta) and
 * users. An expired or reset delta link (410 Gone, syncStateNotFound, resyncRequired) raises
 * DeltaExpiredError so the caller falls back to a full read.
 */
import { DEFAULT_RETRY_POLICY, RetryPolicy, parseRetryAfter } from "../../core/retry";
import { PageCounter, ShapeError, isObject } from "./bounds";
import { ApiError, JsonClient, SyncAbortedError } from "./http";
import {
    DesiredPrincipal,
    PrincipalKind,
    GraphFields,
    SYNCED,
    SyncedAttributes,
} from "../contract";
import { hostOf } from "./transport";

export const BATCH_LIMIT = 20;

/** Graph's error envelope: {"error":{"code","message"}}. */
export function parseGraphError(body: unknown): { code?: string; detail: string } {
    const error = (body as any)?.error;
    if (error && typeof error === "object")
        return { code: error.code, detail: String(error.message ?? "") };
    return { detail: typeof body === "string" ? body.slice(0, 200) : "" };
}

export class DeltaExpiredError extends Error {
    constructor(
        readonly resource: string,
        reason: string,
    ) {
        super(
            `The ${resource} delta link is no longer valid (${reason}); falling back to a full read.`,
        );
        this.name = "DeltaExpiredError";
    }
}

/** A raw directory object of a members listing or a delta page. */
export type GraphObject = Record<string, any> & { id: string };

const KIND_OF_TYPE: Record<string, PrincipalKind> = {
    "#microsoft.graph.user": "user",
    "#microsoft.graph.servicePrincipal": "servicePrincipal",
    "#microsoft.graph.group": "group",
};

/** Turns a member (user, SP or group) into a desired principal; other types (devices, contacts) give undefined. */
export function toPrincipal(
    o: GraphObject,
    attributes: SyncedAttributes = SYNCED,
): DesiredPrincipal | undefined {
    const kind = KIND_OF_TYPE[String(o["@odata.type"] ?? "")];
    return kind ? principalOf(kind, o, attributes) : undefined;
}

/**
 * A directory object of a known kind (a member, or an item of that kind's delta feed, which carries
 * no @odata.type) as a desired principal, its attributes read as the table says; undefined without
 * the attribute Databricks matches on.
 */
export function principalOf(
    kind: PrincipalKind,
    o: GraphObject,
    attributes: SyncedAttributes = SYNCED,
): DesiredPrincipal | undefined {
    // Anything but the shape Graph answers (or null) is not Graph's answer, and must not become a key
    // or an attribute.
    for (const { field, shape } of attributes.graphShapes(kind)) {
        const v = o[field];
        if (v !== undefined && v !== null && typeof v !== shape) {
            throw new Error(
                `graph: ${kind} ${String(o.id)} has a ${field} that is ${Array.isArray(v) ? "a list" : `a ${typeof v}`}, not a ${shape}; is the Graph URL Microsoft Graph?`,
            );
        }
    }
    const key = attributes.keys[kind].fromGraph(o);
    if (!key) return undefined;
    return desiredOf(kind, o, key as string, attributes);
}

/** A group known by id and name only (a listed group, a renamed one): its attributes as Graph's reading of that gives them. */
export function groupPrincipal(
    entraId: string,
    name: string,
    attributes: SyncedAttributes = SYNCED,
): DesiredPrincipal {
    return desiredOf("group", { id: entraId, displayName: name }, name, attributes);
}

function desiredOf(
    kind: PrincipalKind,
    o: GraphFields & { id: string },
    key: string,
    attributes: SyncedAttributes,
): DesiredPrincipal {
    const p: Partial<DesiredPrincipal> & Record<string, unknown> = {
        kind,
        entraId: o.id,
        key,
    };
    for (const { attribute, rule } of attributes.of(kind))
        p[attribute.desired] = rule.fromGraph(o, key);
    // The table fills the rest of the model (the real one has a displayName and an active rule for
    // every kind); another table's extra attributes ride along under their names.
    return p as DesiredPrincipal;
}

/** Graph permission that lets the app read a member type in full (Directory.Read.All covers all three). */
const READ_PERMISSION: Record<string, string> = {
    "#microsoft.graph.user": "User.Read.All",
    "#microsoft.graph.servicePrincipal": "Application.Read.All",
    "#microsoft.graph.group": "GroupMember.Read.All",
};

/**
 * The permission missing when Graph lists a user, SP or group member without the attribute that
 * identifies it: an app that may not read a type gets its members "with limited information", only
 * `@odata.type` and `id`, the rest null (learn.microsoft.com/graph/api/group-list-members, "Limited
 * information returned for inaccessible member objects"). Undefined for a member read in full.
 */
export function missingReadPermission(o: GraphObject): string | undefined {
    const type = String(o["@odata.type"] ?? "");
    const permission = READ_PERMISSION[type];
    if (!permission) return undefined;
    const identified =
        type === "#microsoft.graph.user"
            ? o.userPrincipalName || o.mail
            : type === "#microsoft.graph.servicePrincipal"
              ? o.appId
              : o.displayName;
    return identified ? undefined : permission;
}

export class GraphClient {
    constructor(
        private readonly http: JsonClient,
        private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
        private readonly signal?: AbortSignal,
        /** What is selected for each kind (scim/contract/attributes.ts). */
        readonly attributes: SyncedAttributes = SYNCED,
    ) {}

    private badShape(method: string, pathOrUrl: string, status: number, what: string): ShapeError {
        const url = this.http.url(pathOrUrl);
        return new ShapeError("graph", method, hostOf(url), new URL(url).pathname, status, what);
    }

    /** The `value` array of a collection page, or a ShapeError. */
    private pageValue(method: string, pathOrUrl: string, status: number, body: any): GraphObject[] {
        if (!isObject(body) || !Array.isArray(body.value))
            throw this.badShape(method, pathOrUrl, status, "its value is not an array");
        if (!body.value.every((o: unknown) => isObject(o) && typeof o.id === "string"))
            throw this.badShape(method, pathOrUrl, status, "an item of its value has no string id");
        return body.value as GraphObject[];
    }

    private sameOrigin(url: string): boolean {
        try {
            return new URL(url).origin === new URL(this.http.opts.baseUrl).origin;
        } catch {
            return false;
        }
    }

    /** A relative URL for $batch from a nextLink (absolute, under the base URL) or a path. */
    private relative(url: string): string {
        const base = this.http.opts.baseUrl;
        if (url.startsWith(base)) return url.slice(base.length);
        if (url.startsWith("/")) return url;
        // nextLinks of the real service use the same version root; keep what follows it.
        const m = /^https?:\/\/[^/]+\/(v1\.0|beta)(\/.*)$/.exec(url);
        if (m) return m[2];
        throw new Error(`graph: unexpected nextLink outside ${base}`);
    }

    /**
     * GETs every URL through $batch (20 a call, calls in parallel within the concurrency bound).
     * Items answered 429/5xx are resubmitted in a later round, after their Retry-After. Other item
     * errors reject, or go to `onItemError` when given (their result stays undefined).
     */
    async batchGet(
        urls: readonly string[],
        onItemError?: (index: number, error: ApiError) => void,
    ): Promise<any[]> {
        const results = new Array<any>(urls.length);
        let pending = urls.map((_, i) => i);
        for (let round = 1; pending.length > 0; round++) {
            const chunks: number[][] = [];
            for (let i = 0; i < pending.length; i += BATCH_LIMIT)
                chunks.push(pending.slice(i, i + BATCH_LIMIT));
            const retry: number[] = [];
            let waitMs = 0;
            let lastError: ApiError | undefined;
            await Promise.all(
                chunks.map(async (chunk) => {
                    const requests = chunk.map((i) => ({
                        id: String(i),
                        method: "GET",
                        url: urls[i],
                    }));
                    const { status: batchStatus, body } = await this.http.request<{
                        responses: any[];
                    }>("POST", "/$batch", { requests });
                    if (!isObject(body) || !Array.isArray(body.responses))
                        throw this.badShape(
                            "POST",
                            "/$batch",
                            batchStatus,
                            "its responses is not an array",
                        );
                    const answered = new Set<number>();
                    for (const r of body.responses) {
                        const i = Number(isObject(r) ? r.id : NaN);
                        // Only answers to this chunk's requests, once each.
                        if (!chunk.includes(i) || answered.has(i)) continue;
                        answered.add(i);
                        const status = Number(r.status);
                        const headers = itemHeaders(r.headers);
                        // Each request inside a $batch is metered on its own: its 429 holds back Graph reads too.
                        this.http.observe("GET", urls[i].split("?")[0], undefined, status, headers);
                        if (status >= 200 && status < 300) results[i] = r.body;
                        else if (status === 429 || status >= 500) {
                            retry.push(i);
                            const after = parseRetryAfter(headers.get("retry-after"));
                            waitMs = Math.max(waitMs, after ?? (status === 429 ? 1000 : 0));
                            const { code, detail } = parseGraphError(r.body);
                            lastError = new ApiError(
                                "graph",
                                "GET",
                                urls[i].split("?")[0],
                                status,
                                code,
                                detail,
                            );
                        } else {
                            const { code, detail } = parseGraphError(r.body);
                            const error = new ApiError(
                                "graph",
                                "GET",
                                urls[i].split("?")[0],
                                status,
                                code,
                                detail,
                            );
                            if (!onItemError) throw error;
                            onItemError(i, error);
                        }
                    }
                    for (const i of chunk) if (!answered.has(i)) retry.push(i);
                }),
            );
            if (retry.length === 0) break;
            if (round >= this.policy.maxAttempts) {
                // With a per-item handler, an item out of retries fails alone (its group), not the whole read.
                if (!onItemError || !lastError)
                    throw lastError ?? new Error("graph: $batch answered without every response");
                for (const i of retry) onItemError(i, lastError);
                break;
            }
            const backoff = Math.min(
                this.policy.maxDelayMs,
                this.policy.baseDelayMs * 2 ** (round - 1),
            );
            await sleep(Math.min(this.policy.maxDelayMs, Math.max(waitMs, backoff)), this.signal);
            pending = retry.sort((a, b) => a - b);
        }
        return results;
    }

    /**
     * Looks up groups by display name (case-insensitive, as Graph's `eq`); each name maps to the groups
     * found (0, 1 or several), or to the error Graph gave for that name (e.g. a name it refuses to match).
     */
    async findGroups(names: readonly string[]): Promise<Map<string, GraphObject[] | ApiError>> {
        const urls = names.map(
            (n) =>
                `/groups?$filter=${encodeURIComponent(`displayName eq '${n.replace(/'/g, "''")}'`)}&$select=${this.attributes.graphSelect(["group"])}`,
        );
        const errors = new Map<number, ApiError>();
        const bodies = await this.batchGet(urls, (i, e) => errors.set(i, e));
        const same = (a: unknown, b: string) =>
            typeof a === "string" && a.toLowerCase() === b.toLowerCase();
        return new Map(
            names.map((n, i) => [
                n,
                errors.get(i) ??
                    (bodies[i] === undefined
                        ? []
                        : this.pageValue("GET", urls[i], 200, bodies[i])
                    ).filter((g) => same(g.displayName, n)),
            ]),
        );
    }

    /** Groups by Entra id (id and displayName); a group that no longer exists (404) is absent from the answer. */
    async getGroups(ids: readonly string[]): Promise<Map<string, GraphObject>> {
        return this.getByIds("groups", ids, this.attributes.graphSelect(["group"]));
    }

    /** Users or service principals by Entra id with `accountEnabled`, for deactivation; one deleted (404) is absent. */
    async getObjects(
        kind: "users" | "servicePrincipals",
        ids: readonly string[],
    ): Promise<Map<string, GraphObject>> {
        const which = kind === "users" ? "user" : "servicePrincipal";
        const select = ["id", ...this.attributes.graphFieldsOf(which, "active")].join(",");
        return this.getByIds(kind, ids, select);
    }

    private async getByIds(
        collection: string,
        ids: readonly string[],
        select: string,
    ): Promise<Map<string, GraphObject>> {
        const urls = ids.map((id) => `/${collection}/${encodeURIComponent(id)}?$select=${select}`);
        const bodies = await this.batchGet(urls, (_i, e) => {
            if (e.status !== 404) throw e;
        });
        const out = new Map<string, GraphObject>();
        ids.forEach((id, i) => {
            if (typeof bodies[i]?.id === "string") out.set(id, bodies[i]);
        });
        return out;
    }

    /**
     * Direct members of each group, every page (pages of several groups share batches). A group one of
     * whose pages fails (after retries) is left out of the answer and given to `onGroupError`.
     */
    async readMembers(
        groupIds: readonly string[],
        onGroupError?: (groupId: string, error: ApiError) => void,
    ): Promise<Map<string, GraphObject[]>> {
        const members = new Map<string, GraphObject[]>(groupIds.map((g) => [g, []]));
        const memberSelect = this.attributes.graphSelect(["user", "servicePrincipal", "group"]);
        const counters = new Map(
            groupIds.map((g) => [g, new PageCounter(`graph: the members of group ${g}`)]),
        );
        let queue = groupIds.map((g) => ({
            group: g,
            url: `/groups/${encodeURIComponent(g)}/members?$select=${memberSelect}&$top=999`,
        }));
        while (queue.length > 0) {
            const failed = new Set<number>();
            const bodies = await this.batchGet(
                queue.map((q) => q.url),
                onGroupError
                    ? (i, e) => {
                          failed.add(i);
                          members.delete(queue[i].group);
                          onGroupError(queue[i].group, e);
                      }
                    : undefined,
            );
            const next: typeof queue = [];
            queue.forEach((q, i) => {
                if (failed.has(i) || !members.has(q.group)) return;
                const page = this.pageValue("GET", q.url, 200, bodies[i]);
                counters.get(q.group)!.page(page.length);
                members.get(q.group)!.push(...page);
                const link = bodies[i]["@odata.nextLink"];
                if (typeof link === "string") {
                    counters.get(q.group)!.follow(link);
                    next.push({ group: q.group, url: this.relative(link) });
                }
            });
            queue = next;
        }
        return members;
    }

    /** Delta links that start "from now" (no data), taken before a full read so no change is missed. */
    async latestDeltaLinks(): Promise<{
        groups: string;
        users: string;
        servicePrincipals: string;
    }> {
        const [groups, users, servicePrincipals] = await Promise.all(
            [
                // members@delta: membership changes come with the group (API-NOTES A3).
                `/groups/delta?$select=${this.attributes.graphSelect(["group"], false)},members`,
                `/users/delta?$select=${this.attributes.graphSelect(["user"], false)}`,
                `/servicePrincipals/delta?$select=${this.attributes.graphSelect(["servicePrincipal"], false)}`,
            ].map(async (path) => {
                const link = (await this.http.request("GET", `${path}&$deltatoken=latest`)).body?.[
                    "@odata.deltaLink"
                ];
                if (typeof link !== "string")
                    throw new Error(
                        `graph: ${path.split("?")[0]} answered without @odata.deltaLink`,
                    );
                return link;
            }),
        );
        return { groups, users, servicePrincipals };
    }

    /** Follows a delta link (and its nextLinks) to the next deltaLink; objects in page order. */
    async delta(
        resource: "groups" | "users" | "servicePrincipals",
        link: string,
    ): Promise<{ items: GraphObject[]; deltaLink: string }> {
        const items: GraphObject[] = [];
        const counter = new PageCounter(`graph: the ${resource} delta feed`);
        let url = link;
        for (;;) {
            counter.follow(url);
            // The token goes only to the configured Graph: a link elsewhere (edited state file, another --graph-url) is not followed.
            if (!this.sameOrigin(url))
                throw new DeltaExpiredError(
                    resource,
                    `the link does not point at ${new URL(this.http.opts.baseUrl).origin}`,
                );
            const { status, body } = await this.http.request("GET", url, undefined, [400, 410]);
            if (status === 410) throw new DeltaExpiredError(resource, "410 Gone");
            if (status === 400) {
                const { code, detail } = parseGraphError(body);
                if (code === "syncStateNotFound" || code === "resyncRequired")
                    throw new DeltaExpiredError(resource, code);
                throw new ApiError("graph", "GET", `/${resource}/delta`, 400, code, detail);
            }
            const page = this.pageValue("GET", url, status, body);
            counter.page(page.length);
            items.push(...page);
            if (typeof body?.["@odata.nextLink"] === "string") url = body["@odata.nextLink"];
            else if (typeof body?.["@odata.deltaLink"] === "string")
                return { items, deltaLink: body["@odata.deltaLink"] };
            else
                throw new Error(
                    `graph: a ${resource} delta page had neither @odata.nextLink nor @odata.deltaLink`,
                );
        }
    }
}

/** The headers of a $batch item answer (a plain object; names in any case). */
function itemHeaders(headers: unknown): Headers {
    const out = new Headers();
    if (!headers || typeof headers !== "object") return out;
    for (const [k, v] of Object.entries(headers)) {
        try {
            if (v !== undefined && v !== null) out.set(k, String(v));
        } catch {
            // A header name or value fetch would refuse: not one the sync reads.
        }
    }
    return out;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(new SyncAbortedError());
        const timer = setTimeout(() => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(new SyncAbortedError());
        };
        signal?.addEventListener("abort", onAbort, { once: true });
    });
}
