/**
 * Checks of a CI/CD credential setting (`{ method, issuer?, subject?, audiences?, subjectClaim? }`),
 * shared by the components (property paths) and the config readers (full config keys).
 */
import { Problems, describe } from "../core";
import { CICD_CREDENTIAL_METHODS, CicdCredentialMethod } from "./modes";

/** Well-known OIDC issuers, for the docs and error messages. */
export const KNOWN_ISSUERS = {
    githubActions: "https://token.actions.githubusercontent.com",
    azureDevOps: "https://vstoken.dev.azure.com/<organization id>",
};

/** The shape of a CI/CD credential setting, as far as checks need it. */
export interface CicdCredentialShape {
    readonly method?: unknown;
    readonly issuer?: unknown;
    readonly subject?: unknown;
    readonly audiences?: unknown;
    readonly subjectClaim?: unknown;
}

/**
 * Checks one CI/CD credential setting; `path` prefixes each problem. Returns whether it needs the
 * account-level provider (a federation policy is an account API).
 */
export function checkCicdCredential(
    problems: Problems,
    path: string,
    c: CicdCredentialShape | undefined,
    isKnown: (v: unknown) => boolean,
): boolean {
    if (c === undefined) return false;
    if (typeof c !== "object" || c === null || Array.isArray(c)) {
        problems.add(
            path,
            `must be { method: ${CICD_CREDENTIAL_METHODS.join(" | ")}, … }, got ${describe(c)}`,
        );
        return false;
    }
    const method = c.method ?? CicdCredentialMethod.OAuthSecret;
    if (!CICD_CREDENTIAL_METHODS.includes(method as string)) {
        problems.add(
            `${path}.method`,
            `must be one of ${CICD_CREDENTIAL_METHODS.join(", ")} (default oauth-secret), got ${describe(c.method)}`,
        );
        return false;
    }
    const federationKeys = ["issuer", "subject", "audiences", "subjectClaim"] as const;
    if (method !== CicdCredentialMethod.Federation) {
        for (const k of federationKeys)
            if (c[k] !== undefined)
                problems.add(
                    `${path}.${k}`,
                    `only applies with method federation (method is ${method}); remove it`,
                );
        return false;
    }
    if (c.issuer === undefined)
        problems.add(
            `${path}.issuer`,
            `is required with method federation: the token issuer, e.g. ${KNOWN_ISSUERS.githubActions} (GitHub Actions) or ${KNOWN_ISSUERS.azureDevOps}`,
        );
    else if (
        isKnown(c.issuer) &&
        !(typeof c.issuer === "string" && /^https:\/\/[^\s/]+(\/\S*)?$/.test(c.issuer))
    ) {
        problems.add(
            `${path}.issuer`,
            `must be an https:// issuer URL like ${KNOWN_ISSUERS.githubActions}, got ${describe(c.issuer)}`,
        );
    }
    if (c.subject === undefined)
        problems.add(
            `${path}.subject`,
            "is required with method federation: the workload's subject claim, e.g. repo:contoso/churn:environment:prod",
        );
    else if (isKnown(c.subject) && !(typeof c.subject === "string" && c.subject.trim() !== ""))
        problems.add(`${path}.subject`, `must be a non-empty subject, got ${describe(c.subject)}`);
    if (
        c.subjectClaim !== undefined &&
        isKnown(c.subjectClaim) &&
        !(typeof c.subjectClaim === "string" && c.subjectClaim.trim() !== "")
    ) {
        problems.add(
            `${path}.subjectClaim`,
            `must be a claim name (default sub), got ${describe(c.subjectClaim)}`,
        );
    }
    if (c.audiences !== undefined && isKnown(c.audiences)) {
        if (!Array.isArray(c.audiences) || c.audiences.length === 0)
            problems.add(
                `${path}.audiences`,
                `must be a non-empty list of audiences (default: the Databricks account id), got ${describe(c.audiences)}`,
            );
        else
            c.audiences.forEach((a, i) => {
                if (isKnown(a) && !(typeof a === "string" && a.trim() !== ""))
                    problems.add(
                        `${path}.audiences[${i}]`,
                        `must be a non-empty audience, got ${describe(a)}`,
                    );
            });
    }
    return true;
}
