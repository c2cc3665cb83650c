/**
 * The created client secret's ForceNew inputs (terraform-provider-azuread
 * internal/services/applications/application_password_resource.go: application_id, display_name,
 * start_date, end_date, end_date_relative, rotate_when_changed are all ForceNew) must equal what the
 * provider keeps in state, and must not follow a display name: otherwise a plain second `pulumi up`
 * mints a new secret and breaks every CI system holding the old one.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { mocks, RecordedResource } from "../support/mocks";
import { MlopsWorkspaces } from "../../workspaces/mlopsWorkspaces";
import { MlopsWorkspacesArgs } from "../../workspaces/mlopsWorkspacesArgs";
import { MlopsProject } from "../../projects/mlopsProject";
import { CLIENT_SECRET_DISPLAY_NAME } from "../../principals/servicePrincipal";
import { rotationPeriod } from "../../principals/rotationPeriod";
import { rfc3339Utc } from "../../principals/entraCredentialDates";
import { graphDateTime as storedCredentialDate } from "./providerRules";
import { createArgs, HOSTS, TENANT } from "../workspaces/fixtures";
import { account, answerLookups, ucArgs } from "../unityCatalog/fixtures";

const PASSWORD = "azuread:index/applicationPassword:ApplicationPassword";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FORCE_NEW = [
    "applicationId",
    "displayName",
    "startDate",
    "endDate",
    "endDateRelative",
    "rotateWhenChanged",
] as const;

async function passwordsAt(nowMs: number, program: () => void): Promise<RecordedResource[]> {
    mocks.reset();
    mocks.onCall("databricks:index/getGroup:getGroup", (a) => ({
        id: `group-${a.inputs.displayName}`,
        displayName: a.inputs.displayName,
    }));
    answerLookups();
    const realNow = Date.now;
    Date.now = () => nowMs;
    try {
        await mocks.run(program);
    } finally {
        Date.now = realNow;
    }
    return mocks.byType(PASSWORD);
}

const trioAndProject = () => {
    const trio = new MlopsWorkspaces("mlops", createArgs());
    new MlopsProject(
        "churn",
        {
            staging: { host: HOSTS.staging },
            prod: { host: HOSTS.prod },
            servicePrincipalName: "churn-cicd",
            projectDirectoryPath: "/Projects/churn",
            servicePrincipals: { mode: "create", tenantId: TENANT },
        },
        { dependsOn: [trio] },
    );
};

/** The ForceNew inputs as the provider holds them in state after creating the password from `inputs`. */
function asStored(inputs: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of FORCE_NEW)
        if (inputs[k] !== undefined)
            out[k] = k === "endDate" ? storedCredentialDate(inputs[k] as string) : inputs[k];
    return out;
}
const forceNewInputs = (inputs: Record<string, unknown>) =>
    Object.fromEntries(FORCE_NEW.filter((k) => inputs[k] !== undefined).map((k) => [k, inputs[k]]));

