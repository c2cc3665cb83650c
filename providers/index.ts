export { AadToken, AadTokenArgs, AadTokenRetryArgs, DATABRICKS_SCOPE } from "./aadToken/aadToken";
export { AadTokenError } from "./aadToken/errors";
export { ScimSync, ScimSyncArgs, SCIM_SYNC_PROVIDER_VERSION } from "./scimSync/scimSync";
/** Internal: the ScimSync provider methods, loaded by the serialized provider by package name. */
export { scimSyncMethods } from "./scimSync/methods";
export { TokenRotation, TokenRotationArgs, TOKEN_ROTATION_PROVIDER_VERSION } from "./tokenRotation";
