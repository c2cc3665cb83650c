/**
 * Day 2, replayed offline against the providers' own rules: each example stack's root program runs a
 * first `up`, then again with the same inputs an hour and a day later, and across each rotation
 * boundary, with state holding every value as its provider stores it after Read
 * (./providerRules.ts). What the second run would replace or update must be exactly what
 * docs/operations.md says.
 */
import * as assert from "assert";
import * as fs from "fs";
import { EXAMPLE_STACKS, ExampleStack } from "./stacks";
import { Change, names, Replay } from "./replay";
import { RULES } from "./providerRules";
import { rotationPeriod } from "../../principals/rotationPeriod";
import { readDoc } from "../docs/markdown";

const HOUR = 3_600_000;

/** How docs/operations.md names a type: `databricks.Token`, `network.PrivateEndpoint`, `AadToken`. */
function docName(type: string): string {
    if (type === "pulumi-nodejs:dynamic/aad:Token") return "AadToken";
    if (type === "pulumi-nodejs:dynamic/scim:Sync") return "ScimSync";
    const provider = /^pulumi:providers:(.+)$/.exec(type);
    if (provider) return `${provider[1]}.Provider`;
    const [pkg, mod, cls] = type.split(":");
    return `${pkg === "azure-native" ? mod : pkg}.${cls}`;
}
const DAY = 24 * HOUR;

/**
 * The in-place updates a plain second run may show (docs/operations.md, "A second `pulumi up` with no
 * change"), by resource type; anything else is a defect.
 */
const DOCUMENTED_UPDATES: Record<string, string> = {
    "pulumi-nodejs:dynamic/aad:Token": "re-minted when the stored token expires within 10 minutes",
    "pulumi-nodejs:dynamic/scim:Sync": "a sync is due by its interval",
};
/** After a client-secret renewal, also: the providers acting as the principal get the new secret. */
const SECRET_RENEWAL_UPDATES: Record<string, string> = {
    ...DOCUMENTED_UPDATES,
    "pulumi:providers:databricks": "the PAT provider acts as the SP with its new client secret",
};

/** The credentials each rotation replaces (docs/operations.md "Rotation day", "Client secret renewal"). */
const TOKEN_ROTATION = {
    "databricks:index/token:Token": /-token-token$/,
    "databricks:index/secret:Secret": /-token$/,
};
const SECRET_RENEWAL = { "azuread:index/applicationPassword:ApplicationPassword": /-password$/ };

const periodsOf = (s: ExampleStack) =>
    [s.tokenRotationDays, s.clientSecretRotationDays].filter((d): d is number => d !== undefined);
const boundary = (days: number, ms: number) => ms % (days * DAY) === 0;

/** A time 5 h into a day such that neither this day nor the next crosses a rotation boundary. */
function quietTime(s: ExampleStack): number {
    let t = Date.parse(rotationPeriod(180).start) + 5 * HOUR;
    while (
        !periodsOf(s).every(
            (d) => rotationPeriod(d, t).index === rotationPeriod(d, t + DAY + HOUR).index,
        )
    )
        t += DAY;
    return t;
}

function assertOnlyUpdates(
    changes: readonly Change[],
    allowed: Record<string, string>,
    context: string,
): void {
    const other = changes.filter((c) => c.op !== "update" || !(c.type in allowed));
    assert.deepStrictEqual(
        other.map((c) => `${c.op} ${c.type} ${c.name} (${c.keys.join(", ")})`),
        [],
        `${context}: only documented in-place updates (${Object.keys(allowed).join(", ")})`,
    );
}

/**
 * Every replacement in the documented order: delete-first ones delete just before they create; the
 * others create first and delete at the end, after whatever uses them was written.
 */
