/** The provider plugin.js serves (it loads dist/componentProvider/provider.js by path). */
export { serve } from "./provider";
