/**
 * The package installed the ways users install it, built once per test process and shared by every
 * test that needs an installed copy:
 * - `tarball`: `npm pack` of this repository installed as a real copy into an empty consumer folder
 *   (outside the repository, so nothing resolves from its node_modules) next to the consumer's own
 *   `@pulumi/*` at the lowest versions the package supports (`peerDependencies`);
 * - `git`: `npm install git+file://…` of a git snapshot of this working tree (npm clones it, installs
 *   its dev dependencies, runs `prepare` and packs it, as for any git dependency), next to the
 *   `@pulumi/*` versions this repository develops with;
 * - `repo`: a program inside this repository without a package.json of its own, so the package
 *   resolves by self-reference and everything else from the repository's node_modules.
 * npm runs with the user's cache and `--prefer-offline`: a second run installs from the cache.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PACKAGE_ROOT } from "../support/consumerFolder";

export type InstallKind = "tarball" | "git" | "repo";

export interface Consumer {
    readonly kind: InstallKind;
    /** The consumer program's folder (the dynamic-provider host's working directory). */
    readonly dir: string;
    /** Where the package itself is: node_modules/azure-databricks-mlops, or the repository. */
    readonly packageDir: string;
}

/**
 * Folder for installed consumers, outside the repository: one per test process (several checkouts may
 * run their suites at once), removed when the process exits.
 */
export const INSTALL_ROOT = fs.mkdtempSync(
    path.join(os.tmpdir(), "azure-databricks-mlops-installs-"),
);
process.on("exit", () => fs.rmSync(INSTALL_ROOT, { recursive: true, force: true }));

const PACKAGE_JSON = JSON.parse(
    fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8"),
) as {
    name: string;
    version: string;
    peerDependencies: Record<string, string>;
};

/** The lowest supported version of each peer dependency: the `^x.y.z` range's x.y.z. */
export function peerLowerBounds(): Record<string, string> {
    return Object.fromEntries(
        Object.entries(PACKAGE_JSON.peerDependencies).map(([name, range]) => {
            const m = /^\^(\d+\.\d+\.\d+)$/.exec(range);
            if (!m)
                throw new Error(
                    `peerDependencies.${name} is ${range}: expected ^x.y.z (the tests install x.y.z)`,
                );
            return [name, m[1]];
        }),
    );
}

/** The version of each peer dependency this repository has installed (what it develops and tests with). */
export function peerDevVersions(): Record<string, string> {
    return Object.fromEntries(
        Object.keys(PACKAGE_JSON.peerDependencies).map((name) => [
            name,
            JSON.parse(
                fs.readFileSync(
                    path.join(PACKAGE_ROOT, "node_modules", name, "package.json"),
                    "utf8",
                ),
            ).version,
        ]),
    );
}

/** npm's environment without the `npm_*` variables of an enclosing `npm test` (they would steer the child npm). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
    return { ...env, ...extra };
}

/** Runs a command; resolves stdout, rejects with the command, exit code and output. */
export function run(
    cmd: string,
    args: string[],
    cwd: string,
    timeoutMs = 480_000,
    env = cleanEnv(),
): Promise<string> {
    return new Promise((resolve, reject) =>
        execFile(
            cmd,
            args,
            { cwd, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
            (error, stdout, stderr) =>
                error
                    ? reject(
                          new Error(
                              `${cmd} ${args.join(" ")} (in ${cwd}) failed: ${error.message}\n${stdout}\n${stderr}`,
                          ),
                      )
                    : resolve(stdout),
        ),
    );
}

const NPM_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];

function freshDir(dir: string): string {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    return dir;
}

function writeConsumerPackage(
    dir: string,
    name: string,
    dependencies: Record<string, string>,
): void {
    fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name, version: "1.0.0", private: true, dependencies }, null, 2) + "\n",
    );
}

/**
 * `npm pack` of this repository into INSTALL_ROOT; resolves the tarball's path and npm's file list.
 * Scripts are skipped: the test run has just built dist/ (`npm test` builds first).
 */
export const packTarball = memo(async (): Promise<{ tarball: string; files: string[] }> => {
    const dest = freshDir(path.join(INSTALL_ROOT, "pack"));
    const out = await run(
        "npm",
        ["pack", "--json", "--ignore-scripts", "--pack-destination", dest],
        PACKAGE_ROOT,
    );
    const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
    return { tarball: path.join(dest, info.filename), files: info.files.map((f) => f.path) };
});

