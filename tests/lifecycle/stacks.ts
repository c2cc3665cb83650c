/**
 * The example stacks the replay runs: Pulumi.dev.yaml and Pulumi.uc.yaml as shipped, variants of
 * them for the modes they do not show (created principals, given tokens, workspace auth methods,
 * created catalogs, registry replicas), and the minimal stack files of examples/stacks/. Each is
 * turned into the engine's config environment the way the offline demo does it (demo/stackConfig.ts).
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { StackConfigEnv, stackConfigEnv } from "../../demo/stackConfig";
import { DEFAULT_TOKEN_ROTATION_DAYS } from "../../workspaces/servicePrincipalToken";

const ROOT = path.resolve(__dirname, "../../..");
const NS = "azure-databricks-mlops";
const TENANT = "00000000-0000-0000-0000-0000000000f0";
const SECURE = { secure: "placeholder" };

type Config = Record<string, any>;

function stack(file: string, edit?: (c: Config) => void): StackConfigEnv {
    const doc = yaml.load(fs.readFileSync(path.join(ROOT, file), "utf8")) as { config: Config };
    const config: Config = {};
    for (const [k, v] of Object.entries(doc.config)) config[k.replace(`${NS}:`, "")] = v;
    edit?.(config);
    const namespaced = Object.fromEntries(
        Object.entries(config).map(([k, v]) => [`${NS}:${k}`, v]),
    );
    return stackConfigEnv(
        fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"),
        yaml.dump({ config: namespaced }),
        file,
    );
}

export interface ExampleStack {
    readonly name: string;
    readonly env: StackConfigEnv;
    /** Days of a PAT rotation period (legacy mode), and of a created client secret's (create mode). */
    readonly tokenRotationDays?: number;
    readonly clientSecretRotationDays?: number;
}

export const EXAMPLE_STACKS: readonly ExampleStack[] = [
    // Legacy link mode, projects (linked and created), SCIM sync, registry (one region).
    {
        name: "Pulumi.dev.yaml",
        env: stack("Pulumi.dev.yaml"),
        tokenRotationDays: 90,
        clientSecretRotationDays: 180,
    },
    {
        // Created principals; rotation periods that do not share a boundary; staging/prod deployers by
        // client secret and by a given token; a project SP by a given token; registry with a replica,
        // lock and identity role.
        name: "Pulumi.dev.yaml, create mode",
        env: stack("Pulumi.dev.yaml", (c) => {
            const w = c.workspaces;
            w.servicePrincipals = { mode: "create", tenantId: TENANT };
            w.tokenRotationDays = 7;
            w.staging.auth = {
                method: "client-secret",
                clientId: "00000000-0000-0000-0000-00000000dddd",
                tenantId: TENANT,
            };
            w.prod.auth = { method: "aad-token" };
            delete c.stagingClientSecret;
            delete c.prodClientSecret;
            c.stagingWorkspaceClientSecret = SECURE;
            c.prodWorkspaceAadToken = SECURE;
            Object.assign(c.mlRegistry, {
                replicationLocations: ["westus3"],
                deleteLock: true,
                identityResourceGroupContributor: true,
            });
            // A linked project principal with a given AAD token instead of a client secret.
            c.projectCredentials.churn.prod = { aadToken: SECURE };
        }),
        tokenRotationDays: 7,
        clientSecretRotationDays: 180,
    },
    // Unity Catalog: created and existing catalogs, OAuth secret and federation, a created project.
    { name: "Pulumi.uc.yaml", env: stack("Pulumi.uc.yaml"), clientSecretRotationDays: 180 },
    {
        name: "Pulumi.uc.yaml, created catalogs and principals",
        env: stack("Pulumi.uc.yaml", (c) => {
            const w = c.workspaces;
            // Created with a storage root written with a final slash (the provider ignores that difference).
            w.catalogs.prod = {
                name: w.catalogs.prod.name,
                storageRoot: "abfss://models@mlopsstorage.dfs.core.windows.net/prod/",
            };
            w.servicePrincipals = { mode: "create", tenantId: TENANT };
            w.cicdCredentials = {
                staging: {
                    method: "federation",
                    issuer: "https://token.actions.githubusercontent.com",
                    subject: "repo:contoso/mlops:environment:staging",
                },
                prod: { method: "oauth-secret" },
            };
            delete c.stagingClientSecret;
            delete c.prodClientSecret;
            c.projects[0].servicePrincipals = {
                mode: "link",
                staging: { clientId: "00000000-0000-0000-0000-00000000c001", tenantId: TENANT },
                prod: { clientId: "00000000-0000-0000-0000-00000000c002", tenantId: TENANT },
            };
            c.projects[0].cicdCredentials = {
                staging: { method: "oauth-secret" },
                prod: { method: "oauth-secret" },
            };
            c.projectCredentials = {
                churn: { staging: { clientSecret: SECURE }, prod: { clientSecret: SECURE } },
            };
        }),
        clientSecretRotationDays: 180,
    },
    // The minimal stack files of docs/getting-started.md, as a newcomer copies them.
    {
        name: "examples/stacks/Pulumi.trio.yaml",
        env: stack("examples/stacks/Pulumi.trio.yaml"),
        tokenRotationDays: DEFAULT_TOKEN_ROTATION_DAYS,
    },
    {
        name: "examples/stacks/Pulumi.trio-projects.yaml",
        env: stack("examples/stacks/Pulumi.trio-projects.yaml"),
        tokenRotationDays: DEFAULT_TOKEN_ROTATION_DAYS,
    },
    {
        name: "examples/stacks/Pulumi.unity-catalog.yaml",
        env: stack("examples/stacks/Pulumi.unity-catalog.yaml"),
    },
    {
        name: "examples/stacks/Pulumi.registry.yaml",
        env: stack("examples/stacks/Pulumi.registry.yaml"),
    },
    { name: "examples/stacks/Pulumi.sync.yaml", env: stack("examples/stacks/Pulumi.sync.yaml") },
];
