/**
 * The merchant's forms in the embedded admin, end to end in Debian's Chromium
 * (devshop's admin frame, the production build on a fresh embedded database):
 *
 * - Program: every bad field is flagged on the first Save, settings, tiers and
 *   rewards alike, each as a sentence in the merchant's terms under its field
 *   and in a banner at the top; nothing is saved.
 * - Win-back: the form is checked before the confirmation dialog opens.
 * - Past orders: while a backfill runs, the start button says so and is
 *   disabled; a date left empty is named under its field.
 * - Import: checking or importing without a file says to choose one.
 * - Setup checklist: a theme check that failed has Check again, and the
 *   checklist says the shop is all set once every step is done.
 *
 * Needs `npm run build` first; run with
 * `E2E=1 npx vitest run --project e2e tests/e2e/admin-forms.e2e.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, FrameLocator, Page } from "playwright-core";
import { strings } from "~/admin/strings";
import { DEFAULT_REWARDS } from "~/loyalty/rewards";
import type { Devshop } from "../../devshop/server";
import { startE2eStore, type E2eStore } from "../support/e2e-app";
import type { ShopState } from "../../devshop/state";

const SHOP = "e2e-admin-forms.myshopify.com";
const DAY = 86_400_000;

let store: E2eStore;
let devshop: Devshop;
let context: BrowserContext;
let shop: ShopState;

async function openAdmin(appPath: string): Promise<{ page: Page; frame: FrameLocator }> {
  const page = await context.newPage();
  await page.goto(devshop.adminUrl(SHOP, appPath));
  return { page, frame: page.frameLocator("#app-iframe") };
}

/** The text the merchant can read in the app's frame. */
const frameText = (frame: FrameLocator) => frame.locator("body").innerText();

beforeAll(async () => {
  store = await startE2eStore({
    shop: SHOP,
    shopName: "E2E Admin Forms",
    // Shopify takes 10 s to read a shop's orders here: long enough to see a backfill running.
    devshop: { bulkRunMs: 10_000 },
    // Shopify cannot show the theme yet (the checklist's theme steps cannot be checked).
    theme: { embedActive: false, blockAdded: false, unreadable: true },
  });
  ({ devshop, shop, context } = store);
  // Two customers who last ordered long ago: the win-back segment.
  const hoodie = Object.values(shop.products).find((p) => p.title.includes("Hoodie"))!;
  for (const [i, email] of ["jonas@example.com", "aiko@example.com"].entries()) {
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
  }
  await devshop.webhooks.idle();
}, 120_000);

afterAll(() => store?.stop());

describe("the program form", () => {
  const t = strings.program;

  it("flags every bad field on the first Save, in the merchant's terms, and saves nothing", async () => {
    const { page, frame } = await openAdmin("/program");
    const rate = frame.getByLabel(t.earnRate);
    await rate.waitFor({ timeout: 30_000 });
    // A negative rate, a bonus over the limit, a tier multiplier under 1 (stored x10,000), a free reward.
    await rate.fill("-1");
    await frame.getByLabel(t.signupBonus).fill("2000000");
    await frame.getByLabel(t.tierMultiplier).nth(1).fill("0.5");
    await frame.getByLabel(t.reward.pointsCost).first().fill("0");
    await frame.locator('ui-save-bar[data-open] button[variant="primary"]').click();

    const banner = frame.locator(".Polaris-Banner", { hasText: t.errorsTitle(4) });
    await banner.waitFor({ timeout: 15_000 });
    const sentences = [
      "Points per 1.00 of eligible spend must be 0 or more.",
      "Points for creating an account must be at most 1,000,000 points.",
      "The Silver tier's earning multiplier must be at least 1.",
      `The "${DEFAULT_REWARDS[0]!.title}" reward's cost must be at least 1 point.`,
    ];
    // Listed in the banner, in page order, and each under its field.
    await expect(banner.locator("li").allInnerTexts()).resolves.toEqual(sentences);
    for (const sentence of sentences) {
      await expect(frame.locator(".Polaris-InlineError", { hasText: sentence }).count()).resolves.toBe(1);
    }
    await expect(frame.getByLabel(t.earnRate).getAttribute("aria-invalid")).resolves.toBe("true");
    const text = await frameText(frame);
    expect(text).not.toMatch(/expected|NaN|Invalid|>=|<=|10000\b/);
    // No toast: the errors are on the page.
    expect(await frame.locator(".devshop-toast").count()).toBe(0);

    // Nothing was saved.
    await page.reload();
    await expect(page.frameLocator("#app-iframe").getByLabel(t.earnRate).inputValue()).resolves.toBe("5");
    await page.close();
  });
});

