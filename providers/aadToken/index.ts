/** The AadToken dynamic resource and the token client that the principals replicating Entra apps use. */
export { AadToken, AadTokenArgs, AadTokenRetryArgs, DATABRICKS_SCOPE } from "./aadToken";
export { AadTokenError, mintAadToken } from "./client";
export {
    AAD_TOKEN_PROVIDER_VERSION,
    DEFAULT_AAD_TOKEN_RETRY,
    DEFAULT_AUTHORITY_HOST,
} from "./inputs";
