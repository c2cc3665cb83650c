/** What plugin.js serves (it loads dist/componentProvider/index.js by path): the package's own provider. */
export { serve } from "./provider";
