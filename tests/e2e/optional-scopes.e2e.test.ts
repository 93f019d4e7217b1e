/**
 * End to end, in Debian's Chromium: read_all_orders is an optional scope the
 * Past orders page asks for through App Bridge's shopify.scopes.request, and
 * only for orders older than 60 days. devshop installs the app with the
 * required scopes only, shows the permission grant modal in its admin frame,
 * hides orders older than 60 days until the scope is granted, and sends
 * app/scopes_update when it is.
 *
 * Needs `npm run build` first; run with `E2E=1 npx vitest run --project e2e <this file>`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, FrameLocator, Page } from "playwright-core";
import { formatDay } from "~/admin/format";
import { strings } from "~/admin/strings";
import { grantedScopes, scopeList } from "../../devshop/scopes";
import type { Devshop } from "../../devshop/server";
import { startE2eStore, until, type E2eStore } from "../support/e2e-app";
import type { ShopState } from "../../devshop/state";

const SHOP = "e2e-history.myshopify.com";
const DAY = 86_400_000;
const t = strings.backfill;

let store: E2eStore;
let devshop: Devshop;
let context: BrowserContext;
let shop: ShopState;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);
/** A day as the page writes it, in the staff member's language (devshop's staff: English). */
const written = (iso: string) => formatDay(iso, { locale: "en" });

async function openPastOrders(): Promise<{ page: Page; frame: FrameLocator }> {
  const page = await context.newPage();
  await page.goto(devshop.adminUrl(SHOP, "/backfill"));
  const frame = page.frameLocator("#app-iframe");
  await frame.getByLabel(t.from).waitFor({ timeout: 30_000 });
  return { page, frame };
}

beforeAll(async () => {
  store = await startE2eStore({
    shop: SHOP,
    shopName: "E2E History",
    beforeInstall: (shop, devshop) => {
      // Before Regulars is installed: one order 200 days ago, one 10 days ago, by the same customer.
      const hoodie = Object.values(shop.products).find((p) => p.title.includes("Hoodie"))!;
      const customer = devshop.commerce.createCustomer(shop, {
        email: "ines@example.com",
        firstName: "Ines",
        lastName: "Moreau",
      });
      for (const daysAgo of [200, 10]) {
        devshop.commerce.placeOrder(shop, {
          customerId: customer.id,
          lines: [{ productId: hoodie.id, quantity: 1 }],
          at: new Date(Date.now() - daysAgo * DAY),
        });
      }
    },
  });
  ({ devshop, shop, context } = store);
}, 120_000);

afterAll(() => store?.stop());

describe("past orders older than 60 days", () => {
  it("the install granted the required scopes only; the page starts at the last 60 days", async () => {
    expect(grantedScopes(shop).sort()).toEqual(scopeList(devshop.config.scopes).sort());
    const { page, frame } = await openPastOrders();
    await expect(frame.getByLabel(t.from).inputValue()).resolves.toBe(day(59));
    await frame.getByText(t.recentOnly(written(day(59)))).waitFor();
    await page.close();
  });

  it("declined, Shopify's permission request leaves the 60 days on offer and starts nothing", async () => {
    const { page, frame } = await openPastOrders();
    await frame.getByLabel(t.from).fill(day(365));
    await frame.getByText(t.olderAsks).waitFor();
    await frame.getByRole("button", { name: t.start }).click();
    // Shopify's permission grant modal, in the admin around the app
    const modal = page.locator("#scopes-modal[data-open]");
    // Opened by App Bridge after the app asks: its list is filled by the time it is open.
    await modal.waitFor();
    await expect(modal.locator("li").allTextContents()).resolves.toEqual(["read_all_orders"]);
    await modal.getByRole("button", { name: "Decline" }).click();
    await frame.getByText(t.declined(written(day(59)))).waitFor();
    expect(grantedScopes(shop)).not.toContain("read_all_orders");
    expect(Object.keys(shop.bulkOperations)).toEqual([]);
    // The banner's action puts the start back at the last 60 days.
    await frame.getByRole("button", { name: t.startRecent(written(day(59))) }).click();
    await expect(frame.getByLabel(t.from).inputValue()).resolves.toBe(day(59));
    await page.close();
  });

  it("granted, the older backfill starts, Shopify tells the app, and the old order is credited too", async () => {
    const { page, frame } = await openPastOrders();
    await frame.getByLabel(t.from).fill(day(365));
    await frame.getByRole("button", { name: t.start }).click();
    await page.locator("#scopes-modal[data-open]").getByRole("button", { name: "Grant access" }).click();
    await frame.locator(".devshop-toast", { hasText: t.started }).waitFor({ timeout: 15_000 });
    expect(grantedScopes(shop)).toContain("read_all_orders");
    // app/scopes_update reached the app
    await devshop.webhooks.idle();
    expect(devshop.webhooks.log.filter((d) => d.topic === "app/scopes_update").map((d) => d.status)).toEqual([
      "delivered",
    ]);
    // Shopify read both orders for it: the one from 200 days ago is no longer hidden
    await frame.getByText(t.credited(2, 600)).waitFor({ timeout: 60_000 });
    const [operation] = Object.values(shop.bulkOperations);
    expect(operation!.query).toContain(`processed_at:>='${day(365)}T00:00:00Z'`);
    await until("the backfill's bulk query to finish", () => operation!.status === "COMPLETED");
    await page.close();
  });
});
