/**
 * What the plugin's schema says beyond what the SDK's analyzer can infer from the TypeScript types
 * (`@pulumi/pulumi/provider/experimental/schema.ts` writes no `secret`, no `repository`, and takes
 * type names as they are). Pure: the plugin's provider (provider.ts) serves
 * `servedSchema(inferred)` for GetSchema, and code generators read it for every language's SDK.
 */

/** Input fields that hold credentials, in every connection and principal type that has them. */
export const SECRET_INPUTS: readonly string[] = ["clientSecret", "aadToken"];
/** Outputs that hold credentials: the SPs' AAD tokens, Entra client secrets and Databricks OAuth secrets. */
export const SECRET_OUTPUT = /(AadToken|ClientSecret|OAuthSecret)$/;

export interface SchemaOptions {
    /**
     * The package's source repository (package.json `repository`). Go's code generator derives the
     * module and import path from it (`<host>/<path>/sdk/go/azuredatabricksmlops`), otherwise from
     * `example.com/pulumi-<name>` (pulumi/pulumi pkg/codegen/go/gen.go, ExtractModulePath).
     */
    readonly repository?: string;
}

/**
 * The inferred schema as served: secret leaves and outputs marked, input types without the `Args`
 * suffix (generators append their own: `WorkspaceConnectionArgs` would be `WorkspaceConnectionArgsArgs`
 * in Python, Go and C#), and the repository. Only schema names change: Construct receives plain
 * values, and TypeScript programs use the npm package's own interfaces, whose names stay.
 */
export function servedSchema(inferred: any, options: SchemaOptions = {}): any {
    const schema = JSON.parse(JSON.stringify(inferred));
    for (const type of Object.values<any>(schema.types ?? {})) {
        for (const [key, prop] of Object.entries<any>(type.properties ?? {})) {
            // Only the string leaves: a container marked secret would reach the component as one secret
            // value (YAML and Python wrap it whole), which it refuses.
            if (SECRET_INPUTS.includes(key) && prop.type === "string") prop.secret = true;
        }
    }
    for (const resource of Object.values<any>(schema.resources ?? {})) {
        for (const [key, prop] of Object.entries<any>(resource.properties ?? {})) {
            if (SECRET_OUTPUT.test(key) && prop.type === "string") prop.secret = true;
        }
    }
    renameTypes(schema, typeRenames(schema));
    if (options.repository) schema.repository = options.repository;
    return schema;
}

/** Old token → new token for every object type named `…Args` whose shorter name is free. */
export function typeRenames(schema: any): Map<string, string> {
    const tokens = new Set([
        ...Object.keys(schema.types ?? {}),
        ...Object.keys(schema.resources ?? {}),
    ]);
    const renames = new Map<string, string>();
    for (const [token, type] of Object.entries<any>(schema.types ?? {})) {
        if (type.type !== "object" || !/[^:]Args$/.test(token)) continue;
        const shorter = token.slice(0, -"Args".length);
        if (!tokens.has(shorter) && ![...renames.values()].includes(shorter))
            renames.set(token, shorter);
    }
    return renames;
}

function renameTypes(schema: any, renames: Map<string, string>): void {
    schema.types = Object.fromEntries(
        Object.entries(schema.types ?? {}).map(([token, type]) => [
            renames.get(token) ?? token,
            type,
        ]),
    );
    const visit = (node: any): void => {
        if (Array.isArray(node)) return node.forEach(visit);
        if (!node || typeof node !== "object") return;
        for (const [k, v] of Object.entries(node)) {
            if (k === "$ref" && typeof v === "string" && v.startsWith("#/types/")) {
                const renamed = renames.get(v.slice("#/types/".length));
                if (renamed) node[k] = `#/types/${renamed}`;
            } else visit(v);
        }
    };
    visit(schema.resources);
    visit(schema.types);
}
