/**
 * npm run build:extensions: builds the UI extensions (extensions/customer-account-*) with Shopify
 * CLI itself (`shopify app build`: esbuild, the bundles Shopify would upload) into each
 * extension's dist/. It needs no network and no Partner account; Node.js 22 (the CLI's engines).
 *
 * The extensions call the app at an absolute URL fixed at build time: the CLI replaces
 * `process.env.APP_URL` in their code with this process's APP_URL (docs/extensions.md). It is
 * APP_URL, else SHOPIFY_APP_URL, else the demo's http://127.0.0.1:3000. `--path DIR` builds the
 * app at DIR instead (the end-to-end tests build a copy for their own app URL).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const at = args.indexOf("--path");
const appDir = at >= 0 ? path.resolve(args[at + 1] ?? ".") : root;
const appUrl = (process.env.APP_URL || process.env.SHOPIFY_APP_URL || "http://127.0.0.1:3000").replace(
  /\/+$/,
  "",
);
if (!/^https?:\/\/[^/\s]+$/.test(appUrl)) {
  console.error(`APP_URL must be the app's origin, like https://regulars.example.com (got ${appUrl})`);
  process.exit(1);
}
console.log(`Building the UI extensions for the app at ${appUrl}`);
const cli = path.join(root, "node_modules", ".bin", "shopify");
const result = spawnSync(cli, ["app", "build", "--path", appDir], {
  stdio: "inherit",
  // CI=1: no prompts, no update check, no analytics (the CLI goes online for neither then).
  env: { ...process.env, CI: "1", APP_URL: appUrl, SHOPIFY_CLI_NO_ANALYTICS: "1" },
});
if (result.error)
  console.error(`Could not run Shopify CLI (${cli}): ${result.error.message}. Run npm ci first.`);
process.exit(result.status ?? 1);
