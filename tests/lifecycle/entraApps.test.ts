/**
 * Day 2: created Entra apps and their SPs are owned by the deploying principal (so a
 * deployer with only Application.ReadWrite.OwnedBy can manage them later), staging and prod apps have
 * different names, and the created client secret is renewed before it expires (end_date and
 * rotate_when_changed are ForceNew in terraform-provider-azuread application_password_resource.go).
 */
import * as assert from "assert";
import { mocks } from "../support/mocks";
import { MlopsWorkspaces } from "../../workspaces/mlopsWorkspaces";
import { MlopsProject } from "../../projects/mlopsProject";
import { rotationPeriod } from "../../principals/rotationPeriod";
import { rfc3339Utc } from "../../principals/entraCredentialDates";
import { createArgs, HOSTS, TENANT } from "../workspaces/fixtures";

const APP = "azuread:index/application:Application";
const ENTRA_SP = "azuread:index/servicePrincipal:ServicePrincipal";
const PASSWORD = "azuread:index/applicationPassword:ApplicationPassword";
const DEPLOYER = "deployer-object-id";
const DAY = 86_400_000;
const T0 = Date.parse("2026-03-01T12:00:00.000Z");

async function atTime<T>(nowMs: number, program: () => T): Promise<void> {
    mocks.reset();
    mocks.onCall("azuread:index/getClientConfig:getClientConfig", () => ({
        objectId: DEPLOYER,
        clientId: "c",
        tenantId: TENANT,
    }));
    mocks.onCall("databricks:index/getGroup:getGroup", (a) => ({
        id: `group-${a.inputs.displayName}`,
        displayName: a.inputs.displayName,
    }));
    const realNow = Date.now;
    Date.now = () => nowMs;
    try {
        await mocks.run(() => {
            program();
        });
    } finally {
        Date.now = realNow;
    }
}

describe("day 2: created Entra apps (trio)", () => {
    before(() => atTime(T0, () => new MlopsWorkspaces("mlops", createArgs())));

    it("apps and their service principals are owned by the deploying principal (azuread getClientConfig objectId)", () => {
        for (const type of [APP, ENTRA_SP]) {
            const owned = mocks.byType(type).map((r) => [r.name, r.inputs.owners]);
            assert.deepStrictEqual(owned, [
                [type === APP ? "mlops-staging-app" : "mlops-staging-entra-sp", [DEPLOYER]],
                [type === APP ? "mlops-prod-app" : "mlops-prod-entra-sp", [DEPLOYER]],
            ]);
        }
    });

    it("staging and prod apps carry different display names, naming the environment", () => {
        assert.deepStrictEqual(
            mocks.byType(APP).map((a) => a.inputs.displayName),
            [
                "READ-only Model Registry Service Principal (staging)",
                "READ-only Model Registry Service Principal (prod)",
            ],
        );
    });

    it("the client secret has an end date two 180-day periods after its period began, and a rotation key for the period", () => {
        const p = rotationPeriod(180, T0);
        for (const pw of mocks.byType(PASSWORD)) {
            assert.strictEqual(pw.inputs.endDate, rfc3339Utc(Date.parse(p.start) + 2 * 180 * DAY));
            assert.deepStrictEqual(pw.inputs.rotateWhenChanged, {
                rotationPeriod: `180d-${p.index}`,
            });
        }
    });

    it("a run in the same period changes nothing; the first run of the next period renews the secret before the old one expires", async () => {
        const seen = async (nowMs: number) => {
            await atTime(nowMs, () => new MlopsWorkspaces("mlops", createArgs()));
            const pw = mocks.one(PASSWORD, "mlops-staging-password");
            return { rotate: pw.inputs.rotateWhenChanged, endDate: pw.inputs.endDate as string };
        };
        const p = rotationPeriod(180, T0);
        const first = await seen(T0);
        assert.deepStrictEqual(await seen(Date.parse(p.end) - 1), first);
        const renewedAt = Date.parse(p.end) + DAY;
        const next = await seen(renewedAt);
        assert.notDeepStrictEqual(
            next.rotate,
            first.rotate,
            "a ForceNew input changes: the password is replaced",
        );
        assert.ok(
            Date.parse(first.endDate) - renewedAt >= 179 * DAY,
            "renewed with most of a period to spare",
        );
    });

    it("clientSecretRotationDays sets the period; out-of-range values are refused naming the setting", async () => {
        const trioRotatingEvery = (clientSecretRotationDays: number) => () =>
            new MlopsWorkspaces(
                "mlops",
                createArgs({
                    servicePrincipals: {
                        mode: "create",
                        tenantId: TENANT,
                        clientSecretRotationDays,
                    },
                }),
            );
        await atTime(T0, trioRotatingEvery(30));
        assert.deepStrictEqual(
            mocks.one(PASSWORD, "mlops-prod-password").inputs.rotateWhenChanged,
            { rotationPeriod: `30d-${rotationPeriod(30, T0).index}` },
        );
        await assert.rejects(
            atTime(T0, trioRotatingEvery(400)),
            /servicePrincipals\.clientSecretRotationDays: must be a number of days above 0 and at most 365/,
        );
    });
});

describe("day 2: created Entra apps (project)", () => {
    before(() =>
        atTime(T0, () => {
            new MlopsProject("churn", {
                staging: { host: HOSTS.staging },
                prod: { host: HOSTS.prod },
                servicePrincipalName: "churn-cicd",
                projectDirectoryPath: "/Projects/churn",
                servicePrincipals: { mode: "create", tenantId: TENANT },
            });
        }),
    );

    it("owned by the deployer, named per environment, secret renewed by period", () => {
        assert.deepStrictEqual(
            mocks.byType(APP).map((a) => [a.inputs.displayName, a.inputs.owners]),
            [
                ["churn-cicd (staging)", [DEPLOYER]],
                ["churn-cicd (prod)", [DEPLOYER]],
            ],
        );
        assert.deepStrictEqual(
            mocks.byType(ENTRA_SP).map((a) => a.inputs.owners),
            [[DEPLOYER], [DEPLOYER]],
        );
        for (const pw of mocks.byType(PASSWORD))
            assert.ok(pw.inputs.endDate && pw.inputs.rotateWhenChanged, pw.name);
    });
});
