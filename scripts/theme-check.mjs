#!/usr/bin/env node
/**
 * `npm run theme-check`: Shopify's theme-check (@shopify/theme-check-node,
 * offline) on every theme app extension in extensions/. Prints each offense
 * and exits 1 if there is any.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { check } from "@shopify/theme-check-node";

const SEVERITY = ["error", "warning", "info"];
const roots = readdirSync("extensions")
  .map((folder) => path.resolve("extensions", folder))
  .filter((folder) => existsSync(path.join(folder, "blocks")));

let total = 0;
for (const root of roots) {
  const offenses = await check(root);
  for (const offense of offenses) {
    const file = path.relative(process.cwd(), new URL(offense.uri).pathname);
    console.log(
      `${file}:${(offense.start?.line ?? 0) + 1} ${SEVERITY[offense.severity]} ${offense.check}: ${offense.message}`,
    );
  }
  console.log(`${path.relative(process.cwd(), root)}: ${offenses.length} offense(s)`);
  total += offenses.length;
}
process.exit(total === 0 ? 0 : 1);
