#!/usr/bin/env node
// Unpacks the vendored Admin API schema (shopify/admin_2026-10.json.gz) to
// app/types/admin-2026-10.schema.json for graphql-codegen, after checking it
// against shopify/SHA256SUMS.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const gz = path.join(root, "shopify", "admin_2026-10.json.gz");
const target = path.join(root, "app", "types", "admin-2026-10.schema.json");

const packed = readFileSync(gz);
const digest = createHash("sha256").update(packed).digest("hex");
const expected = readFileSync(path.join(root, "shopify", "SHA256SUMS"), "utf8")
  .split("\n")
  .find((line) => line.trim().endsWith("admin_2026-10.json.gz"))
  ?.split(/\s+/)[0];
if (digest !== expected) {
  console.error(`shopify/admin_2026-10.json.gz: sha256 ${digest} does not match SHA256SUMS (${expected})`);
  process.exit(1);
}
const json = gunzipSync(packed);
if (!existsSync(target) || !readFileSync(target).equals(json)) {
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, json);
}
console.log(`Admin API schema 2026-10 ready at ${path.relative(root, target)}`);
