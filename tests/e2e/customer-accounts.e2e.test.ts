/**
 * End to end in Debian's Chromium: the customer accounts UI extensions as Shopify CLI builds
 * them, running in devshop's customer accounts, checkout and thank-you page against the app's
 * production build. The extensions are built for this test's app URL (scripts/build-extensions.mjs
 * --path, into a copy: the URL is fixed at build time). A customer with points opens their
 * account: the profile block shows the balance and links to the Rewards page, where they redeem a
 * reward; the code exists in Shopify for them and the page lists it; the order status page shows
 * what the order earned. In checkout they redeem another reward, which is applied to the checkout;
 * the thank-you page says what the order will earn, and the order status page later shows it. At
 * POS a cashier opens the app's tile for the customer in the cart and redeems a reward for them;
 * the code goes into the cart.
 *
 * Needs `npm run build` first; run with `npm run test:e2e`.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, FrameLocator, Page } from "playwright-core";
import type { Devshop } from "../../devshop/server";
import type { Customer, Order, ShopState } from "../../devshop/state";
import { startE2eStore, until, type E2eStore } from "../support/e2e-app";

const SHOP = "e2e-accounts.myshopify.com";
const SCREENSHOTS = path.resolve("docs/screenshots");

let store: E2eStore;
let devshop: Devshop;
let context: BrowserContext;
let shop: ShopState;
let shopper: Customer;
let order: Order;
// The extensions built for this test's app URL (inside the project, so their packages resolve).
const extensionsApp = path.resolve(`.cache/e2e-extensions-${process.pid}`);

const metafield = (customer: Customer, key: string) =>
  shop.metafields[`gid://shopify/Customer/${customer.id}|$app:loyalty|${key}`]?.value;

/** Builds the customer accounts extensions for `appUrl` with Shopify CLI, in a copy of the app. */
function buildExtensionsFor(appUrl: string) {
  mkdirSync(path.join(extensionsApp, "extensions"), { recursive: true });
  cpSync("shopify.app.toml", path.join(extensionsApp, "shopify.app.toml"));
  for (const folder of [
    "customer-account-page",
    "customer-account-blocks",
    "checkout-rewards",
    "pos-rewards",
    "shared",
  ]) {
    cpSync(path.join("extensions", folder), path.join(extensionsApp, "extensions", folder), {
      recursive: true,
      filter: (source) => !source.includes(`${path.sep}dist`),
    });
  }
  const built = spawnSync("node", ["scripts/build-extensions.mjs", "--path", extensionsApp], {
    env: { ...process.env, APP_URL: appUrl },
    encoding: "utf8",
  });
  if (built.status !== 0) throw new Error(`shopify app build failed:\n${built.stdout}\n${built.stderr}`);
}

/**
 * At a phone's width nothing may be cut off or scroll sideways: neither the page nor any
 * extension's frame is wider than the screen.
 */
async function expectNothingOverflows(page: Page) {
  const wide = async (frame: Page | ReturnType<Page["frames"]>[number]) =>
    frame.evaluate(() => {
      const root = document.documentElement;
      return root.scrollWidth > root.clientWidth + 1
        ? `${location.pathname}${location.search}: ${root.scrollWidth} > ${root.clientWidth}`
        : null;
    });
  const problems = (await Promise.all([wide(page), ...page.frames().slice(1).map(wide)])).filter(Boolean);
  expect(problems).toEqual([]);
}

/** The frame devshop runs an extension target in. */
const extensionFrame = (page: Page, target: string): FrameLocator =>
  page.frameLocator(`iframe.extension[src*="${encodeURIComponent(target)}"]`);

