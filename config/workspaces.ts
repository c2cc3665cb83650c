// PLACEHOLDER: the workspaces config section; its issue replaces this file with the real reader.
import * as pulumi from "@pulumi/pulumi";
import { Problems } from "./problems";

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface WorkspacesConfig {}

export function readWorkspaces(_config: pulumi.Config, _problems: Problems): WorkspacesConfig | undefined {
    return undefined;
}
