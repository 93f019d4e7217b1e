// Unpacks the vendored Admin API schema (ADMIN_SCHEMA_ARCHIVE, for
// ADMIN_API_VERSION) to ADMIN_SCHEMA_JSON for graphql-codegen, after checking
// it against shopify/SHA256SUMS. Run with `node --import tsx`.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { ADMIN_API_VERSION, ADMIN_SCHEMA_ARCHIVE, ADMIN_SCHEMA_JSON } from "../app/shopify/api-version";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const gz = path.join(root, ADMIN_SCHEMA_ARCHIVE);
const target = path.join(root, ADMIN_SCHEMA_JSON);
const archiveName = path.basename(ADMIN_SCHEMA_ARCHIVE);

const packed = readFileSync(gz);
const digest = createHash("sha256").update(packed).digest("hex");
const expected = readFileSync(path.join(root, "shopify", "SHA256SUMS"), "utf8")
  .split("\n")
  .find((line) => line.trim().endsWith(archiveName))
  ?.split(/\s+/)[0];
if (digest !== expected) {
  console.error(`${ADMIN_SCHEMA_ARCHIVE}: sha256 ${digest} does not match SHA256SUMS (${expected})`);
  process.exit(1);
}
const json = gunzipSync(packed);
if (!existsSync(target) || !readFileSync(target).equals(json)) {
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, json);
}
console.log(`Admin API schema ${ADMIN_API_VERSION} ready at ${ADMIN_SCHEMA_JSON}`);
