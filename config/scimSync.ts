// PLACEHOLDER: the scimSync config section; its issue replaces this file with the real reader.
import * as pulumi from "@pulumi/pulumi";
import { Problems } from "./problems";

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ScimSyncConfig {}

export function readScimSync(_config: pulumi.Config, _problems: Problems): ScimSyncConfig | undefined {
    return undefined;
}
