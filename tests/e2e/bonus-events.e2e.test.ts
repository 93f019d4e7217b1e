/**
 * A bonus event doubling an order's points, end to end in Debian's Chromium (issue 24): a member
 * orders and earns the program's points; the merchant then creates a 2x event for today on the
 * Bonus events page of the app's production build (embedded in devshop's admin); the same order
 * paid in devshop during the event earns the member double; and devshop's storefront (the theme
 * app extension rendered from what the app wrote to Shopify) shows the running event
 * (docs/decisions/0022-bonus-events.md).
 *
 * Needs `npm run build` first; run with `E2E=1 npx vitest run --project e2e tests/e2e/bonus-events.e2e.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext } from "playwright-core";
import { strings } from "~/admin/strings";
import type { Devshop } from "../../devshop/server";
import type { Customer, ShopState } from "../../devshop/state";
import { startE2eStore, until, type E2eStore } from "../support/e2e-app";

const SHOP = "e2e-bonus-events.myshopify.com";

let store: E2eStore;
let devshop: Devshop;
let context: BrowserContext;
let shop: ShopState;
let member: Customer;

const pointsOf = (customer: Customer) =>
  Number(shop.metafields[`gid://shopify/Customer/${customer.id}|$app:loyalty|points`]?.value ?? 0);
const program = () => JSON.parse(shop.metafields[`${shop.installation.id}|loyalty|program`]?.value ?? "{}");

const orderAHoodie = async () => {
  const hoodie = Object.values(shop.products).find((p) => p.title.includes("Hoodie"))!;
  devshop.commerce.placeOrder(shop, {
    customerId: member.id,
    lines: [{ productId: hoodie.id, quantity: 1 }],
  });
  await devshop.webhooks.idle();
};

beforeAll(async () => {
  store = await startE2eStore({
    shop: SHOP,
    shopName: "E2E Bonus Events",
    // The merchant put the launcher on the theme.
    theme: { embedActive: true, blockAdded: false },
  });
  ({ devshop, shop, context } = store);
  member = devshop.commerce.createCustomer(shop, {
    email: "dora@example.com",
    firstName: "Dora",
    lastName: "Double",
  });
  await devshop.webhooks.idle();
}, 180_000);

afterAll(() => store?.stop());

describe("a bonus event doubling an order's points", () => {
  let single = 0;

  it("before any event, an order earns the program's points", async () => {
    await orderAHoodie();
    await until("the member's points on Shopify", () => pointsOf(member) > 0);
    single = pointsOf(member);
    expect(single).toBeGreaterThan(0);
  });

  it("the merchant creates a 2x event for today on the Bonus events page", async () => {
    const t = strings.bonusEvents;
    const page = await context.newPage();
    await page.goto(devshop.adminUrl(SHOP, "/bonus-events"));
    const frame = page.frameLocator("#app-iframe");
    const name = frame.getByLabel(t.name);
    await name.waitFor({ timeout: 30_000 });
    await name.fill("Double Days");
    // The form opens on today, in the shop's time zone, as a multiplier; the merchant sets 2.
    await frame.getByLabel(t.multiplier).fill("2");
    await frame.getByRole("button", { name: t.save }).click();
    await frame.getByText(t.statuses.running!, { exact: true }).waitFor({ timeout: 20_000 });
    await expect(frame.getByRole("heading", { name: "Double Days" }).count()).resolves.toBe(1);
    // Saving asks for the program sync: Shopify's copy of the program lists the event.
    await until("the program metafield with the event", () =>
      (program().bonusEvents ?? []).some((e: { name: string }) => e.name === "Double Days"),
    );
    // Reloaded from the server, the event stands.
    await page.reload();
    await page
      .frameLocator("#app-iframe")
      .getByRole("heading", { name: "Double Days" })
      .waitFor({ timeout: 30_000 });
    await page.close();
  });

  it("the same order paid during the event earns the member double", async () => {
    await orderAHoodie();
    await until("the member's points on Shopify", () => pointsOf(member) > single);
    expect(pointsOf(member)).toBe(single + 2 * single);
  });

  it("the storefront shows the running event to the member", async () => {
    const page = await context.newPage();
    await page.goto(`${devshop.url}/`);
    await page.selectOption("#login select", member.id);
    await page.locator("h2", { hasText: "Your recent orders" }).waitFor({ timeout: 20_000 });
    const event = page.locator("[data-regulars-event]").first();
    // The theme's script shows it from its start to its end by the shopper's clock.
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>("[data-regulars-event]")?.hidden === false,
    );
    await expect(event.textContent()).resolves.toMatch(/^Double Days: 2x points until \w+/);
    await page.close();
  });
});
