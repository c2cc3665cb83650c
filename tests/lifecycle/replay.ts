/**
 * A `pulumi up` replayed offline: the root program (index.ts) runs under the mock engine with a stack's
 * config, the clock set to a given time. The first run records, per resource, what its provider holds in
 * state afterwards (inputs as Read stores them, per ./providerRules.ts; outputs; replacement trigger).
 * A later run compares each registration with that state the way its provider's diff does, and answers
 * as the engine would: a replaced resource gets a new id and new computed values (a new PAT, a new
 * client secret), which reach the resources that use them; an unchanged one keeps its old outputs.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { isDeepStrictEqual } from "util";
import { isWireSecret, mocks, RecordedResource, settle } from "../support/mocks";
import { answerDemoInvokes } from "../../demo/invokes";
import { StackConfigEnv } from "../../demo/stackConfig";
import { RULES, ResourceRule } from "./providerRules";

const ROOT_PROGRAM = path.resolve(__dirname, "../../index.js");
const HOUR = 3_600_000;

export type Op = "create" | "update" | "replace" | "delete";

export interface Change {
    readonly op: Op;
    readonly type: string;
    readonly name: string;
    /** Inputs that differ (replace: the ones that force it), or `replacementTrigger`. */
    readonly keys: readonly string[];
    /** For a replacement: whether the old one is deleted first (the registered `deleteBeforeReplace`). */
    readonly deleteBeforeReplace?: boolean;
}

interface Stored {
    readonly type: string;
    readonly name: string;
    readonly id: string;
    /** Inputs as the provider holds them in state (terraform kind: as Read stores them). */
    readonly inputs: Record<string, any>;
    /** Every output the engine would keep (inputs included), for dynamic providers' diffs and unchanged answers. */
    readonly outputs: Record<string, any>;
    readonly trigger: unknown;
}

const keyOf = (type: string, name: string) => `${type}::${name}`;

/** One stack's state across runs, and the changes the last run made to it. */
export class Replay {
    private readonly state = new Map<string, Stored>();
    private generation = 0;
    /** Changes of the last run, in the order the engine would make them (create-before-delete deletes last). */
    changes: Change[] = [];
    /** Resource types registered in any run. */
    readonly types = new Set<string>();

    /** Runs the root program with this config at `nowMs` and updates the state; returns the stack outputs. */
    async up(env: StackConfigEnv, nowMs: number): Promise<Record<string, any>> {
        const first = this.state.size === 0;
        this.generation++;
        const seen = new Set<string>();
        const immediate: Change[] = [];
        const deferredDeletes: Change[] = [];
        const next = new Map<string, Stored>();
        const realNow = Date.now;
        const saved = pulumi.runtime.allConfig();
        pulumi.runtime.setAllConfig(env.config, env.secretKeys);
        Date.now = () => nowMs;
        mocks.reset();
        mocks.onEveryNewResource(async (rec, mockState) => {
            const rule = ruleOf(rec);
            if (rec.custom) this.types.add(rec.type);
            const key = keyOf(rec.type, rec.name);
            seen.add(key);
            const trigger =
                rec.opts &&
                (rec.opts as pulumi.CustomResourceOptions).replacementTrigger !== undefined
                    ? (await settle((rec.opts as pulumi.CustomResourceOptions).replacementTrigger))
                          .value
                    : undefined;
            const old = this.state.get(key);
            // A new resource; a replacement is created from the inputs after ignoreChanges (the engine applies it before Check).
            const fresh = (inputs: Record<string, any> = rec.inputs): Stored => {
                const outputs = {
                    ...mockState,
                    ...freshOutputs(rec, nowMs, first ? 1 : this.generation),
                };
                const id = first ? rec.id : `${rec.id}#${this.generation}`;
                return {
                    type: rec.type,
                    name: rec.name,
                    id,
                    inputs: storedInputs(rule, inputs),
                    outputs,
                    trigger,
                };
            };
            let now: Stored;
            if (!old) {
                now = fresh();
                if (!first)
                    immediate.push({ op: "create", type: rec.type, name: rec.name, keys: [] });
            } else {
                const d = decide(rule, old, rec, trigger, nowMs);
                if (d.op === "replace") {
                    now = fresh(d.news);
                    const dbr =
                        (rec.opts as pulumi.CustomResourceOptions).deleteBeforeReplace === true;
                    const change: Change = {
                        op: "replace",
                        type: rec.type,
                        name: rec.name,
                        keys: d.keys,
                        deleteBeforeReplace: dbr,
                    };
                    if (dbr) immediate.push({ ...change, op: "delete" }, change);
                    else {
                        immediate.push(change);
                        deferredDeletes.unshift({ ...change, op: "delete" });
                    }
                } else if (d.op === "update") {
                    // Providers' computed values after an update: dynamic ones re-run (a new token), others keep theirs.
                    const outputs =
                        rule.kind === "dynamic"
                            ? { ...mockState, ...freshOutputs(rec, nowMs, this.generation) }
                            : { ...old.outputs, ...rec.inputs };
                    now = { ...old, inputs: storedInputs(rule, d.news), outputs, trigger };
                    immediate.push({ op: "update", type: rec.type, name: rec.name, keys: d.keys });
                } else {
                    now = old;
                }
            }
            next.set(key, now);
            return { id: now.id, state: now.outputs };
        });
        try {
            let outputs: Record<string, any> = {};
            await mocks.withOwnCalls(async () => {
                answerDemoInvokes(mocks);
                outputs = await mocks.run(() => {
                    delete require.cache[ROOT_PROGRAM];
                    return require(ROOT_PROGRAM);
                });
            });
            for (const [key, old] of this.state) {
                if (!seen.has(key))
                    deferredDeletes.push({
                        op: "delete",
                        type: old.type,
                        name: old.name,
                        keys: [],
                    });
            }
            this.changes = [...immediate, ...deferredDeletes];
            this.state.clear();
            for (const [k, v] of next) this.state.set(k, v);
            return outputs;
        } finally {
            mocks.onEveryNewResource(undefined);
            Date.now = realNow;
            pulumi.runtime.setAllConfig(saved, []);
        }
    }

