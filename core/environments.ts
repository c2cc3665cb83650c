/**
 * The environments, in one table: their names in order, which are deployed to, and which read which.
 * Every per-environment list, type, loop and record below the public API derives from it (Unity
 * Catalog bindings and grants, the legacy secret scopes, the validation loops, the config readers'
 * per-environment keys). The public argument and output types keep their `dev` / `staging` / `prod`
 * fields, so the served schema does not depend on this table's shape.
 *
 * The builders take the table as a parameter (the default one by default), so a test can run them with
 * another table.
 */

/** One environment. */
export interface Environment<N extends string = string> {
    /** Its name: config keys, property paths, resource names and output prefixes (`<name>Catalog…`). */
    readonly name: N;
    /**
     * Deployed to: it has service principals (a CI/CD credential and, in unity-catalog mode, the
     * deployer's grants). Otherwise developed in: no service principal, its readers may create models.
     */
    readonly deployTarget: boolean;
    /**
     * The environments whose models this one's workspace reads: their catalogs are bound read-only to
     * it (unity-catalog mode), or it holds a secret scope pointing at each one's model registry (legacy
     * mode, for those deployed to: the scope holds their service principal's token).
     */
    readonly reads: readonly N[];
}

export type EnvironmentTable<N extends string = string> = readonly Environment<N>[];

/** dev → staging → prod: dev reads staging and prod, staging reads prod; staging and prod are deployed to. */
export const ENVIRONMENTS = [
    { name: "dev", deployTarget: false, reads: ["staging", "prod"] },
    { name: "staging", deployTarget: true, reads: ["prod"] },
    { name: "prod", deployTarget: true, reads: [] },
] as const satisfies EnvironmentTable<"dev" | "staging" | "prod">;

type Row = (typeof ENVIRONMENTS)[number];
/** An environment of the default table: `dev`, `staging` or `prod`. */
export type EnvName = Row["name"];
/** An environment that is deployed to: `staging` or `prod`. */
export type DeployTarget = Extract<Row, { deployTarget: true }>["name"];

/**
 * The default table, for the builders' default parameter. The cast is sound as used: a builder's
 * other parameters are `NoInfer<N>`, so `N` comes from the table given or, without one, is the
 * builder's default, the default table's names ({@link EnvName}, or {@link DeployTarget} where only
 * those are returned). A value of another table without that table does not compile.
 */
export function defaultTable<N extends string>(): EnvironmentTable<N> {
    return ENVIRONMENTS as EnvironmentTable<string> as EnvironmentTable<N>;
}

/** The names, in order. */
export function envNames<N extends string = EnvName>(
    table: EnvironmentTable<N> = defaultTable(),
): N[] {
    return table.map((e) => e.name);
}

/** The environments deployed to, in order. */
export function deployTargets<N extends string = DeployTarget>(
    table: EnvironmentTable<N> = defaultTable(),
): N[] {
    return table.filter((e) => e.deployTarget).map((e) => e.name);
}

/** Whether `env` is deployed to (has service principals). */
export function isDeployTarget<N extends string = EnvName>(
    env: NoInfer<N>,
    table: EnvironmentTable<N> = defaultTable(),
): boolean {
    return table.some((e) => e.name === env && e.deployTarget);
}

/** The environments whose workspaces read `env`'s models, in table order. */
export function readersOf<N extends string = EnvName>(
    env: NoInfer<N>,
    table: EnvironmentTable<N> = defaultTable(),
): N[] {
    return table.filter((e) => e.reads.includes(env)).map((e) => e.name);
}

/** The environments `env`'s workspace reads, in table order. */
export function readsOf<N extends string = EnvName>(
    env: NoInfer<N>,
    table: EnvironmentTable<N> = defaultTable(),
): N[] {
    const reads = table.find((e) => e.name === env)?.reads ?? [];
    return table.filter((e) => reads.includes(e.name)).map((e) => e.name);
}

/**
 * The default table's legacy secret scopes as types (what {@link scopePairs} gives at run time), for
 * the output names the public types must have: `{ source: "dev"; target: "staging" | "prod" } | …`.
 */
export type DefaultScopePair = {
    [R in Row as R["name"]]: {
        source: R["name"];
        target: Extract<R["reads"][number], DeployTarget>;
    };
}[EnvName];

/** A legacy secret scope: in `source`'s workspace, pointing at `target`'s model registry. */
export interface ScopePair<N extends string = EnvName> {
    readonly source: N;
    readonly target: N;
}

/**
 * The legacy mode's secret scopes: one in each workspace for each deployed environment it reads (the
 * scope holds that environment's service principal token). Default: dev → staging, dev → prod,
 * staging → prod.
 */
export function scopePairs<N extends string = EnvName>(
    table: EnvironmentTable<N> = defaultTable(),
): ScopePair<N>[] {
    return table.flatMap((source) =>
        readsOf(source.name, table)
            .filter((target) => isDeployTarget(target, table))
            .map((target) => ({ source: source.name, target })),
    );
}

/** A record with one entry per name, in order: `perEnv(envNames(), (env) => …)`. */
export function perEnv<N extends string, T>(
    names: readonly N[],
    value: (env: N) => T,
): Record<N, T> {
    return Object.fromEntries(names.map((n) => [n, value(n)])) as Record<N, T>;
}

/**
 * `{ dev: a, prod: b }` → `{ devSuffix: a, prodSuffix: b }`: the flat per-environment outputs of the
 * public types, filled from a record keyed by the table. Check the result against the class with
 * `satisfies Pick<Class, keyof typeof outputs>`, so an environment without its field fails to compile.
 */
export function flatPerEnv<N extends string, S extends string, T>(
    record: Record<N, T>,
    suffix: S,
): { [K in N as `${K}${S}`]: T } {
    return Object.fromEntries(Object.entries(record).map(([env, v]) => [`${env}${suffix}`, v])) as {
        [K in N as `${K}${S}`]: T;
    };
}

/** `a`, `a and b`, `a, b and c`: lists of environments in messages. */
export function andList(items: readonly string[]): string {
    return items.length <= 1
        ? items.join("")
        : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * What is wrong with a table, if anything: names must be distinct non-empty identifiers (they become
 * config keys and output prefixes), reads must name other environments of the table, at least one
 * environment must be deployed to.
 */
export function environmentTableProblems(table: EnvironmentTable): string[] {
    const problems: string[] = [];
    const names = table.map((e) => e.name);
    for (const [i, e] of table.entries()) {
        if (!/^[a-z][a-zA-Z0-9]*$/.test(e.name))
            problems.push(`environment ${JSON.stringify(e.name)} must be a lowerCamelCase name`);
        if (names.indexOf(e.name) !== i) problems.push(`environment ${e.name} is listed twice`);
        for (const r of e.reads) {
            if (r === e.name) problems.push(`environment ${e.name} reads itself`);
            else if (!names.includes(r))
                problems.push(`environment ${e.name} reads ${r}, which is not in the table`);
        }
    }
    if (!table.some((e) => e.deployTarget)) problems.push("no environment is deployed to");
    return problems;
}
