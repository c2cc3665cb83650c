export { AadToken, AadTokenArgs, AadTokenRetryArgs, DATABRICKS_SCOPE } from "./aadToken";
export { AadTokenError } from "./aadTokenErrors";
export { ScimSync, ScimSyncArgs, SCIM_SYNC_PROVIDER_VERSION } from "./scimSync";
/** Internal: the ScimSync provider methods, loaded by the serialized provider by package name. */
export { scimSyncMethods } from "./scimSyncMethods";
export { TokenRotation, TokenRotationArgs, TOKEN_ROTATION_PROVIDER_VERSION } from "./tokenRotation";
