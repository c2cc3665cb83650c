/**
 * Invoke answers the root program needs under the mock engine (unmocked invokes throw there), for
 * the offline demo and the load-cost benchmark.
 * Each section adds the invokes its components call.
 */
import type { CallHandler } from "./mockEngine";

interface InvokeAnswering {
    onCall(token: string, handler: CallHandler): void;
}

export const DEMO_SUBSCRIPTION_ID = "00000000-0000-4000-8000-0000000000aa";

export function answerDemoInvokes(mocks: InvokeAnswering): void {
    // ML registry: the subscription of the deploying identity, for full role definition ids.
    mocks.onCall("azure-native:authorization:getClientConfig", () => ({
        subscriptionId: DEMO_SUBSCRIPTION_ID,
        tenantId: "00000000-0000-4000-8000-000000000002",
        clientId: "00000000-0000-4000-8000-0000000000c0",
        objectId: "00000000-0000-4000-8000-0000000000b0",
    }));
    // Projects: the service-principal group each project's SPs join, looked up by name in each workspace
    // (the provider reference is `<urn>::<id>`; the urn's last part is the provider's name).
    mocks.onCall("databricks:index/getGroup:getGroup", (a) => ({
        id: `demo-group-${a.inputs.displayName}@${a.provider?.split("::")[3] ?? "workspace"}`,
        displayName: a.inputs.displayName,
    }));
}
