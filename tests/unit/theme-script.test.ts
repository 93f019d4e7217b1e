// The theme's script as Shopify serves it (extensions/regulars-theme/assets/regulars.js) is the
// build of its source (extensions/regulars-theme-script/regulars.js): `npm run build:theme-script`
// after changing the source. Theme check's 10,000-byte limit for an app block's script applies to
// the built file (npm run theme-check).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BUILT, SOURCE, buildThemeScript } from "../../scripts/theme-script.mjs";

describe("the theme's script", () => {
  it("is the build of its source", async () => {
    expect(readFileSync(BUILT, "utf8"), "run npm run build:theme-script").toBe(await buildThemeScript());
  });

  it("is minified: well under theme check's 10,000 bytes, and smaller than its source", () => {
    const built = Buffer.byteLength(readFileSync(BUILT, "utf8"));
    expect(built).toBeLessThan(10_000);
    expect(built).toBeLessThan(Buffer.byteLength(readFileSync(SOURCE, "utf8")) * 0.75);
  });

  it("changes when its source does", async () => {
    const source = readFileSync(SOURCE, "utf8");
    const changed = source.replace("window.__regulars = 1;", "window.__regulars = 2;");
    expect(changed).not.toBe(source);
    expect(await buildThemeScript(changed)).not.toBe(await buildThemeScript(source));
  });
});