describe("the win-back form", () => {
  const t = strings.campaigns;

  it("is checked before the confirmation dialog: with errors the dialog does not open", async () => {
    const { page, frame } = await openAdmin("/campaigns/new");
    await frame.getByText(t.segmentSize(2)).waitFor({ timeout: 30_000 });
    await frame.getByLabel(t.inactiveDays).fill("-5");
    await frame.getByLabel(t.percent).fill("150");
    await frame.getByRole("button", { name: t.launch }).first().click();

    const banner = frame.locator(".Polaris-Banner", { hasText: t.errorsTitle(2) });
    await banner.waitFor({ timeout: 10_000 });
    await expect(banner.locator("li").allInnerTexts()).resolves.toEqual([
      "Days without an order must be from 1 to 3,650 days.",
      "Percent off must be from 1 to 100%.",
    ]);
    expect(await frame.locator("ui-modal[data-open]").count()).toBe(0);
    expect(Object.keys(shop.discounts)).toEqual([]);

    // Fixed, the same button asks for confirmation.
    await frame.getByLabel(t.inactiveDays).fill("180");
    await frame.getByLabel(t.percent).fill("15");
    await frame.getByRole("button", { name: t.launch }).first().click();
    await frame.locator("ui-modal[data-open]").waitFor({ timeout: 10_000 });
    expect(await banner.count()).toBe(0);
    expect(Object.keys(shop.discounts)).toEqual([]);
    await page.close();
  });
});

describe("past orders", () => {
  const t = strings.backfill;

  it("names an empty date under its field; while a backfill runs the button says so and is disabled", async () => {
    const { page, frame } = await openAdmin("/backfill");
    const from = frame.getByLabel(t.from);
    await from.waitFor({ timeout: 30_000 });
    const start = frame.getByRole("button", { name: t.start });
    await from.fill("");
    await start.click();
    await frame
      .locator(".Polaris-InlineError", { hasText: `${t.from} is required.` })
      .waitFor({ timeout: 15_000 });
    expect(await frameText(frame)).not.toMatch(/Invalid request/);
    expect(await frame.locator(".devshop-toast").count()).toBe(0);

    await from.fill(new Date(Date.now() - 30 * DAY).toISOString().slice(0, 10));
    await start.click();
    await frame.locator(".devshop-toast", { hasText: t.started }).waitFor({ timeout: 15_000 });
    const running = frame.getByRole("button", { name: t.running });
    await running.waitFor({ timeout: 10_000 });
    await expect(running.isDisabled()).resolves.toBe(true);
    expect(await frame.getByRole("button", { name: t.start }).count()).toBe(0);
    await page.close();
  });
});

describe("import", () => {
  const t = strings.importExport;

  it("checking or importing without a file says to choose one, under the file field", async () => {
    const { page, frame } = await openAdmin("/import");
    const check = frame.getByRole("button", { name: t.dryRun });
    await check.waitFor({ timeout: 30_000 });
    await check.click();
    await frame.locator(".Polaris-InlineError", { hasText: t.noFile }).waitFor({ timeout: 10_000 });
    await expect(frame.locator('input[type="file"]').getAttribute("aria-invalid")).resolves.toBe("true");
    await page.close();
  });
});

describe("the setup checklist", () => {
  const t = strings.onboarding;

  it("has Check again for a theme check that failed, and says all set once every step is done", async () => {
    const { page, frame } = await openAdmin("");
    await frame.getByText(t.unknown).first().waitFor({ timeout: 30_000 });
    // Shopify can show the theme now, with the embed on and the block added.
    shop.theme = { embedActive: true, blockAdded: true };
    await frame.getByRole("button", { name: t.recheck }).first().click();
    await frame.getByText(t.unknown).first().waitFor({ state: "detached", timeout: 15_000 });
    // The backfill started above completes (Shopify reads the orders in 10 s): every step is done.
    const deadline = Date.now() + 60_000;
    while ((await frame.getByText(t.allSetTitle).count()) === 0) {
      if (Date.now() > deadline) throw new Error("the checklist never said all set");
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await page.reload();
      await page
        .frameLocator("#app-iframe")
        .getByText(strings.dashboard.title)
        .first()
        .waitFor({ timeout: 30_000 });
    }
    await frame.getByText(t.allSet).waitFor();
    await page.close();
  });
});
