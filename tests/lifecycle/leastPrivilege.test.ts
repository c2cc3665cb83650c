/**
 * Day 2: the registry-reader SPs create no clusters unless asked,
 * and a project refuses a built-in folder as its directory (it sets an authoritative CAN_MANAGE there).
 */
import * as assert from "assert";
import { mocks } from "../support/mocks";
import { MlopsWorkspaces } from "../../workspaces/mlopsWorkspaces";
import { MlopsProject } from "../../projects/mlopsProject";
import { loadStackConfig } from "../../program/config";
import { linkArgs, HOSTS, STAGING_CLIENT, PROD_CLIENT, TENANT } from "../workspaces/fixtures";
import { LINK_SECRETS, linkTrio, withConfig } from "../program/workspacesConfigFixtures";

const SP = "databricks:index/servicePrincipal:ServicePrincipal";

describe("day 2: registry-reader SPs and cluster creation", () => {
    beforeEach(() => mocks.reset());

    it("by default the staging and prod SPs may not create clusters", async () => {
        await mocks.run(() => {
            new MlopsWorkspaces("mlops", linkArgs());
        });
        assert.deepStrictEqual(
            mocks.byType(SP).map((s) => [s.name, s.inputs.allowClusterCreate]),
            [
                ["mlops-staging-sp", false],
                ["mlops-prod-sp", false],
            ],
        );
    });

    it("allowClusterCreate: true restores the Terraform modules' behaviour", async () => {
        await mocks.run(() => {
            new MlopsWorkspaces("mlops", linkArgs({ allowClusterCreate: true }));
        });
        assert.deepStrictEqual(
            mocks.byType(SP).map((s) => s.inputs.allowClusterCreate),
            [true, true],
        );
    });

    it("a non-boolean allowClusterCreate is refused, naming the setting, in the component and in stack config", async () => {
        await assert.rejects(
            mocks.run(() => {
                new MlopsWorkspaces(
                    "mlops",
                    linkArgs({ allowClusterCreate: "yes" as unknown as boolean }),
                );
            }),
            /- allowClusterCreate: must be true or false/,
        );
        assert.throws(
            () =>
                withConfig(
                    { workspaces: { ...linkTrio(), allowClusterCreate: "yes" }, ...LINK_SECRETS },
                    Object.keys(LINK_SECRETS),
                    (c) => loadStackConfig(c),
                ),
            /azure-databricks-mlops:workspaces\.allowClusterCreate: must be true or false/,
        );
        const ok = withConfig(
            { workspaces: { ...linkTrio(), allowClusterCreate: true }, ...LINK_SECRETS },
            Object.keys(LINK_SECRETS),
            (c) => loadStackConfig(c),
        );
        assert.strictEqual(ok.workspaces!.allowClusterCreate, true);
    });
});

describe("day 2: built-in folders refused as projectDirectoryPath", () => {
    beforeEach(() => {
        mocks.reset();
        mocks.onCall("databricks:index/getGroup:getGroup", (a) => ({
            id: `group-${a.inputs.displayName}`,
            displayName: a.inputs.displayName,
        }));
    });
    const project = (path: string) =>
        mocks.run(() => {
            new MlopsProject("churn", {
                staging: { host: HOSTS.staging },
                prod: { host: HOSTS.prod },
                servicePrincipalName: "churn-cicd",
                projectDirectoryPath: path,
                servicePrincipals: {
                    mode: "link",
                    staging: { clientId: STAGING_CLIENT, tenantId: TENANT, clientSecret: "s" },
                    prod: { clientId: PROD_CLIENT, tenantId: TENANT, clientSecret: "p" },
                },
            });
        });

    for (const dir of [
        "/Shared",
        "/Users/ana@contoso.com",
        "/Workspace/Users",
        "/Repos",
        "/Workspace/Shared",
    ]) {
        it(`MlopsProject refuses ${dir} before registering anything`, async () => {
            await assert.rejects(project(dir), (e: Error) => {
                assert.match(e.message, /- projectDirectoryPath: must not be a built-in folder/);
                assert.ok(e.message.includes(`like "${dir}/churn"`), e.message);
                return true;
            });
            assert.deepStrictEqual(
                mocks.resources
                    .map((r) => r.type)
                    .filter(
                        (t) =>
                            t.startsWith("databricks:") || t.startsWith("azure-databricks-mlops:"),
                    ),
                [],
            );
        });
    }

    it("a folder below a built-in one is fine", async () => {
        await project("/Shared/churn");
        assert.strictEqual(
            mocks.one("databricks:index/directory:Directory", "churn-staging-directory").inputs
                .path,
            "/Shared/churn",
        );
    });
});
