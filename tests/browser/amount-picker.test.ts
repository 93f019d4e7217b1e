/**
 * "Spend any amount" on the storefront (issue 24), in Debian's Chromium: the launcher offers a
 * reward's amount picker between its minimum and what the shopper can spend (its maximum, or
 * their balance rounded down to a step), in steps, with what the points are worth; the amount
 * chosen is what the app redeems and the ledger records. The app's limits are the source of
 * truth: an amount it refuses is worded from the theme's locale, with the limits it answered.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { AxeResults } from "axe-core";
import type { Browser, Page } from "playwright-core";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { ensureRewards } from "~/db/rewards.server";
import { parseMilli } from "~/loyalty/money";
import { action as redeemAction } from "~/routes/proxy.redeem";
import { loader as statusLoader } from "~/routes/proxy.status";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { applyOrderEvent, releaseDuePoints } from "~/services/orders/order-points.server";
import { snapshot } from "../support/order-events";
import { memberState } from "~/services/members/member-sync.server";
import { syncProgram } from "~/services/program/program-sync.server";
import { memberMetafields } from "~/shopify/admin-api/member-metafields.server";
import type { adminStandIn } from "../support/admin-stand-in";
import type { ShopifyEdge } from "../support/shopify-edge";
import { launchChromium } from "../support/chromium";
import { shopifyForShop } from "../support/shopify-for-shop";
import { startStorefront, type StorefrontServer } from "../support/storefront-server";
import { appMetafieldsOf } from "../support/theme-render";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const CUSTOMER_ID = "7302485618";
const CUSTOMER = `gid://shopify/Customer/${CUSTOMER_ID}`;
let locale: "en" | "fr" = "en";
let browser: Browser;
let storefront: StorefrontServer;
let edge: ShopifyEdge;
let shopify: ReturnType<typeof adminStandIn>;
let seeds = 0;

/** Sets the shopper's balance to `points` with a staff adjustment. */
async function balanceOf(points: number) {
  const member = await prisma.member.findFirst({ where: { shop: TEST_SHOP, customerGid: CUSTOMER } });
  const change = points - (member?.balance ?? 0);
  if (change === 0) return;
  await adjustPoints(
    prisma,
    TEST_SHOP,
    {
      customerGid: CUSTOMER,
      points: change,
      reason: "Test",
      staffId: "s",
      idempotencyKey: `picker-seed-${seeds++}`,
    },
    new Date(),
  );
}

const memberBalance = async () =>
  (await prisma.member.findFirstOrThrow({ where: { shop: TEST_SHOP, customerGid: CUSTOMER } })).balance;

beforeAll(async () => {
  ({ shopify, edge } = await shopifyForShop(prisma, TEST_SHOP, "shpat_picker"));
  await ensureRewards(prisma, TEST_SHOP);
  // 1.00 off for every 100 points, from 500 to 2,000 points.
  await prisma.reward.create({
    data: {
      shop: TEST_SHOP,
      key: "any-off",
      title: "Money off",
      type: "FIXED_AMOUNT",
      pointsCost: 100,
      amountMilli: parseMilli("1.00"),
      anyAmountMinPoints: 500,
      anyAmountMaxPoints: 2000,
      position: 10,
    },
  });
  storefront = await startStorefront({
    shop: TEST_SHOP,
    customerId: CUSTOMER_ID,
    proxy: { redeem: redeemAction, status: statusLoader },
    page: async () => {
      const fields = memberMetafields(CUSTOMER, await memberState(prisma, TEST_SHOP, CUSTOMER, new Date()));
      await prisma.program.update({ where: { shop: TEST_SHOP }, data: { syncVersion: { increment: 1 } } });
      await syncProgram(prisma, shopify.admin, TEST_SHOP);
      return {
        locale,
        app: appMetafieldsOf(shopify),
        customer: Object.fromEntries(
          fields.map((field) => [field.key, { type: field.type, value: field.value }]),
        ),
      };
    },
  });
  browser = await launchChromium();
}, 60_000);

beforeEach(async () => {
  locale = "en";
  // Each test redeems at most a few times; the rate limit counts redemptions of the last minute.
  await prisma.redemption.deleteMany({ where: { shop: TEST_SHOP } });
});

afterAll(async () => {
  await browser?.close();
  await storefront?.close();
  edge?.restore();
});

