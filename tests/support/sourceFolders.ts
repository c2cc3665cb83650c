/** The package's source folders, one per concern (docs/architecture.md), in the order they may import. */
export const SOURCE_FOLDERS = [
    "core",
    "scim",
    "providers",
    "principals",
    "connections",
    "unityCatalog",
    "mlRegistry",
    "workspaces",
    "projects",
    "componentProvider",
    "publicApi",
    "program",
];
