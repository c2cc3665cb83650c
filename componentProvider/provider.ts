/**
 * The provider `run-plugin` serves for this package (plugin.js): the SDK's ComponentProvider (the one
 * `componentProviderHost` would build, `@pulumi/pulumi/provider/experimental/provider.ts`) with two
 * additions the analyzer cannot make — GetSchema serves the schema with secrets marked
 * (schema.ts), and Construct checks the inputs once the output values in them are known, so a
 * bad value another language sent as an output is refused at once with InvalidArgument, before
 * anything is registered, instead of failing a child resource later.
 */
import * as fs from "fs";
import * as path from "path";
import { Inputs, ComponentResourceOptions } from "@pulumi/pulumi";
import { main } from "@pulumi/pulumi/provider";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import * as plugin from "../plugin";
import { Problems, resolveKnown } from "../core";
import { mlopsWorkspacesProblems } from "../workspaces";
import { validateProjectArgs } from "../projects";
import { mlRegistryProblems } from "../mlRegistry";
import { servedSchema } from "./schema";

/** Each component's own validation (what its constructor runs), by class name. */
const PROBLEMS: Record<string, (args: any) => Problems> = {
    MlopsWorkspaces: mlopsWorkspacesProblems,
    MlopsProject: validateProjectArgs,
    MlRegistry: mlRegistryProblems,
};

export class MlopsComponentProvider extends ComponentProvider {
    private served?: Promise<string>;

    private readonly repository?: string;

    constructor(dirname: string) {
        const pkg = readPackageJson(dirname);
        super({ name: pkg.name, dirname, components: getPulumiComponents(plugin) });
        this.repository = repositoryOf(pkg);
    }

    getSchema(): Promise<string> {
        this.served ??= super
            .getSchema()
            .then((inferred) =>
                JSON.stringify(servedSchema(JSON.parse(inferred), { repository: this.repository })),
            );
        return this.served;
    }

    async construct(name: string, type: string, inputs: Inputs, options: ComponentResourceOptions) {
        const problemsOf = PROBLEMS[type.split(":")[2]];
        if (problemsOf) {
            problemsOf(inputs).throwAsInputErrors(type, name);
            problemsOf(await resolveKnown(inputs)).throwAsInputErrors(type, name);
        }
        return super.construct(name, type, inputs, options);
    }
}

/** Serves the provider on the port `run-plugin` prints for the engine (as `componentProviderHost` does). */
export function serve(dirname: string): Promise<void> {
    return main(new MlopsComponentProvider(dirname), process.argv.slice(2));
}

function readPackageJson(dirname: string): any {
    return JSON.parse(fs.readFileSync(path.join(dirname, "package.json"), "utf8"));
}

/** package.json `repository` as a URL (`"github:org/repo"` and `{ url }` forms too), or undefined. */
export function repositoryOf(pkg: { repository?: string | { url?: string } }): string | undefined {
    const given = typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url;
    if (!given) return undefined;
    const short = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(given);
    if (short) return `https://github.com/${short[1]}`;
    return given.replace(/^git\+/, "").replace(/\.git$/, "");
}
