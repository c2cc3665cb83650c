/**
 * What the sync believes of an answer, and how much of it it reads. A 2xx answer is believed only in
 * the documented shape (a proxy, a captive portal or another service can answer 200 with anything);
 * a collection (a kind's SCIM list, a group's Graph members, a delta feed) is read to a bounded
 * number of pages and items, a link met twice is a loop, and a body larger than any real answer is
 * refused while it streams in, never buffered whole.
 */
import { ACCOUNT_LIMITS } from "../contract";

/** Principals an account can hold (users + service principals, and groups). */
const ACCOUNT_PRINCIPALS = ACCOUNT_LIMITS.usersAndServicePrincipals + ACCOUNT_LIMITS.groups;
/** Items read from one collection: 10× what an account can hold (150,000), room for deltas that repeat objects. */
export const MAX_ITEMS_PER_COLLECTION = 10 * ACCOUNT_PRINCIPALS;
/** Pages read from one collection: those items at 30 a page (SCIM pages hold 100, Graph member pages up to 999). */
export const MAX_PAGES_PER_COLLECTION = MAX_ITEMS_PER_COLLECTION / 30;
/**
 * Largest response body read: 32 MiB, about 5× the largest real answer (a Graph $batch of 20 member
 * pages of 999 objects is ~6 MB; a SCIM page of 100 principals ~30 KB).
 */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** A 2xx answer not in the documented shape: nothing is believed from it and no state is written for it. */
export class ShapeError extends Error {
    constructor(
        api: string,
        method: string,
        host: string,
        path: string,
        status: number,
        what: string,
    ) {
        super(
            `${api} ${method} ${host}${path} answered HTTP ${status} but ${what}; nothing was taken from it (a proxy, captive portal or another service at that URL?)`,
        );
        this.name = "ShapeError";
    }
}

/** A collection or a body past its bound (or a paging loop): the read stops there. */
export class BoundError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "BoundError";
    }
}

/** Counts the pages and items of one collection; throws on a repeated link or past the bounds. */
export class PageCounter {
    private pages = 0;
    private items = 0;
    private readonly links = new Set<string>();

    constructor(private readonly what: string) {}

    /** Before following `link` (a nextLink or deltaLink): it must not have been followed already. */
    follow(link: string): void {
        // Compared without the host's case or a trailing slash, so a trivially rewritten link is still the same.
        const key = link.replace(/^https?:\/\/[^/]+/i, (origin) => origin.toLowerCase());
        if (this.links.has(key))
            throw new BoundError(
                `${this.what}: the server sent a link it had sent before (a paging loop); the read is stopped`,
            );
        this.links.add(key);
    }

    /** After a page of `items` items. */
    page(items: number): void {
        this.pages++;
        this.items += items;
        if (this.pages > MAX_PAGES_PER_COLLECTION) {
            throw new BoundError(
                `${this.what}: more than ${MAX_PAGES_PER_COLLECTION} pages (the bound is 10× what an account can hold); the read is stopped`,
            );
        }
        if (this.items > MAX_ITEMS_PER_COLLECTION) {
            throw new BoundError(
                `${this.what}: more than ${MAX_ITEMS_PER_COLLECTION} items (10× what an account can hold); the read is stopped`,
            );
        }
    }
}

/** A plain JSON object (not an array, string or null). */
export function isObject(value: unknown): value is Record<string, any> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
