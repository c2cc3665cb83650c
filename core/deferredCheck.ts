/**
 * Validation of component args that may be Outputs: plain values are checked up front by the
 * component's validator; an Output is checked by the same rule once it resolves, failing the
 * deployment with the same InputPropertiesError text.
 */
import * as pulumi from "@pulumi/pulumi";
import { isUnknown } from "@pulumi/pulumi/output";
import { Problems } from "./problems";

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
export function checkWhenKnown<T>(
    value: pulumi.Input<T>,
    path: string,
    check: Check,
    resourceType: string,
    name: string,
): pulumi.Input<T> {
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

/**
 * `value` with every Output and promise inside it (plain objects and lists, not class instances)
 * replaced by its value once known; values unknown in a preview stay as they are, so validators skip
 * them as before. Reads the SDK's own Output fields (`isKnown`, `promise()`: sdk/nodejs/output.ts
 * OutputImpl, what its serializer awaits), since the public `apply` never runs for an unknown value.
 */
export async function resolveKnown(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        const o = value as unknown as { isKnown: Promise<boolean>; promise(): Promise<unknown> };
        return (await o.isKnown) ? resolveKnown(await o.promise()) : value;
    }
    if (value instanceof Promise) return resolveKnown(await value);
    if (isUnknown(value)) return value;
    if (Array.isArray(value)) return Promise.all(value.map(resolveKnown));
    if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        const entries = await Promise.all(
            Object.entries(value).map(async ([k, v]) => [k, await resolveKnown(v)] as const),
        );
        return Object.fromEntries(entries);
    }
    return value;
}

/** Whether anything inside `value` (plain objects and lists) is deferred. */
function hasDeferred(value: unknown): boolean {
    if (isDeferred(value)) return true;
    if (Array.isArray(value)) return value.some(hasDeferred);
    if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype)
        return Object.values(value).some(hasDeferred);
    return false;
}

/**
 * The deferred half of a component's validation: `problemsOf` (the same rules that checked the plain
 * values up front) runs again on the args once every Output in them is known, and fails with one
 * InputPropertiesError naming every bad property. {@link gate} makes a value wait for that verdict:
 * the component passes gated values to its children (a bad value never reaches a resource) and gates
 * every output, so a Construct over gRPC fails with the error instead of returning. The plugin's
 * provider (componentProvider/provider.ts) runs the same check before constructing at all.
 */
export class DeferredArgsCheck {
    /** Resolves once the deferred values passed; rejects with the InputPropertiesError otherwise. Known in a preview. */
    readonly passed: pulumi.Output<boolean>;

    constructor(
        args: unknown,
        problemsOf: (resolved: any) => Problems,
        resourceType: string,
        name: string,
    ) {
        const verdict = hasDeferred(args)
            ? resolveKnown(args).then((resolved) => {
                  problemsOf(resolved).throwAsInputErrors(resourceType, name);
                  return true;
              })
            : Promise.resolve(true);
        this.passed = pulumi.output(verdict);
    }

    /** A plain value as it is; an Output (or promise) that resolves to its value only after the checks passed. */
    gate<T>(value: pulumi.Input<T>): pulumi.Input<T>;
    gate<T>(value: pulumi.Input<T> | undefined): pulumi.Input<T> | undefined;
    gate<T>(value: pulumi.Input<T> | undefined): pulumi.Input<T> | undefined {
        if (!isDeferred(value)) return value;
        return pulumi
            .all([this.passed, value as pulumi.Input<T>])
            .apply(([, v]) => v) as pulumi.Output<T>;
    }

    /** An output of the component, resolving only after the checks passed. */
    output<T>(value: pulumi.Output<T>): pulumi.Output<T>;
    output<T>(value: pulumi.Output<T> | undefined): pulumi.Output<T> | undefined;
    output<T>(value: pulumi.Output<T> | undefined): pulumi.Output<T> | undefined {
        return value && (pulumi.all([this.passed, value]).apply(([, v]) => v) as pulumi.Output<T>);
    }

    /** `args` with every deferred value inside it (plain objects and lists) gated. */
    gateAll<A>(args: A): A {
        if (isDeferred(args)) return this.gate(args as pulumi.Input<unknown>) as A;
        if (Array.isArray(args)) return args.map((v) => this.gateAll(v)) as A;
        if (args && typeof args === "object" && Object.getPrototypeOf(args) === Object.prototype) {
            return Object.fromEntries(
                Object.entries(args).map(([k, v]) => [k, this.gateAll(v)]),
            ) as A;
        }
        return args;
    }
}