describe("client secret: the end date as the azuread provider stores it", () => {
    it("storedCredentialDate: whole seconds (Go time.RFC3339 has none), the instant in UTC with Z, as Graph returns it", () => {
        assert.strictEqual(
            storedCredentialDate("2027-08-30T00:00:00.000Z"),
            "2027-08-30T00:00:00Z",
        );
        assert.strictEqual(
            storedCredentialDate("2027-08-30T00:00:05.999Z"),
            "2027-08-30T00:00:05Z",
        );
        assert.strictEqual(
            storedCredentialDate("2027-08-30T02:00:00+02:00"),
            "2027-08-30T00:00:00Z",
        );
        assert.strictEqual(
            storedCredentialDate("2027-08-29T19:30:00-04:30"),
            "2027-08-30T00:00:00Z",
        );
        assert.strictEqual(storedCredentialDate("2027-08-30T00:00:00Z"), "2027-08-30T00:00:00Z");
        assert.throws(() => storedCredentialDate("2027-08-30"), /not an RFC 3339 date-time/);
        assert.strictEqual(
            rfc3339Utc(Date.parse("2027-08-30T00:00:00.250Z")),
            "2027-08-30T00:00:00Z",
        );
    });

    it("every created password's end date is sent exactly as the provider stores it (no diff on the next run)", async () => {
        const t0 = Date.parse(rotationPeriod(180).start) + 5 * HOUR;
        const pws = await passwordsAt(t0, trioAndProject);
        assert.strictEqual(pws.length, 4, pws.map((p) => p.name).join());
        const p = rotationPeriod(180, t0);
        for (const pw of pws) {
            assert.strictEqual(
                pw.inputs.endDate,
                storedCredentialDate(pw.inputs.endDate as string),
                pw.name,
            );
            // Two periods after the period began: renewed a full period before it expires.
            assert.strictEqual(
                pw.inputs.endDate,
                rfc3339Utc(Date.parse(p.start) + 2 * 180 * DAY),
                pw.name,
            );
            // Computed by the provider (now), never sent: a sent start date would be a drifting ForceNew input.
            assert.strictEqual(pw.inputs.startDate, undefined, pw.name);
            assert.strictEqual(pw.inputs.endDateRelative, undefined, pw.name);
        }
    });

    for (const later of [HOUR, DAY]) {
        it(`a run ${later === HOUR ? "an hour" : "a day"} later in the same period registers ForceNew inputs equal to the first run's stored state (no replacement)`, async () => {
            const t0 = Date.parse(rotationPeriod(180).start) + 5 * HOUR;
            const first = await passwordsAt(t0, trioAndProject);
            const state = new Map(first.map((pw) => [pw.name, asStored(pw.inputs)]));
            const second = await passwordsAt(t0 + later, trioAndProject);
            assert.strictEqual(second.length, first.length);
            for (const pw of second)
                assert.deepStrictEqual(forceNewInputs(pw.inputs), state.get(pw.name), pw.name);
        });
    }

    it("across a rotation boundary the password is replaced: rotateWhenChanged and the end date move on by one period", async () => {
        const p = rotationPeriod(180);
        const before = await passwordsAt(Date.parse(p.end) - HOUR, trioAndProject);
        const after = await passwordsAt(Date.parse(p.end) + HOUR, trioAndProject);
        for (const [i, pw] of after.entries()) {
            assert.deepStrictEqual(pw.inputs.rotateWhenChanged, {
                rotationPeriod: `180d-${p.index + 1}`,
            });
            assert.strictEqual(
                Date.parse(pw.inputs.endDate as string) -
                    Date.parse(before[i].inputs.endDate as string),
                180 * DAY,
            );
        }
    });
});

describe("client secret: replacement does not depend on a display name", () => {
    const displayNames = async (over: Partial<MlopsWorkspacesArgs>) => {
        const pws = await passwordsAt(Date.parse("2026-03-01T12:00:00Z"), () => {
            new MlopsWorkspaces(
                "mlops",
                over.modelRegistry === "unity-catalog"
                    ? ucArgs({
                          servicePrincipals: { mode: "create", tenantId: TENANT },
                          account: account(),
                          ...over,
                      })
                    : createArgs(over),
            );
        });
        return pws.map((pw) => ({
            name: pw.name,
            displayName: pw.inputs.displayName,
            ignoreChanges: (pw.opts as pulumi.CustomResourceOptions).ignoreChanges,
        }));
    };

    it("renaming the SPs or switching workspace → unity-catalog (another default name) registers the same password description", async () => {
        const expected = [
            {
                name: "mlops-staging-password",
                displayName: CLIENT_SECRET_DISPLAY_NAME,
                ignoreChanges: ["displayName"],
            },
            {
                name: "mlops-prod-password",
                displayName: CLIENT_SECRET_DISPLAY_NAME,
                ignoreChanges: ["displayName"],
            },
        ];
        assert.deepStrictEqual(await displayNames({}), expected);
        assert.deepStrictEqual(
            await displayNames({ servicePrincipalDisplayName: "Renamed registry reader" }),
            expected,
        );
        assert.deepStrictEqual(await displayNames({ modelRegistry: "unity-catalog" }), expected);
    });

    it("a secret created with an older, name-derived description is kept: displayName is ignored in the diff", async () => {
        // ignoreChanges makes the engine diff the old description against itself (no ForceNew change on upgrade).
        for (const pw of await displayNames({}))
            assert.ok(pw.ignoreChanges?.includes("displayName"), pw.name);
    });
});
