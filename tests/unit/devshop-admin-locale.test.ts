/**
 * devshop's admin sends the app the staff member's language as Shopify does: the `locale`
 * parameter of the app's URL in the admin's frame, signed with the others
 * (https://shopify.dev/tutorials/update-your-app-to-support-localization). The staff member
 * picks it on the control page (POST /devshop/api/shops/{shop}/staff-locale); English unless set.
 */
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevshop, type Devshop } from "../../devshop/server";

const SHOP = "admin-locale-unit.myshopify.com";
const APP = { apiKey: "admin-locale-key", apiSecret: "admin-locale-secret" };
let devshop: Devshop;

beforeAll(async () => {
  devshop = await startDevshop({ app: APP, appUrl: "http://127.0.0.1:9" });
  devshop.addShop(SHOP, "Admin Locale Unit").installation.installed = true;
});
afterAll(async () => devshop?.close());

/** The URL the admin's frame loads the app at. */
async function frameUrl(): Promise<URL> {
  const html = await (await fetch(devshop.adminUrl(SHOP, "/customers"))).text();
  const src = /<iframe id="app-iframe"[^>]* src="([^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&");
  return new URL(src);
}

const pickLanguage = (locale: string) =>
  fetch(`${devshop.url}/devshop/api/shops/${SHOP}/staff-locale`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ locale }),
  });

/** Shopify's hmac over the other parameters, sorted (the library checks it on a document load). */
function signed(url: URL): boolean {
  const params = [...url.searchParams.entries()].filter(([key]) => key !== "hmac");
  const message = params
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
  return createHmac("sha256", APP.apiSecret).update(message).digest("hex") === url.searchParams.get("hmac");
}

describe("the staff member's language in devshop's admin", () => {
  it("is English until picked, then the picked language, signed with the other parameters", async () => {
    const before = await frameUrl();
    expect(before.searchParams.get("locale")).toBe("en");
    expect(before.pathname).toBe("/app/customers");
    expect((await pickLanguage("fr-CA")).status).toBe(200);
    const after = await frameUrl();
    expect(after.searchParams.get("locale")).toBe("fr-CA");
    expect(signed(after)).toBe(true);
  });

  it("refuses what is not a language tag and keeps the language", async () => {
    await pickLanguage("de");
    const refused = await pickLanguage("de&embedded=0");
    expect(refused.status).toBe(422);
    expect((await frameUrl()).searchParams.get("locale")).toBe("de");
  });
});
