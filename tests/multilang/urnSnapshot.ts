/**
 * URN snapshots of programs under mocks: every registered resource's URN, its provider's URN, its
 * aliases (resolved) and, for providers, their inputs. Used to show that an upgrade of the package
 * replaces nothing: every URN of the "before" snapshot (taken from the code before the connection
 * API, committed as a fixture) must exist after, or be aliased by a resource after.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import { mocks } from "../support/mocks";
import { PACKAGE_ROOT } from "../support/consumerFolder";
import {
    DEPLOYER,
    LINK_SECRETS,
    TENANT,
    legacyFreeTrio,
    linkTrio,
    runRootProgram,
} from "../program/workspacesConfigFixtures";
import {
    churnProject,
    CREATED_CHURN_PROJECT,
    FRAUD_PROJECT,
    PROJECT_CREDENTIALS,
} from "../program/rootProjects";
import { SUB, validSettings } from "../mlRegistry/fixtures";
import { codeBlocks, readDoc } from "../docs/markdown";

export interface UrnEntry {
    urn: string;
    /** URN of the explicit provider, if any. */
    provider?: string;
    /** Aliases given as URNs (resolved). */
    aliases?: string[];
    /** Provider resources only: their inputs (secrets shown as "[secret]"). */
    providerInputs?: Record<string, unknown>;
}

export type UrnSnapshot = Record<string, UrnEntry[]>;

export const BEFORE_FIXTURE = path.join(
    PACKAGE_ROOT,
    "tests",
    "multilang",
    "fixtures",
    "urns-before.json",
);

const GET_GROUP = "databricks:index/getGroup:getGroup";
const CHURN_STAGING_APP = "55555555-5555-5555-5555-555555555555";
const CHURN_PROD_APP = "66666666-6666-6666-6666-666666666666";
const ACCOUNT_ID = "00000000-0000-4000-8000-000000000001";

/** Records URNs of every resource registered while `run` runs (it must go through mocks.run). */
async function collect(run: (setup: () => void) => Promise<unknown>): Promise<UrnEntry[]> {
    const hosts = new Map<string, unknown>();
    const seen: {
        res: pulumi.Resource;
        opts: pulumi.ResourceOptions;
        custom: boolean;
        type: string;
        props: Record<string, any>;
    }[] = [];
    await run(() => {
        mocks.onCall(GET_GROUP, (a) => ({
            id: `group:${a.inputs.displayName}`,
            displayName: a.inputs.displayName,
        }));
        mocks.onCall("azure-native:authorization:getClientConfig", () => ({
            subscriptionId: SUB,
            tenantId: TENANT,
            clientId: "c",
            objectId: "o",
        }));
        mocks.onCall("azuread:index/getClientConfig:getClientConfig", () => ({
            id: "deployer",
            tenantId: TENANT,
            clientId: "c",
            objectId: DEPLOYER,
        }));
        mocks.onCall("databricks:index/getServicePrincipal:getServicePrincipal", (a) => ({
            id: "4000000000000042",
            scimId: "4000000000000042",
            applicationId: a.inputs.applicationId,
        }));
        // As Databricks answers: the workspace URL of the provider's host (0.1 programs could leave `host` out).
        mocks.onCall("databricks:index/getCurrentUser:getCurrentUser", (a) => ({
            id: "me",
            workspaceUrl: hosts.get(a.provider?.split("::")[3] ?? ""),
        }));
        pulumi.runtime.registerStackTransformation((a) => {
            if (a.type === "pulumi:providers:databricks") hosts.set(a.name, a.props.host);
            seen.push({
                res: a.resource,
                opts: a.opts,
                custom: pulumi.CustomResource.isInstance(a.resource),
                type: a.type,
                props: a.props,
            });
            return undefined;
        });
    });
    const entries: UrnEntry[] = [];
    for (const s of seen) {
        const urn = engineUrn(await value(s.res.urn));
        const entry: UrnEntry = { urn };
        const provider = (s.opts as pulumi.CustomResourceOptions).provider;
        if (provider) entry.provider = engineUrn(await value(provider.urn));
        const aliases: string[] = [];
        for (const a of s.opts.aliases ?? []) {
            const v = await value(a as pulumi.Input<string | pulumi.Alias>);
            aliases.push(engineUrn(typeof v === "string" ? v : await aliasUrn(urn, v)));
        }
        if (aliases.length) entry.aliases = aliases;
        if (s.type.startsWith("pulumi:providers:"))
            entry.providerInputs = await plainInputs(s.props);
        entries.push(entry);
    }
    return entries.sort((a, b) => a.urn.localeCompare(b.urn));
}

/**
 * The URN as the engine writes it: the mocks put the root stack's type in front of its children's
 * types (`pulumi:pulumi:Stack$…`), the engine does not (and neither does `pulumi.createUrn`).
 */
export function engineUrn(urn: string): string {
    return urn.replace(/::pulumi:pulumi:Stack\$/, "::");
}

/** The URN an alias object stands for, relative to the resource's own URN (name, type, parent). */
async function aliasUrn(urn: string, a: pulumi.Alias): Promise<string> {
    const [, stack, project, qualifiedType, name] = /^urn:pulumi:(.*?)::(.*?)::(.*?)::(.*)$/.exec(
        urn,
    )!;
    const types = qualifiedType.split("$");
    const type = (await value(a.type ?? types[types.length - 1])) as string;
    let parentTypes = types.slice(0, -1);
    if (a.parent !== undefined) {
        const parentUrn = (
            pulumi.Resource.isInstance(a.parent)
                ? await value(a.parent.urn)
                : await value(a.parent as pulumi.Input<string>)
        ) as string;
        parentTypes = parentUrn.split("::")[2].split("$");
    }
    return `urn:pulumi:${(await value(a.stack ?? stack)) as string}::${(await value(a.project ?? project)) as string}::${[...parentTypes, type].join("$")}::${(await value(a.name ?? name)) as string}`;
}

