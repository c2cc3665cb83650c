/**
 * Transport failures by cause. A host whose name does not resolve, that refuses the connection, or
 * whose TLS certificate is not trusted (or a port fetch refuses) will answer no differently a second later: such a failure
 * ends the run at once, in one line naming the host and the cause. Resets, timeouts and a
 * temporary DNS failure (EAI_AGAIN) stay transient and are retried. Also the run scope: one abort
 * controller per run, so a failed run cancels what it still has in flight.
 */
/** Codes Node (OpenSSL, undici) gives an untrusted or mismatched certificate. */
const CERTIFICATE_CODES = new Set([
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "CERT_HAS_EXPIRED",
    "CERT_NOT_YET_VALID",
    "CERT_REVOKED",
    "CERT_UNTRUSTED",
    "CERT_REJECTED",
    "ERR_TLS_CERT_ALTNAME_INVALID",
    "HOSTNAME_MISMATCH",
]);

export type TransportCause = "certificate" | "dns" | "refused" | "port";

/** The request cannot succeed by retrying: bad certificate, unknown DNS name, connection refused. */
export class TransportError extends Error {
    constructor(
        readonly api: string,
        /** host[:port] of the URL, never its path or query. */
        readonly host: string,
        readonly cause: TransportCause,
        readonly code: string,
    ) {
        super(`${api}: cannot reach ${host}: ${describeCause(cause, code)}`);
        this.name = "TransportError";
    }
}

function describeCause(cause: TransportCause, code: string): string {
    switch (cause) {
        case "certificate":
            return `its TLS certificate is not trusted (${code}); check the URL, or add the issuing CA to NODE_EXTRA_CA_CERTS`;
        case "dns":
            return `the host name does not resolve (${code}); check the URL and the DNS of this machine`;
        case "refused":
            return `connection refused (${code}); nothing listens there: check the URL and port, or a proxy/firewall`;
        case "port":
            return `fetch refuses to connect to this port (${code}: on the Fetch standard's list of bad ports); check the URL`;
    }
}

/**
 * A request that got no answer for another reason (reset, timeout, temporary DNS failure): retried
 * when `transient`; its message names the call, the host and the cause, also after the last retry.
 */
export class NetworkError extends Error {
    constructor(
        readonly api: string,
        readonly method: string,
        readonly path: string,
        readonly host: string,
        readonly code: string,
        readonly transient: boolean,
        cause: unknown,
    ) {
        super(`${api} ${method} ${path}: no answer from ${host} (${code})`, { cause });
        this.name = "NetworkError";
    }
}

/** The permanent cause inside a fetch failure (its `cause` chain, AggregateError members), if any. */
export function permanentCause(
    error: unknown,
): { cause: TransportCause; code: string } | undefined {
    const seen = new Set<unknown>();
    const visit = (e: any, depth: number): { cause: TransportCause; code: string } | undefined => {
        if (!e || typeof e !== "object" || depth > 6 || seen.has(e)) return undefined;
        seen.add(e);
        const code = typeof e.code === "string" ? e.code : undefined;
        if (code && CERTIFICATE_CODES.has(code)) return { cause: "certificate", code };
        if (code === "ENOTFOUND") return { cause: "dns", code };
        if (code === "ECONNREFUSED") return { cause: "refused", code };
        // undici's own refusal of ports such as 9, 25 or 6000 (fetch.spec.whatwg.org "bad port"); it has no code.
        if (code === undefined && e.message === "bad port")
            return { cause: "port", code: "BAD_PORT" };
        for (const inner of Array.isArray(e.errors) ? e.errors : []) {
            const found = visit(inner, depth + 1);
            if (found) return found;
        }
        return visit(e.cause, depth + 1);
    };
    return visit(error, 0);
}

/** `host[:port]` of a URL, for messages. */
export function hostOf(url: string): string {
    try {
        return new URL(url).host;
    } catch {
        return "(bad URL)";
    }
}

/**
 * One run's cancellation: follows the caller's signal, and is aborted when the run fails (a
 * permanent transport error, or any rejection) or ends, so nothing it started keeps running.
 */
export class RunScope {
    private readonly controller = new AbortController();
    private fatal?: Error;
    // The reason is not read: requests see `aborted` and throw SyncAbortedError themselves.
    private readonly onOuter = () => this.controller.abort();

    constructor(private readonly outer?: AbortSignal) {
        if (outer?.aborted) this.onOuter();
        else outer?.addEventListener("abort", this.onOuter, { once: true });
    }

    get signal(): AbortSignal {
        return this.controller.signal;
    }

    /** Ends the run with `error`: every request in flight is cancelled and the run rejects with it. */
    readonly fail = (error: Error): void => {
        this.fatal ??= error;
        this.controller.abort(error);
    };

    /** The error the run rejects with: the first fatal one, else what the run threw. */
    error(thrown: unknown): unknown {
        if (this.fatal) return this.fatal;
        return thrown;
    }

    /** After the run: cancel what is left and stop following the caller's signal. */
    close(): void {
        this.outer?.removeEventListener("abort", this.onOuter);
        if (!this.controller.signal.aborted) this.controller.abort();
    }

    /** Runs `fn` in this scope. A fatal error wins over a result that only counts it among failures. */
    async run<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
        try {
            const result = await fn(this.signal);
            if (this.fatal) throw this.fatal;
            return result;
        } catch (e) {
            throw this.error(e);
        } finally {
            this.close();
        }
    }
}
