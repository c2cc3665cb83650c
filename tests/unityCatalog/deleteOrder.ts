/**
 * What the engine would store for each registered resource (URN, parent, dependencies, provider,
 * retainOnDelete), read off the mock monitor's RegisterResource requests, and the order in which it
 * deletes them. The engine deletes a resource only after everything that depends on it is gone: its
 * children, and whatever names it in `dependencies`, property dependencies, `deletedWith` or as its
 * provider (pulumi/pulumi pkg/resource/graph/dependency_graph.go, DependingOn). Resources with no such
 * path between them are deleted in any order, in parallel. A resource with `retainOnDelete` is dropped
 * from the state without its provider's Delete.
 */
import * as settings from "@pulumi/pulumi/runtime/settings";
import { deserializeProperties } from "@pulumi/pulumi/runtime/rpc";

export interface StateEntry {
    urn: string;
    type: string;
    name: string;
    parent: string;
    /** URNs this resource's delete must precede (it depends on them). */
    dependsOn: Set<string>;
    retainOnDelete: boolean;
    inputs: Record<string, any>;
    /** Inputs of its explicit provider resource, when it has one. */
    providerUrn?: string;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getProvider(): string;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): {
        forEach(fn: (deps: { getUrnsList(): string[] }, key: string) => void): void;
    };
    getRetainondelete(): boolean | undefined;
    getDeletedwith(): string;
    getObject(): unknown;
}

interface MockMonitor {
    registerResource(req: RegisterRequest, cb: (...a: unknown[]) => void): Promise<void>;
    newUrn(parent: string, type: string, name: string): string;
}

/** Records every registration from now on into `into` (keyed by URN); returns a function that stops recording. */
export function recordState(into: Map<string, StateEntry>): () => void {
    const monitor = (settings as unknown as { getMonitor(): MockMonitor }).getMonitor();
    const original = monitor.registerResource;
    monitor.registerResource = async function (req, cb) {
        const urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
        const dependsOn = new Set<string>(req.getDependenciesList());
        req.getPropertydependenciesMap().forEach((deps) =>
            deps.getUrnsList().forEach((u) => dependsOn.add(u)),
        );
        if (req.getDeletedwith()) dependsOn.add(req.getDeletedwith());
        // A provider reference is `<urn>::<id>`; a URN is `urn:pulumi:<stack>::<project>::<type>::<name>` (the mock id has `::` too).
        const providerUrn = req.getProvider()
            ? req.getProvider().split("::").slice(0, 4).join("::")
            : undefined;
        if (providerUrn) dependsOn.add(providerUrn);
        if (req.getParent()) dependsOn.add(req.getParent());
        into.set(urn, {
            urn,
            type: req.getType(),
            name: req.getName(),
            parent: req.getParent(),
            dependsOn,
            retainOnDelete: req.getRetainondelete() === true,
            inputs: await deserializeProperties(
                req.getObject() as Parameters<typeof deserializeProperties>[0],
            ),
            providerUrn,
        });
        return original.call(this, req, cb);
    };
    return () => {
        monitor.registerResource = original;
    };
}

/** The URNs the engine deletes when `before` is the state and `after` the new program's resources. */
export function deletedBetween(
    before: Map<string, StateEntry>,
    after: Map<string, StateEntry>,
): Set<string> {
    return new Set([...before.keys()].filter((u) => !after.has(u)));
}

/**
 * Whether the engine is bound to delete `first` before `second`: `first` depends on `second`, directly or
 * through other resources of the state (the dependencies recorded in `state`, as the engine uses them
 * for resources the program no longer declares).
 */
export function deletedBefore(
    state: Map<string, StateEntry>,
    first: string,
    second: string,
): boolean {
    const seen = new Set<string>();
    const stack = [first];
    while (stack.length > 0) {
        const u = stack.pop()!;
        for (const d of state.get(u)?.dependsOn ?? []) {
            if (d === second) return true;
            if (!seen.has(d)) {
                seen.add(d);
                stack.push(d);
            }
        }
    }
    return false;
}

/** The deletes the engine may start first: resources of `deleted` that nothing else in `deleted` depends on. */
export function firstDeletes(state: Map<string, StateEntry>, deleted: Set<string>): Set<string> {
    const dependedOn = new Set<string>();
    for (const u of deleted) for (const d of state.get(u)!.dependsOn) dependedOn.add(d);
    return new Set([...deleted].filter((u) => !dependedOn.has(u)));
}
