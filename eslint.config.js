// @ts-check
import { readFileSync } from "node:fs";
import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// The Prisma models (prisma/schema.prisma), as the client names them: `prisma.member`, `tx.ledgerEntry`.
const models = [
  ...readFileSync(new URL("prisma/schema.prisma", import.meta.url), "utf8").matchAll(/^model (\w+)/gm),
].map(([, name]) => name[0].toLowerCase() + name.slice(1));

// What a model offers: `api.session.getOfflineId` is Shopify's, `db.session.deleteMany` a query.
const prismaMethods =
  "(find(Unique|First)(OrThrow)?|findMany|create(Many(AndReturn)?)?|update(Many(AndReturn)?)?|upsert|delete(Many)?|count|aggregate|groupBy)";

export default tseslint.config(
  {
    ignores: [
      "build/**",
      "node_modules/**",
      "data/**",
      "coverage/**",
      "app/types/**",
      ".cache/**",
      // The UI extensions' bundles, built by Shopify CLI (npm run build:extensions).
      "extensions/*/dist/**",
      // The theme's script as served, minified from extensions/regulars-theme-script/.
      "extensions/regulars-theme/assets/regulars.js",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // No import cycles: a module's dependencies load before it, and nothing reaches back
    // (docs/architecture.md, "what may import what"). Type-only imports count too.
    files: ["app/**/*.{ts,tsx}", "devshop/**/*.{ts,mjs}", "scripts/**/*.{ts,mjs}"],
    plugins: { "import-x": importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      "import-x/resolver": undefined,
      "import-x/resolver-next": [createTypeScriptImportResolver()],
    },
    rules: { "import-x/no-cycle": "error" },
  },
  {
    files: ["**/*.{js,mjs}"],
    // Node's globals, the web ones (fetch API) included.
    languageOptions: {
      globals: Object.fromEntries(
        [
          "process",
          "console",
          "URL",
          "Buffer",
          "Headers",
          "Request",
          "Response",
          "AbortController",
          "performance",
        ].map((name) => [name, "readonly"]),
      ),
    },
  },
  {
    // The storefront script runs in shoppers' browsers: browser globals, no Node.
    files: ["extensions/regulars-theme-script/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: {
        window: "readonly",
        document: "readonly",
        navigator: "readonly",
        crypto: "readonly",
        fetch: "readonly",
        process: "off",
      },
    },
  },
  {
    // devshop's host for UI extensions runs in its customer accounts' frames (ES modules); the
    // `shopify` global is also used by the unit tests in Node.
    files: ["devshop/extension-host/*.js"],
    languageOptions: {
      sourceType: "module",
      globals: Object.fromEntries(
        [
          "window",
          "document",
          "navigator",
          "fetch",
          "Event",
          "HTMLElement",
          "customElements",
          "ResizeObserver",
          "Intl",
        ].map((name) => [name, "readonly"]),
      ),
    },
  },
  {
    // devshop's App Bridge stand-in runs in the embedded app's page.
    files: ["devshop/public/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: Object.fromEntries(
        [
          "window",
          "document",
          "location",
          "history",
          "fetch",
          "Request",
          "Headers",
          "URL",
          "URLSearchParams",
          "CustomEvent",
          "Event",
          "HTMLElement",
          "MutationObserver",
          "customElements",
          "atob",
          "setTimeout",
          "Promise",
          "Map",
          "CSSStyleSheet",
        ].map((name) => [name, "readonly"]),
      ),
    },
    rules: { "@typescript-eslint/no-this-alias": "off" },
  },
  {
    // app/db/ is the only module that talks to the database. Others may hold the client (the
    // `prisma` handle routes pass down, a transaction `tx`) and hand it to app/db/ functions, but
    // call no model (`db.member.findMany`) and no raw query or transaction (`$queryRaw`,
    // `$executeRaw`, `$transaction`: inTransaction in app/db/tx.server.ts runs one).
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/db/**", "app/db.server.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: `CallExpression > MemberExpression.callee[property.name=/^${prismaMethods}$/] > MemberExpression.object[property.name=/^(${models.join("|")})$/]`,
          message: "Query the database through a function in app/db/.",
        },
        {
          selector:
            "MemberExpression[property.name=/^\\$(queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe|transaction)$/]",
          message: "Query the database through a function in app/db/ (inTransaction runs a transaction).",
        },
      ],
    },
  },
  {
    // The domain is pure: time, rules and configuration come in as arguments.
    files: ["app/loyalty/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@shopify/*", "@prisma/*", "@remix-run/*", "node:*", "pg", "graphql-request"],
              message: "app/loyalty is pure: no I/O libraries.",
            },
            {
              group: ["../db/*", "../shopify/*", "../services/*", "../jobs/*", "../routes/*", "*.server"],
              message: "app/loyalty must not depend on adapters or services.",
            },
          ],
        },
      ],
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: "Pass the time in as an argument." },
        { object: "process", property: "env", message: "Pass configuration in as an argument." },
        { object: "Math", property: "random", message: "Pass randomness in as an argument." },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: "Pass the time in as an argument.",
        },
      ],
    },
  },
);
