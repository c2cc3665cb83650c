/**
 * Pure checks for MlopsProject inputs and the `projects` stack config: project names (the stable key
 * of every child resource and stack output), workspace directory paths, service principal names, and
 * duplicates across projects. No Pulumi resources here, so it is tested without mocks and shared by
 * the config reader (keys like `azure-databricks-mlops:projects[0].projectDirectoryPath`) and the
 * component (property paths like `projectDirectoryPath`).
 */
import { Problems, describe } from "../core";

/**
 * Project names become part of resource names (`<project>-staging-directory`) and stack output
 * names, so they are kept to characters that are safe everywhere and short enough to read.
 */
const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

export function checkProjectName(problems: Problems, key: string, value: unknown): value is string {
    if (typeof value === "string" && PROJECT_NAME.test(value)) return true;
    problems.add(
        key,
        "must be 1-63 characters of letters, digits, '-' or '_', starting with a letter or digit " +
            `(it names the project's resources and stack outputs, so keep it stable), got ${describe(value)}`,
    );
    return false;
}

/** Adds a problem unless `value` is a non-empty display name without surrounding whitespace. */
export function checkServicePrincipalName(
    problems: Problems,
    key: string,
    value: unknown,
): value is string {
    if (
        typeof value === "string" &&
        value.trim() !== "" &&
        value === value.trim() &&
        !/[\x00-\x1f\x7f]/.test(value)
    ) {
        return true;
    }
    const why =
        typeof value === "string" && value.trim() !== ""
            ? "must not start or end with whitespace or contain control characters"
            : 'must be a non-empty display name for the project\'s service principals, e.g. "churn-cicd"';
    problems.add(key, `${why}, got ${describe(value)}`);
    return false;
}

/**
 * Why a workspace directory path is invalid, or undefined when it is valid: absolute (`/…`), not the
 * root itself, no trailing slash, no empty, `.` or `..` segments, no control characters.
 */
export function projectPathProblem(value: unknown): string | undefined {
    if (typeof value !== "string" || value === "")
        return "must be an absolute workspace path like /Projects/churn";
    if (!value.startsWith("/")) return "must be absolute (start with '/'), like /Projects/churn";
    if (value === "/") return "must name a directory below the workspace root, not '/' itself";
    if (value.endsWith("/"))
        return `must not end with '/'; use ${JSON.stringify(value.replace(/\/+$/, "") || "/…")}`;
    if (/[\x00-\x1f\x7f]/.test(value)) return "must not contain control characters";
    const segments = value.slice(1).split("/");
    if (segments.some((s) => s === "")) return "must not contain empty segments ('//')";
    if (segments.some((s) => s === ".."))
        return "must not contain '..' segments; give the resolved absolute path";
    if (segments.some((s) => s === "."))
        return "must not contain '.' segments; give the resolved absolute path";
    if (isBuiltIn(value)) {
        return (
            "must not be a built-in folder (/Shared, /Users, /Repos, /Workspace/…) or a user's or service principal's home folder: " +
            "the project sets an authoritative CAN_MANAGE on its directory, which would replace that folder's permissions; " +
            `use a folder of the project's own below it, like ${JSON.stringify(value + "/churn")}`
        );
    }
    return undefined;
}

export function checkProjectDirectoryPath(
    problems: Problems,
    key: string,
    value: unknown,
): value is string {
    const why = projectPathProblem(value);
    if (why === undefined) return true;
    problems.add(key, `${why}, got ${describe(value)}`);
    return false;
}

/**
 * Folders every Azure Databricks workspace has, or that Databricks makes itself (a user's or service
 * principal's home `/Users/<name>`, `/Repos/<name>`): never declared as resources by this package.
 */
const BUILT_IN_ROOTS = ["/Users", "/Shared", "/Repos"];