beforeAll(async () => {
  store = await startE2eStore({
    shop: SHOP,
    shopName: "Harbour Goods",
    beforeDevshop: buildExtensionsFor,
    devshop: { extensionsDir: path.join(extensionsApp, "extensions") },
  });
  ({ devshop, shop, context } = store);
  shopper = devshop.commerce.createCustomer(shop, {
    email: "noor@example.com",
    firstName: "Noor",
    lastName: "Haddad",
  });
  const hoodie = Object.values(shop.products).find((p) => p.title.includes("Hoodie"))!;
  // 4 x 60.00 at the default 5 points per 1.00: 1,200 points.
  order = devshop.commerce.placeOrder(shop, {
    customerId: shopper.id,
    lines: [{ productId: hoodie.id, quantity: 4 }],
  });
  await devshop.webhooks.idle();
  await until("the shopper's points", () => metafield(shopper, "points") === "1200");
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await store?.stop();
  rmSync(extensionsApp, { recursive: true, force: true });
});

describe("a customer in their account", () => {
  it("sees the balance on their profile, linking to the Rewards page", async () => {
    const page = await context.newPage();
    await page.goto(`${devshop.url}/`);
    await page.selectOption("#login select", shopper.id);
    await page.getByRole("link", { name: "Account" }).click();
    const profile = extensionFrame(page, "customer-account.profile.block.render");
    await profile.getByText("1,200 points").waitFor({ timeout: 20_000 });
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNothingOverflows(page);
    await page.setViewportSize({ width: 1280, height: 900 });
    await profile.getByText("See your rewards").click();
    await page.waitForURL(/\/account\/pages\/customer-account-page$/);
    await extensionFrame(page, "customer-account.page.render")
      .getByText("1,200 points")
      .waitFor({ timeout: 20_000 });
    await page.close();
  });

  it("redeems a reward on the Rewards page: the code is shown, exists in Shopify for them, and is listed", async () => {
    const page = await context.newPage();
    await page.goto(`${devshop.url}/account/pages/customer-account-page`);
    const rewards = extensionFrame(page, "customer-account.page.render");
    await rewards.getByText("1,200 points").waitFor({ timeout: 20_000 });
    await rewards.getByRole("button", { name: /Redeem 5\.00 off/ }).click();
    await rewards.getByText("Your code is ready").waitFor({ timeout: 20_000 });
    await rewards.getByText("700 points", { exact: true }).waitFor();
    // Money in the shop's currency, in the shopper's locale (shopify.i18n.formatCurrency).
    const unit = new Intl.NumberFormat("en", {
      style: "currency",
      currency: shop.currencyCode,
      minimumFractionDigits: 0,
      maximumFractionDigits: 0,
    }).format(1);
    await rewards.getByText(`5 points for every ${unit} you spend`).waitFor();

    const discount = Object.values(shop.discounts).find((d) => d.customerIds.includes(shopper.id));
    expect(discount).toBeDefined();
    // The code is on the page twice: in the banner and under Your codes.
    await expect(rewards.getByText(discount!.code, { exact: true }).count()).resolves.toBe(2);
    await until("the balance after redeeming", () => metafield(shopper, "points") === "700");

    await page.screenshot({
      path: path.join(SCREENSHOTS, "customer-account-rewards-desktop.png"),
      fullPage: true,
    });
    await page.setViewportSize({ width: 390, height: 844 });
    await rewards.getByText("Your code is ready").waitFor();
    await expectNothingOverflows(page);
    await page.screenshot({
      path: path.join(SCREENSHOTS, "customer-account-rewards-phone.png"),
      fullPage: true,
    });
    await page.close();
  });

  it("sees on the order's status page what the order earned", async () => {
    const page = await context.newPage();
    await page.goto(`${devshop.url}/account/orders/${order.id}`);
    const block = extensionFrame(page, "customer-account.order-status.block.render");
    await block.getByText("This order earned you 1,200 points.").waitFor({ timeout: 20_000 });
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNothingOverflows(page);
    await page.close();
  });
});

