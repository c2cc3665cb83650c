import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import { mocks, settle } from "../support/mocks";
import { MLOPS_PROJECT_TYPE, MlopsProject, MlopsProjectArgs } from "../../projects/mlopsProject";
import { checkWhenKnown } from "../../core/deferredCheck";
import { checkProjectDirectoryPath } from "../../projects/validation";

const PROJECT = "azure-databricks-mlops:index:MlopsProject";
const WSP = "azure-databricks-mlops:index:WorkspaceServicePrincipal";
const SP = "databricks:index/servicePrincipal:ServicePrincipal";
const MEMBER = "databricks:index/groupMember:GroupMember";
const DIR = "databricks:index/directory:Directory";
const PERMS = "databricks:index/permissions:Permissions";
const TOKEN = "pulumi-nodejs:dynamic/aad:Token";
const GET_GROUP = "databricks:index/getGroup:getGroup";

const TENANT = "11111111-2222-3333-4444-555555555555";
const STAGING_APP = "aaaaaaaa-0000-0000-0000-000000000001";
const PROD_APP = "aaaaaaaa-0000-0000-0000-000000000002";

/** getGroup answers with an id naming the group and the workspace it was looked up in. */
function answerGroupLookups(): void {
    mocks.onCall(GET_GROUP, (a) => {
        const ws = /staging/.test(a.provider ?? "")
            ? "staging"
            : /prod/.test(a.provider ?? "")
              ? "prod"
              : "none";
        return { id: `group:${a.inputs.displayName}@${ws}`, displayName: a.inputs.displayName };
    });
}

/** The staging and prod connections (Azure CLI auth). */
function providers(): Pick<MlopsProjectArgs, "staging" | "prod"> {
    return {
        staging: { host: "https://adb-2.2.azuredatabricks.net" },
        prod: { host: "https://adb-3.3.azuredatabricks.net" },
    };
}

function linkArgs(): MlopsProjectArgs {
    return {
        ...providers(),
        servicePrincipalName: "churn-cicd",
        projectDirectoryPath: "/Projects/churn",
        servicePrincipals: {
            mode: "link",
            staging: {
                clientId: STAGING_APP,
                tenantId: TENANT,
                clientSecret: pulumi.secret("staging-client-secret"),
            },
            prod: { clientId: PROD_APP, aadToken: pulumi.secret("prod-given-token") },
        },
    };
}

async function outputsOf(p: MlopsProject) {
    return {
        projectDirectoryPath: await settle(p.projectDirectoryPath),
        stagingServicePrincipalApplicationId: await settle(p.stagingServicePrincipalApplicationId),
        prodServicePrincipalApplicationId: await settle(p.prodServicePrincipalApplicationId),
        stagingServicePrincipalAadToken: await settle(p.stagingServicePrincipalAadToken),
        prodServicePrincipalAadToken: await settle(p.prodServicePrincipalAadToken),
    };
}

