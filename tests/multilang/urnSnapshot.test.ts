/**
 * Upgrading replaces nothing: the URNs of the root program (several configurations) and of the README
 * samples, taken from the code before the connection API (tests/multilang/fixtures/urns-before.json:
 * main at 9485a1a (identical to d786b61), the last release, with day 2's providers and unity-catalog mode; regenerate by
 * running `node dist/tests/multilang/urnSnapshot.js --write-before` in a built worktree of that
 * commit with this urnSnapshot.ts copied in), against the same programs now. The README sample's
 * workspace hosts in the fixture were since changed to the example stack's (as in the README now):
 * sample values, not behaviour.
 *
 * - Every resource of the "before" snapshot exists after under the same URN, or a resource after
 *   lists its URN in `aliases` (the engine then treats them as one resource).
 * - Every resource keeps a provider with the same configuration. A provider whose URN changed without
 *   an alias is a new provider resource; the engine then asks the new provider's DiffConfig whether
 *   the changed provider reference needs a replacement (pulumi/pulumi pkg/resource/deploy/
 *   step_generator.go, `providerChanged`), which it does not for an identical configuration. The one
 *   difference allowed is `authType` where the old program's own providers left it out: only the
 *   README sample's `new databricks.Provider("dev", { host })` objects (the root program's providers
 *   set it since day 2, and match exactly); every provider the package builds sets it, so
 *   `ARM_*`/`DATABRICKS_*` variables cannot add a second auth method, and a provider configuration
 *   change forces no replacement in pulumi-databricks (docs/migration-0.2.md).
 */

/**
 * Resources an upgrade may delete: the unity-catalog trio's AAD tokens (`mlops-<env>-aad-token`), which
 * nothing used and which made the trio unusable from other languages; AadToken's delete is a no-op
 * (providers/aadToken/aadToken.ts: a token cannot be revoked), so removing them changes nothing in Entra or Databricks.
 */
const DELETIONS_ALLOWED = [/\$pulumi-nodejs:dynamic\/aad:Token::mlops-(staging|prod)-aad-token$/];

/** Provider settings an upgrade may add where the old provider had none. */
const ADDED_PROVIDER_KEYS_ALLOWED = ["authType"];

function sameConfig(
    before: Record<string, unknown> | undefined,
    after: Record<string, unknown> | undefined,
): boolean {
    const drop = (
        c: Record<string, unknown> | undefined,
        other: Record<string, unknown> | undefined,
    ) =>
        Object.fromEntries(
            Object.entries(c ?? {}).filter(
                ([k]) => !(ADDED_PROVIDER_KEYS_ALLOWED.includes(k) && !(other && k in other)),
            ),
        );
    return JSON.stringify(drop(after, before)) === JSON.stringify(before ?? {});
}
import * as assert from "assert";
import * as fs from "fs";
import { BEFORE_FIXTURE, UrnEntry, UrnSnapshot, takeSnapshot } from "./urnSnapshot";

/** Problems that would make an upgrade replace or delete something, per program. */
export function upgradeProblems(before: UrnSnapshot, after: UrnSnapshot): string[] {
    const problems: string[] = [];
    for (const [program, olds] of Object.entries(before)) {
        const news = after[program];
        if (!news) {
            problems.push(`${program}: missing after`);
            continue;
        }
        const byUrn = new Map<string, UrnEntry>();
        for (const n of news) {
            byUrn.set(n.urn, n);
            for (const a of n.aliases ?? []) byUrn.set(a, n);
        }
        const oldByUrn = new Map(olds.map((o) => [o.urn, o]));
        for (const o of olds) {
            const n = byUrn.get(o.urn);
            if (!n) {
                if (
                    !o.urn.includes("::pulumi:providers:") &&
                    !DELETIONS_ALLOWED.some((r) => r.test(o.urn))
                )
                    problems.push(`${program}: ${o.urn} is gone (it would be deleted)`);
                continue;
            }
            if (o.provider === undefined) {
                if (n.provider !== undefined)
                    problems.push(`${program}: ${o.urn} gains an explicit provider`);
                continue;
            }
            const oldProvider = oldByUrn.get(o.provider);
            const newProvider = n.provider === undefined ? undefined : byUrn.get(n.provider);
            if (!newProvider) {
                problems.push(`${program}: ${o.urn} loses its provider ${o.provider}`);
                continue;
            }
            if (!sameConfig(oldProvider?.providerInputs, newProvider.providerInputs)) {
                problems.push(
                    `${program}: ${o.urn} moves from provider ${o.provider} ${JSON.stringify(oldProvider?.providerInputs)} to ${newProvider.urn} ${JSON.stringify(newProvider.providerInputs)} with another configuration`,
                );
            }
        }
    }
    return problems;
}

describe("upgrade: URNs of the root program and the README samples", function () {
    this.timeout(120_000);
    let old: UrnSnapshot;
    let after: UrnSnapshot;

    before(async () => {
        old = JSON.parse(fs.readFileSync(BEFORE_FIXTURE, "utf8"));
        after = await takeSnapshot();
    });

    it("covers the root program's configurations and every README TypeScript sample", () => {
        assert.deepStrictEqual(Object.keys(after).sort(), Object.keys(old).sort());
        assert.ok(Object.values(old).every((entries) => entries.length > 0));
    });

    it("every resource keeps its URN (or is aliased) and a provider with the same configuration", () => {
        assert.deepStrictEqual(upgradeProblems(old, after), []);
    });

    it("the check is real: a renamed resource and a provider with another host are reported", () => {
        const program = Object.keys(old)[0];
        const olds = old[program];
        const renamed = olds.find((e) => !e.urn.includes("::pulumi:providers:") && e.provider)!;
        const moved = olds.map((e) => (e === renamed ? { ...e, urn: `${e.urn}-renamed` } : e));
        assert.match(
            upgradeProblems({ [program]: olds }, { [program]: moved }).join("\n"),
            /is gone/,
        );
        const otherHost = olds.map((e) =>
            e.urn === renamed.provider
                ? {
                      ...e,
                      urn: `${e.urn}-new`,
                      providerInputs: { ...e.providerInputs, host: "https://elsewhere" },
                  }
                : e.provider === renamed.provider
                  ? { ...e, provider: `${e.provider}-new` }
                  : e,
        );
        assert.match(
            upgradeProblems({ [program]: olds }, { [program]: otherHost }).join("\n"),
            /another configuration/,
        );
    });
});
