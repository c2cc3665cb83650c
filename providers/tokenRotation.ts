/**
 * TokenRotation: a tiny dynamic resource that is a clock. It records when it last "rotated" and,
 * on any later `pulumi up` or preview after `rotationDays`, reports a change and rotates again, giving
 * a new `rotatedAt`. A resource that uses `rotatedAt` as its `replacementTrigger` (the SP's
 * databricks.Token) is then replaced, and everything holding its value (the remote-registry secrets) is
 * updated — on a normal run, without `--refresh` and without anyone remembering the expiry date.
 *
 * Why not `@pulumiverse/time` Rotating: like Terraform's time_rotating it only notices expiry on
 * refresh (its Read drops the resource), so a plain `pulumi up` would keep the old token.
 *
 * The provider captures only the pure functions below, never a module of this package: inside a
 * consumer's node_modules Pulumi's closure serializer turns a captured module into a `require()` of
 * its path, which the package's `exports` do not offer (it once captured ./unknown and failed with
 * "package.json export path … not found"). The SDK's preview sentinel is read inside `check`.
 */
import * as pulumi from "@pulumi/pulumi";

/** Bump when the provider's behaviour changes, so stacks pick up new code. */
export const TOKEN_ROTATION_PROVIDER_VERSION = "1";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Plain state of a TokenRotation, as the provider sees it. */
export interface RotationState {
    rotationDays: number;
    version?: string;
    /** When the clock last rotated, ISO 8601. */
    rotatedAt: string;
    /** When it rotates next: rotatedAt + rotationDays, ISO 8601. */
    rotateAfter: string;
}

/** Outputs of a fresh rotation at `nowMs`. */
export function rotateNow(rotationDays: number, nowMs: number, version?: string): RotationState {
    return {
        rotationDays,
        version,
        rotatedAt: new Date(nowMs).toISOString(),
        rotateAfter: new Date(nowMs + rotationDays * DAY_MS).toISOString(),
    };
}

/** Whether the clock is due at `nowMs`: past its date, or its date cannot be read. */
export function rotationDue(olds: Partial<RotationState>, nowMs: number): boolean {
    const after = Date.parse(String(olds.rotateAfter));
    return Number.isNaN(after) || nowMs >= after;
}

/**
 * The next state for an update: a new rotation when due (under the new period), otherwise the same
 * `rotatedAt` with `rotateAfter` recomputed for a changed `rotationDays` — and a rotation right away
 * if the shorter period has already run out.
 */
export function nextRotation(
    olds: Partial<RotationState>,
    news: { rotationDays: number; version?: string },
    nowMs: number,
): RotationState {
    const rotatedAtMs = Date.parse(String(olds.rotatedAt));
    if (rotationDue(olds, nowMs) || Number.isNaN(rotatedAtMs))
        return rotateNow(news.rotationDays, nowMs, news.version);
    const kept = {
        rotationDays: news.rotationDays,
        version: news.version,
        rotatedAt: String(olds.rotatedAt),
        rotateAfter: new Date(rotatedAtMs + news.rotationDays * DAY_MS).toISOString(),
    };
    return rotationDue(kept, nowMs) ? rotateNow(news.rotationDays, nowMs, news.version) : kept;
}

/** Property names that differ between the stored state and the new inputs, clock included. */
export function rotationChanges(
    olds: Partial<RotationState>,
    news: { rotationDays: number; version?: string },
    nowMs: number,
): string[] {
    const changed: string[] = [];
    if (olds.rotationDays !== news.rotationDays) changed.push("rotationDays");
    if (olds.version !== news.version) changed.push("version");
    if (rotationDue(olds, nowMs)) changed.push("rotatedAt");
    return changed;
}

const provider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: any, news: any) {
        const days = news.rotationDays;
        // An Output not known at preview: checked on the run that knows it. Required here, not
        // imported, so no module is captured (see the file comment).
        if (days === require("@pulumi/pulumi/runtime/rpc").unknownValue) return { inputs: news };
        if (typeof days !== "number" || !Number.isFinite(days) || days <= 0) {
            return {
                failures: [
                    {
                        property: "rotationDays",
                        reason: `must be a positive number of days, got ${JSON.stringify(days)}`,
                    },
                ],
            };
        }
        return { inputs: news };
    },
    async diff(_id: string, olds: any, news: any) {
        const changed = rotationChanges(olds, news, Date.now());
        return { changes: changed.length > 0, replaces: [] };
    },
    async create(inputs: any) {
        const outs = rotateNow(inputs.rotationDays, Date.now(), inputs.version);
        return { id: `rotation-${outs.rotatedAt}`, outs };
    },
    async update(_id: string, olds: any, news: any) {
        return { outs: nextRotation(olds, news, Date.now()) };
    },
};

export interface TokenRotationArgs {
    /** Days between rotations. */
    readonly rotationDays: pulumi.Input<number>;
}

/** See the file comment. Type token `pulumi-nodejs:dynamic/rotation:Clock`. */
export class TokenRotation extends pulumi.dynamic.Resource {
    /** When the clock last rotated (ISO 8601); changes exactly when a rotation is due. */
    declare readonly rotatedAt: pulumi.Output<string>;
    /** When the next rotation is due (ISO 8601). */
    declare readonly rotateAfter: pulumi.Output<string>;

    constructor(name: string, args: TokenRotationArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            provider,
            name,
            {
                rotationDays: args.rotationDays,
                version: TOKEN_ROTATION_PROVIDER_VERSION,
                rotatedAt: undefined,
                rotateAfter: undefined,
            },
            opts,
            "rotation",
            "Clock",
        );
    }
}