function assertReplacementOrder(changes: readonly Change[]): void {
    const at = (op: string, c: Change) =>
        changes.findIndex((x) => x.op === op && x.type === c.type && x.name === c.name);
    const lastWrite = Math.max(...changes.map((c, i) => (c.op === "delete" ? -1 : i)));
    for (const c of changes.filter((x) => x.op === "replace")) {
        const created = at("replace", c);
        const deleted = at("delete", c);
        assert.ok(deleted >= 0, `${c.name}: the old one is deleted`);
        if (c.deleteBeforeReplace)
            assert.strictEqual(
                deleted,
                created - 1,
                `${c.name}: deleted right before its replacement is created`,
            );
        else
            assert.ok(
                deleted > lastWrite,
                `${c.name}: created first, the old one deleted after every create and update`,
            );
    }
}

function expectedReplacements(r: Replay, patterns: Record<string, RegExp>[]): string[] {
    return r.lastResources
        .filter((x) => patterns.some((p) => p[x.type]?.test(x.name)))
        .map((x) => `${x.type.replace(/^.*[:/]/, "")} ${x.name}`)
        .sort();
}

describe("day 2 replayed against the providers' rules (root program, example stacks)", function () {
    this.timeout(120_000);
    const saved = Error.stackTraceLimit;
    // The SDK takes a stack trace per resource; a short one keeps 18 program runs within seconds.
    before(() => (Error.stackTraceLimit = 1));
    after(() => (Error.stackTraceLimit = saved));

    const registered = new Set<string>();

    for (const s of EXAMPLE_STACKS) {
        describe(s.name, () => {
            const t0 = quietTime(s);
            let afterFirstUp: Replay;
            before(async () => {
                afterFirstUp = new Replay();
                await afterFirstUp.up(s.env, t0);
                for (const t of afterFirstUp.types) registered.add(t);
            });

            for (const [label, dt] of [
                ["an hour", HOUR],
                ["a day", DAY],
            ] as const) {
                it(`${label} later, inputs unchanged: no replacement, only documented in-place updates`, async () => {
                    const r = afterFirstUp.fork();
                    await r.up(s.env, t0 + dt);
                    assert.deepStrictEqual(
                        names(r.changes, "replace"),
                        [],
                        "no ForceNew input changes",
                    );
                    assertOnlyUpdates(r.changes, DOCUMENTED_UPDATES, label);
                });
            }

            if (s.tokenRotationDays !== undefined) {
                const days = s.tokenRotationDays;
                it(`across a PAT rotation boundary (${days} days): exactly the PATs and the scope secrets holding them, in the documented order`, async () => {
                    let t = Date.parse(rotationPeriod(days, t0).end);
                    while (periodsOf(s).some((d) => d !== days && boundary(d, t))) t += days * DAY;
                    const r = afterFirstUp.fork();
                    await r.up(s.env, t + HOUR);
                    const expected = expectedReplacements(r, [TOKEN_ROTATION]);
                    assert.ok(
                        expected.length >= 2,
                        `PATs and secrets registered: ${expected.join(", ")}`,
                    );
                    assert.deepStrictEqual(names(r.changes, "replace").sort(), expected);
                    for (const c of r.changes.filter((x) => x.op === "replace")) {
                        // A PAT is created (as the SP) before the old one goes; a secret's key is rewritten delete-first.
                        assert.strictEqual(
                            c.deleteBeforeReplace,
                            c.type === "databricks:index/secret:Secret",
                            c.name,
                        );
                    }
                    assertReplacementOrder(r.changes);
                    // Each scope secret is rewritten after the new PAT it holds exists.
                    const at = (name: string) =>
                        r.changes.findIndex((c) => c.op === "replace" && c.name === name);
                    for (const c of r.changes.filter(
                        (x) => x.op === "replace" && x.type === "databricks:index/secret:Secret",
                    )) {
                        const target = /-to-(staging|prod)-token$/.exec(c.name)![1];
                        assert.ok(
                            at(c.name) > at(`mlops-${target}-token-token`),
                            `${c.name} after the new ${target} PAT`,
                        );
                    }
                    assertOnlyUpdates(
                        r.changes.filter((c) => c.op === "update"),
                        DOCUMENTED_UPDATES,
                        "rotation day",
                    );
                });
            }

            if (s.clientSecretRotationDays !== undefined) {
                const days = s.clientSecretRotationDays;
                it(`across a client-secret renewal boundary (${days} days): exactly the created apps' passwords (and PATs on a shared boundary), new secret before old`, async () => {
                    let t = Date.parse(rotationPeriod(days, t0).end);
                    // Prefer a boundary that is no PAT boundary, when the periods allow one.
                    for (
                        let i = 0;
                        i < 7 && periodsOf(s).some((d) => d !== days && boundary(d, t));
                        i++
                    )
                        t += days * DAY;
                    const r = afterFirstUp.fork();
                    await r.up(s.env, t + HOUR);
                    // Months after the first up, the PATs' period has moved on too.
                    const tok = s.tokenRotationDays;
                    const tokensToo =
                        tok !== undefined &&
                        rotationPeriod(tok, t0).index !== rotationPeriod(tok, t).index;
                    const expected = expectedReplacements(
                        r,
                        tokensToo ? [SECRET_RENEWAL, TOKEN_ROTATION] : [SECRET_RENEWAL],
                    );
                    assert.ok(
                        expected.some((e) => e.startsWith("ApplicationPassword")),
                        `created passwords: ${expected.join(", ")}`,
                    );
                    assert.deepStrictEqual(names(r.changes, "replace").sort(), expected);
                    for (const c of r.changes.filter(
                        (x) =>
                            x.type === "azuread:index/applicationPassword:ApplicationPassword" &&
                            x.op === "replace",
                    )) {
                        const why = `${c.name}: replaced by its rotation period, new secret first`;
                        assert.ok(
                            c.keys.includes("rotateWhenChanged") && !c.deleteBeforeReplace,
                            why,
                        );
                    }
                    assertReplacementOrder(r.changes);
                    assertOnlyUpdates(
                        r.changes.filter((c) => c.op === "update"),
                        SECRET_RENEWAL_UPDATES,
                        "secret renewal",
                    );
                });
            }
        });
    }

    describe("the rules table", () => {
        it("has a row, with its source, for exactly the resource types the example stacks register", () => {
            assert.ok(registered.size > 20, [...registered].join(", "));
            assert.deepStrictEqual([...registered].sort(), Object.keys(RULES).sort());
            for (const [type, rule] of Object.entries(RULES))
                assert.match(
                    rule.source,
                    /^[\w-]+\/[\w.-]+ \S+\.(go|ts)\b|^azure-databricks-mlops /,
                    type,
                );
        });

        it("azure-native rows: the SDK adds no replaceOnChanges of its own (the provider's forceNew, cited, is the whole rule)", () => {
            for (const type of Object.keys(RULES).filter((t) => t.startsWith("azure-native:"))) {
                const [, mod, cls] = type.split(":");
                const file = require.resolve(
                    `@pulumi/azure-native/${mod}/${cls[0].toLowerCase()}${cls.slice(1)}.js`,
                );
                assert.doesNotMatch(fs.readFileSync(file, "utf8"), /replaceOnChanges\s*:/, file);
            }
        });

        it("docs/operations.md has one row per type, citing the same source files", () => {
            const doc = readDoc("docs/operations.md");
            const section = doc.slice(
                doc.indexOf("\n## Every resource"),
                doc.indexOf("\n## ", doc.indexOf("\n## Every resource") + 1),
            );
            const rows = section.split("\n").filter((l) => l.startsWith("| `"));
            assert.strictEqual(
                rows.length,
                Object.keys(RULES).length,
                "no row for a type the package does not register",
            );
            for (const [type, rule] of Object.entries(RULES)) {
                const name = docName(type);
                const row = rows.filter((l) => l.startsWith(`| \`${name}\``));
                assert.strictEqual(row.length, 1, `one row for ${name} (${type})`);
                for (const file of rule.source.match(/[\w./-]+\.(go|ts)\b/g) ?? [])
                    assert.ok(row[0].includes(`\`${file}\``), `${name}: cites ${file}`);
            }
        });
    });
});
