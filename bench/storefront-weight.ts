/**
 * `npm run bench:storefront`: what the storefront costs a shopper. Prints the
 * theme extension's JavaScript and CSS, raw and gzipped, and how many requests
 * a logged-in page makes to show the balance: the blocks render it from
 * metafields in Liquid, so the count is read from the rendered HTML and the
 * script (any fetch outside a click handler would be a request per page).
 * Fails (exit code 1) when the extension's JavaScript is over its budget:
 * 10 KB gzipped, all files together.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const assets = path.resolve("extensions/regulars-theme/assets");
/** All of the theme extension's JavaScript, gzipped. */
const JS_BUDGET_GZIP = 10 * 1024;
let jsRaw = 0;
let jsGzip = 0;
let cssGzip = 0;
for (const file of readdirSync(assets)) {
  const content = readFileSync(path.join(assets, file));
  if (file.endsWith(".js")) {
    jsRaw += content.length;
    jsGzip += gzipSync(content).length;
  } else if (file.endsWith(".css")) cssGzip += gzipSync(content).length;
}
const script = readdirSync(assets)
  .filter((file) => file.endsWith(".js"))
  .map((file) => readFileSync(path.join(assets, file), "utf8"))
  .join("\n");
// Requests made on load: fetch/XMLHttpRequest calls outside the click handler.
const onLoad = script.split('addEventListener("click"')[0]!;
const requestsOnLoad = (onLoad.match(/\bfetch\(|XMLHttpRequest/g) ?? []).length;

const share = Math.round((jsGzip / JS_BUDGET_GZIP) * 100);
console.log(
  `extension JavaScript: ${jsRaw} bytes raw, ${jsGzip} bytes gzipped ` +
    `(budget ${JS_BUDGET_GZIP}: ${share}% used)`,
);
console.log(`extension CSS: ${cssGzip} bytes gzipped`);
console.log(`requests to show a logged-in balance: ${requestsOnLoad} (rendered from metafields in Liquid)`);
if (jsGzip > JS_BUDGET_GZIP) {
  console.error(`OVER BUDGET: ${jsGzip} > ${JS_BUDGET_GZIP} bytes of JavaScript gzipped`);
  process.exitCode = 1;
} else if (requestsOnLoad > 0) {
  console.error(`a page makes ${requestsOnLoad} request(s) on load: the balance must come from Liquid`);
  process.exitCode = 1;
} else {
  console.log(`within budget: ${JS_BUDGET_GZIP - jsGzip} bytes to spare`);
}
