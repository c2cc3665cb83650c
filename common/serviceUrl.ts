/** Service URL rule shared by the CLI and the ScimSync provider: https, or http on loopback (emulators). */

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Returns why `value` is not acceptable as a service URL, or undefined when it is. */
export function checkServiceUrl(value: string): string | undefined {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        return `must be an absolute URL like https://host, got ${quoteShort(value)}`;
    }
    if (url.protocol === "https:") return undefined;
    if (url.protocol === "http:" && LOOPBACK.has(url.hostname)) return undefined;
    return `must use https:// (http:// is allowed only for localhost/127.0.0.1), got ${quoteShort(value)}`;
}

function quoteShort(value: string): string {
    return value.length <= 80 && /^[\x20-\x7e]*$/.test(value) ? JSON.stringify(value) : `a ${value.length}-character string`;
}
