/**
 * Entra ID (AAD) token endpoint on loopback, HTTPS (MSAL refuses http authority hosts). It answers the
 * two calls `@azure/identity`'s ClientSecretCredential makes with `disableInstanceDiscovery: true`:
 *   GET  /{tenant}/v2.0/.well-known/openid-configuration   (kind `openid-config`)
 *   POST /{tenant}/oauth2/v2.0/token                        (kind `token`)
 * Success and error bodies follow Entra's shapes: `{token_type, expires_in, ext_expires_in, access_token}`
 * and `{error, error_description: "AADSTSnnn: ...", error_codes, timestamp, trace_id, correlation_id}`
 * with Entra's HTTP statuses. Faults (harness `failNext` / rates) answer in the same error envelope.
 */
import * as crypto from "crypto";
import { EmulatorRequest, EmulatorResponse, EmulatorServer, FaultKind } from "./harness";

export interface TokenEmulatorOptions {
    /** Tenants that exist. */
    tenants?: string[];
    /** Registered apps: client id → secret. */
    clients?: Record<string, string>;
    /** Token lifetime (`expires_in`), seconds. */
    lifetimeSeconds?: number;
}

/** A token the emulator issued, for assertions. */
export interface IssuedToken {
    tenant: string;
    clientId: string;
    scope: string;
    accessToken: string;
    expiresIn: number;
}

/** Entra's error envelope. `code` is the AADSTS number. */
export function entraError(
    status: number,
    error: string,
    code: number,
    message: string,
    headers?: Record<string, string>,
): EmulatorResponse {
    const traceId = crypto.randomUUID();
    const correlationId = crypto.randomUUID();
    const timestamp = new Date()
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d+Z$/, "Z");
    return {
        status,
        headers,
        body: {
            error,
            error_description: `AADSTS${code}: ${message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
            error_codes: [code],
            timestamp,
            trace_id: traceId,
            correlation_id: correlationId,
            error_uri: `https://login.microsoftonline.com/error?code=${code}`,
        },
    };
}

/** The body of the emulator's `transient400` fault: an Entra error code that means "try again". */
export interface Transient400 {
    error: string;
    code: number;
    message: string;
}

/** Default transient 400: AADSTS90024 RequestBudgetExceededError, "a transient error has occurred". */
export const DEFAULT_TRANSIENT_400: Transient400 = {
    error: "invalid_request",
    code: 90024,
    message: "A transient error has occurred. Please try again.",
};

/**
 * Fault answers in Entra's envelope: 429 with Retry-After (AADSTS90055 TenantThrottlingError), 500
 * server_error (AADSTS50000 TokenIssuanceError), 503 temporarily_unavailable (AADSTS90033, as Entra sent
 * it in Azure/azure-sdk-for-python#14241), a 400 carrying a transient code, and invalid_client.
 */
export function entraFaultResponder(
    fault: Exclude<FaultKind, "drop">,
    _kind: string,
    retryAfterSeconds: number,
    transient400: Transient400 = DEFAULT_TRANSIENT_400,
): EmulatorResponse {
    switch (fault) {
        case "429":
            return entraError(
                429,
                "temporarily_unavailable",
                90055,
                "There are too many incoming requests. Try again later.",
                {
                    "Retry-After": String(retryAfterSeconds),
                },
            );
        case "500":
            return entraError(
                500,
                "server_error",
                50000,
                "There was an error issuing a token or an issue with our sign-in service.",
            );
        case "503":
            return entraError(
                503,
                "temporarily_unavailable",
                90033,
                "A transient error has occurred. Please try again.",
            );
        case "transient400":
            return entraError(400, transient400.error, transient400.code, transient400.message);
        case "invalidClient":
            return entraError(
                401,
                "invalid_client",
                7000215,
                "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
            );
    }
}

export class TokenEmulator extends EmulatorServer {
    readonly tenants: Set<string>;
    readonly clients: Map<string, string>;
    lifetimeSeconds: number;
    /** What the `transient400` fault answers; reset() restores the default. */
    transient400: Transient400;
    /** Every token issued, oldest first. */
    readonly issued: IssuedToken[];
    /** Last token request's form fields (client_secret removed), for assertions. */
    lastRequest?: Record<string, string>;
    private readonly initial: Required<TokenEmulatorOptions>;

