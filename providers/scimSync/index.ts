/** The ScimSync dynamic resource, its provider methods and the input checks the stack config reuses. */
export { ScimSync, ScimSyncArgs, SCIM_SYNC_PROVIDER_VERSION } from "./scimSync";
export { scimSyncMethods } from "./methods";
export { SETTING_INPUTS, checkScimSyncInputs } from "./inputs";