    /** The resources the last run registered. */
    get lastResources(): RecordedResource[] {
        return [...mocks.resources];
    }

    /** A copy of this stack's state, to replay another run from the same point. */
    fork(): Replay {
        const copy = new Replay();
        for (const [k, v] of this.state) copy.state.set(k, v);
        copy.generation = this.generation;
        for (const t of this.types) copy.types.add(t);
        return copy;
    }
}

function ruleOf(rec: RecordedResource): ResourceRule {
    if (!rec.custom) return COMPONENT;
    const rule = RULES[rec.type];
    if (!rule)
        throw new Error(
            `no provider rule for ${rec.type}: add a row to tests/lifecycle/providerRules.ts (read from the provider's source)`,
        );
    return rule;
}

/** Component resources: the engine diffs nothing of theirs. */
const COMPONENT: ResourceRule = { kind: "provider", forceNew: [], source: "component" };

function storedInputs(rule: ResourceRule, inputs: Record<string, any>): Record<string, any> {
    if (rule.kind !== "terraform" || !rule.stored) return { ...inputs };
    const out: Record<string, any> = { ...inputs };
    for (const [k, f] of Object.entries(rule.stored)) if (out[k] !== undefined) out[k] = f(out[k]);
    return out;
}

/** Values a provider computes anew when it creates (or a dynamic provider updates) a resource. */
function freshOutputs(
    rec: RecordedResource,
    nowMs: number,
    generation: number,
): Record<string, any> {
    const g = generation === 1 ? "" : `#${generation}`;
    switch (rec.type) {
        case "pulumi-nodejs:dynamic/aad:Token":
            // Entra access tokens live about an hour.
            return {
                accessToken: `aad-token-of-${rec.name}${g}`,
                expiresOn: new Date(nowMs + HOUR).toISOString(),
            };
        case "pulumi-nodejs:dynamic/scim:Sync":
            return { lastRunAt: new Date(nowMs).toISOString() };
        case "databricks:index/token:Token":
            return { tokenValue: `pat-of-${rec.name}${g}` };
        case "azuread:index/applicationPassword:ApplicationPassword":
            return { value: `password-of-${rec.name}${g}` };
        case "databricks:index/servicePrincipalSecret:ServicePrincipalSecret":
            return { secret: `oauth-secret-of-${rec.name}${g}` };
        default:
            return {};
    }
}

function decide(
    rule: ResourceRule,
    old: Stored,
    rec: RecordedResource,
    trigger: unknown,
    nowMs: number,
): { op: "same" | "update" | "replace"; keys: string[]; news: Record<string, any> } {
    const replaceOnChanges = (rec.opts as pulumi.CustomResourceOptions).replaceOnChanges ?? [];
    // The engine diffs an ignored input as its old value (top-level names; a nested path ignores its root here).
    const ignored = new Set(
        ((rec.opts as pulumi.CustomResourceOptions).ignoreChanges ?? []).map(
            (k) => k.split(/[.[]/)[0],
        ),
    );
    const news = Object.fromEntries(
        Object.entries(rec.inputs).map(([k, v]) => [k, ignored.has(k) ? old.inputs[k] : v]),
    );
    for (const k of ignored) if (!(k in rec.inputs) && k in old.inputs) news[k] = old.inputs[k];
    let changed: string[];
    let replaces: string[];
    if (rule.kind === "dynamic") {
        const d = rule.diff!(unwrapSecrets(old.outputs), news, nowMs);
        changed = d.changes ? ["(provider diff)"] : [];
        replaces = [...d.replaces];
    } else {
        const keys = new Set([...Object.keys(old.inputs), ...Object.keys(news)]);
        changed = [...keys].filter((k) => {
            const canon = rule.compared?.[k] ?? ((v: unknown) => v);
            return !isDeepStrictEqual(canon(old.inputs[k]), canon(news[k]));
        });
        const forced = (k: string) => rule.forceNew === "all" || rule.forceNew.includes(k);
        replaces = changed.filter(
            (k) => forced(k) || replaceOnChanges.includes(k) || replaceOnChanges.includes("*"),
        );
        if (rule.kind === "provider") replaces = [];
    }
    if (!isDeepStrictEqual(old.trigger, trigger)) replaces.push("replacementTrigger");
    if (replaces.length > 0) return { op: "replace", keys: replaces, news };
    if (changed.length > 0) return { op: "update", keys: changed, news };
    return { op: "same", keys: [], news };
}

function unwrapSecrets(values: Record<string, any>): Record<string, any> {
    return Object.fromEntries(
        Object.entries(values).map(([k, v]) => [k, isWireSecret(v) ? v.value : v]),
    );
}

/** `type name` of each change of an op, for compact assertions. */
export function names(changes: readonly Change[], op: Op): string[] {
    return changes.filter((c) => c.op === op).map((c) => `${shortType(c.type)} ${c.name}`);
}

export function shortType(type: string): string {
    return type.replace(/^.*[:/]/, "");
}
