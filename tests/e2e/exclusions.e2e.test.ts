/**
 * Leaving wholesale customers out, end to end in Debian's Chromium: the merchant lists the tag on
 * the Program page of the app's production build (embedded in devshop's admin); a customer tagged
 * "Wholesale" in Shopify then orders and earns nothing, while an untagged customer's order earns;
 * and devshop's storefront (the theme app extension rendered from what the app wrote to Shopify)
 * shows the tagged customer no launcher (docs/decisions/0021-exclusions.md).
 *
 * Needs `npm run build` first; run with `E2E=1 npx vitest run --project e2e tests/e2e/exclusions.e2e.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext } from "playwright-core";
import { strings } from "~/admin/strings";
import type { Devshop } from "../../devshop/server";
import { storefrontPage } from "../../devshop/storefront";
import type { Customer, ShopState } from "../../devshop/state";
import { startE2eStore, until, type E2eStore } from "../support/e2e-app";

const SHOP = "e2e-exclusions.myshopify.com";

let store: E2eStore;
let devshop: Devshop;
let context: BrowserContext;
let shop: ShopState;
let wholesale: Customer;
let regular: Customer;

const pointsOf = (customer: Customer) =>
  shop.metafields[`gid://shopify/Customer/${customer.id}|$app:loyalty|points`]?.value;

beforeAll(async () => {
  store = await startE2eStore({
    shop: SHOP,
    shopName: "E2E Exclusions",
    // The merchant put the launcher on the theme.
    theme: { embedActive: true, blockAdded: false },
  });
  ({ devshop, shop, context } = store);
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
}, 180_000);

afterAll(() => store?.stop());

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
