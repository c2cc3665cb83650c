/** Shared ids, secret and emulator settings of the AadToken tests. */
import {
    AadTokenInputs,
    AAD_TOKEN_PROVIDER_VERSION,
    DATABRICKS_SCOPE,
} from "../../../providers/aadToken/inputs";
import { TokenEmulator } from "../../../emulators/token";

export const TENANT = "11111111-1111-4111-8111-111111111111";
export const CLIENT = "22222222-2222-4222-8222-222222222222";
/** Long and unusual, so a search of any text for it cannot hit by accident. */
export const SECRET = "aad-token-test-secret~Zq8.Kp3-Vw7_Rt2~Hn5";
export const OTHER_TENANT = "44444444-4444-4444-8444-444444444444";
export const OTHER_CLIENT = "33333333-3333-4333-8333-333333333333";

/** Small delays so fault tests take milliseconds. */
export const FAST_RETRY = {
    maxAttempts: 3,
    baseDelayMs: 1,
    maxDelayMs: 5_000,
    maxTotalMs: 60_000,
    attemptTimeoutMs: 5_000,
    badCredentialRetryMs: 0,
};

export function tokenEmulator(): TokenEmulator {
    return new TokenEmulator({ tenants: [TENANT], clients: { [CLIENT]: SECRET } });
}

export function inputsFor(em: TokenEmulator, over: Partial<AadTokenInputs> = {}): AadTokenInputs {
    return {
        tenantId: TENANT,
        clientId: CLIENT,
        clientSecret: SECRET,
        scope: DATABRICKS_SCOPE,
        authorityHost: em.authorityHost,
        retry: FAST_RETRY,
        version: AAD_TOKEN_PROVIDER_VERSION,
        ...over,
    };
}

/** Every text an error exposes: message, stack and its JSON form. */
export function errorText(e: unknown): string {
    const err = e as Error;
    return [String(err?.message), String(err?.stack), JSON.stringify(err)].join("\n");
}