async function value<T>(v: pulumi.Input<T>): Promise<T> {
    return new Promise<T>((resolve) =>
        pulumi.output(v).apply((x) => {
            resolve(x as T);
            return x;
        }),
    );
}

async function plainInputs(props: Record<string, any>): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(props).sort(([a], [b]) => a.localeCompare(b))) {
        if (v === undefined) continue;
        const o = pulumi.output(v);
        out[k] = (await pulumi.isSecret(o)) ? "[secret]" : await value(o);
    }
    return out;
}

/** Root-program configurations covered by the snapshot. */
function rootConfigs(): Record<string, { values: Record<string, unknown>; secretKeys: string[] }> {
    const linkSecrets = Object.keys(LINK_SECRETS);
    const createSecrets = { stagingWorkspaceClientSecret: "d", prodWorkspaceAadToken: "t" };
    // churn's apps are not the trio's (STAGING_APP, PROD_APP).
    const projects = [churnProject(CHURN_STAGING_APP, CHURN_PROD_APP), FRAUD_PROJECT];
    const federation = {
        method: "federation",
        issuer: "https://token.actions.githubusercontent.com",
        subject: "repo:contoso/mlops:environment:prod",
    };
    return {
        "root: link trio + projects + registry": {
            values: {
                workspaces: linkTrio(),
                ...LINK_SECRETS,
                projects,
                projectCredentials: PROJECT_CREDENTIALS,
                mlRegistry: validSettings,
            },
            secretKeys: [...linkSecrets, "projectCredentials"],
        },
        "root: create trio": {
            values: {
                workspaces: {
                    ...linkTrio(),
                    servicePrincipals: { mode: "create", tenantId: TENANT },
                },
                ...createSecrets,
            },
            secretKeys: Object.keys(createSecrets),
        },
        // The account provider (federation) of the trio and of a project: 0.1's root `account` provider.
        "root: unity-catalog trio + project": {
            values: {
                workspaces: {
                    ...legacyFreeTrio(),
                    modelRegistry: "unity-catalog",
                    catalogs: {
                        dev: { name: "ml_dev" },
                        staging: { name: "ml_staging" },
                        prod: { name: "ml_prod" },
                    },
                    cicdCredentials: { prod: federation },
                    account: { accountId: ACCOUNT_ID },
                },
                ...LINK_SECRETS,
                projects: [{ ...CREATED_CHURN_PROJECT, cicdCredentials: { prod: federation } }],
            },
            secretKeys: linkSecrets,
        },
    };
}

/** The README's TypeScript samples, transpiled and run with `azure-databricks-mlops` resolved to this package. */
function readmeSamples(): { label: string; code: string }[] {
    return codeBlocks("README.md", readDoc("README.md"))
        .filter((b) => /^(ts|typescript)\b/.test(b.info))
        .map((b, i) => ({ label: `README.md sample ${i + 1}`, code: b.code }));
}

function runSample(code: string): Record<string, unknown> {
    const js = ts.transpileModule(code, {
        compilerOptions: {
            module: ts.ModuleKind.CommonJS,
            target: ts.ScriptTarget.ES2022,
            esModuleInterop: true,
        },
    }).outputText;
    const main = path.join(PACKAGE_ROOT, "dist", "publicApi", "index.js");
    const sampleRequire = (id: string) =>
        id === "azure-databricks-mlops"
            ? require(main)
            : require(require.resolve(id, { paths: [PACKAGE_ROOT] }));
    const module = { exports: {} as Record<string, unknown> };
    new Function("require", "exports", "module", js)(sampleRequire, module.exports, module);
    return module.exports;
}

/** Takes the snapshot of the root program configurations and README samples with the code as it is now. */
export async function takeSnapshot(): Promise<UrnSnapshot> {
    const snapshot: UrnSnapshot = {};
    for (const [label, c] of Object.entries(rootConfigs())) {
        snapshot[label] = await collect((setup) => runRootProgram(c.values, c.secretKeys, setup));
    }
    for (const s of readmeSamples()) {
        snapshot[s.label] = await collect(async (setup) => {
            const restore = setSampleConfig();
            mocks.reset();
            try {
                await mocks.run(() => {
                    setup();
                    return runSample(s.code);
                });
            } finally {
                restore();
            }
        });
    }
    return snapshot;
}

/** Config the README's AadToken sample reads. */
function setSampleConfig(): () => void {
    const saved = pulumi.runtime.allConfig();
    pulumi.runtime.setAllConfig(
        {
            "azure-databricks-mlops:tenantId": TENANT,
            "azure-databricks-mlops:clientId": DEPLOYER,
            "azure-databricks-mlops:spSecret": "sp-secret",
        },
        ["azure-databricks-mlops:spSecret"],
    );
    return () => pulumi.runtime.setAllConfig(saved, []);
}

/** Writes the snapshot as the "before" fixture: `node dist/tests/multilang/urnSnapshot.js --write-before`. */
if (require.main === module && process.argv.includes("--write-before")) {
    takeSnapshot().then((s) => {
        fs.mkdirSync(path.dirname(BEFORE_FIXTURE), { recursive: true });
        fs.writeFileSync(BEFORE_FIXTURE, JSON.stringify(s, null, 2) + "\n");
        console.log(
            `wrote ${BEFORE_FIXTURE}: ${Object.values(s).reduce((n, e) => n + e.length, 0)} resources`,
        );
    });
}
