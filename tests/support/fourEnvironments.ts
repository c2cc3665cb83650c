import { EnvironmentTable } from "../../core/environments";

/**
 * A fourth environment, `test`, between dev and staging: deployed to (it has service principals),
 * reading dev's models, and read by dev. What the builders make of it shows that adding an
 * environment to the table is the only change below the public API.
 */
export const FOUR_ENVIRONMENTS: EnvironmentTable<"dev" | "test" | "staging" | "prod"> = [
    { name: "dev", deployTarget: false, reads: ["test", "staging", "prod"] },
    { name: "test", deployTarget: true, reads: ["dev"] },
    { name: "staging", deployTarget: true, reads: ["prod"] },
    { name: "prod", deployTarget: true, reads: [] },
];
