/**
 * The storefront on a store set up the way real ones are, end to end in
 * Debian's Chromium: devshop (the local Shopify) and the app's production
 * build. The merchant has moved the app proxy from /apps/regulars to
 * /community/loyalty, and the shopper browses the French storefront (/fr/).
 *
 * Shopify tells the app where its proxy is only in the signed path_prefix of
 * proxied requests: once a request came through the new path (here the
 * shopper opens the Liquid status page there), the program's metafield
 * carries it and the launcher redeems through /fr/community/loyalty/redeem.
 * A refusal is shown in French, from the theme extension's locale files.
 *
 * Needs `npm run build` first; run with `E2E=1 npx vitest run --project e2e <this file>`.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { BrowserContext } from "playwright-core";
import { BROWSER_USER_AGENT } from "../../devshop/admin-session";
import type { Devshop } from "../../devshop/server";
import { startE2eStore, until, type E2eStore } from "../support/e2e-app";
import type { Customer, ShopState } from "../../devshop/state";
import { readLocale } from "../../devshop/theme-render";

const SHOP = "e2e-boutique.myshopify.com";
const french = readLocale("fr") as { js: { issued: string; errors: Record<string, string> } };

let store: E2eStore;
let devshop: Devshop;
let context: BrowserContext;
let shop: ShopState;
let shopper: Customer;
/** Every request the browser made to the store: method and path. */
const requested: string[] = [];

const programFacts = () =>
  JSON.parse(shop.metafields[`${shop.installation.id}|loyalty|program`]?.value ?? "{}") as {
    proxyPath?: string;
  };

beforeAll(async () => {
  store = await startE2eStore({
    shop: SHOP,
    shopName: "E2E Boutique",
    theme: { embedActive: true, blockAdded: false },
    context: { userAgent: BROWSER_USER_AGENT },
  });
  ({ devshop, shop, context } = store);
  shopper = devshop.commerce.createCustomer(shop, {
    email: "camille@example.com",
    firstName: "Camille",
    lastName: "Durand",
  });
  // 4 x 60.00 at 5 points per 1.00: 1,200 points.
  const hoodie = Object.values(shop.products).find((p) => p.title.includes("Hoodie"))!;
  devshop.commerce.placeOrder(shop, {
    customerId: shopper.id,
    lines: [{ productId: hoodie.id, quantity: 4 }],
  });
  await devshop.webhooks.idle();
  await until(
    "the shopper's points on Shopify",
    () => shop.metafields[`gid://shopify/Customer/${shopper.id}|$app:loyalty|points`]?.value === "1200",
  );
  await context.addCookies([{ name: "devshop_customer", value: shopper.id, url: devshop.url }]);
  context.on("request", (request) => {
    const url = new URL(request.url());
    if (url.origin === devshop.url) requested.push(`${request.method()} ${url.pathname}`);
  });
}, 180_000);

afterAll(() => store?.stop());

it("redeems through the proxy where the merchant moved it, on the French storefront, and refuses in French", async () => {
  // The merchant moves the app proxy (Settings > Apps > Regulars > App proxy).
  const moved = await fetch(`${devshop.url}/devshop/api/shops/${SHOP}/app-proxy`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ prefix: "community", subpath: "loyalty" }),
  });
  expect(moved.status).toBe(200);
  expect((await fetch(`${devshop.url}/apps/regulars/status`)).status).toBe(404);

  // A first request through the new path: Shopify's path_prefix tells the app, and its
  // program sync gives the theme the new path.
  const page = await context.newPage();
  await page.goto(`${devshop.url}/fr/community/loyalty/status?format=html`);
  await expect(page.locator("html").getAttribute("lang")).resolves.toBe("fr");
  await until("the program's metafield to carry the new proxy path", () =>
    programFacts().proxyPath === "/community/loyalty" ? true : null,
  );

  // A tab the shopper opened before redeeming: it still shows 1 200 points.
  const stale = await context.newPage();
  await stale.goto(`${devshop.url}/fr/`);
  await page.goto(`${devshop.url}/fr/`);
  const launcher = page.locator(".regulars-launcher");
  await expect(launcher.getAttribute("data-proxy")).resolves.toBe("/fr/community/loyalty");
  await expect(launcher.locator(".regulars-launcher__button").textContent()).resolves.toMatch(
    /1\u202f200 points/,
  );
  await launcher.locator(".regulars-launcher__button").click();
  const message = page.locator("#regulars-panel [data-regulars-message]");

  await page.locator('#regulars-panel [data-regulars-redeem="10-off"]').click();
  await message.filter({ hasText: french.js.issued }).waitFor({ timeout: 20_000 });
  const code = (await message.textContent())!.replace(french.js.issued, "").trim();
  const discount = Object.values(shop.discounts).find((d) => d.code === code);
  expect(discount?.customerIds).toEqual([shopper.id]);

  // This page follows: 200 points left, so 5.00 off (500 points) says what is missing, in French.
  await expect(page.locator('#regulars-panel [data-regulars-redeem="5-off"]').isVisible()).resolves.toBe(
    false,
  );
  await expect(
    page.locator('#regulars-panel [data-regulars-reward="5-off"] [data-regulars-more]').textContent(),
  ).resolves.toBe("Encore 300 points");
  // The tab opened before still offers it: the app refuses, in French.
  await stale.locator(".regulars-launcher__button").click();
  await stale.locator('#regulars-panel [data-regulars-redeem="5-off"]').click();
  await stale
    .locator("#regulars-panel [data-regulars-message]")
    .filter({ hasText: french.js.errors.not_enough_points! })
    .waitFor({ timeout: 20_000 });
  expect(Object.values(shop.discounts)).toHaveLength(1);
  await stale.close();

  expect(requested.filter((request) => /redeem/.test(request))).toEqual([
    "POST /fr/community/loyalty/redeem",
    "POST /fr/community/loyalty/redeem",
  ]);
  expect(requested.filter((request) => request.includes("/apps/"))).toEqual([]);
  await page.close();
});
