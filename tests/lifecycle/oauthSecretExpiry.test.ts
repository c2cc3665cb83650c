/**
 * A Databricks OAuth secret (CI/CD method `oauth-secret`) lives 730 days and nothing renews it on a plain
 * `up`: Read drops an expired one from state, so only a refresh makes a new one
 * (terraform-provider-databricks tokens/resource_service_principal_secret.go). Each `up` warns ahead.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import { mocks } from "../support/mocks";
import {
    CicdCredential,
    oauthSecretExpiryWarning,
    OAUTH_SECRET_EXPIRY_WARNING_DAYS,
} from "../../unityCatalog/cicdCredential";

const DAY = 86_400_000;
const SECRET = "databricks:index/servicePrincipalSecret:ServicePrincipalSecret";
const URN =
    "urn:pulumi:test::azure-databricks-mlops::x$databricks:index/servicePrincipalSecret:ServicePrincipalSecret::ci-oauth-secret";

describe("OAuth secret expiry", () => {
    const now = Date.parse("2027-03-01T00:00:00Z");

    it("warns within the warning window and after expiry, naming the secret, the date and how to renew it", () => {
        const soon = new Date(now + 10 * DAY).toISOString();
        const w = oauthSecretExpiryWarning(soon, URN, now)!;
        assert.match(w, new RegExp(`${URN.replace(/[$]/g, "\\$")} expires on ${soon}`));
        assert.match(w, /pulumi up --replace '.*ci-oauth-secret'/);
        assert.match(w, /method federation/);
        const past = oauthSecretExpiryWarning(new Date(now - DAY).toISOString(), URN, now)!;
        assert.match(past, /expired on \S+: run `pulumi up --refresh`/);
        assert.doesNotMatch(past, /--replace/);
    });

    it("says nothing earlier, or without a known expiry", () => {
        assert.strictEqual(
            oauthSecretExpiryWarning(
                new Date(now + (OAUTH_SECRET_EXPIRY_WARNING_DAYS + 1) * DAY).toISOString(),
                URN,
                now,
            ),
            undefined,
        );
        assert.strictEqual(oauthSecretExpiryWarning(undefined, URN, now), undefined);
        assert.strictEqual(oauthSecretExpiryWarning("", URN, now), undefined);
    });

    describe("CicdCredential under mocks", () => {
        const realWarn = pulumi.log.warn;
        let warnings: string[];
        beforeEach(() => {
            warnings = [];
            (pulumi.log as { warn: typeof pulumi.log.warn }).warn = async (msg: string) =>
                void warnings.push(msg);
        });
        afterEach(() => {
            (pulumi.log as { warn: typeof pulumi.log.warn }).warn = realWarn;
            mocks.onNewResource(SECRET, undefined);
        });

        const deploy = async (expiresInDays: number) => {
            mocks.reset();
            mocks.onNewResource(SECRET, () => ({
                expireTime: new Date(Date.now() + expiresInDays * DAY).toISOString(),
            }));
            await mocks.run(() => {
                const provider = new databricks.Provider("ws", {
                    host: "https://adb-1.1.azuredatabricks.net",
                    authType: "azure-cli",
                });
                new CicdCredential("ci", {
                    applicationId: "app",
                    servicePrincipalId: "42",
                    provider,
                    credential: { method: "oauth-secret" },
                });
            });
            return warnings.filter((w) => w.includes("OAuth secret"));
        };

        it("an up within the window warns once for the secret", async () => {
            const w = await deploy(20);
            assert.strictEqual(w.length, 1, w.join("\n"));
            assert.match(w[0], /ServicePrincipalSecret::ci-oauth-secret expires on/);
        });

        it("a fresh secret (730 days) gives no warning", async () => {
            assert.deepStrictEqual(await deploy(730), []);
        });
    });
});
