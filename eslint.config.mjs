// typescript-eslint's recommended rules (no type information, so the lint stays fast), with the
// exceptions this code base has reasons for. Formatting is prettier's (`npm run lint` checks both).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["dist/", "node_modules/", "tests/.tmp/", "tests/install/fixture/", "**/*.js"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            // Mock engines, gRPC structs and untrusted JSON are typed `any` where a shape is checked by hand.
            "@typescript-eslint/no-explicit-any": "off",
            // Dynamic providers, the demo and the bench load modules inside functions on purpose: a serialized
            // provider must not capture them, and start-up must not pay for them (DESIGN.md).
            "@typescript-eslint/no-require-imports": "off",
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
            ],
            // Input checks refuse control characters by matching them.
            "no-control-regex": "off",
            // Expected messages list problems indented by two spaces; "  - x" reads better than " {2}- x".
            "no-regex-spaces": "off",
        },
    },
);
