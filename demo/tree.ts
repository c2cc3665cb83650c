/**
 * Prints recorded resources as the tree `pulumi up` would create: type, name, explicit provider and
 * inputs under each, children indented under their parent. Secret inputs (top-level or nested) print
 * as [secret]; engine-internal inputs (`__provider`, the serialized dynamic provider) are left out.
 * Pure: works on plain records, so it is tested without the engine.
 */
import type { RecordedResource } from "./mockEngine";

export const SECRET_MASK = "[secret]";

export interface TreeOptions {
    /** Whether a (nested) recorded value is a secret in the engine's wire form. */
    readonly isSecretValue: (v: unknown) => boolean;
    /** Longest printed value before it is cut. Defaults to 120. */
    readonly maxValueLength?: number;
}

type Node = Pick<
    RecordedResource,
    "type" | "name" | "inputs" | "secretInputs" | "parent" | "parentType" | "provider"
>;

export function formatTree(resources: readonly Node[], opts: TreeOptions): string {
    const key = (type: string | undefined, name: string | undefined) => `${type}::${name}`;
    const children = new Map<string, Node[]>();
    const roots: Node[] = [];
    const known = new Set(resources.map((r) => key(r.type, r.name)));
    for (const r of resources) {
        const p = r.parent !== undefined ? key(r.parentType, r.parent) : undefined;
        if (p !== undefined && known.has(p)) {
            if (!children.has(p)) children.set(p, []);
            children.get(p)!.push(r);
        } else roots.push(r);
    }
    // The stack is the root of everything else.
    const stack = roots.find((r) => r.type === "pulumi:pulumi:Stack");
    const top = stack ? [stack] : roots;
    if (stack)
        children.set(key(stack.type, stack.name), [
            ...(children.get(key(stack.type, stack.name)) ?? []),
            ...roots.filter((r) => r !== stack),
        ]);

    const lines: string[] = [];
    const walk = (n: Node, prefix: string, last: boolean, isRoot: boolean) => {
        const branch = isRoot ? "" : last ? "└─ " : "├─ ";
        const provider = n.provider ? `  (provider: ${n.provider})` : "";
        lines.push(`${prefix}${branch}${n.type}  ${n.name}${provider}`);
        const childPrefix = isRoot ? "" : prefix + (last ? "   " : "│  ");
        const kids = children.get(key(n.type, n.name)) ?? [];
        const inputPrefix = childPrefix + (kids.length > 0 ? "│  " : "   ");
        for (const line of formatInputs(n, opts)) lines.push(`${inputPrefix}${line}`);
        kids.forEach((c, i) => walk(c, childPrefix, i === kids.length - 1, false));
    };
    top.forEach((r) => walk(r, "", true, true));
    return lines.join("\n");
}

/** `name: value` lines for a resource's inputs, secrets masked, internal and unset inputs left out. */
export function formatInputs(
    n: Pick<Node, "inputs" | "secretInputs">,
    opts: TreeOptions,
): string[] {
    const max = opts.maxValueLength ?? 120;
    return Object.entries(n.inputs ?? {})
        .filter(([k, v]) => !k.startsWith("__") && v !== undefined && v !== null)
        .map(([k, v]) => {
            const text =
                n.secretInputs?.has(k) || opts.isSecretValue(v)
                    ? SECRET_MASK
                    : formatValue(v, opts);
            return `${k}: ${text.length > max ? `${text.slice(0, max - 1)}…` : text}`;
        });
}

/** Compact JSON with every nested secret replaced by the mask. */
export function formatValue(v: unknown, opts: TreeOptions): string {
    const masked = (x: unknown): unknown => {
        if (opts.isSecretValue(x)) return SECRET_MASK;
        if (Array.isArray(x)) return x.map(masked);
        if (x !== null && typeof x === "object")
            return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, masked(y)]));
        return x;
    };
    return JSON.stringify(masked(v)).split(JSON.stringify(SECRET_MASK)).join(SECRET_MASK);
}
