// Entry point of the Pulumi plugin (PulumiPlugin.yaml). The engine starts
// `@pulumi/pulumi/cmd/run-plugin <this folder>`, which `require`s the folder, i.e. package.json `main`
// (this file; TypeScript and Node programs resolve the package through `exports` instead). It exports
// no component class but a function, which run-plugin calls: it serves the package's own provider
// (dist/componentProvider/index.js: the SDK's component provider, plus secrets in the schema and
// inputs checked before Construct). Its schema analyzer reads the TypeScript source of `main` with
// `.js` replaced by `.ts`: plugin.ts, next to it, which exports the three components.
// The compiled code is in dist/, built by `npm run build` (see docs/multi-language.md).
"use strict";
const path = require("path");
const fs = require("fs");
const built = path.join(__dirname, "dist", "plugin.js");
if (!fs.existsSync(built)) {
    throw new Error(
        `azure-databricks-mlops: ${built} is missing; run \`npm ci && npm run build\` in ${__dirname} before \`pulumi package add\` uses it`,
    );
}
module.exports = function servePlugin() {
    return require(path.join(__dirname, "dist", "componentProvider", "index.js")).serve(__dirname);
};