    constructor(opts: TokenEmulatorOptions = {}) {
        // The responder reads `transient400` of this instance, which exists only after super().
        const self: { emulator?: TokenEmulator } = {};
        super({
            https: true,
            faultResponder: (fault, kind, retryAfter) =>
                entraFaultResponder(fault, kind, retryAfter, self.emulator?.transient400),
        });
        self.emulator = this;
        this.transient400 = { ...DEFAULT_TRANSIENT_400 };
        this.issued = [];
        this.initial = {
            tenants: opts.tenants ?? [],
            clients: opts.clients ?? {},
            lifetimeSeconds: opts.lifetimeSeconds ?? 3599,
        };
        this.tenants = new Set(this.initial.tenants);
        this.clients = new Map(Object.entries(this.initial.clients));
        this.lifetimeSeconds = this.initial.lifetimeSeconds;
        this.route(
            "GET",
            "/:tenant/v2.0/.well-known/openid-configuration",
            "openid-config",
            (req) => this.openidConfig(req),
        );
        this.route("POST", "/:tenant/oauth2/v2.0/token", "token", (req) => this.token(req));
    }

    /** The authority host to give the credential (`https://localhost:<port>`). */
    get authorityHost(): string {
        return this.baseUrl;
    }

    /** Resets counters and faults (harness) and restores tenants, clients and lifetime. */
    override reset(seed?: number): void {
        super.reset(seed);
        this.tenants.clear();
        for (const t of this.initial.tenants) this.tenants.add(t);
        this.clients.clear();
        for (const [k, v] of Object.entries(this.initial.clients)) this.clients.set(k, v);
        this.lifetimeSeconds = this.initial.lifetimeSeconds;
        this.transient400 = { ...DEFAULT_TRANSIENT_400 };
        this.issued.length = 0;
        this.lastRequest = undefined;
    }

    private openidConfig(req: EmulatorRequest): EmulatorResponse {
        const tenant = req.params.tenant;
        if (!this.tenants.has(tenant)) return unknownTenant(tenant);
        const base = `${this.baseUrl}/${tenant}`;
        return {
            status: 200,
            body: {
                token_endpoint: `${base}/oauth2/v2.0/token`,
                authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
                jwks_uri: `${this.baseUrl}/${tenant}/discovery/v2.0/keys`,
                issuer: `${this.baseUrl}/${tenant}/v2.0`,
                token_endpoint_auth_methods_supported: [
                    "client_secret_post",
                    "private_key_jwt",
                    "client_secret_basic",
                ],
                response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
                scopes_supported: ["openid", "profile", "email", "offline_access"],
                tenant_region_scope: "EU",
            },
        };
    }

    private token(req: EmulatorRequest): EmulatorResponse {
        const tenant = req.params.tenant;
        const form = req.form();
        const fields = Object.fromEntries(form.entries());
        delete fields.client_secret;
        this.lastRequest = fields;
        if (!this.tenants.has(tenant)) return unknownTenant(tenant);
        if (form.get("grant_type") !== "client_credentials") {
            return entraError(
                400,
                "unsupported_grant_type",
                70003,
                "The app requested an unsupported grant type.",
            );
        }
        const clientId = form.get("client_id") ?? "";
        const scope = form.get("scope") ?? "";
        const expected = this.clients.get(clientId);
        if (expected === undefined) {
            return entraError(
                400,
                "unauthorized_client",
                700016,
                `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
            );
        }
        if (form.get("client_secret") !== expected) {
            return entraError(
                401,
                "invalid_client",
                7000215,
                `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
            );
        }
        if (!scope.endsWith("/.default")) {
            return entraError(
                400,
                "invalid_scope",
                1002012,
                `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
            );
        }
        const accessToken = fakeJwt(tenant, clientId, scope, this.lifetimeSeconds);
        this.issued.push({ tenant, clientId, scope, accessToken, expiresIn: this.lifetimeSeconds });
        return {
            status: 200,
            body: {
                token_type: "Bearer",
                expires_in: this.lifetimeSeconds,
                ext_expires_in: this.lifetimeSeconds,
                access_token: accessToken,
            },
        };
    }
}

function unknownTenant(tenant: string): EmulatorResponse {
    return entraError(
        400,
        "invalid_request",
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    );
}

/** A JWT-shaped, unsigned token: enough for clients that peek at claims; never valid anywhere. */
function fakeJwt(tenant: string, clientId: string, scope: string, lifetime: number): string {
    const now = Math.floor(Date.now() / 1000);
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const claims = {
        aud: scope.replace(/\/\.default$/, ""),
        iss: `https://sts.windows.net/${tenant}/`,
        iat: now,
        nbf: now,
        exp: now + lifetime,
        appid: clientId,
        tid: tenant,
        jti: crypto.randomUUID(),
    };
    return `${b64({ typ: "JWT", alg: "none" })}.${b64(claims)}.${crypto.randomBytes(16).toString("base64url")}`;
}
