/**
 * The theme app extension's script, built: extensions/regulars-theme-script/regulars.js (the
 * readable source, with its comments) minified by esbuild into
 * extensions/regulars-theme/assets/regulars.js, the file Shopify serves to shoppers.
 *
 * Why: Shopify's theme check refuses an app block's script over 10,000 bytes
 * (AssetSizeAppBlockJavaScript, https://shopify.dev/docs/storefronts/themes/tools/theme-check/checks/asset-size-app-block-javascript),
 * and shoppers download fewer bytes. The built file is committed (a theme app extension is uploaded
 * as it is: Shopify CLI does not bundle it); tests/unit/theme-script.test.ts fails when it is not
 * the build of the source, so the two cannot drift.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { transformWithEsbuild } from "vite";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SOURCE = path.join(root, "extensions/regulars-theme-script/regulars.js");
export const BUILT = path.join(root, "extensions/regulars-theme/assets/regulars.js");

const BANNER =
  "/* Regulars: built from extensions/regulars-theme-script/regulars.js (npm run build:theme-script) */";

/** The asset's text for the source's text. */
export async function buildThemeScript(source = readFileSync(SOURCE, "utf8")) {
  const result = await transformWithEsbuild(source, "regulars.js", {
    minify: true,
    // Browsers Shopify's themes support: the last two versions of each (ES2020 syntax is safe).
    target: "es2020",
    legalComments: "none",
    sourcemap: false,
  });
  return `${BANNER}\n${result.code}`;
}
