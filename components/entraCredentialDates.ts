/**
 * Dates of Entra password credentials in the exact form the azuread provider keeps them in state.
 *
 * terraform-provider-azuread parses `end_date` as RFC 3339 and sends `expiry.Format(time.RFC3339)`
 * (internal/helpers/credentials/credentials.go, PasswordCredential): whole seconds, the zone as given.
 * Graph keeps the instant and returns it in UTC with a `Z`; Read stores that string unchanged
 * (internal/services/applications/application_password_resource.go: `tf.Set(d, "end_date",
 * credential.EndDateTime.GetOrZero())`). `end_date` is ForceNew with no diff suppression, so a program
 * that sends any other spelling of the same instant (`…T00:00:00.000Z`, `+00:00`) replaces the secret
 * on every run. The provider's own acceptance test (TestAccApplicationPassword_complete) sends
 * `time.Now().UTC().Format(time.RFC3339)` and expects an empty plan after apply. Pure; tested without mocks.
 */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/** `YYYY-MM-DDTHH:MM:SSZ` of an instant (fractional seconds dropped): Go's `t.UTC().Format(time.RFC3339)`. */
export function rfc3339Utc(ms: number): string {
    return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * What the provider stores as `end_date` (or `start_date`) after the program sends `sent`: Create
 * truncates to whole seconds (Go's RFC 3339 layout has none), Graph answers in UTC. Throws for what
 * the provider's `validation.IsRFC3339Time` refuses.
 */
export function storedCredentialDate(sent: string): string {
    const m = RFC3339.exec(sent);
    if (!m) throw new Error(`not an RFC 3339 date-time: ${JSON.stringify(sent)}`);
    const [, y, mo, d, h, mi, s, , zone, sign, oh, om] = m;
    const offsetMinutes = zone.toUpperCase() === "Z" ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om));
    const localMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    return rfc3339Utc(localMs - offsetMinutes * 60_000);
}
