/**
 * UnityCatalogProject: a project's own schemas in the staging and prod catalogs (`modelRegistry:
 * unity-catalog`), with grants, one per principal and securable: its CI/CD principal registers and
 * serves models there (USE SCHEMA, CREATE MODEL, EXECUTE) and nowhere else; the readers group reads
 * them (USE SCHEMA, EXECUTE) from the workspaces the catalogs are bound to. USE CATALOG for the
 * principal only where the catalog is the package's (`grantUseCatalog`). See docs/unity-catalog.md.
 */
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import {
    Problems,
    checkWhenKnown,
    isDeferred,
    deployTargets,
    DeployTarget,
    flatPerEnv,
    perEnv,
} from "../core";
import { checkAccountArgs } from "../workspaces";
import type { CicdCredentialsArgs } from "../workspaces";
import type { AccountConnectionArgs } from "../connections";
import {
    checkUcName,
    checkCicdCredential,
    DEFAULT_MODEL_READERS,
    DEPLOYER_SCHEMA_PRIVILEGES,
    READER_SCHEMA_PRIVILEGES,
    UcPrivilege,
    useCatalogStatements,
} from "../unityCatalog";

export const UNITY_CATALOG_PROJECT_TYPE = "azure-databricks-mlops:index:UnityCatalogProject";

/** The catalog of one environment, as a project sees it. */
export interface ProjectCatalogArgs {
    /** Name of the environment's catalog (the trio's `stagingCatalogName` / `prodCatalogName`). */
    readonly catalogName: pulumi.Input<string>;
    /**
     * Grant the project's principal USE CATALOG on it. Only for a catalog the package created: on one
     * the user brought, a databricks.Grant would replace what the principal holds there. Defaults to false.
     */
    readonly grantUseCatalog?: boolean;
}

export interface ProjectUnityCatalogArgs {
    readonly staging: ProjectCatalogArgs;
    readonly prod: ProjectCatalogArgs;
    /** The project's schema in both catalogs, e.g. `churn`. */
    readonly schemaName: pulumi.Input<string>;
    /** Account-level group that reads the project's models. Defaults to `account users`. */
    readonly readers?: pulumi.Input<string>;
    /** CI/CD credentials of the project's staging and prod SPs. Each defaults to an OAuth secret. */
    readonly cicdCredentials?: CicdCredentialsArgs;
    /** The Databricks account (accountId, how to authenticate); the project builds its account provider (`<project>-account`) from it. Required when a credential uses `federation`. */
    readonly account?: AccountConnectionArgs;
}

export interface UnityCatalogProjectArgs {
    readonly staging: ProjectCatalogArgs;
    readonly prod: ProjectCatalogArgs;
    /** The project's schema in both catalogs. */
    readonly schemaName: pulumi.Input<string>;
    /** Account-level group that reads the project's models. Defaults to `account users`. */
    readonly readers?: pulumi.Input<string>;
    readonly stagingProvider: databricks.Provider;
    readonly prodProvider: databricks.Provider;
    /** Application ids of the project's CI/CD principals. */
    readonly stagingPrincipal: pulumi.Input<string>;
    readonly prodPrincipal: pulumi.Input<string>;
}

export class UnityCatalogProject extends pulumi.ComponentResource {
    // Set from per-environment records (flatPerEnv) in the constructor.
    public readonly stagingModelSchemaName!: pulumi.Output<string>;
    public readonly prodModelSchemaName!: pulumi.Output<string>;
    /** `<catalog>.<schema>` in staging and prod: register the project's models as `<prefix>.<model>`. */
    public readonly stagingModelNamePrefix!: pulumi.Output<string>;
    public readonly prodModelNamePrefix!: pulumi.Output<string>;

