/**
 * End to end, in Debian's Chromium, through devshop (the local Shopify) and
 * the app's production build: the merchant adds a store credit reward on the
 * Program page, lets customers choose how many points to spend on it, and
 * allows store credit when asked (Shopify's permission grant modal); a shopper
 * picks an amount in the storefront's launcher and redeems it, the credit is in
 * their store credit account in Shopify, the launcher shows their store credit
 * balance, and devshop's checkout spends it: the order is charged less.
 *
 * Needs `npm run build` first; run with `E2E=1 npx vitest run --project e2e tests/e2e/store-credit.e2e.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext } from "playwright-core";
import { strings } from "~/admin/strings";
import { originalTotals } from "../../devshop/order-math";
import { grantedScopes } from "../../devshop/scopes";
import type { Devshop } from "../../devshop/server";
import type { Customer, ShopState } from "../../devshop/state";
import { startE2eStore, until, type E2eStore } from "../support/e2e-app";

const SHOP = "e2e-credit.myshopify.com";
const t = strings.program.reward;

let store: E2eStore;
let devshop: Devshop;
let context: BrowserContext;
let shop: ShopState;
let shopper: Customer;

const metafield = (customer: Customer, key: string) =>
  shop.metafields[`gid://shopify/Customer/${customer.id}|$app:loyalty|${key}`]?.value;

beforeAll(async () => {
  store = await startE2eStore({
    shop: SHOP,
    shopName: "E2E Credit",
    theme: { embedActive: true, blockAdded: false },
  });
  ({ devshop, shop, context } = store);
  shopper = devshop.commerce.createCustomer(shop, {
    email: "lena@example.com",
    firstName: "Lena",
    lastName: "Brandt",
  });
}, 120_000);

afterAll(() => store?.stop());

describe("store credit as a reward", () => {
  it("the merchant adds a store credit reward, is told it needs permission, and allows it", async () => {
    const page = await context.newPage();
    await page.goto(devshop.adminUrl(SHOP, "/program"));
    const frame = page.frameLocator("#app-iframe");
    await frame.getByRole("button", { name: t.add }).click({ timeout: 30_000 });
    await frame.getByLabel(t.type).last().selectOption("STORE_CREDIT");
    await frame.getByLabel(t.title).last().fill("Store credit");
    // 1.00 for every 100 points, from 200 to 1,000 points.
    await frame.getByLabel(t.pointsCost).last().fill("100");
    await frame.getByLabel(t.creditAmount, { exact: true }).last().fill("1.00");
    await frame.getByLabel(t.key, { exact: true }).last().fill("credit-5");
    await frame.getByLabel(t.anyAmount).last().check();
    await frame.getByLabel(t.anyMin).last().fill("200");
    await frame.getByLabel(t.anyMax).last().fill("1000");
    // Without the store credit scopes the page says why the reward is off, and offers to allow it.
    await frame.getByText(t.storeCreditOffTitle).waitFor();
    await frame.getByRole("button", { name: t.allowStoreCredit }).click();
    const modal = page.locator("#scopes-modal[data-open]");
    // Opened by App Bridge after the app asks: its list is filled by the time it is open.
    await modal.waitFor();
    await expect(modal.locator("li").allTextContents()).resolves.toEqual([
      "read_store_credit_accounts",
      "write_store_credit_account_transactions",
    ]);
    await modal.getByRole("button", { name: "Grant access" }).click();
    await until("Shopify to grant the store credit scopes", () =>
      grantedScopes(shop).includes("write_store_credit_account_transactions"),
    );
    await devshop.webhooks.idle();
    await frame.locator('ui-save-bar[data-open] button[variant="primary"]').click();
    await frame.locator(".devshop-toast", { hasText: strings.program.saved }).waitFor({ timeout: 15_000 });
    // app/scopes_update reached the app: after a reload the page no longer says it is off.
    await page.reload();
    const reloaded = page.frameLocator("#app-iframe");
    await reloaded.getByRole("button", { name: t.add }).waitFor({ timeout: 30_000 });
    await expect(reloaded.getByText(t.storeCreditOffTitle).count()).resolves.toBe(0);
    // A reward whose worth the shopper chooses cannot be given free: no tier offers it on reaching it.
    const entryChoices = await reloaded
      .getByLabel(strings.program.tierEntryReward)
      .first()
      .locator("option")
      .allTextContents();
    expect(entryChoices.length).toBeGreaterThan(1);
    expect(entryChoices).not.toContain("Store credit");
    await until("the storefront's copy of the program to offer it", () =>
      (shop.metafields[`${shop.installation.id}|loyalty|program`]?.value ?? "").includes('"credit-5"'),
    );
    await page.close();
  });

  it("the shopper picks 500 points on the storefront, and the credit is in their Shopify store credit", async () => {
    const hoodie = Object.values(shop.products).find((p) => p.title.includes("Hoodie"))!;
    // 2 x 60.00 at 5 points per 1.00.
    devshop.commerce.placeOrder(shop, {
      customerId: shopper.id,
      lines: [{ productId: hoodie.id, quantity: 2 }],
    });
    await devshop.webhooks.idle();
    await until("the shopper's points on Shopify", () => metafield(shopper, "points") === "600");

    const page = await context.newPage();
    await page.goto(`${devshop.url}/`);
    await page.selectOption("#login select", shopper.id);
    await page.locator("h2", { hasText: "Your recent orders" }).waitFor({ timeout: 20_000 });
    await page.locator(".regulars-launcher__button").click();
    const reward = page.locator('#regulars-panel [data-regulars-reward="credit-5"]');
    // From 200 to 600 (the balance), in steps of 100: three steps up from the minimum.
    await expect(reward.getByLabel("Points to spend").getAttribute("max")).resolves.toBe("600");
    for (let i = 0; i < 3; i++) await reward.getByRole("button", { name: "100 points more" }).click();
    await expect(reward.getByLabel("Points to spend").inputValue()).resolves.toBe("500");
    await reward.locator("[data-regulars-worth]").filter({ hasText: /5\.00/ }).waitFor();
    await reward.locator('[data-regulars-redeem="credit-5"]').click();
    await page
      .locator("#regulars-panel [data-regulars-message]")
      .filter({ hasText: /store credit/ })
      .waitFor({ timeout: 20_000 });
    const accounts = shop.storeCredit?.accounts[shopper.id] ?? [];
    expect(accounts.map((a) => a.currencyCode)).toEqual([shop.currencyCode]);
    expect(accounts[0]!.transactions.map((x) => [x.kind, x.cents])).toEqual([["credit", 500]]);
    await until("the balance after redeeming", () => metafield(shopper, "points") === "100");
    // The member sync read the balance from Shopify: the launcher shows it on the next page.
    await until("the store credit on Shopify's copy", () =>
      (metafield(shopper, "store_credit") ?? "").includes('"cents":500'),
    );
    await page.reload();
    await expect(page.locator(".regulars-launcher [data-regulars-credit]").textContent()).resolves.toMatch(
      /Store credit: .*5\.00/,
    );
    await page.close();
  });

  it("devshop's checkout spends the store credit: the order is charged less", async () => {
    const page = await context.newPage();
    await page.goto(`${devshop.url}/`);
    const socks = page.locator(".product", { hasText: "Trail Socks" });
    await socks.getByLabel(/Use store credit/).check();
    await socks.getByRole("button", { name: "Buy now" }).click();
    await page.locator(".notice", { hasText: /5\.00 was paid with store credit/ }).waitFor();
    const order = Object.values(shop.orders)
      .filter((o) => o.customerId === shopper.id)
      .sort((a, b) => b.number - a.number)[0]!;
    expect(order.storeCreditPaid).toBe(500);
    expect(originalTotals(order).total - order.storeCreditPaid!).toBe(originalTotals(order).total - 500);
    expect(shop.storeCredit!.accounts[shopper.id]![0]!.transactions.map((x) => x.kind)).toEqual([
      "credit",
      "debit",
    ]);
    // Nothing left to spend: checkout no longer offers it.
    await page.reload();
    await expect(
      page
        .locator(".product", { hasText: "Trail Socks" })
        .getByLabel(/Use store credit/)
        .count(),
    ).resolves.toBe(0);
    await page.close();
  });
});