describe("MlopsProject", () => {
    beforeEach(() => {
        mocks.reset();
        answerGroupLookups();
    });

    it("the project's SPs create no clusters by default; allowClusterCreate: true lets them (updated in place)", async () => {
        await mocks.run(() => {
            new MlopsProject("churn", linkArgs());
            new MlopsProject("etl", {
                ...linkArgs(),
                servicePrincipalName: "etl-cicd",
                projectDirectoryPath: "/Projects/etl",
                allowClusterCreate: true,
            });
        });
        for (const env of ["staging", "prod"]) {
            assert.strictEqual(mocks.one(SP, `churn-${env}-sp`).inputs.allowClusterCreate, false);
            assert.strictEqual(mocks.one(SP, `etl-${env}-sp`).inputs.allowClusterCreate, true);
        }
    });

    it("link mode: in each workspace an SP in the looked-up group, the directory, and CAN_MANAGE on it for the SP", async () => {
        let project!: MlopsProject;
        await mocks.run(() => {
            project = new MlopsProject("churn", linkArgs());
        });

        const component = mocks.one(PROJECT, "churn");
        assert.deepStrictEqual(
            component.inputs,
            {},
            "no raw args (secrets) in the component's state",
        );

        for (const [env, app] of [
            ["staging", STAGING_APP],
            ["prod", PROD_APP],
        ] as const) {
            const wsp = mocks.one(WSP, `churn-${env}`);
            assert.deepStrictEqual([wsp.parent, wsp.parentType], ["churn", PROJECT]);

            const sp = mocks.one(SP, `churn-${env}-sp`);
            assert.deepStrictEqual(
                [
                    sp.inputs.applicationId,
                    sp.inputs.displayName,
                    sp.inputs.allowClusterCreate,
                    sp.provider,
                ],
                [app, "churn-cicd", false, `churn-${env}`],
            );

            const member = mocks.one(MEMBER, `churn-${env}-group-member`);
            assert.deepStrictEqual(
                [member.inputs.groupId, member.inputs.memberId, member.provider],
                [`group:mlops-service-principals@${env}`, sp.id, `churn-${env}`],
            );

            const dir = mocks.one(DIR, `churn-${env}-directory`);
            assert.deepStrictEqual(
                [dir.inputs.path, dir.provider, dir.parent],
                ["/Projects/churn", `churn-${env}`, "churn"],
            );

            const perms = mocks.one(PERMS, `churn-${env}-directory-permissions`);
            assert.strictEqual(perms.provider, `churn-${env}`);
            assert.strictEqual(perms.parent, "churn");
            assert.strictEqual(perms.inputs.directoryPath, "/Projects/churn");
            assert.deepStrictEqual(perms.inputs.accessControls, [
                { servicePrincipalName: app, permissionLevel: "CAN_MANAGE" },
            ]);
        }

        // One group lookup per workspace, through that workspace's provider, parented to the project.
        const lookups = mocks.callLog.filter((c) => c.token === GET_GROUP);
        assert.deepStrictEqual(lookups.map((c) => c.inputs.displayName).sort(), [
            "mlops-service-principals",
            "mlops-service-principals",
        ]);
        assert.deepStrictEqual(
            lookups.map((c) => (/staging/.test(c.provider!) ? "staging" : "prod")).sort(),
            ["prod", "staging"],
        );

        // Staging mints its token from the client secret; prod was given one.
        const token = mocks.one(TOKEN);
        assert.strictEqual(token.name, "churn-staging-aad-token");
        assert.deepStrictEqual(
            [token.inputs.clientId, token.inputs.tenantId],
            [STAGING_APP, TENANT],
        );
        assert.ok(token.secretInputs.has("clientSecret"));
        assert.strictEqual(
            mocks.byType("azuread:index/application:Application").length,
            0,
            "link mode creates no Entra app",
        );

        assert.deepStrictEqual(await outputsOf(project), {
            projectDirectoryPath: { value: "/Projects/churn", secret: false },
            stagingServicePrincipalApplicationId: { value: STAGING_APP, secret: false },
            prodServicePrincipalApplicationId: { value: PROD_APP, secret: false },
            stagingServicePrincipalAadToken: {
                value: "aad-token-of-churn-staging-aad-token",
                secret: true,
            },
            prodServicePrincipalAadToken: { value: "prod-given-token", secret: true },
        });
        assert.strictEqual(project.stagingServicePrincipalClientSecret, undefined);
    });

    it("link mode with a plain-string AAD token still outputs it as a secret", async () => {
        let project!: MlopsProject;
        await mocks.run(() => {
            const args = linkArgs();
            project = new MlopsProject("p", {
                ...args,
                servicePrincipals: {
                    mode: "link",
                    staging: { clientId: STAGING_APP, aadToken: "plain-1" },
                    prod: { clientId: PROD_APP, aadToken: "plain-2" },
                },
            });
        });
        assert.deepStrictEqual(await settle(project.stagingServicePrincipalAadToken), {
            value: "plain-1",
            secret: true,
        });
        assert.deepStrictEqual(await settle(project.prodServicePrincipalAadToken), {
            value: "plain-2",
            secret: true,
        });
        assert.strictEqual(mocks.byType(TOKEN).length, 0);
    });

    it("create mode: Entra resources use the default azuread provider, or with `entra` one the project builds (credentials secret)", async () => {
        await mocks.run(() => {
            new MlopsProject("fraud", {
                ...providers(),
                servicePrincipalName: "fraud-cicd",
                projectDirectoryPath: "/Shared/fraud",
                servicePrincipals: { mode: "create", tenantId: TENANT },
            });
            new MlopsProject("churn", {
                ...providers(),
                servicePrincipalName: "churn-cicd",
                projectDirectoryPath: "/Projects/churn",
                servicePrincipals: {
                    mode: "create",
                    tenantId: TENANT,
                    entra: {
                        clientId: STAGING_APP,
                        clientSecret: "entra-secret",
                        providerAliases: ["urn:pulumi:test::p::pulumi:providers:azuread::old"],
                    },
                },
            });
        });
        assert.deepStrictEqual(
            mocks
                .byType("azuread:index/application:Application")
                .map((a) => `${a.name} ${a.provider ?? "default"}`)
                .sort(),
            [
                "churn-prod-app churn-entra",
                "churn-staging-app churn-entra",
                "fraud-prod-app default",
                "fraud-staging-app default",
            ],
        );
        const entra = mocks.one("pulumi:providers:azuread", "churn-entra");
        assert.deepStrictEqual(
            [entra.parent, entra.inputs.tenantId, entra.inputs.clientId, entra.inputs.clientSecret],
            ["churn", TENANT, STAGING_APP, "entra-secret"],
        );
        assert.ok(entra.secretInputs.has("clientSecret"));
        assert.deepStrictEqual(entra.opts.aliases, [
            "urn:pulumi:test::p::pulumi:providers:azuread::old",
        ]);
    });

    it("entra: a client id without its secret is refused by name", async () => {
        await assert.rejects(
            mocks.run(() => {
                new MlopsProject("churn", {
                    ...providers(),
                    servicePrincipalName: "c",
                    projectDirectoryPath: "/Projects/c",
                    servicePrincipals: {
                        mode: "create",
                        tenantId: TENANT,
                        entra: { clientId: STAGING_APP },
                    },
                });
            }),
            /servicePrincipals\.entra\.clientSecret: give clientId and clientSecret together/,
        );
    });

    it("create mode: an Entra app, SP and password per workspace, linked and tokened; a custom group name is looked up", async () => {
        let project!: MlopsProject;
        await mocks.run(() => {
            project = new MlopsProject("fraud", {
                ...providers(),
                servicePrincipalName: "fraud-cicd",
                projectDirectoryPath: "/Shared/fraud",
                servicePrincipals: { mode: "create", tenantId: TENANT },
                servicePrincipalGroupName: "team-sps",
            });
        });
        for (const env of ["staging", "prod"]) {
            const app = mocks.one("azuread:index/application:Application", `fraud-${env}-app`);
            assert.strictEqual(app.inputs.displayName, `fraud-cicd (${env})`);
            assert.strictEqual(app.parent, `fraud-${env}`);
            mocks.one("azuread:index/servicePrincipal:ServicePrincipal", `fraud-${env}-entra-sp`);
            mocks.one(
                "azuread:index/applicationPassword:ApplicationPassword",
                `fraud-${env}-password`,
            );
            assert.strictEqual(
                mocks.one(SP, `fraud-${env}-sp`).inputs.applicationId,
                `client-id-of-fraud-${env}-app`,
            );
            assert.strictEqual(
                mocks.one(MEMBER, `fraud-${env}-group-member`).inputs.groupId,
                `group:team-sps@${env}`,
            );
            const tok = mocks.one(TOKEN, `fraud-${env}-aad-token`);
            assert.deepStrictEqual(
                [tok.inputs.tenantId, tok.inputs.clientSecret],
                [TENANT, `password-of-fraud-${env}-password`],
            );
            assert.ok(tok.secretInputs.has("clientSecret"));
            assert.deepStrictEqual(
                mocks.one(PERMS, `fraud-${env}-directory-permissions`).inputs.accessControls,
                [
                    {
                        servicePrincipalName: `client-id-of-fraud-${env}-app`,
                        permissionLevel: "CAN_MANAGE",
                    },
                ],
            );
        }
        const out = await outputsOf(project);
        assert.deepStrictEqual(out.stagingServicePrincipalApplicationId, {
            value: "client-id-of-fraud-staging-app",
            secret: false,
        });
        assert.deepStrictEqual(out.prodServicePrincipalAadToken, {
            value: "aad-token-of-fraud-prod-aad-token",
            secret: true,
        });
        assert.deepStrictEqual(await settle(project.prodServicePrincipalClientSecret!), {
            value: "password-of-fraud-prod-password",
            secret: true,
        });
        assert.deepStrictEqual(
            [
                (project.workspaceProviders.staging as any).__name,
                (project.workspaceProviders.prod as any).__name,
            ],
            ["fraud-staging", "fraud-prod"],
        );
    });

    it("mintAadTokens false: no AadToken dynamic resource (other languages), no minted token outputs; a given token is still output", async () => {
        let created!: MlopsProject;
        let linked!: MlopsProject;
        await mocks.run(() => {
            created = new MlopsProject("fraud", {
                ...providers(),
                servicePrincipalName: "fraud-cicd",
                projectDirectoryPath: "/Shared/fraud",
                servicePrincipals: { mode: "create", tenantId: TENANT },
                mintAadTokens: false,
            });
            linked = new MlopsProject("churn", { ...linkArgs(), mintAadTokens: false });
        });
        assert.deepStrictEqual(
            mocks.resources
                .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"))
                .map((r) => r.name),
            [],
        );
        assert.deepStrictEqual(
            [
                created.stagingServicePrincipalAadToken,
                created.prodServicePrincipalAadToken,
                linked.stagingServicePrincipalAadToken,
            ],
            [undefined, undefined, undefined],
        );
        assert.deepStrictEqual(
            await settle(linked.prodServicePrincipalAadToken!),
            { value: "prod-given-token", secret: true },
            "the given prod token needs no minting",
        );
        // Everything else is as with the default: the SPs, their secrets and the directory.
        assert.deepStrictEqual(await settle(created.prodServicePrincipalClientSecret!), {
            value: "password-of-fraud-prod-password",
            secret: true,
        });
        assert.strictEqual(mocks.byType(DIR).length, 4);
    });

    it("mintAadTokens must be a boolean", async () => {
        await assert.rejects(
            mocks.run(
                () =>
                    void new MlopsProject("churn", { ...linkArgs(), mintAadTokens: "no" as never }),
            ),
            (e: Error) =>
                pulumi.InputPropertiesError.isInstance(e) &&
                /- mintAadTokens: must be true .* or false/.test(e.message),
        );
        assert.strictEqual(mocks.byType(PROJECT).length, 0);
    });

    it("takes the group from the trio: the lookups use its name output and wait for the whole trio (dependsOn)", async () => {
        const captured: Record<string, pulumi.Input<string>> = {};
        let trio!: pulumi.ComponentResource;
        let prodGroup!: databricks.Group;
        await mocks.run(() => {
            // Capture GroupMember inputs as registered, to ask Pulumi which resources they depend on.
            pulumi.runtime.registerStackTransformation((a) => {
                if (a.type === MEMBER) captured[a.name] = a.props.groupId;
                return undefined;
            });
            const p = providers();
            // Stands in for MlopsWorkspaces: a group per workspace; the name output comes from prod's.
            trio = new pulumi.ComponentResource("test:index:Trio", "trio");
            const ws = (env: string) =>
                new databricks.Provider(`trio-${env}`, {
                    host: `https://adb-${env}.azuredatabricks.net`,
                });
            new databricks.Group(
                "trio-staging-group",
                { displayName: "mlops-sps-from-trio" },
                { parent: trio, provider: ws("staging") },
            );
            prodGroup = new databricks.Group(
                "trio-prod-group",
                { displayName: "mlops-sps-from-trio" },
                { parent: trio, provider: ws("prod") },
            );
            new MlopsProject(
                "churn",
                { ...linkArgs(), ...p, servicePrincipalGroupName: prodGroup.displayName },
                { dependsOn: [trio] },
            );
        });
        const lookups = mocks.callLog.filter((c) => c.token === GET_GROUP);
        assert.deepStrictEqual(
            lookups.map((c) => c.inputs.displayName),
            ["mlops-sps-from-trio", "mlops-sps-from-trio"],
        );
        assert.strictEqual(
            mocks.one(MEMBER, "churn-prod-group-member").inputs.groupId,
            "group:mlops-sps-from-trio@prod",
        );
        assert.deepStrictEqual(
            ((mocks.one(PROJECT, "churn").opts.dependsOn ?? []) as pulumi.Resource[]).map(
                (r) => (r as any).__name,
            ),
            ["trio"],
        );
        for (const env of ["staging", "prod"]) {
            const groupId = pulumi.output(captured[`churn-${env}-group-member`]) as unknown as {
                allResources(): Promise<Set<pulumi.Resource>>;
            };
            const deps = await groupId.allResources();
            // The engine expands the component to its children, so staging's membership waits for staging's group too.
            assert.ok(deps.has(trio), `churn-${env}-group-member depends on the trio`);
            assert.ok(
                deps.has(prodGroup),
                `churn-${env}-group-member depends on the group named by the trio's output`,
            );
        }
    });

    it("without the trio, a plain group name is looked up with no extra dependencies", async () => {
        const captured: Record<string, pulumi.Input<string>> = {};
        await mocks.run(() => {
            pulumi.runtime.registerStackTransformation((a) => {
                if (a.type === MEMBER) captured[a.name] = a.props.groupId;
                return undefined;
            });
            new MlopsProject("churn", { ...linkArgs(), servicePrincipalGroupName: "existing-sps" });
        });
        assert.strictEqual(
            mocks.one(MEMBER, "churn-staging-group-member").inputs.groupId,
            "group:existing-sps@staging",
        );
        const deps = await (
            pulumi.output(captured["churn-staging-group-member"]) as unknown as {
                allResources(): Promise<Set<pulumi.Resource>>;
            }
        ).allResources();
        assert.deepStrictEqual([...deps], []);
    });

    it("createParentDirectories: declares missing parents outermost first, kept on delete, before the project directory", async () => {
        await mocks.run(() => {
            new MlopsProject("churn", {
                ...linkArgs(),
                projectDirectoryPath: "/Projects/team/churn",
                createParentDirectories: true,
            });
        });
        for (const env of ["staging", "prod"]) {
            const outer = mocks.one(DIR, `churn-${env}-parent-Projects`);
            const inner = mocks.one(DIR, `churn-${env}-parent-Projects-team`);
            const project = mocks.one(DIR, `churn-${env}-directory`);
            assert.deepStrictEqual(
                [outer.inputs.path, inner.inputs.path, project.inputs.path],
                ["/Projects", "/Projects/team", "/Projects/team/churn"],
            );
            assert.deepStrictEqual(
                [outer.provider, inner.provider],
                [`churn-${env}`, `churn-${env}`],
            );
            assert.strictEqual(outer.opts.retainOnDelete, true);
            assert.strictEqual(inner.opts.retainOnDelete, true);
            assert.strictEqual(
                project.opts.retainOnDelete,
                undefined,
                "the project directory itself is deleted with the project",
            );
            assert.deepStrictEqual(
                ((inner.opts.dependsOn ?? []) as pulumi.Resource[]).map((r) => (r as any).__name),
                [`churn-${env}-parent-Projects`],
            );
            assert.deepStrictEqual(
                ((project.opts.dependsOn ?? []) as pulumi.Resource[]).map((r) => (r as any).__name),
                [`churn-${env}-parent-Projects-team`],
            );
        }
        assert.strictEqual(mocks.byType(DIR).length, 6);
    });

    it("declares no parent folders by default, nor built-in ones with the flag", async () => {
        await mocks.run(() => {
            new MlopsProject("a", { ...linkArgs(), projectDirectoryPath: "/Projects/team/a" });
            new MlopsProject("b", {
                ...linkArgs(),
                projectDirectoryPath: "/Users/ana@contoso.com/b",
                createParentDirectories: true,
            });
        });
        assert.deepStrictEqual(
            mocks
                .byType(DIR)
                .map((d) => d.name)
                .sort(),
            ["a-prod-directory", "a-staging-directory", "b-prod-directory", "b-staging-directory"],
        );
    });

    it("two projects in one stack get their own resources, keyed by name", async () => {
        await mocks.run(() => {
            const p = providers();
            new MlopsProject("churn", { ...linkArgs(), ...p });
            new MlopsProject("fraud", {
                ...linkArgs(),
                ...p,
                projectDirectoryPath: "/Projects/fraud",
                servicePrincipalName: "fraud-cicd",
            });
        });
        assert.deepStrictEqual(
            mocks
                .byType(PROJECT)
                .map((r) => r.name)
                .sort(),
            ["churn", "fraud"],
        );
        assert.deepStrictEqual(
            mocks
                .byType(DIR)
                .map((d) => `${d.name}=${d.inputs.path}`)
                .sort(),
            [
                "churn-prod-directory=/Projects/churn",
                "churn-staging-directory=/Projects/churn",
                "fraud-prod-directory=/Projects/fraud",
                "fraud-staging-directory=/Projects/fraud",
            ],
        );
        assert.strictEqual(mocks.one(SP, "fraud-staging-sp").inputs.displayName, "fraud-cicd");
    });

    it("rejects bad arguments with one InputPropertiesError naming each property, before registering anything", async () => {
        await assert.rejects(
            mocks.run(() => {
                const p = providers();
                new MlopsProject("bad", {
                    staging: p.staging,
                    prod: { host: "" },
                    servicePrincipalName: "",
                    projectDirectoryPath: "Projects/churn/",
                    servicePrincipals: {
                        mode: "link",
                        staging: { clientId: STAGING_APP },
                        prod: { clientId: "prod-app", aadToken: "t" },
                    },
                    servicePrincipalGroupName: " ",
                });
            }),
            (e: Error) => {
                assert.ok(pulumi.InputPropertiesError.isInstance(e), "an InputPropertiesError");
                const paths = (e as pulumi.InputPropertiesError).errors.map((x) => x.propertyPath);
                assert.deepStrictEqual(paths, [
                    "prod.host",
                    "servicePrincipalName",
                    "projectDirectoryPath",
                    "servicePrincipalGroupName",
                    "servicePrincipals.staging.clientSecret",
                    "servicePrincipals.staging.tenantId",
                    "servicePrincipals.prod.clientId",
                ]);
                assert.match(
                    e.message,
                    /servicePrincipals\.prod\.clientId: must be a GUID client \(application\) id/,
                );
                assert.match(
                    e.message,
                    /Invalid arguments for azure-databricks-mlops:index:MlopsProject "bad"/,
                );
                assert.match(e.message, /projectDirectoryPath: must be absolute/);
                return true;
            },
        );
        assert.deepStrictEqual(
            mocks.resources
                .filter(
                    (r) =>
                        r.type !== "pulumi:providers:databricks" &&
                        r.type !== "pulumi:pulumi:Stack",
                )
                .map((r) => r.type),
            [],
            "nothing registered, not even the component",
        );
    });

    it("rejects a missing or unknown servicePrincipals mode and createParentDirectories with an Output path", async () => {
        await assert.rejects(
            mocks.run(() => {
                new MlopsProject("bad", {
                    ...linkArgs(),
                    projectDirectoryPath: pulumi.output("/Projects/x"),
                    createParentDirectories: true,
                    servicePrincipals: { mode: "borrow" } as any,
                });
            }),
            (e: Error) =>
                /createParentDirectories: needs projectDirectoryPath as a plain string/.test(
                    e.message,
                ) && /servicePrincipals: must be/.test(e.message),
        );
    });

    it("defers checks of Output and Promise inputs instead of rejecting them", async () => {
        await mocks.run(() => {
            new MlopsProject("later", {
                ...linkArgs(),
                servicePrincipalName: Promise.resolve("later-cicd"),
                projectDirectoryPath: pulumi.output("/Projects/later"),
                servicePrincipalGroupName: Promise.resolve("later-sps"),
            });
        });
        assert.strictEqual(mocks.one(SP, "later-prod-sp").inputs.displayName, "later-cicd");
        assert.strictEqual(mocks.one(DIR, "later-prod-directory").inputs.path, "/Projects/later");
        assert.strictEqual(
            mocks.one(MEMBER, "later-prod-group-member").inputs.groupId,
            "group:later-sps@prod",
        );
    });

    it("checks Output values once they resolve, failing with an InputPropertiesError naming the property", async () => {
        // Output values are known only at deployment; the component feeds its children through this check.
        const promiseOf = (o: pulumi.Input<string>) =>
            (pulumi.output(o) as unknown as { promise(): Promise<string> }).promise();
        const check = (path: pulumi.Input<string>) =>
            checkWhenKnown(
                path,
                "projectDirectoryPath",
                checkProjectDirectoryPath,
                MLOPS_PROJECT_TYPE,
                "later",
            );
        await assert.rejects(promiseOf(check(pulumi.output("/Projects/../x"))), (e: Error) => {
            assert.ok(
                pulumi.InputPropertiesError.isInstance(e),
                `an InputPropertiesError, got ${e}`,
            );
            assert.deepStrictEqual(
                (e as pulumi.InputPropertiesError).errors.map((x) => x.propertyPath),
                ["projectDirectoryPath"],
            );
            assert.match(
                e.message,
                /MlopsProject "later":\n  - projectDirectoryPath: must not contain '\.\.' segments/,
            );
            return true;
        });
        assert.strictEqual(await promiseOf(check(pulumi.output("/Projects/x"))), "/Projects/x");
    });
});
