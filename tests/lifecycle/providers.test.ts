/**
 * Day 2, findings 2 and 3: every Databricks provider the package builds names its auth method, and the
 * providers that act as a service principal use the SP's client secret wherever there is one, so no
 * short-lived token sits in provider state (refresh/destroy configure providers from state,
 * pulumi/pulumi#9107). The trio registers no dynamic resource at all (pulumi/pulumi#5455). Rotation is a
 * program-computed period number, not a dynamic clock.
 */
import * as assert from "assert";
import { mocks, settle } from "../support/mocks";
import { MlopsWorkspaces } from "../../workspaces/mlopsWorkspaces";
import { MlopsWorkspacesArgs } from "../../workspaces/mlopsWorkspacesArgs";
import { workspaceProviderArgs } from "../../connections/workspaceProvider";
import {
    ServicePrincipalToken,
    ServicePrincipalTokenArgs,
} from "../../workspaces/servicePrincipalToken";
import { rotationPeriod } from "../../principals/rotationPeriod";
import {
    createArgs,
    HOSTS,
    linkArgs,
    PROD_CLIENT,
    STAGING_CLIENT,
    TENANT,
} from "../workspaces/fixtures";

const PROVIDER = "pulumi:providers:databricks";
const TOKEN = "databricks:index/token:Token";
const DAY = 86_400_000;

async function build(args: MlopsWorkspacesArgs, nowMs?: number): Promise<MlopsWorkspaces> {
    mocks.reset();
    mocks.onCall("azuread:index/getClientConfig:getClientConfig", () => ({
        objectId: "deployer-object-id",
        clientId: "c",
        tenantId: TENANT,
    }));
    const realNow = Date.now;
    if (nowMs !== undefined) Date.now = () => nowMs;
    let w: MlopsWorkspaces | undefined;
    try {
        await mocks.run(() => {
            w = new MlopsWorkspaces("mlops", args);
        });
    } finally {
        Date.now = realNow;
    }
    return w!;
}

describe("day 2: SP-acting providers authenticate with the client secret; every provider sets authType", () => {
    it("link mode with clientSecret + tenantId: azure-client-secret, no token input, secret kept secret", async () => {
        await build(linkArgs());
        const p = mocks.one(PROVIDER, "mlops-staging-token-provider");
        assert.deepStrictEqual(p.inputs, {
            host: HOSTS.staging,
            authType: "azure-client-secret",
            azureClientId: STAGING_CLIENT,
            azureTenantId: TENANT,
            azureClientSecret: "staging-s3cret",
        });
        assert.ok(p.secretInputs.has("azureClientSecret"));
    });

    it("link mode with only a given AAD token: authType pat with that token (as a secret)", async () => {
        await build(linkArgs());
        const p = mocks.one(PROVIDER, "mlops-prod-token-provider");
        assert.deepStrictEqual(p.inputs, {
            host: HOSTS.prod,
            authType: "pat",
            token: "prod-aad-token",
        });
        assert.ok(p.secretInputs.has("token"));
    });

    it("create mode: azure-client-secret with the created app's client id and password", async () => {
        await build(createArgs());
        for (const env of ["staging", "prod"]) {
            const p = mocks.one(PROVIDER, `mlops-${env}-token-provider`);
            assert.deepStrictEqual(
                [
                    p.inputs.authType,
                    p.inputs.azureClientId,
                    p.inputs.azureTenantId,
                    p.inputs.azureClientSecret,
                    p.inputs.token,
                ],
                [
                    "azure-client-secret",
                    `client-id-of-mlops-${env}-app`,
                    TENANT,
                    `password-of-mlops-${env}-password`,
                    undefined,
                ],
            );
            assert.ok(p.secretInputs.has("azureClientSecret"));
        }
    });

    for (const [mode, args] of [
        [
            "link with client secrets",
            () =>
                linkArgs({
                    servicePrincipals: {
                        mode: "link",
                        staging: { clientId: STAGING_CLIENT, tenantId: TENANT, clientSecret: "s" },
                        prod: { clientId: PROD_CLIENT, tenantId: TENANT, clientSecret: "p" },
                    },
                }),
        ],
        ["create", () => createArgs()],
    ] as const) {
        it(`${mode} mode: the trio registers no dynamic resource (no AadToken, no rotation clock)`, async () => {
            await build(args());
            assert.deepStrictEqual(
                mocks.resources
                    .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"))
                    .map((r) => `${r.type} ${r.name}`),
                [],
            );
        });
    }

    it("every databricks provider the trio builds has an authType", async () => {
        for (const args of [linkArgs(), createArgs()]) {
            await build(args);
            // The SP-acting token providers (client secret or given AAD token)…
            const tokenProviders = mocks
                .byType(PROVIDER)
                .filter((p) => /^mlops-(staging|prod)-token-provider$/.test(p.name));
            assert.strictEqual(tokenProviders.length, 2);
            for (const p of tokenProviders)
                assert.ok(
                    ["azure-client-secret", "pat"].includes(p.inputs.authType),
                    `${p.name}: ${p.inputs.authType}`,
                );
            // …and the admin providers built from the connections (azure-cli, their default here).
            const admin = mocks
                .byType(PROVIDER)
                .filter((p) => /^mlops-(dev|staging|prod)$/.test(p.name));
            assert.deepStrictEqual(admin.map((p) => [p.name, p.inputs.authType]).sort(), [
                ["mlops-dev", "azure-cli"],
                ["mlops-prod", "azure-cli"],
                ["mlops-staging", "azure-cli"],
            ]);
        }
    });

    it("ServicePrincipalToken refuses no credential, both credentials, or a client secret without tenant, before registering", async () => {
        mocks.reset();
        const cases: [Partial<ServicePrincipalTokenArgs>, RegExp][] = [
            [{}, /- clientSecret: or aadToken is required/],
            [
                { clientSecret: "s", tenantId: TENANT, aadToken: "t" },
                /- aadToken: give either clientSecret \+ tenantId or aadToken, not both/,
            ],
            [{ clientSecret: "s" }, /- tenantId: is required with clientSecret/],
        ];
        for (const [creds, reason] of cases) {
            await assert.rejects(
                mocks.run(() => {
                    new ServicePrincipalToken("t", {
                        host: HOSTS.staging,
                        applicationId: STAGING_CLIENT,
                        ...creds,
                    });
                }),
                reason,
            );
        }
        assert.deepStrictEqual(
            mocks.resources.filter(
                (r) => r.type.startsWith("azure-databricks-mlops:") || r.type === PROVIDER,
            ),
            [],
        );
    });

    it("workspaceProviderArgs sets authType for every method (aad-token included)", () => {
        assert.strictEqual(
            workspaceProviderArgs("h", { method: "azure-cli" }).authType,
            "azure-cli",
        );
        assert.strictEqual(
            workspaceProviderArgs("h", {
                method: "client-secret",
                clientId: "c",
                tenantId: "t",
                clientSecret: "s",
            }).authType,
            "azure-client-secret",
        );
        assert.strictEqual(
            workspaceProviderArgs("h", { method: "aad-token", aadToken: "t" }).authType,
            "pat",
        );
    });
});

