import * as assert from "assert";
import { Problems } from "../../core/problems";
import {
    checkProjectDirectoryPath,
    checkProjectName,
    checkServicePrincipalName,
    checkParentsAreNotProjects,
    checkUniqueProjects,
    parentDirectoriesToCreate,
    projectPathProblem,
} from "../../projects/validation";

describe("projects: pure validation", () => {
    describe("projectDirectoryPath", () => {
        for (const good of [
            "/churn",
            "/Projects/churn",
            "/Shared/mlops/churn-model_v2",
            "/Users/ana@contoso.com/churn",
            "/Projects/with space",
        ]) {
            it(`accepts ${good}`, () => assert.strictEqual(projectPathProblem(good), undefined));
        }
        const bad: Array<[unknown, RegExp]> = [
            ["Projects/churn", /must be absolute \(start with '\/'\)/],
            ["/Projects/churn/", /must not end with '\/'; use "\/Projects\/churn"/],
            ["/Projects/../churn", /must not contain '\.\.' segments/],
            ["/Projects/..", /must not contain '\.\.' segments/],
            ["/Projects/./churn", /must not contain '\.' segments/],
            ["/Projects//churn", /must not contain empty segments/],
            ["/", /not '\/' itself/],
            ["", /must be an absolute workspace path/],
            [undefined, /must be an absolute workspace path/],
            [42, /must be an absolute workspace path/],
            ["/Projects/a\nb", /control characters/],
            // Built-in folders and homes: the project's authoritative CAN_MANAGE would replace their permissions.
            ...[
                "/Shared",
                "/Users",
                "/Repos",
                "/Workspace",
                "/Workspace/Shared",
                "/Workspace/Users",
                "/Workspace/Repos",
                "/Users/ana@contoso.com",
                "/Workspace/Users/ana@contoso.com",
                "/Repos/ci-sp",
            ].map((dir): [unknown, RegExp] => [
                dir,
                new RegExp(
                    `must not be a built-in folder .*authoritative CAN_MANAGE.*like "${dir.replace(/[/.]/g, "\\$&")}/churn"`,
                ),
            ]),
        ];
        for (const [value, reason] of bad) {
            it(`rejects ${JSON.stringify(value)} with a reason`, () => {
                const p = new Problems();
                assert.strictEqual(
                    checkProjectDirectoryPath(p, "cfg:projects[0].projectDirectoryPath", value),
                    false,
                );
                assert.strictEqual(p.items.length, 1);
                assert.strictEqual(p.items[0].key, "cfg:projects[0].projectDirectoryPath");
                assert.match(p.items[0].reason, reason);
            });
        }
        it("keeps '..' inside a name (only whole segments are relative)", () => {
            assert.strictEqual(projectPathProblem("/Projects/v1..v2"), undefined);
        });
    });

    describe("names", () => {
        it("accepts stable project keys and rejects what cannot name a resource", () => {
            const p = new Problems();
            assert.ok(checkProjectName(p, "k", "churn"));
            assert.ok(checkProjectName(p, "k", "Fraud_Detection-2"));
            assert.ok(!checkProjectName(p, "k1", ""));
            assert.ok(!checkProjectName(p, "k2", "-churn"));
            assert.ok(!checkProjectName(p, "k3", "churn model"));
            assert.ok(!checkProjectName(p, "k4", "x".repeat(64)));
            assert.deepStrictEqual(
                p.items.map((i) => i.key),
                ["k1", "k2", "k3", "k4"],
            );
            assert.match(p.items[0].reason, /letters, digits, '-' or '_'.*got an empty string/);
        });

        it("requires a non-empty service principal name without stray whitespace", () => {
            const p = new Problems();
            assert.ok(checkServicePrincipalName(p, "k", "churn CI/CD"));
            assert.ok(!checkServicePrincipalName(p, "empty", ""));
            assert.ok(!checkServicePrincipalName(p, "blank", "   "));
            assert.ok(!checkServicePrincipalName(p, "padded", " churn "));
            assert.ok(!checkServicePrincipalName(p, "missing", undefined));
            assert.deepStrictEqual(
                p.items.map((i) => i.key),
                ["empty", "blank", "padded", "missing"],
            );
            assert.match(p.items[0].reason, /must be a non-empty display name/);
            assert.match(p.items[2].reason, /must not start or end with whitespace/);
        });
    });

    describe("duplicates", () => {
        it("names the repeated project and the one it repeats, for names and for paths", () => {
            const p = new Problems();
            checkUniqueProjects(
                p,
                [
                    { name: "churn", projectDirectoryPath: "/Projects/churn" },
                    { name: "fraud", projectDirectoryPath: "/Projects/churn" },
                    { name: "Churn", projectDirectoryPath: "/Projects/churn2" },
                    { name: "ok", projectDirectoryPath: "/Projects/ok" },
                ],
                (i) => `cfg:projects[${i}]`,
            );
            assert.deepStrictEqual(
                p.items.map((i) => i.key),
                ["cfg:projects[1].projectDirectoryPath", "cfg:projects[2].name"],
            );
            assert.match(p.items[0].reason, /also the directory of cfg:projects\[0\]/);
            assert.match(p.items[1].reason, /duplicates the name of cfg:projects\[0\] \("churn"\)/);
        });

        it("finds nothing in distinct projects", () => {
            const p = new Problems();
            checkUniqueProjects(
                p,
                [
                    { name: "a", projectDirectoryPath: "/a" },
                    { name: "b", projectDirectoryPath: "/b" },
                ],
                String,
            );
            assert.ok(p.empty);
        });
    });

    describe("parentDirectoriesToCreate", () => {
        it("lists ancestors outermost first", () => {
            assert.deepStrictEqual(parentDirectoriesToCreate("/Projects/team/churn"), [
                "/Projects",
                "/Projects/team",
            ]);
        });
        it("never declares built-in folders or home folders", () => {
            assert.deepStrictEqual(parentDirectoriesToCreate("/churn"), []);
            assert.deepStrictEqual(parentDirectoriesToCreate("/Shared/mlops/churn"), [
                "/Shared/mlops",
            ]);
            assert.deepStrictEqual(
                parentDirectoriesToCreate("/Users/ana@contoso.com/mlops/churn"),
                ["/Users/ana@contoso.com/mlops"],
            );
            assert.deepStrictEqual(parentDirectoriesToCreate("/Workspace/Shared/churn"), []);
            assert.deepStrictEqual(parentDirectoriesToCreate("/Repos/ana@contoso.com/churn"), []);
        });
    });

    describe("nested projects", () => {
        it("rejects parent folders that are another project's directory, naming both", () => {
            const p = new Problems();
            checkParentsAreNotProjects(
                p,
                [
                    { projectDirectoryPath: "/Projects/team" },
                    { projectDirectoryPath: "/Projects/team/churn", createParentDirectories: true },
                    { projectDirectoryPath: "/Projects/team/fraud" },
                    { projectDirectoryPath: "/Other/x", createParentDirectories: true },
                ],
                (i) => `cfg:projects[${i}]`,
            );
            assert.deepStrictEqual(
                p.items.map((i) => i.key),
                ["cfg:projects[1].createParentDirectories"],
            );
            assert.match(
                p.items[0].reason,
                /would declare \/Projects\/team, the directory of cfg:projects\[0\], a second time/,
            );
        });
    });
});
