/**
 * Removes secrets from any text the sync prints, logs, returns or writes: the known secret values
 * (explicit tokens, client secrets), and anything shaped like a token even when its value is not
 * known (one a server echoes back, one passed by mistake as another setting): JWTs (Entra access
 * tokens), Databricks personal access tokens (`dapi` + 32 hex digits) and `Bearer` credentials.
 */

/** Token shapes, each replaced whole. */
const TOKEN_SHAPES: readonly RegExp[] = [
    // A JWT: base64url header (always starts `eyJ`, i.e. `{"`), payload and (possibly empty) signature.
    /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
    // A Databricks PAT: `dapi` + 32 hex digits, sometimes with a `-<n>` suffix.
    /\bdapi[0-9a-f]{32}(?:-\d+)?/gi,
];
const BEARER = /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi;

export const REDACTED = "[secret]";

/** Replaces known secret values (≥ 4 characters), token shapes and Bearer credentials with [secret]. */
export function scrubSecrets(text: string, known: readonly (string | undefined)[] = []): string {
    let out = text;
    for (const s of known)
        if (typeof s === "string" && s.length >= 4) out = out.split(s).join(REDACTED);
    for (const shape of TOKEN_SHAPES) out = out.replace(shape, REDACTED);
    return out.replace(BEARER, `Bearer ${REDACTED}`);
}

/** A scrubber bound to the known secrets. */
export function scrubberFor(known: readonly (string | undefined)[]): (text: string) => string {
    return (text) => scrubSecrets(text, known);
}

/**
 * Credential shapes that fit in a short printable setting: an Entra client secret value (`xxx8Q~…`),
 * a JWT (`eyJ…`), a Databricks PAT (`dapi` + 32 hex). A secret pasted into the wrong setting (a
 * client secret as a URL or id) must not be echoed by the error about that setting.
 */
const CREDENTIAL_SHAPES: readonly RegExp[] = [
    /^[\w.~-]{3}\dQ~[\w.~-]{20,}$/,
    /^eyJ[\w-]*\.[\w-]*/,
    /^dapi[0-9a-f]{32}/i,
];

/** Whether a string is, or holds, something shaped like a client secret, a JWT, a PAT or a bearer token. */
export function looksLikeSecret(value: string): boolean {
    const text = value.trim();
    return (
        CREDENTIAL_SHAPES.some((shape) => shape.test(text)) ||
        scrubSecrets(value) !== value ||
        /\dQ~[\w.~-]{20,}/.test(value)
    );
}

/** A bad string value for an error message: quoted only when short, printable and not shaped like a secret. */
export function describeValue(value: string): string {
    if (looksLikeSecret(value))
        return `a ${value.length}-character value shaped like a secret (not shown)`;
    return value.length <= 80 && /^[\x20-\x7e]*$/.test(value)
        ? JSON.stringify(value)
        : `a ${value.length}-character value`;
}
