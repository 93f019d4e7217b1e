/**
 * End to end, in Debian's Chromium, with nothing but localhost: devshop (the
 * local Shopify) in this process, the app's production build (npm start)
 * on a fresh embedded database, installed the way Shopify installs it.
 *
 * The merchant works in the embedded admin (the devshop admin frame, App
 * Bridge stand-in, session tokens signed with the app secret): changes the
 * earning rate, adjusts a customer's points, checks a CSV with a bad row,
 * launches a win-back campaign. The shopper logs in on the storefront, sees
 * the balance, an order paid in the simulator raises it, they redeem a reward
 * from the launcher, the code exists in Shopify for them with the reward's
 * expiry, and using it on an order marks it used. The merchant turns on a
 * Flow workflow in devshop, whose lifecycle callback reaches the app: Flow
 * hears of what happens from then on, for that trigger only.
 *
 * Needs `npm run build` first; run with `npm run test:e2e`.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, FrameLocator, Page } from "playwright-core";
import { strings } from "~/admin/strings";
import { DEFAULT_REWARDS } from "~/loyalty/rewards";
import type { Devshop } from "../../devshop/server";
import { startE2eStore, until, type E2eStore } from "../support/e2e-app";
import type { Customer, ShopState } from "../../devshop/state";

const SHOP = "e2e-outfitters.myshopify.com";
const SCREENSHOTS = path.resolve("docs/screenshots");
const DAY = 86_400_000;

let store: E2eStore;
let devshop: Devshop;
let context: BrowserContext;
let shop: ShopState;
let shopper: Customer;
let lapsed: Customer[];
// A private copy of the build (inside the project, so its packages resolve): a rebuild cannot pull it away.
const requested: string[] = [];

const metafield = (customer: Customer, key: string) =>
  shop.metafields[`gid://shopify/Customer/${customer.id}|$app:loyalty|${key}`]?.value;

async function openAdmin(appPath: string): Promise<{ page: Page; frame: FrameLocator }> {
  const page = await context.newPage();
  await page.goto(devshop.adminUrl(SHOP, appPath));
  const frame = page.frameLocator("#app-iframe");
  return { page, frame };
}

beforeAll(async () => {
  store = await startE2eStore({
    shop: SHOP,
    shopName: "E2E Outfitters",
    // The app embed is on (its deep link from the checklist is tested below); the block is not yet.
    theme: { embedActive: true, blockAdded: false },
  });
  ({ devshop, shop, context } = store);
  shopper = devshop.commerce.createCustomer(shop, {
    email: "maren@example.com",
    firstName: "Maren",
    lastName: "Okafor",
  });
  // Two customers who bought long ago and never came back: the win-back segment.
  const hoodie = Object.values(shop.products).find((p) => p.title.includes("Hoodie"))!;
  lapsed = ["jonas@example.com", "aiko@example.com"].map((email, i) => {
    const customer = devshop.commerce.createCustomer(shop, {
      email,
      firstName: `Lapsed${i}`,
      lastName: "Buyer",
    });
    devshop.commerce.placeOrder(shop, {
      customerId: customer.id,
      lines: [{ productId: hoodie.id, quantity: 1 }],
      at: new Date(Date.now() - (200 + i * 30) * DAY),
    });
    return customer;
  });
  await devshop.webhooks.idle();
  context.on("request", (request) => requested.push(request.url()));
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(() => store?.stop());

describe("the merchant in the embedded admin", () => {
  it("changes the earning rate and saves it through the save bar", async () => {
    const { page, frame } = await openAdmin("/program");
    const rate = frame.getByLabel(strings.program.earnRate);
    await rate.waitFor({ timeout: 30_000 });
    await expect(rate.inputValue()).resolves.toBe("5");
    await rate.fill("10");
    const save = frame.locator('ui-save-bar[data-open] button[variant="primary"]');
    await save.click();
    await frame.locator(".devshop-toast", { hasText: strings.program.saved }).waitFor({ timeout: 15_000 });
    // Reloaded from the server, the new rate stands; and the storefront's copy of the program follows.
    await page.reload();
    await expect(
      page.frameLocator("#app-iframe").getByLabel(strings.program.earnRate).inputValue(),
    ).resolves.toBe("10");
    await until("the program metafield with rate 10", () =>
      /"earnRate":"10(\.0+)?"/.test(shop.metafields[`${shop.installation.id}|loyalty|program`]?.value ?? ""),
    );
    await page.close();
  });
});

describe("the shopper on the storefront", () => {
  let code = "";

  it("logs in and sees the balance an order paid in the simulator raised", async () => {
    const hoodie = Object.values(shop.products).find((p) => p.title.includes("Hoodie"))!;
    // 2 x 60.00 at 10 points per 1.00 (the rate the merchant just set).
    devshop.commerce.placeOrder(shop, {
      customerId: shopper.id,
      lines: [{ productId: hoodie.id, quantity: 2 }],
    });
    await devshop.webhooks.idle();
    await until("the shopper's points on Shopify", () => metafield(shopper, "points") === "1200");

    const page = await context.newPage();
    await page.goto(`${devshop.url}/`);
    await page.selectOption("#login select", shopper.id);
    // The login posts and redirects back to this same URL: wait for the page that knows the shopper.
    await page.locator("h2", { hasText: "Your recent orders" }).waitFor({ timeout: 20_000 });
    await expect(page.locator(".regulars-launcher__button").textContent()).resolves.toMatch(/1,200 points/);
    await page.close();
  });

  it("redeems a reward from the launcher and gets a code that exists in Shopify for them, with the reward's expiry", async () => {
    const page = await context.newPage();
    await page.goto(`${devshop.url}/`);
    await page.locator(".regulars-launcher__button").click();
    await page.locator('#regulars-panel [data-regulars-redeem="10-off"]').click();
    const message = page.locator("#regulars-panel [data-regulars-message]");
    await message.filter({ hasText: /Your code:/ }).waitFor({ timeout: 20_000 });
    code = (await message.textContent())!.replace("Your code:", "").trim();
    // The storefront with the launcher open after redeeming, on a desktop and on a phone.
    await page.screenshot({ path: path.join(SCREENSHOTS, "storefront-desktop.png") });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator("#regulars-panel").waitFor({ state: "visible" });
    await page.screenshot({ path: path.join(SCREENSHOTS, "storefront-phone.png") });
    await page.close();

    const discount = Object.values(shop.discounts).find((d) => d.code === code);
    expect(discount).toBeDefined();
    expect(discount!.customerIds).toEqual([shopper.id]);
    expect(discount!.usageLimit).toBe(1);
    const lifetimeDays = DEFAULT_REWARDS.find((r) => r.key === "10-off")!.codeLifetimeDays;
    const lifetime = Date.parse(discount!.endsAt!) - Date.parse(discount!.startsAt);
    expect(Math.abs(lifetime - lifetimeDays * DAY)).toBeLessThan(60_000);
    await until("the balance after redeeming", () => metafield(shopper, "points") === "200");
  });

  it("uses the code at checkout: Shopify honours it once and Regulars marks it used", async () => {
    const page = await context.newPage();
    await page.goto(`${devshop.url}/`);
    const socks = page.locator(".product", { hasText: "Trail Socks" });
    await socks.locator('input[name="discountCode"]').fill(code);
    await socks.getByRole("button", { name: "Buy now" }).click();
    await page.locator(".notice", { hasText: /Order #\d+ is paid/ }).waitFor();
    const discount = Object.values(shop.discounts).find((d) => d.code === code)!;
    expect(discount.usedBy).toHaveLength(1);
    await devshop.webhooks.idle();
    // Regulars saw the code on the paid order: it leaves the shopper's active codes.
    await until("the code to leave the active codes", () => {
      const codes = metafield(shopper, "codes");
      return codes !== undefined && !codes.includes(code);
    });
    // Using it again is refused, as Shopify would.
    await socks.locator('input[name="discountCode"]').fill(code);
    await socks.getByRole("button", { name: "Buy now" }).click();
    await page.locator(".notice.error", { hasText: /already been used/ }).waitFor();
    await page.close();
  });
});

describe("the merchant's customer work", () => {
  it("adjusts a customer's points with a reason", async () => {
    const before = Number(metafield(shopper, "points"));
    const { page, frame } = await openAdmin("/customers");
    await frame.getByText("Maren Okafor", { exact: true }).click();
    await frame.getByLabel(strings.customer.adjustPoints).fill("250");
    await frame.getByLabel(strings.customer.adjustReason).fill("Sorry for the late parcel");
    await frame.getByRole("button", { name: strings.customer.adjustSubmit, exact: true }).click();
    await frame
      .locator(".devshop-toast", { hasText: strings.customer.adjusted })
      .waitFor({ timeout: 15_000 });
    await devshop.webhooks.idle();
    await until(
      "the adjusted balance on Shopify",
      () => metafield(shopper, "points") === String(before + 250),
    );
    await page.close();
  });

  it("checks a CSV with a bad row: every error by line, nothing written", async () => {
    const before = metafield(shopper, "points");
    const { page, frame } = await openAdmin("/import");
    const csv = "email,points\nmaren@example.com,100\nnot-an-email,50\nmaren@example.com,abc\n";
    await frame
      .locator('input[type="file"]')
      .setInputFiles({ name: "balances.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await frame.getByRole("button", { name: strings.importExport.dryRun }).click();
    await frame.getByText(/^Line 3:/).waitFor({ timeout: 15_000 });
    await expect(frame.getByText(/^Line 4:/).count()).resolves.toBeGreaterThan(0);
    await devshop.webhooks.idle();
    expect(metafield(shopper, "points")).toBe(before);
    await page.close();
  });

  it("launches a win-back campaign: a personal code and a tag for each lapsed customer", async () => {
    const { page, frame } = await openAdmin("/campaigns/new");
    await frame.getByText(strings.campaigns.segmentSize(2)).waitFor({ timeout: 20_000 });
    await frame.getByLabel(strings.campaigns.percent).fill("15");
    await frame.getByLabel(strings.campaigns.name).fill("Autumn");
    await frame.getByRole("button", { name: strings.campaigns.launch }).first().click();
    await frame.locator('ui-modal[data-open] button[variant="primary"]').click();
    await frame.getByText(strings.campaigns.progressLine(2, 2)).waitFor({ timeout: 30_000 });
    for (const customer of lapsed) {
      const codes = Object.values(shop.discounts).filter((d) => d.customerIds.includes(customer.id));
      expect(codes).toHaveLength(1);
      expect(codes[0]!.percentage).toBeCloseTo(0.15);
      expect(shop.customers[customer.id]!.tags).toContain("Regulars win-back Autumn");
    }
    expect(Object.values(shop.discounts).filter((d) => d.customerIds.includes(shopper.id))).toHaveLength(1);
    await page.close();
  });

  it("follows the checklist's theme editor link to add the loyalty block; the step turns done", async () => {
    const { page, frame } = await openAdmin("");
    const block = frame.getByRole("link", { name: strings.onboarding.steps.block[2] });
    await block.click();
    await page.waitForURL(/\/themes\/current\/editor\?template=index&addAppBlockId=/);
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(devshop.adminUrl(SHOP));
    expect(shop.theme).toEqual({ embedActive: true, blockAdded: true });
    await page.close();
  });

  it("turns on a Flow workflow: Flow hears of points earned from then on, and of nothing before or else", async () => {
    // GIVEN the shopper earned points earlier, while the shop had no workflow: Flow heard nothing
    const earned = () => shop.flowReceipts.filter((receipt) => receipt.handle === "regulars-points-earned");
    expect(shop.flowReceipts).toEqual([]);
    // WHEN the merchant turns on a workflow using "Loyalty points earned" (devshop's Flow sends the
    // signed lifecycle callback to the production server, which must answer for it to turn on)
    const page = await context.newPage();
    // Every step bounded, so a slow one fails with its own name rather than the test's timeout.
    page.setDefaultTimeout(30_000);
    await page.goto(`${devshop.url}/devshop`);
    const row = page.locator("tr", { hasText: "regulars-points-earned" }).first();
    await row.getByRole("button", { name: "Turn on" }).click();
    await until("the workflow on", () => devshop.flow.enabled(shop, "regulars-points-earned"));
    expect(devshop.flow.log.at(-1)).toMatchObject({ trigger: "regulars-points-earned", answer: 200 });
    // The form's answer brings the control page back: closing the page while that navigation is
    // in flight hung Chromium's close for minutes, now and then.
    await row.getByRole("button", { name: "Turn off" }).waitFor();
    await page.close();
    // AND the shopper pays another order
    const socks = Object.values(shop.products).find((p) => p.title.includes("Socks"))!;
    devshop.commerce.placeOrder(shop, {
      customerId: shopper.id,
      lines: [{ productId: socks.id, quantity: 1 }],
    });
    // THEN Flow hears of that order's points, once, and of no other trigger
    await until("Flow to hear of the points", () => earned().length > 0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(earned()).toHaveLength(1);
    // 20.00 of socks at the earning rate the merchant set above
    expect(earned()[0]!.payload).toMatchObject({ customer_id: Number(shopper.id), Points: 200 });
    expect(shop.flowReceipts.filter((receipt) => receipt.handle !== "regulars-points-earned")).toEqual([]);
  });

  it("shows the dashboard; no page requested anything outside localhost", async () => {
    const { page, frame } = await openAdmin("");
    await frame.getByText(strings.dashboard.title).first().waitFor({ timeout: 20_000 });
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: path.join(SCREENSHOTS, "admin-dashboard.png"), fullPage: true });
    await page.close();
    const outside = requested.filter((url) => !/^(http:\/\/127\.0\.0\.1:\d+\/|data:|blob:|about:)/.test(url));
    expect(outside).toEqual([]);
    expect(requested.length).toBeGreaterThan(20);
  });
});
