/**
 * Validation of component args that may be Outputs: plain values are checked up front by the
 * component's validator; an Output is checked by the same rule once it resolves, failing the
 * deployment with the same InputPropertiesError text.
 */
import * as pulumi from "@pulumi/pulumi";
import { Problems } from "../config/problems";

/** Stands for a value only known at deployment time, in the raw args the shared validators see. */
export const DEFERRED: unique symbol = Symbol("known at deployment");

export type Check = (problems: Problems, key: string, value: unknown) => unknown;

/** Whether a value is only known at deployment (an Output or a promise). */
export function isDeferred(value: unknown): boolean {
    return pulumi.Output.isInstance(value) || value instanceof Promise;
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