async function openLauncher(width = 1280) {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  await page.goto(storefront.url);
  await page.locator(".regulars-launcher__button").click();
  const item = page.locator('#regulars-panel [data-regulars-reward="any-off"]');
  return {
    page,
    item,
    input: item.getByLabel("Points to spend"),
    worth: item.locator("[data-regulars-worth]"),
  };
}

const message = (page: Page) => page.locator("#regulars-panel [data-regulars-message]");

it("offers the minimum to the balance rounded down to a step, in steps, with what it is worth", async () => {
  await balanceOf(1250);
  const { page, item, input, worth } = await openLauncher();

  // The first render (Liquid): the minimum, worth 5.00; at most 1,200 (the balance in steps).
  await expect(input.inputValue()).resolves.toBe("500");
  await expect(input.getAttribute("max")).resolves.toBe("1200");
  await expect(input.getAttribute("step")).resolves.toBe("100");
  await expect(worth.textContent()).resolves.toBe("Worth €5.00");
  await expect(item.locator(".regulars__muted").first().textContent()).resolves.toBe(
    "€1.00 for every 100 points",
  );

  // The stepper moves a step at a time and stops at the limits.
  const more = item.getByRole("button", { name: "100 points more" });
  const fewer = item.getByRole("button", { name: "100 points fewer" });
  await more.click();
  await expect(input.inputValue()).resolves.toBe("600");
  await expect(worth.textContent()).resolves.toBe("Worth €6.00");
  for (let i = 0; i < 10; i++) await more.click();
  await expect(input.inputValue()).resolves.toBe("1200");
  await expect(worth.textContent()).resolves.toBe("Worth €12.00");
  for (let i = 0; i < 10; i++) await fewer.click();
  await expect(input.inputValue()).resolves.toBe("500");

  // From the keyboard: the arrow keys step the field natively (its min, max and step).
  await input.focus();
  await page.keyboard.press("ArrowUp");
  await expect(input.inputValue()).resolves.toBe("600");
  await expect(worth.textContent()).resolves.toBe("Worth €6.00");

  // A typed amount between steps or past the limits: the field is invalid and says what it takes.
  await input.fill("550");
  await expect(input.getAttribute("aria-invalid")).resolves.toBe("true");
  await expect(worth.textContent()).resolves.toBe("Choose a multiple of 100 points from 500 to 1,200.");
  await expect(worth.getAttribute("aria-live")).resolves.toBe("polite");
  await input.fill("700");
  await expect(input.getAttribute("aria-invalid")).resolves.toBe("false");
  await expect(worth.textContent()).resolves.toBe("Worth €7.00");
  await page.close();
});

it("redeems the amount chosen: the code, the ledger and the balance agree; the picker follows the new balance", async () => {
  await balanceOf(1250);
  const { page, item, input } = await openLauncher();
  await input.fill("800");
  await item.getByRole("button", { name: "Redeem Money off with the points chosen" }).click();
  await message(page)
    .filter({ hasText: /Your code:/ })
    .waitFor({ timeout: 10_000 });
  const code = (await message(page).textContent())!.replace("Your code:", "").trim();

  // The code is worth 8.00 at Shopify; the ledger spent 800 points once.
  const created = shopify.codes.get(code)!;
  expect(created.input).toMatchObject({ customerGets: { value: { discountAmount: { amount: "8.00" } } } });
  const redemption = await prisma.redemption.findFirstOrThrow({ where: { shop: TEST_SHOP, code } });
  expect(redemption.pointsCost).toBe(800);
  const spent = await prisma.ledgerEntry.findMany({
    where: { shop: TEST_SHOP, kind: "REDEEM", sourceKey: { contains: redemption.id } },
  });
  expect(spent.map((entry) => entry.points)).toEqual([-800]);
  await expect(memberBalance()).resolves.toBe(450);

  // 450 left: under the minimum, the picker hides and says how many more points it takes.
  await expect(item.locator("[data-regulars-picker]").isHidden()).resolves.toBe(true);
  await expect(item.locator("[data-regulars-more]").textContent()).resolves.toBe("50 more points");
  await page.close();
});

