/**
 * The one place that reads and validates stack config. Every section reader adds its problems to one
 * collector; {@link loadStackConfig} throws a single ConfigError naming every bad key before the root
 * program registers any resource.
 */
import * as pulumi from "@pulumi/pulumi";
import { Problems } from "./problems";
import { readWorkspaces, WorkspacesConfig } from "./workspaces";
import { readProjects, ProjectConfig } from "./projects";
import { readMlRegistry, MlRegistryConfig } from "./mlRegistry";
import { readScimSync, ScimSyncConfig } from "./scimSync";

export { ConfigError, Problems, Problem } from "./problems";
export { WorkspacesConfig, ProjectConfig, MlRegistryConfig, ScimSyncConfig };

export interface StackConfig {
    /** The workspace trio; undefined only when the stack sets no `workspaces` key. */
    readonly workspaces?: WorkspacesConfig;
    readonly projects: readonly ProjectConfig[];
    readonly mlRegistry?: MlRegistryConfig;
    readonly scimSync?: ScimSyncConfig;
}

/** Reads the whole stack config; throws one ConfigError listing every problem by its full key. */
export function loadStackConfig(config: pulumi.Config = new pulumi.Config()): StackConfig {
    const problems = new Problems();
    const workspaces = readWorkspaces(config, problems);
    const projects = readProjects(config, problems);
    const mlRegistry = readMlRegistry(config, problems);
    const scimSync = readScimSync(config, problems);
    problems.throwIfAny();
    return { workspaces, projects, mlRegistry, scimSync };
}
