#!/usr/bin/env node
// `npm run dev`: the app in development on the embedded database, without a
// Shopify account. Reads .env when present; any Shopify variable still unset
// gets a local-only placeholder (the admin pages need a real store or the
// local Shopify, but the server, webhooks and health check run). Use
// `shopify app dev` to develop against a real store.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

if (existsSync(".env")) {
  for (const line of readFileSync(".env", "utf8").split("\n")) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match && process.env[match[1]] === undefined)
      process.env[match[1]] = match[2].replace(/^"(.*)"$/, "$1");
  }
}

const port = process.env.PORT || "3000";
const placeholders = {
  SHOPIFY_API_KEY: "local-dev-api-key",
  SHOPIFY_API_SECRET: "local-dev-api-secret",
  SHOPIFY_APP_URL: `http://localhost:${port}`,
  SCOPES: "read_customers,read_orders,read_all_orders,read_themes,write_customers,write_discounts",
};
const filled = [];
for (const [name, value] of Object.entries(placeholders)) {
  if (!process.env[name]) {
    process.env[name] = value;
    filled.push(name);
  }
}
process.env.PORT = port;
process.env.NODE_ENV ??= "development";

console.log(`Regulars (development) on http://localhost:${port}`);
console.log(
  `  database: ${process.env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${process.env.DATA_DIR || "data"}/pglite`}`,
);
console.log(`  health:   http://localhost:${port}/healthz`);
if (filled.length)
  console.log(`  local placeholders for: ${filled.join(", ")} (set them in .env for a real app)`);

const child = spawn("npx", ["remix", "vite:dev", "--port", port, "--strictPort"], {
  stdio: "inherit",
  env: process.env,
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
