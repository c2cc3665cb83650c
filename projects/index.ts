/** MlopsProject, its Unity Catalog part and the checks the stack config reuses. */
export { MlopsProject, MlopsProjectArgs, validateProjectArgs } from "./mlopsProject";
export {
    ProjectCatalogArgs,
    ProjectUnityCatalogArgs,
    UnityCatalogProject,
    UnityCatalogProjectArgs,
} from "./unityCatalogProject";
export {
    checkParentsAreNotProjects,
    checkProjectDirectoryPath,
    checkProjectName,
    checkServicePrincipalName,
    checkUniqueProjects,
} from "./validation";
