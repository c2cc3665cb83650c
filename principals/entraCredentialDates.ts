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
 * `time.Now().UTC().Format(time.RFC3339)` and expects an empty plan after apply. What the provider
 * stores is modelled in tests/lifecycle/providerRules.ts (`graphDateTime`). Pure; tested without mocks.
 */

/** `YYYY-MM-DDTHH:MM:SSZ` of an instant (fractional seconds dropped): Go's `t.UTC().Format(time.RFC3339)`. */
export function rfc3339Utc(ms: number): string {
    return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
