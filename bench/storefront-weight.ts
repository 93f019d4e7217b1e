/**
 * `npm run bench:storefront`: what the storefront costs a shopper. Prints the
 * theme extension's JavaScript and CSS, raw and gzipped, and how many requests
 * a logged-in page makes to show the balance: the blocks render it from
 * metafields in Liquid, so the count is read from the rendered HTML and the
 * script (any fetch outside a click handler would be a request per page).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const assets = path.resolve("extensions/regulars-theme/assets");
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

console.log(`extension JavaScript: ${jsRaw} bytes raw, ${jsGzip} bytes gzipped (budget 10240)`);
console.log(`extension CSS: ${cssGzip} bytes gzipped`);
console.log(`requests to show a logged-in balance: ${requestsOnLoad} (rendered from metafields in Liquid)`);
if (jsGzip > 10240) process.exitCode = 1;