/** The tarball installed with the peer dependencies at their lower bounds. */
export const tarballConsumer = memo(async (): Promise<Consumer> => {
    const { tarball } = await packTarball();
    const dir = freshDir(path.join(INSTALL_ROOT, "tarball-consumer"));
    writeConsumerPackage(dir, "tarball-consumer", {
        [PACKAGE_JSON.name]: `file:${tarball}`,
        ...peerLowerBounds(),
    });
    await run("npm", ["install", ...NPM_FLAGS], dir);
    return { kind: "tarball", dir, packageDir: path.join(dir, "node_modules", PACKAGE_JSON.name) };
});

/**
 * A git repository holding this working tree as one commit (tracked and untracked files that git
 * does not ignore: what a fresh clone of this work would have, with no dist/ and no node_modules).
 */
export const gitSnapshot = memo(async (): Promise<string> => {
    const src = freshDir(path.join(INSTALL_ROOT, "git-source"));
    const listed = await run(
        "git",
        ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        PACKAGE_ROOT,
    );
    for (const file of listed
        .split("\0")
        .filter((f) => f && fs.existsSync(path.join(PACKAGE_ROOT, f)))) {
        fs.mkdirSync(path.dirname(path.join(src, file)), { recursive: true });
        fs.copyFileSync(path.join(PACKAGE_ROOT, file), path.join(src, file));
    }
    const git = (...args: string[]) =>
        run("git", ["-c", "user.name=tests", "-c", "user.email=tests@localhost", ...args], src);
    await git("init", "-q");
    await git("add", "-A");
    await git("commit", "-q", "-m", "snapshot of the working tree");
    return src;
});

/** `npm install git+file://<snapshot>` next to the repository's own `@pulumi/*` versions. */
export const gitConsumer = memo(async (): Promise<Consumer> => {
    const src = await gitSnapshot();
    const dir = freshDir(path.join(INSTALL_ROOT, "git-consumer"));
    writeConsumerPackage(dir, "git-consumer", {
        [PACKAGE_JSON.name]: `git+file://${src}`,
        ...peerDevVersions(),
    });
    await run("npm", ["install", ...NPM_FLAGS], dir);
    return { kind: "git", dir, packageDir: path.join(dir, "node_modules", PACKAGE_JSON.name) };
});

/** A folder in this repository (gitignored tests/.tmp) with no package.json: the package is itself. */
export const repoConsumer = memo(async (): Promise<Consumer> => {
    const dir = freshDir(path.join(PACKAGE_ROOT, "tests", ".tmp", "repo-consumer"));
    return { kind: "repo", dir, packageDir: PACKAGE_ROOT };
});

export const CONSUMERS: Record<InstallKind, () => Promise<Consumer>> = {
    tarball: tarballConsumer,
    git: gitConsumer,
    repo: repoConsumer,
};

/** Starts every install at once (they run in parallel); each test still awaits the one it uses. */
export function startInstalls(): void {
    for (const make of Object.values(CONSUMERS)) make().catch(() => undefined);
}

/** Every `<name>/package.json` under `dir`'s node_modules, nested ones included: one per installed copy. */
export function installedCopies(dir: string, name: string): string[] {
    const found: string[] = [];
    const walk = (nodeModules: string) => {
        if (!fs.existsSync(nodeModules)) return;
        for (const entry of fs.readdirSync(nodeModules)) {
            const scoped = entry.startsWith("@")
                ? fs.readdirSync(path.join(nodeModules, entry)).map((e) => `${entry}/${e}`)
                : [entry];
            for (const pkg of scoped) {
                const pkgDir = path.join(nodeModules, pkg);
                if (pkg === name && fs.existsSync(path.join(pkgDir, "package.json")))
                    found.push(path.join(pkgDir, "package.json"));
                walk(path.join(pkgDir, "node_modules"));
            }
        }
    };
    walk(path.join(dir, "node_modules"));
    return found;
}

function memo<T>(make: () => Promise<T>): () => Promise<T> {
    let p: Promise<T> | undefined;
    return () => (p ??= make());
}
