/** MlRegistry: the private Azure ML registry, its names and its validation. */
export {
    MlRegistry,
    MlRegistryArgs,
    MlRegistryRoleAssignmentArgs,
    mlRegistryProblems,
} from "./mlRegistry";
export {
    BUILT_IN_ROLES,
    MlRegistryNames,
    ROLES,
    mlRegistryNames,
    roleAssignmentName,
} from "./naming";
export { validateMlRegistry } from "./validation";