describe("a customer in checkout", () => {
  it("redeems a reward in checkout, which applies its code; the thank-you page says what the order earns", async () => {
    const page = await context.newPage();
    await page.goto(`${devshop.url}/`);
    const hoodie = page.locator(".product", { hasText: "Alpine Merino Hoodie" });
    await hoodie.getByRole("button", { name: "Check out" }).click();
    await page.waitForURL(/\/checkout\?/);
    const reductions = extensionFrame(page, "purchase.checkout.reductions.render-after");
    await reductions.getByText("You have 700 points.").waitFor({ timeout: 20_000 });
    await reductions.getByRole("button", { name: "Apply 5.00 off" }).click();
    await reductions.getByText(/ is applied\.$/).waitFor({ timeout: 20_000 });
    const code = await page.locator("#discount-code").inputValue();
    const discount = Object.values(shop.discounts).find((d) => d.code === code);
    expect(discount?.customerIds).toEqual([shopper.id]);
    await page.screenshot({ path: path.join(SCREENSHOTS, "checkout-rewards-desktop.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNothingOverflows(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, "checkout-rewards-phone.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // The thank-you page usually renders before the order's webhook has been applied: hold it.
    devshop.webhooks.switches.reorderBatch = 100;
    await page.getByRole("button", { name: "Pay now" }).click();
    await page.waitForURL(/\/thank-you\/\d+$/);
    // 60.00 less the 5.00 code at 5 points per 1.00; the balance was 200 after the second code.
    const thanks = extensionFrame(page, "purchase.thank-you.block.render");
    await thanks.getByText("You’ll earn 275 points for this order").waitFor({ timeout: 20_000 });
    await thanks.getByText("That brings your balance to 475 points.").waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, "thank-you-desktop.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNothingOverflows(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, "thank-you-phone.png"), fullPage: true });

    // Later, the order's webhook has credited it: its status page in the account says so.
    const orderId = /\/thank-you\/(\d+)$/.exec(page.url())![1]!;
    expect(shop.orders[orderId]!.discountCodes.map((d) => d.code)).toEqual([code]);
    devshop.webhooks.switches.reorderBatch = 0;
    devshop.webhooks.flush();
    await devshop.webhooks.idle();
    await until("the points of the order", () => metafield(shopper, "points") === "475");
    // The thank-you page shown again now that the order is credited: what it earned, and the
    // balance counted once (not 475 + 275).
    await page.reload();
    await thanks.getByText("You earned 275 points with this order").waitFor({ timeout: 20_000 });
    await thanks.getByText("That brings your balance to 475 points.").waitFor();
    await page.goto(`${devshop.url}/account/orders/${orderId}`);
    await extensionFrame(page, "customer-account.order-status.block.render")
      .getByText("This order earned you 275 points.")
      .waitFor({ timeout: 20_000 });
    await page.close();
  });
});

describe("a cashier at POS", () => {
  it("opens the tile for the customer in the cart, redeems a reward for them and adds the code to the cart", async () => {
    const page = await context.newPage();
    await page.goto(`${devshop.url}/pos?customer=${shopper.id}`);
    const tile = extensionFrame(page, "pos.home.tile.render");
    // s-tile's subheading: the balance after the checkout order (475 points).
    await tile.locator('s-tile[subheading="475 points"]').waitFor({ timeout: 20_000 });
    await tile.locator("s-tile").click();
    const modal = extensionFrame(page, "pos.home.modal.render");
    await modal.getByText("475 points", { exact: true }).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, "pos-desktop.png") });
    await page.setViewportSize({ width: 390, height: 844 });
    await modal.getByText("475 points", { exact: true }).waitFor();
    await expectNothingOverflows(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, "pos-phone.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await modal.getByRole("button", { name: /^Redeem Free shipping/ }).click();
    await page.locator("#cart-codes", { hasText: /-/ }).waitFor({ timeout: 20_000 });
    const code = (await page.locator("#cart-codes").textContent())!.trim();
    const discount = Object.values(shop.discounts).find((d) => d.code === code);
    expect(discount?.customerIds).toEqual([shopper.id]);
    await modal.getByText("75 points", { exact: true }).waitFor();
    await page.close();
  });
});
