/**
 * Destroy, removal of the trio and a switch back to the workspace registry must complete. Schemas and
 * grants in a catalog are deleted through its own workspace, which must still be bound to it then:
 * through an unbound workspace those deletes are refused (terraform-provider-databricks#5300). A
 * WorkspaceBinding's delete unbinds (catalog/resource_workspace_binding.go, Delete: UpdateBindings
 * Remove); the catalog's own delete binds the current workspace again first (catalog/resource_catalog.go),
 * so only schemas and grants are at risk. From the state the engine would hold (dependencies and options
 * as registered) and the resources each change deletes, every schema and grant must be deleted before
 * its catalog's binding to that workspace is removed, or that binding must never be removed.
 */
import * as assert from "assert";
import * as databricks from "@pulumi/databricks";
import { mocks } from "../support/mocks";
import { MlopsWorkspaces } from "../../workspaces/mlopsWorkspaces";
import {
    LINK_SECRETS,
    linkTrio,
    runRootProgram,
    ucTrio,
} from "../program/workspacesConfigFixtures";
import { CREATED_CHURN_PROJECT } from "../program/rootProjects";
import { answerLookups, T, ucArgs, WORKSPACE_IDS } from "./fixtures";
import {
    deletedBefore,
    deletedBetween,
    firstDeletes,
    recordState,
    StateEntry,
} from "./deleteOrder";

type State = Map<string, StateEntry>;

/** The root program's UC stack: dev and staging catalogs created, prod an existing one; a project with schemas in staging and prod. */
function ucConfig(): Record<string, unknown> {
    return {
        workspaces: ucTrio(),
        ...LINK_SECRETS,
        projects: [CREATED_CHURN_PROJECT],
    };
}

async function stateOf(run: () => Promise<unknown>): Promise<State> {
    const state: State = new Map();
    const stop = recordState(state);
    try {
        await run();
    } finally {
        stop();
    }
    return state;
}

const rootState = (values: Record<string, unknown>) =>
    stateOf(() => runRootProgram(values, Object.keys(LINK_SECRETS), () => answerLookups()));

/** The workspace a provider acts in: its host's adb-<id>, or the id the fixtures give the prod host. */
function workspaceOf(state: State, providerUrn: string | undefined): string {
    const host = String(state.get(providerUrn ?? "")?.inputs.host ?? "");
    const id =
        /^https:\/\/adb-(\d+)\./.exec(host)?.[1] ??
        (/prod\.example/.test(host) ? WORKSPACE_IDS.prod : undefined);
    assert.ok(id, `the workspace of provider ${providerUrn} (host ${host})`);
    return id!;
}

const catalogOf = (e: StateEntry): string =>
    e.inputs.catalogName ?? e.inputs.catalog ?? String(e.inputs.schema).split(".")[0];

/**
 * For each schema and grant the change deletes: the binding of its catalog to the workspace it is deleted
 * through, if the change deletes that binding. Fails naming every pair whose order the engine does not
 * guarantee; returns how many schema/grant deletes were checked against a binding in the state.
 */
function assertDeletesComplete(state: State, deleted: Set<string>): number {
    const bindings = [...state.values()].filter((e) => e.type === T.binding);
    const unsafe: string[] = [];
    let checked = 0;
    for (const u of deleted) {
        const s = state.get(u)!;
        if (s.type !== T.schema && s.type !== T.grant) continue;
        const ws = workspaceOf(state, s.providerUrn);
        const own = bindings.find(
            (b) => b.inputs.securableName === catalogOf(s) && String(b.inputs.workspaceId) === ws,
        );
        assert.ok(
            own,
            `${s.name}: its catalog ${catalogOf(s)} is bound to workspace ${ws}, through which it is deleted`,
        );
        checked++;
        if (!deleted.has(own!.urn) || own!.retainOnDelete) continue; // never unbound by this change
        if (!deletedBefore(state, s.urn, own!.urn)) {
            const first = firstDeletes(state, deleted).has(own!.urn)
                ? " (it is among the first deletes: nothing depends on it)"
                : "";
            unsafe.push(
                `${s.name} may be deleted after ${own!.name} unbinds workspace ${ws} from ${catalogOf(s)}${first}`,
            );
        }
    }
    assert.deepStrictEqual(
        unsafe,
        [],
        "every schema and grant is deleted while its catalog is still bound to the workspace it goes through",
    );
    return checked;
}

describe("Unity Catalog: destroy, removal and a mode switch complete", function () {
    this.timeout(120_000);
    let uc: State;

    before(async () => {
        uc = await rootState(ucConfig());
    });

    it("keeps each catalog bound to its own workspace on delete; read-only bindings to other workspaces go", () => {
        const bindings = [...uc.values()].filter((e) => e.type === T.binding);
        assert.strictEqual(bindings.length, 6);
        for (const b of bindings) {
            const own = b.inputs.bindingType === "BINDING_TYPE_READ_WRITE";
            assert.strictEqual(b.retainOnDelete, own, `${b.name}: retainOnDelete in the state`);
        }
    });

    it("destroy: every schema and grant (the trio's and the project's) is deleted while its catalog is bound to its workspace", () => {
        const all = new Set(uc.keys());
        const checked = assertDeletesComplete(uc, all);
        // dev 1 schema + 2 grants, staging 1 + 4, prod 1 + 2 (no catalog grant on the existing catalog); the project 2 schemas + 5 grants.
        assert.strictEqual(checked, 3 + 5 + 3 + 7);
    });

    it("switching back to modelRegistry workspace: the Unity Catalog resources it deletes are deleted in an order that completes", async () => {
        const legacy = await rootState({
            workspaces: linkTrio(),
            ...LINK_SECRETS,
            projects: ucConfig().projects as unknown[],
        });
        const deleted = deletedBetween(uc, legacy);
        assert.deepStrictEqual(
            [...deleted]
                .filter((u) => uc.get(u)!.type === T.catalog)
                .map((u) => uc.get(u)!.inputs.name)
                .sort(),
            ["ml_dev", "ml_staging"],
            "the switch deletes the created catalogs",
        );
        assert.strictEqual(assertDeletesComplete(uc, deleted), 18);
    });

    it("removing the trio from a program that keeps other resources: the same", async () => {
        const program = (withTrio: boolean) =>
            stateOf(() => {
                mocks.reset();
                answerLookups();
                return mocks.run(() => {
                    new databricks.Directory("kept", { path: "/Shared/kept" });
                    if (withTrio) new MlopsWorkspaces("mlops", ucArgs());
                });
            });
        const before = await program(true);
        const after = await program(false);
        const deleted = deletedBetween(before, after);
        assert.ok(!deleted.has([...before.values()].find((e) => e.name === "kept")!.urn));
        // Three created catalogs: 3 schemas, dev 2 grants, staging and prod 4 each.
        assert.strictEqual(assertDeletesComplete(before, deleted), 3 + 2 + 4 + 4);
    });
});