describe("day 2: token rotation by period number (no dynamic resource)", () => {
    const T0 = Date.parse("2026-01-01T00:00:00.000Z");

    it("rotationPeriod: fixed periods from the epoch; the index changes exactly at a boundary", () => {
        const p = rotationPeriod(90, T0);
        assert.strictEqual(p.index, Math.floor(T0 / (90 * DAY)));
        assert.ok(Date.parse(p.start) <= T0 && T0 < Date.parse(p.end));
        assert.strictEqual(Date.parse(p.end) - Date.parse(p.start), 90 * DAY);
        assert.strictEqual(rotationPeriod(90, Date.parse(p.end) - 1).index, p.index);
        assert.strictEqual(rotationPeriod(90, Date.parse(p.end)).index, p.index + 1);
    });

    it("the token's replacementTrigger and comment carry the period number; same period → same values, next period → new ones", async () => {
        const seen = async (nowMs: number) => {
            const w = await build(linkArgs(), nowMs);
            const tok = mocks.one(TOKEN, "mlops-staging-token-token");
            return {
                trigger: (await settle(tok.opts.replacementTrigger)).value,
                comment: tok.inputs.comment as string,
                rotateAfter: (await settle(w.tokens!.staging.rotateAfter)).value,
            };
        };
        const p = rotationPeriod(90, T0);
        const first = await seen(T0);
        assert.deepStrictEqual(first, {
            trigger: String(p.index),
            comment: `PAT on behalf of ${STAGING_CLIENT} (rotation period ${p.index}, from ${p.start})`,
            rotateAfter: p.end,
        });
        assert.deepStrictEqual(
            await seen(Date.parse(p.end) - 1),
            first,
            "a second up in the same period changes nothing",
        );
        const next = await seen(Date.parse(p.end) + 1);
        assert.strictEqual(next.trigger, String(p.index + 1));
        assert.notStrictEqual(next.comment, first.comment);
    });

    it("tokenRotationDays sets the period length", async () => {
        await build(linkArgs({ tokenRotationDays: 20 }), T0);
        const tok = mocks.one(TOKEN, "mlops-prod-token-token");
        assert.strictEqual(
            (await settle(tok.opts.replacementTrigger)).value,
            String(rotationPeriod(20, T0).index),
        );
    });
});