function isBuiltIn(dir: string): boolean {
    const d = dir.startsWith("/Workspace/") ? dir.slice("/Workspace".length) : dir;
    if (d === "/Workspace" || BUILT_IN_ROOTS.includes(d)) return true;
    // Home folders: exactly one level below /Users or /Repos.
    return /^\/(Users|Repos)\/[^/]+$/.test(d);
}

/**
 * The ancestors of a (valid) project path that `createParentDirectories` declares, outermost first:
 * every proper ancestor except the workspace root, the built-in top-level folders and home folders.
 * `/Shared/mlops/churn` → [`/Shared/mlops`]; `/Projects/team/churn` → [`/Projects`, `/Projects/team`].
 */
export function parentDirectoriesToCreate(path: string): string[] {
    const segments = path.slice(1).split("/");
    const parents: string[] = [];
    for (let i = 1; i < segments.length; i++) {
        const dir = "/" + segments.slice(0, i).join("/");
        if (!isBuiltIn(dir)) parents.push(dir);
    }
    return parents;
}

/** The fields of a project that must be unique across a stack. */
export interface ProjectIdentity {
    readonly name?: unknown;
    readonly projectDirectoryPath?: unknown;
}

/**
 * Adds a problem for every project whose name or directory path repeats an earlier one's. Two
 * projects on one path would declare the same directory twice and fight over its authoritative
 * permissions; two with one name would collide on resource names. `keyOf(i)` gives project i's key.
 */
export function checkUniqueProjects(
    problems: Problems,
    projects: readonly ProjectIdentity[],
    keyOf: (i: number) => string,
): void {
    const names = new Map<string, number>();
    const paths = new Map<string, number>();
    projects.forEach((p, i) => {
        if (typeof p.name === "string") {
            // Case-insensitive: Pulumi resource names differing only in case are legal, but the
            // projects' stack outputs and directory names would be easy to confuse.
            const n = p.name.toLowerCase();
            const first = names.get(n);
            if (first === undefined) names.set(n, i);
            else
                problems.add(
                    `${keyOf(i)}.name`,
                    `duplicates the name of ${keyOf(first)} (${JSON.stringify(projects[first].name)}); project names must be unique`,
                );
        }
        if (typeof p.projectDirectoryPath === "string") {
            const first = paths.get(p.projectDirectoryPath);
            if (first === undefined) paths.set(p.projectDirectoryPath, i);
            else
                problems.add(
                    `${keyOf(i)}.projectDirectoryPath`,
                    `is also the directory of ${keyOf(first)}; each project needs its own directory ` +
                        "(two projects on one path would fight over its CAN_MANAGE permissions)",
                );
        }
    });
}

/** A project as far as nesting checks need it. */
export interface ProjectPlacement {
    readonly projectDirectoryPath?: unknown;
    readonly createParentDirectories?: unknown;
}

/**
 * Adds a problem for a project whose `createParentDirectories` would declare another project's
 * directory a second time (`/Projects/a` and `/Projects/a/b` with the flag on the inner one): two
 * resources would then manage one folder, and destroying the outer project would try to delete it.
 */
export function checkParentsAreNotProjects(
    problems: Problems,
    projects: readonly ProjectPlacement[],
    keyOf: (i: number) => string,
): void {
    const owners = new Map<string, number>();
    projects.forEach((p, i) => {
        if (typeof p.projectDirectoryPath === "string" && !owners.has(p.projectDirectoryPath))
            owners.set(p.projectDirectoryPath, i);
    });
    projects.forEach((p, i) => {
        if (
            p.createParentDirectories !== true ||
            typeof p.projectDirectoryPath !== "string" ||
            projectPathProblem(p.projectDirectoryPath) !== undefined
        )
            return;
        for (const dir of parentDirectoriesToCreate(p.projectDirectoryPath)) {
            const owner = owners.get(dir);
            if (owner !== undefined && owner !== i) {
                problems.add(
                    `${keyOf(i)}.createParentDirectories`,
                    `would declare ${dir}, the directory of ${keyOf(owner)}, a second time; set it to false (that project creates ${dir})`,
                );
            }
        }
    });
}
