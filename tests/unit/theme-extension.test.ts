import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { check } from "@shopify/theme-check-node";

const EXTENSION = path.resolve("extensions/regulars-theme");

describe("theme app extension", () => {
  it("passes Shopify's theme-check with no offense", async () => {
    const offenses = await check(EXTENSION);
    expect(offenses.map((o) => `${o.check}: ${o.message}`)).toEqual([]);
  });

  it("theme-check does catch a broken block (an unknown filter, a missing translation)", async () => {
    const copy = mkdtempSync(path.join(tmpdir(), "regulars-theme-"));
    cpSync(EXTENSION, copy, { recursive: true });
    const block = path.join(copy, "blocks/earn-points.liquid");
    writeFileSync(
      block,
      readFileSync(block, "utf8").replace("'product.earn' | t", "'product.nope' | t | nofilter"),
    );
    const offenses = await check(copy);
    expect(offenses.map((o) => o.check).sort()).toEqual(["TranslationKeyExists", "UnknownFilter"]);
  });

  it("ships at most 10 KB of JavaScript, gzipped, and no framework", () => {
    const scripts = readdirSync(path.join(EXTENSION, "assets")).filter((file) => file.endsWith(".js"));
    const bytes = scripts.reduce(
      (sum, file) => sum + gzipSync(readFileSync(path.join(EXTENSION, "assets", file))).length,
      0,
    );
    expect(scripts.length).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(10 * 1024);
    for (const file of scripts) {
      expect(readFileSync(path.join(EXTENSION, "assets", file), "utf8")).not.toMatch(/\bimport\b|require\(/);
    }
  });
});
