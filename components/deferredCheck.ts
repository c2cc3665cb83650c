/**
 * Validation of component args that may be Outputs: plain values are checked up front by the
 * component's validator; an Output is checked by the same rule once it resolves, failing the
 * deployment with the same InputPropertiesError text.
 */
import * as pulumi from "@pulumi/pulumi";
import { isUnknown } from "@pulumi/pulumi/output";
import { Problems } from "../config/problems";

/** Stands for a value only known at deployment time, in the raw args the shared validators see. */
export const DEFERRED: unique symbol = Symbol("known at deployment");

export type Check = (problems: Problems, key: string, value: unknown) => unknown;

/**
 * Whether a value is only known at deployment: an Output, a promise, or (in a preview, inside an object
 * a component received over gRPC) the SDK's unknown value.
 */
export function isDeferred(value: unknown): boolean {
    return pulumi.Output.isInstance(value) || value instanceof Promise || isUnknown(value);
}

/** Returns plain values unchanged; wraps an Output so it fails with `check`'s problem once known. */
export function checkWhenKnown<T>(value: pulumi.Input<T>, path: string, check: Check, resourceType: string, name: string): pulumi.Input<T> {
    if (!isDeferred(value)) return value;
    return pulumi.output(value).apply((v) => {
        const problems = new Problems();
        check(problems, path, v);
        problems.throwAsInputErrors(resourceType, name);
        return v;
    }) as pulumi.Input<T>;
}

/**
 * Why a settings object (a connection, the service principals) must not arrive as one Output: its
 * fields decide which resources exist, so they are read before deployment. Over gRPC the Node.js SDK
 * makes a whole object one secret Output when a secret inside it is sent in the old plain-secret form
 * (`deserializeProperties` lifts secrets to the top); current SDKs send a secret output value instead,
 * which stays inside the object.
 */
export const WHOLE_OBJECT_DEFERRED =
    "arrived as one value known only at deployment (a secret inside it was sent as a plain secret, which lifts secrecy to the whole object); " +
    "pass the object itself and make only the values inside it secret outputs (pulumi.Output.secret in Python, pulumi.ToSecret in Go, Output.CreateSecret in C#, fn::secret in YAML)";
