/**
 * A shopper on a storefront page, in Debian's Chromium: the balance shows with
 * no request to the app, and redeeming from the launcher puts the new code on
 * the page without a reload. The app proxy call goes to the real route with a
 * Shopify signature; the code is created at Shopify's network-edge stand-in.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { action as redeemAction } from "~/routes/proxy.redeem";
import { loader as statusLoader } from "~/routes/proxy.status";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { memberState } from "~/services/members/member-sync.server";
import { syncProgram } from "~/services/program/program-sync.server";
import { memberMetafields } from "~/shopify/admin-api/member-metafields.server";
import type { adminStandIn } from "../support/admin-stand-in";
import type { ShopifyEdge } from "../support/shopify-edge";
import { launchChromium } from "../support/chromium";
import { shopifyForShop } from "../support/shopify-for-shop";
import { startStorefront, type StorefrontServer } from "../support/storefront-server";
import { appMetafieldsOf } from "../support/theme-render";

const CUSTOMER_ID = "7302485617";
const CUSTOMER = `gid://shopify/Customer/${CUSTOMER_ID}`;

let browser: Browser;
let storefront: StorefrontServer;
let edge: ShopifyEdge;
let shopify: ReturnType<typeof adminStandIn>;

beforeAll(async () => {
  ({ shopify, edge } = await shopifyForShop(prisma, TEST_SHOP, "shpat_browser"));
  await adjustPoints(
    prisma,
    TEST_SHOP,
    {
      customerGid: CUSTOMER,
      points: 1200,
      reason: "Opening balance",
      staffId: "s",
      idempotencyKey: "browser-seed-1",
    },
    new Date(),
  );
  storefront = await startStorefront({
    shop: TEST_SHOP,
    customerId: CUSTOMER_ID,
    proxy: { redeem: redeemAction, status: statusLoader },
    page: async () => {
      const now = new Date();
      const fields = memberMetafields(CUSTOMER, await memberState(prisma, TEST_SHOP, CUSTOMER, now));
      // The program's app metafields as the program sync writes them to Shopify.
      await syncProgram(prisma, shopify.admin, TEST_SHOP);
      return {
        locale: "en",
        app: appMetafieldsOf(shopify),
        customer: Object.fromEntries(
          fields.map((field) => [field.key, { type: field.type, value: field.value }]),
        ),
      };
    },
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await storefront?.close();
  edge?.restore();
});

it("shows the balance with no request to the app; redeeming shows the new code without a reload", async () => {
  const page = await browser.newPage();
  await page.goto(storefront.url);
  await page.waitForLoadState("networkidle");

  // GIVEN the page as Liquid rendered it: the balance is on the launcher, no app request made
  const button = page.locator(".regulars-launcher__button");
  await expect(button.textContent()).resolves.toMatch(/1,200 points/);
  expect(storefront.requests.filter((r) => r.path.startsWith("/apps/"))).toEqual([]);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  // WHEN the shopper opens the launcher from the keyboard and redeems 10.00 off
  await button.focus();
  await page.keyboard.press("Enter");
  await expect(button.getAttribute("aria-expanded")).resolves.toBe("true");
  await expect(page.locator("#regulars-panel").isVisible()).resolves.toBe(true);
  await page.locator('[data-regulars-redeem="10-off"]').click();

  // THEN the live region announces the code and it joins the codes list, on the same page
  const message = page.locator("#regulars-panel [data-regulars-message]");
  await message.filter({ hasText: /Your code:/ }).waitFor({ timeout: 10_000 });
  const code = (await message.textContent())!.replace("Your code:", "").trim();
  expect(code).toMatch(/^TESTSH-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await expect(
    page.locator("#regulars-panel [data-regulars-codes] code").first().textContent(),
  ).resolves.toBe(code);
  await expect(page.evaluate(() => (window as unknown as { marker: number }).marker)).resolves.toBe(42);

  // AND the code exists in Shopify for that customer only; the points were spent once
  expect(shopify.codes.get(code)?.input).toMatchObject({
    context: { customers: { add: [CUSTOMER] } },
    usageLimit: 1,
  });
  const redemption = await prisma.redemption.findFirstOrThrow({ where: { shop: TEST_SHOP, code } });
  expect(redemption.status).toBe("ISSUED");
  expect(
    (await prisma.member.findFirstOrThrow({ where: { shop: TEST_SHOP, customerGid: CUSTOMER } })).balance,
  ).toBe(200);
  expect(storefront.requests.filter((r) => r.path.startsWith("/apps/"))).toEqual([
    { method: "POST", path: "/apps/regulars/redeem" },
  ]);
  // Escape closes the panel and gives focus back to the launcher.
  await page.keyboard.press("Escape");
  await expect(page.locator("#regulars-panel").isVisible()).resolves.toBe(false);
  await expect(page.evaluate(() => document.activeElement?.className)).resolves.toBe(
    "regulars-launcher__button",
  );
});
