// PLACEHOLDER: the mlRegistry config section; its issue replaces this file with the real reader.
import * as pulumi from "@pulumi/pulumi";
import { Problems } from "./problems";

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface MlRegistryConfig {}

export function readMlRegistry(_config: pulumi.Config, _problems: Problems): MlRegistryConfig | undefined {
    return undefined;
}
