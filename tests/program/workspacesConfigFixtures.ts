import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { mocks } from "../support/mocks";

export const NS = "azure-databricks-mlops";
export const TENANT = "22222222-2222-2222-2222-222222222222";
export const STAGING_APP = "11111111-1111-1111-1111-111111111111";
export const PROD_APP = "33333333-3333-3333-3333-333333333333";
export const DEPLOYER = "44444444-4444-4444-4444-444444444444";

/** Sets this stack config (values as YAML gives them; secretKeys marked secret) and returns a restore function. */
export function setConfig(values: Record<string, unknown>, secretKeys: string[]): () => void {
    const saved = pulumi.runtime.allConfig();
    const raw: Record<string, string> = {};
    for (const [k, v] of Object.entries(values))
        raw[`${NS}:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
    pulumi.runtime.setAllConfig(
        raw,
        secretKeys.map((k) => `${NS}:${k}`),
    );
    return () => pulumi.runtime.setAllConfig(saved, []);
}

export function withConfig<T>(
    values: Record<string, unknown>,
    secretKeys: string[],
    fn: (c: pulumi.Config) => T,
): T {
    const restore = setConfig(values, secretKeys);
    try {
        return fn(new pulumi.Config(NS));
    } finally {
        restore();
    }
}

const ROOT_PROGRAM = path.resolve(__dirname, "../../index.js");

/**
 * Runs the root program (index.ts, loaded fresh) under mocks with this stack config. Returns its
 * exports (Outputs) and the resolved stack outputs; throws what the program throws. `setup` runs
 * inside the mocked run just before the program (after the mocks' reset): invoke answers, stack
 * transformations.
 */
export async function runRootProgram(
    values: Record<string, unknown>,
    secretKeys: string[],
    setup?: () => void,
): Promise<{ exported: Record<string, any>; outputs: Record<string, any> }> {
    const restore = setConfig(values, secretKeys);
    mocks.reset();
    try {
        let exported: Record<string, any> = {};
        const outputs = await mocks.run(() => {
            setup?.();
            delete require.cache[ROOT_PROGRAM];
            exported = require(ROOT_PROGRAM);
            return exported;
        });
        return { exported, outputs };
    } finally {
        restore();
    }
}

/** A valid link-mode trio: staging SP by client secret, prod SP by AAD token; three auth methods. */
export function linkTrio(): Record<string, any> {
    return {
        dev: { host: "https://adb-1000000000000001.1.azuredatabricks.net" },
        staging: {
            host: "https://adb-2000000000000002.2.azuredatabricks.net",
            auth: { method: "client-secret", clientId: DEPLOYER, tenantId: TENANT },
        },
        prod: {
            host: "https://prod.example.azuredatabricks.net",
            workspaceId: "3000000000000003",
            auth: { method: "aad-token" },
        },
        servicePrincipals: {
            mode: "link",
            staging: { clientId: STAGING_APP, tenantId: TENANT },
            prod: { clientId: PROD_APP },
        },
        additionalTokenUsageGroups: ["users"],
    };
}

/** The link-mode trio without its legacy-only key (additionalTokenUsageGroups), as a unity-catalog trio has it. */
export function legacyFreeTrio(): Record<string, any> {
    const { additionalTokenUsageGroups: _legacy, ...trio } = linkTrio();
    void _legacy;
    return trio;
}

/** A valid unity-catalog trio: dev and staging catalogs created, prod an existing one; `over` adds or replaces keys. */
export function ucTrio(over: Record<string, unknown> = {}): Record<string, any> {
    return {
        ...legacyFreeTrio(),
        modelRegistry: "unity-catalog",
        catalogs: {
            dev: { name: "ml_dev" },
            staging: { name: "ml_staging" },
            prod: { name: "ml_prod", create: false },
        },
        ...over,
    };
}

export const LINK_SECRETS = {
    stagingClientSecret: "staging-sp-secret",
    prodAadToken: "prod-sp-token",
    stagingWorkspaceClientSecret: "deployer-secret",
    prodWorkspaceAadToken: "deployer-token",
};
