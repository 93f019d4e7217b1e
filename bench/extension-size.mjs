/**
 * npm run bench:extensions: the size of each UI extension's built script (after
 * `npm run build:extensions`), raw and gzipped, and a failure when one is over 40 KB raw.
 * Shopify limits a UI extension (API version 2025-10 or later) to a 64 KB compressed bundle, 128 KB
 * for a full customer accounts page
 * (https://shopify.dev/changelog/request-a-bundle-size-exception-for-existing-ui-extensions);
 * ours hold to 40 KB before compression, so that shared code stays lean. Figures: docs/benchmarks.md.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const LIMIT = 40 * 1024;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "extensions");
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const scripts = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(path.join(root, entry.name, "dist")))
  .flatMap((entry) =>
    readdirSync(path.join(root, entry.name, "dist"))
      .filter((file) => file.endsWith(".js"))
      .map((file) => path.join(root, entry.name, "dist", file)),
  );
if (scripts.length === 0) {
  console.error("No built extension scripts: run npm run build:extensions first.");
  process.exit(1);
}
let over = 0;
console.log(`${"script".padEnd(68)} ${"raw".padStart(9)} ${"gzipped".padStart(9)}`);
for (const file of scripts) {
  const bytes = readFileSync(file);
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  const tooBig = bytes.length > LIMIT;
  if (tooBig) over += 1;
  console.log(
    `${path.relative(path.dirname(root), file).padEnd(68)} ${kb(bytes.length).padStart(9)} ${kb(gzipped).padStart(9)}${tooBig ? "  over 40 KB" : ""}`,
  );
}
if (over > 0) {
  console.error(`${over} extension script(s) over ${kb(LIMIT)}`);
  process.exit(1);
}
