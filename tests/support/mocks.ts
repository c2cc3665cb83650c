/** The mock engine lives with the offline demo (demo/mockEngine.ts), which ships it; tests use the same one. */
export * from "../../demo/mockEngine";
import { mocks } from "../../demo/mockEngine";

/** objectId of the deploying principal, as `azuread.getClientConfig` answers it: created Entra apps are owned by it. */
export const DEPLOYER_OBJECT_ID = "deployer-object-id";

// Every create-mode principal asks who deploys (its owner); an unanswered invoke would hang the program.
mocks.onCall("azuread:index/getClientConfig:getClientConfig", () => ({
    objectId: DEPLOYER_OBJECT_ID,
    clientId: "deployer-client-id",
    tenantId: "deployer-tenant-id",
}));
