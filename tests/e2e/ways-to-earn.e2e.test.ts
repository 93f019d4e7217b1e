/**
 * Ways to earn, end to end in Debian's Chromium: the merchant turns the newsletter on in the
 * app's production build (embedded in devshop's admin); the storefront lists it; a customer
 * subscribes in devshop (customers/update, as Shopify sends it) and gets the points once:
 * unsubscribing and subscribing again pays nothing more (docs/decisions/0023-points-for-actions.md).
 *
 * Needs `npm run build` first; run with `E2E=1 npx vitest run --project e2e tests/e2e/ways-to-earn.e2e.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext } from "playwright-core";
import { strings } from "~/admin/strings";
import type { Devshop } from "../../devshop/server";
import { storefrontPage } from "../../devshop/storefront";
import type { Customer, ShopState } from "../../devshop/state";
import { startE2eStore, until, type E2eStore } from "../support/e2e-app";

const SHOP = "e2e-ways-to-earn.myshopify.com";

let store: E2eStore;
let devshop: Devshop;
let context: BrowserContext;
let shop: ShopState;
let nora: Customer;
let rita: Customer;

const pointsOf = (customer: Customer) =>
  Number(shop.metafields[`gid://shopify/Customer/${customer.id}|$app:loyalty|points`]?.value ?? 0);

/** The customer's choice, through devshop's API (as Shopify's customerEmailMarketingConsentUpdate). */
async function consent(customer: Customer, state: "subscribed" | "unsubscribed") {
  const res = await fetch(`${devshop.url}/devshop/api/shops/${SHOP}/customers/marketing-consent`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ customerId: customer.id, state }),
  });
  expect(res.status).toBe(200);
  await devshop.webhooks.idle();
}

beforeAll(async () => {
  store = await startE2eStore({
    shop: SHOP,
    shopName: "E2E Ways to earn",
    theme: { embedActive: true, blockAdded: false },
  });
  ({ devshop, shop, context } = store);
  nora = devshop.commerce.createCustomer(shop, {
    email: "nora@example.com",
    firstName: "Nora",
    lastName: "News",
  });
  rita = devshop.commerce.createCustomer(shop, {
    email: "rita@example.com",
    firstName: "Rita",
    lastName: "Reg",
  });
  await devshop.webhooks.idle();
}, 180_000);

afterAll(() => store?.stop());

describe("newsletter signup points", () => {
  it("the merchant turns the newsletter on in Ways to earn; the storefront lists it", async () => {
    const page = await context.newPage();
    await page.goto(devshop.adminUrl(SHOP, "/earn"));
    const frame = page.frameLocator("#app-iframe");
    const enabled = frame.locator('input[name="newsletter.enabled"]');
    await enabled.waitFor({ state: "attached", timeout: 30_000 });
    // The newsletter's card comes first: its "On" label ticks it.
    await frame.getByText(strings.earn.enabled, { exact: true }).first().click();
    await expect(enabled.isChecked()).resolves.toBe(true);
    await frame.locator('input[name="newsletter.points"]').fill("150");
    await frame.getByRole("button", { name: strings.earn.save }).click();
    await until("the program with the newsletter on Shopify", () =>
      (
        JSON.parse(shop.metafields[`${shop.installation.id}|loyalty|program`]?.value ?? "{}").earnActions ??
        []
      ).some((way: { key: string; points: number }) => way.key === "newsletter" && way.points === 150),
    );
    await page.close();
    const html = await storefrontPage({ shop: devshop.state.shop(SHOP), customerId: null, locale: "en" });
    expect(html).toContain("150 points for subscribing to our emails");
  });

  it("a customer who subscribes gets the points once; leaving and subscribing again pays nothing more", async () => {
    await consent(nora, "subscribed");
    await until("Nora's newsletter points on Shopify", () => pointsOf(nora) === 150);
    await consent(nora, "unsubscribed");
    await consent(nora, "subscribed");
    // Then both order the same hoodie: Nora's total is her one newsletter award plus what Rita earns.
    const hoodie = Object.values(shop.products).find((p) => p.title.includes("Hoodie"))!;
    for (const customer of [nora, rita])
      devshop.commerce.placeOrder(shop, {
        customerId: customer.id,
        lines: [{ productId: hoodie.id, quantity: 1 }],
      });
    await devshop.webhooks.idle();
    await until("both orders' points on Shopify", () => pointsOf(rita) > 0 && pointsOf(nora) > 150);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(pointsOf(nora)).toBe(150 + pointsOf(rita));
  });
});
