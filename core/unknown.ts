/**
 * What the engine passes a dynamic provider for an input not known yet (an Output of another resource,
 * during preview): the SDK's own sentinel, so the providers never carry a copy of it.
 */
export { unknownValue as UNKNOWN } from "@pulumi/pulumi/runtime/rpc";