it("shows the app's refusal when the amount is past the limits or the balance, and spends nothing", async () => {
  await balanceOf(1250);
  const { page, item, input } = await openLauncher();
  const redeem = item.getByRole("button", { name: "Redeem Money off with the points chosen" });

  // Between steps: the app refuses with its limits, worded in the page's language.
  await input.fill("550");
  await redeem.click();
  await message(page).filter({ hasText: "Choose a multiple of 100 points from 500 to 2,000." }).waitFor();

  // The merchant lowered the maximum after the page was shown: the app's limits win.
  await prisma.reward.update({
    where: { shop_key: { shop: TEST_SHOP, key: "any-off" } },
    data: { anyAmountMaxPoints: 600 },
  });
  await input.fill("1000");
  await redeem.click();
  await message(page).filter({ hasText: "Choose a multiple of 100 points from 500 to 600." }).waitFor();

  // Points spent elsewhere since the page was shown: not enough points.
  await prisma.reward.update({
    where: { shop_key: { shop: TEST_SHOP, key: "any-off" } },
    data: { anyAmountMaxPoints: 2000 },
  });
  await balanceOf(650);
  await input.fill("1000");
  await redeem.click();
  await message(page).filter({ hasText: "You don’t have enough points for this reward." }).waitFor();

  await expect(memberBalance()).resolves.toBe(650);
  await expect(prisma.redemption.count({ where: { shop: TEST_SHOP } })).resolves.toBe(0);
  await expect(redeem.isEnabled()).resolves.toBe(true);
  await page.close();
});

it("says the app's refusal in the shopper's language", async () => {
  await balanceOf(1250);
  locale = "fr";
  const { page, item } = await openLauncher();
  const input = item.getByLabel("Points à dépenser");
  await input.fill("550");
  await item.locator("[data-regulars-redeem]").click();
  await message(page)
    .filter({ hasText: /^Choisissez un multiple de 100 points entre 500 et 2\s000\.$/ })
    .waitFor();
  await page.close();
});

it("fits a phone's width: the picker and the Redeem button stay inside the panel", async () => {
  await balanceOf(1250);
  const { page, item, input } = await openLauncher(360);
  const panel = (await page.locator("#regulars-panel").boundingBox())!;
  for (const part of [
    input,
    item.getByRole("button", { name: "100 points more" }),
    item.locator("[data-regulars-redeem]"),
    item.locator("[data-regulars-worth]"),
  ]) {
    const box = (await part.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(panel.x);
    expect(box.x + box.width).toBeLessThanOrEqual(panel.x + panel.width);
  }
  // The stepper's buttons are big enough to tap, and axe-core finds nothing serious in the picker,
  // valid or not.
  const serious = () =>
    page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (context: unknown) => Promise<AxeResults> } }).axe;
      const result = await axe.run({ include: [['[data-regulars-reward="any-off"]']] });
      return result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    });
  await page.addScriptTag({ content: AXE });
  await expect(serious()).resolves.toEqual([]);
  await input.fill("50");
  await expect(serious()).resolves.toEqual([]);
  const more = (await item.getByRole("button", { name: "100 points more" }).boundingBox())!;
  expect(Math.min(more.width, more.height)).toBeGreaterThanOrEqual(40);
  await page.close();
});

it("names the orders in the history, as Liquid first renders it and after a redemption rewrites it", async () => {
  const paidAt = new Date(Date.now() - 60_000);
  await applyOrderEvent(
    prisma,
    TEST_SHOP,
    {
      type: "paid",
      snapshot: snapshot({
        orderGid: "gid://shopify/Order/5550001",
        customerGid: CUSTOMER,
        updatedAt: paidAt,
        paidAt,
        merchandise: 30_000n,
        name: "#1001",
      }),
    },
    paidAt,
  );
  // Past any pending window: the points are the member's.
  await releaseDuePoints(prisma, TEST_SHOP, new Date(Date.now() + 400 * 86_400_000));
  await balanceOf(1250);
  const { page, item } = await openLauncher();
  const history = page.locator("#regulars-panel [data-regulars-history]");
  await expect(history.textContent()).resolves.toMatch(/(Order|Points confirmed, order) #1001/);

  // The redeem answer's history (the same status) keeps the order's name when the script rewrites it.
  await item.locator("[data-regulars-redeem]").click();
  await message(page)
    .filter({ hasText: /Your code:/ })
    .waitFor({ timeout: 10_000 });
  await expect(history.locator("li").first().textContent()).resolves.toMatch(/^Reward redeemed/);
  await expect(history.textContent()).resolves.toMatch(/(Order|Points confirmed, order) #1001/);
  await page.close();
});
