/**
 * The one place that reads and validates stack config. Every section reader adds its problems to one
 * collector; {@link loadStackConfig} throws a single ConfigError naming every bad key before the root
 * program registers any resource.
 */
import * as pulumi from "@pulumi/pulumi";
import { Problems } from "../../core";
import { readWorkspaces, WorkspacesConfig } from "./workspaces";
import { readProjects, ProjectConfig } from "./projects";
import { readMlRegistry, MlRegistryConfig } from "./mlRegistry";
import { readScimSync, ScimSyncConfig } from "./scimSync";
import { checkClientIdsPerWorkspace } from "./principalIds";

export { ConfigError, Problems, Problem } from "../../core";
export { WorkspacesConfig, ProjectConfig, MlRegistryConfig, ScimSyncConfig };
export { mlRegistryArgs } from "./mlRegistry";

/**
 * The section readers by config key, in the order they read (and report problems). Each returns its
 * section whole, typed; a new key of a section changes only its reader.
 */
const SECTION_READERS = {
    workspaces: readWorkspaces,
    projects: readProjects,
    mlRegistry: readMlRegistry,
    scimSync: readScimSync,
} satisfies Record<string, (config: pulumi.Config, problems: Problems) => unknown>;

/** The validated stack config: each section as its reader returns it (undefined when the stack does not set it). */
export type StackConfig = {
    readonly [K in keyof typeof SECTION_READERS]: ReturnType<(typeof SECTION_READERS)[K]>;
};

/** Reads the whole stack config; throws one ConfigError listing every problem by its full key. */
export function loadStackConfig(config: pulumi.Config = new pulumi.Config()): StackConfig {
    const problems = new Problems();
    const read = new Set<string>();
    const tracked = trackReads(config, read);
    const sections = Object.fromEntries(
        Object.entries(SECTION_READERS).map(([k, readSection]) => [
            k,
            readSection(tracked, problems),
        ]),
    ) as StackConfig;
    checkUnreadKeys(config.name, read, problems);
    // Across sections, once each section is valid on its own (so list positions match the config).
    if (problems.empty)
        checkClientIdsPerWorkspace(config.name, sections.workspaces, sections.projects, problems);
    problems.throwIfAny();
    return sections;
}

/** A view of `config` that records every key a reader asks for (get*, require*). */
function trackReads(config: pulumi.Config, read: Set<string>): pulumi.Config {
    return new Proxy(config, {
        get(target, prop, receiver) {
            const value = Reflect.get(target, prop, receiver);
            if (typeof value !== "function") return value;
            if (typeof prop === "string" && /^(get|require)/.test(prop)) {
                return (key: string, ...rest: unknown[]) => {
                    read.add(key);
                    return value.call(target, key, ...rest);
                };
            }
            return value.bind(target);
        },
    });
}

/**
 * A key of this project that no reader asked for is a typo (`scimsync`) or a leftover: refuse it, or it
 * would be silently ignored. Keys of other namespaces (`azure-native:location`, …) are not ours.
 */
function checkUnreadKeys(project: string, read: ReadonlySet<string>, problems: Problems): void {
    const prefix = `${project}:`;
    const known = [...read].sort();
    for (const full of Object.keys(pulumi.runtime.allConfig())) {
        if (!full.startsWith(prefix)) continue;
        const key = full.slice(prefix.length);
        if (read.has(key)) continue;
        const near = known.find((k) => k.toLowerCase() === key.toLowerCase());
        problems.add(
            full,
            `is not a setting of this program${near ? ` (did you mean ${prefix}${near}?)` : ""}; its settings are ${known.join(", ")}`,
        );
    }
}
