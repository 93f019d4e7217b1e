/**
 * Leaving wholesale customers out, end to end in Debian's Chromium: the merchant lists the tag on
 * the Program page of the app's production build (embedded in devshop's admin); a customer tagged
 * "Wholesale" in Shopify then orders and earns nothing, while an untagged customer's order earns;
 * and devshop's storefront (the theme app extension rendered from what the app wrote to Shopify)
 * shows the tagged customer no launcher (docs/decisions/0021-exclusions.md).
 *
 * Needs `npm run build` first; run with `E2E=1 npx vitest run --project e2e tests/e2e/exclusions.e2e.test.ts`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext } from "playwright-core";
import { strings } from "~/admin/strings";
import { BROWSER_USER_AGENT } from "../../devshop/admin-session";
import { DEMO_APP, freePort, type RunningApp } from "../../devshop/launch";
import { startDevshop, type Devshop } from "../../devshop/server";
import { storefrontPage } from "../../devshop/storefront";
import type { Customer, ShopState } from "../../devshop/state";
import { launchChromium } from "../support/chromium";
import { startInstalledApp, until } from "../support/e2e-app";

const SHOP = "e2e-exclusions.myshopify.com";

let devshop: Devshop;
let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let shop: ShopState;
let wholesale: Customer;
let regular: Customer;
const dataDir = mkdtempSync(path.join(tmpdir(), "regulars-e2e-exclusions-"));
const buildDir = path.resolve(`.cache/e2e-build-${process.pid}`);

const pointsOf = (customer: Customer) =>
  shop.metafields[`gid://shopify/Customer/${customer.id}|$app:loyalty|points`]?.value;

beforeAll(async () => {
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  devshop = await startDevshop({ app: DEMO_APP, appUrl, webhookRetryBaseMs: 250 });
  shop = devshop.addShop(SHOP, "E2E Exclusions");
  // The merchant put the launcher on the theme.
  shop.theme = { embedActive: true, blockAdded: false };
  app = await startInstalledApp({ devshop, shop: SHOP, port: appPort, appUrl, buildDir, dataDir });
  wholesale = devshop.commerce.createCustomer(shop, {
    email: "wanda@example.com",
    firstName: "Wanda",
    lastName: "Wholesale",
  });
  wholesale.tags.push("Wholesale");
  regular = devshop.commerce.createCustomer(shop, {
    email: "rita@example.com",
    firstName: "Rita",
    lastName: "Regular",
  });
  await devshop.webhooks.idle();
  browser = await launchChromium();
  context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    userAgent: BROWSER_USER_AGENT,
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await devshop?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(buildDir, { recursive: true, force: true });
});

describe("a wholesale customer", () => {
  it("the merchant leaves the tag out on the Program page, and it is saved", async () => {
    const t = strings.program;
    const page = await context.newPage();
    await page.goto(devshop.adminUrl(SHOP, "/program"));
    const frame = page.frameLocator("#app-iframe");
    const field = frame.getByLabel(t.excludedTags);
    await field.waitFor({ timeout: 30_000 });
    await field.fill("wholesale, staff");
    await frame.locator('ui-save-bar[data-open] button[variant="primary"]').click();
    await until(
      "the saved program",
      () =>
        JSON.parse(shop.metafields[`${shop.installation.id}|loyalty|program`]?.value ?? "{}").excludedTags
          ?.length === 2,
    );
    await page.reload();
    await expect(page.frameLocator("#app-iframe").getByLabel(t.excludedTags).inputValue()).resolves.toBe(
      "wholesale, staff",
    );
    await page.close();
  });

  it("earns nothing for an order, while an untagged customer's order earns", async () => {
    const hoodie = Object.values(shop.products).find((p) => p.title.includes("Hoodie"))!;
    for (const customer of [wholesale, regular]) {
      devshop.commerce.placeOrder(shop, {
        customerId: customer.id,
        lines: [{ productId: hoodie.id, quantity: 1 }],
      });
    }
    await devshop.webhooks.idle();
    // The untagged customer's points reach Shopify (the member sync): the orders were applied.
    await until("Rita's points on Shopify", () => Number(pointsOf(regular) ?? 0) > 0);
    expect(Number(pointsOf(wholesale) ?? 0)).toBe(0);
  });

  it("sees no launcher on the storefront; the untagged customer does", async () => {
    const page = (customer: Customer) =>
      storefrontPage({ shop: devshop.state.shop(SHOP), customerId: customer.id, locale: "en" });
    expect(await page(regular)).toContain("regulars-launcher");
    expect(await page(wholesale)).not.toContain("regulars-launcher");
  });
});