    constructor(
        name: string,
        args: UnityCatalogProjectArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        validateProjectUnityCatalogArgs(args).throwAsInputErrors(UNITY_CATALOG_PROJECT_TYPE, name);
        super(UNITY_CATALOG_PROJECT_TYPE, name, {}, opts);
        const schemaName = checkWhenKnown(
            args.schemaName,
            "schemaName",
            checkUcName,
            UNITY_CATALOG_PROJECT_TYPE,
            name,
        );
        const readers = args.readers ?? DEFAULT_MODEL_READERS;

        const inEnv = (env: DeployTarget) => {
            const provider = args[`${env}Provider`];
            const principal = args[`${env}Principal`];
            const childOpts = { parent: this, provider };
            const catalogName = checkWhenKnown(
                args[env].catalogName,
                `${env}.catalogName`,
                checkUcName,
                UNITY_CATALOG_PROJECT_TYPE,
                name,
            );
            const schema = new databricks.Schema(
                `${name}-${env}-schema`,
                {
                    catalogName,
                    name: schemaName,
                    comment: `Registered models of one project in ${env} (azure-databricks-mlops)`,
                },
                childOpts,
            );
            const fullName = pulumi.interpolate`${schema.catalogName}.${schema.name}`;
            new databricks.Grant(
                `${name}-${env}-schema-grant-cicd`,
                { schema: fullName, principal, privileges: DEPLOYER_SCHEMA_PRIVILEGES },
                childOpts,
            );
            new databricks.Grant(
                `${name}-${env}-schema-grant-readers`,
                { schema: fullName, principal: readers, privileges: READER_SCHEMA_PRIVILEGES },
                childOpts,
            );
            if (args[env].grantUseCatalog) {
                new databricks.Grant(
                    `${name}-${env}-catalog-grant-cicd`,
                    {
                        catalog: schema.catalogName,
                        principal,
                        privileges: [UcPrivilege.UseCatalog],
                    },
                    childOpts,
                );
            } else {
                pulumi
                    .all([catalogName, principal])
                    .apply(([catalog, p]) =>
                        pulumi.log.warn(
                            `The ${env} catalog ${catalog} is not created by this stack, so the project's principal gets no USE CATALOG from it ` +
                                `(a databricks.Grant would replace what the principal holds there). Run once, as its owner:\n  ${useCatalogStatements(catalog, [p]).join("")}`,
                            this,
                        ),
                    );
            }
            return { schema, fullName };
        };
        const envs = deployTargets();
        const parts = perEnv(envs, inEnv);
        const outputs = {
            ...flatPerEnv(
                perEnv(envs, (env) => parts[env].schema.name),
                "ModelSchemaName",
            ),
            ...flatPerEnv(
                perEnv(envs, (env) => parts[env].fullName),
                "ModelNamePrefix",
            ),
        } satisfies Pick<
            UnityCatalogProject,
            `${DeployTarget}${"ModelSchemaName" | "ModelNamePrefix"}`
        >;
        Object.assign(this, outputs);
        this.registerOutputs(outputs);
    }
}

/** Plain-value checks (Outputs later, by the constructor); `prefix` names the argument, e.g. `unityCatalog.`. */
export function validateProjectUnityCatalogArgs(
    args: Partial<ProjectUnityCatalogArgs> | undefined,
    problems: Problems = new Problems(),
    prefix = "",
): Problems {
    if (!args || typeof args !== "object") {
        problems.add(
            prefix.replace(/\.$/, "") || "unityCatalog",
            `is required in unity-catalog mode: { ${deployTargets()
                .map((env) => `${env}: { catalogName }`)
                .join(", ")}, schemaName }`,
        );
        return problems;
    }
    for (const env of deployTargets()) {
        const c = args[env];
        if (!c || typeof c !== "object")
            problems.add(
                `${prefix}${env}`,
                `is required: { catalogName, grantUseCatalog? } of the ${env} catalog`,
            );
        else {
            if (!isDeferred(c.catalogName))
                checkUcName(problems, `${prefix}${env}.catalogName`, c.catalogName);
            if (c.grantUseCatalog !== undefined && typeof c.grantUseCatalog !== "boolean")
                problems.add(`${prefix}${env}.grantUseCatalog`, "must be true or false");
        }
    }
    if (!isDeferred(args.schemaName)) checkUcName(problems, `${prefix}schemaName`, args.schemaName);
    const r = args.readers;
    if (r !== undefined && !isDeferred(r) && (typeof r !== "string" || r.trim() === ""))
        problems.add(
            `${prefix}readers`,
            `must be the name of an account-level group, e.g. "${DEFAULT_MODEL_READERS}"`,
        );
    let needsAccount = false;
    for (const env of deployTargets()) {
        if (
            checkCicdCredential(
                problems,
                `${prefix}cicdCredentials.${env}`,
                args.cicdCredentials?.[env],
                (v) => !isDeferred(v),
            )
        )
            needsAccount = true;
    }
    checkAccountArgs(args, needsAccount, prefix, problems);
    return problems;
}
