/**
 * Invoke answers the root program needs under the mock engine, shared by the offline demo and the
 * load-cost benchmark so both run the same program. Each section adds the invokes its components call.
 */
import type { CallHandler } from "./mockEngine";

interface InvokeAnswering {
    onCall(token: string, handler: CallHandler): void;
    onAnyCall(handler: CallHandler | undefined): void;
}

/** The subscription the demo pretends to deploy into. */
export const DEMO_SUBSCRIPTION_ID = "00000000-0000-4000-8000-0000000000aa";

export function answerDemoInvokes(mocks: InvokeAnswering): void {
    // Invokes the programs make; anything else gets its inputs back with an id.
    mocks.onAnyCall((a) => ({ id: `demo-${a.token}`, ...a.inputs }));
    mocks.onCall("databricks:index/getCurrentUser:getCurrentUser", (a) => ({
        id: "demo-user",
        userName: "deployer@example.com",
        workspaceUrl: `https://${a.provider?.split("::")[3] ?? "workspace"}.example.azuredatabricks.net`,
    }));
    // ML registry: the deploying identity's subscription, for full role definition ids.
    mocks.onCall("azure-native:authorization:getClientConfig", () => ({
        subscriptionId: DEMO_SUBSCRIPTION_ID,
        tenantId: "00000000-0000-4000-8000-000000000002",
        clientId: "00000000-0000-4000-8000-0000000000c0",
        objectId: "00000000-0000-4000-8000-0000000000b0",
    }));
    // Created Entra apps (create mode): owned by the deploying principal.
    mocks.onCall("azuread:index/getClientConfig:getClientConfig", () => ({
        id: "demo-client-config",
        tenantId: "00000000-0000-4000-8000-000000000002",
        clientId: "00000000-0000-4000-8000-0000000000c0",
        objectId: "00000000-0000-4000-8000-0000000000b0",
    }));
    // Projects: the service-principal group each project's SPs join, looked up by name in each workspace
    // (the provider reference is `<urn>::<id>`; the urn's last part is the provider's name).
    // Unity Catalog mode: an existing catalog the stack names (isolated, as bindings need), and the account's
    // id of a service principal, looked up by application id for its federation policy.
    mocks.onCall("databricks:index/getCatalog:getCatalog", (a) => ({
        id: a.inputs.name,
        name: a.inputs.name,
        catalogInfo: {
            name: a.inputs.name,
            isolationMode: "ISOLATED",
            owner: "data-platform-admins",
        },
    }));
    mocks.onCall("databricks:index/getServicePrincipal:getServicePrincipal", (a) => ({
        // A stable number per application id, as the account would assign one.
        id: accountSpId(String(a.inputs.applicationId)),
        scimId: accountSpId(String(a.inputs.applicationId)),
        applicationId: a.inputs.applicationId,
        displayName: "account service principal",
    }));
    mocks.onCall("databricks:index/getGroup:getGroup", (a) => ({
        id: `demo-group-${a.inputs.displayName}@${a.provider?.split("::")[3] ?? "workspace"}`,
        displayName: a.inputs.displayName,
    }));
}

/** A made-up account SCIM id for an application id: 4000000000000000 plus a small hash of it. */
function accountSpId(applicationId: string): string {
    let h = 0;
    for (const c of applicationId) h = (h * 31 + c.charCodeAt(0)) % 1_000_000;
    return String(4_000_000_000_000_000 + h);
}
