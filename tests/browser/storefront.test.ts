/**
 * The shopper's storefront in Debian's Chromium: the real Liquid (launcher,
 * loyalty-status and earn-points blocks) rendered from the metafields the app
 * writes, the real assets, and the real proxy routes behind a Shopify
 * signature. Covers what a leader's widget does: the whole page follows a
 * redemption, the panel fits a phone and a desktop on a theme with hostile
 * CSS, amounts carry their currency and points their thousands separators,
 * the content (progress, tiers, ways to earn, history), the merchant's
 * branding, names a screen reader can use, and axe-core finds no serious or
 * critical violation on any surface, as a guest or a member, at either size.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { AxeResults, RunOptions } from "axe-core";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { action as redeemAction } from "~/routes/proxy.redeem";
import { loader as statusLoader } from "~/routes/proxy.status";
import { markProgramChanged } from "~/db/program.server";
import { saveBonusEvent } from "~/services/bonus-events/bonus-events.server";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { memberState } from "~/services/members/member-sync.server";
import { updateProgram } from "~/services/program/program-settings.server";
import { syncProgram } from "~/services/program/program-sync.server";
import { forgetProgramExplainer } from "~/services/program/program-explainer-cache.server";
import { memberMetafields } from "~/shopify/admin-api/member-metafields.server";
import type { adminStandIn } from "../support/admin-stand-in";
import type { ShopifyEdge } from "../support/shopify-edge";
import { launchChromium } from "../support/chromium";
import { shopifyForShop } from "../support/shopify-for-shop";
import { startStorefront, type StorefrontServer } from "../support/storefront-server";
import { appMetafieldsOf, type Locale } from "../support/theme-render";

const CUSTOMER_ID = "7302485618";
const CUSTOMER = `gid://shopify/Customer/${CUSTOMER_ID}`;
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const SIZES = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 900 },
] as const;
/** A theme's global CSS at its worst for an embedded widget. */
const HOSTILE_THEME = `
  *, *::before, *::after { box-sizing: content-box; }
  html { font-size: 20px; }
  body { margin: 0; font-size: 1.3rem; line-height: 2; letter-spacing: 0.08em; }
  h2 { font-size: 3rem; margin: 2rem 0; text-transform: uppercase; }
  h3 { font-size: 2rem; margin: 1.5rem 0; }
  p, li { font-size: 1.4rem; margin-bottom: 1.5rem; }
  ul { padding-left: 3rem; }
  button { min-width: 12rem; min-height: 3.5rem; padding: 1rem 2.5rem; text-transform: uppercase;
           letter-spacing: 0.2em; font-size: 1.2rem; border: 3px solid black; }
  svg { width: 60px; height: 60px; }
`;

let browser: Browser;
let edge: ShopifyEdge;
let shopify: ReturnType<typeof adminStandIn>;
const servers: StorefrontServer[] = [];

async function pageContext(customerGid: string | null, locale: Locale = "en") {
  await syncProgram(prisma, shopify.admin, TEST_SHOP);
  const customer = customerGid
    ? Object.fromEntries(
        memberMetafields(customerGid, await memberState(prisma, TEST_SHOP, customerGid, new Date())).map(
          (field) => [field.key, { type: field.type, value: field.value }],
        ),
      )
    : undefined;
  // The product block's product: 60.00 in the shop's currency.
  return { locale, app: appMetafieldsOf(shopify), customer, product: { price: 6000 } };
}

async function storefront(
  options: {
    guest?: boolean;
    locale?: Locale;
    themeCss?: string;
    launcher?: Record<string, unknown>;
  } = {},
) {
  const server = await startStorefront({
    shop: TEST_SHOP,
    customerId: options.guest ? null : CUSTOMER_ID,
    proxy: { redeem: redeemAction, status: statusLoader },
    blocks: ["loyalty-status", "earn-points"],
    launcher: options.launcher,
    themeCss: options.themeCss,
    page: () => pageContext(options.guest ? null : CUSTOMER, options.locale),
  });
  servers.push(server);
  return server;
}

async function open(server: StorefrontServer, size: { width: number; height: number } = SIZES[1]) {
  const page = await browser.newPage({ viewport: { width: size.width, height: size.height } });
  await page.goto(server.url);
  await page.waitForLoadState("networkidle");
  return page;
}

async function openLauncher(page: Page) {
  await page.locator(".regulars-launcher__button").click();
  await page.locator("#regulars-panel").waitFor({ state: "visible" });
}

const texts = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) => els.map((el) => (el as HTMLElement).innerText.trim()));

beforeAll(async () => {
  ({ shopify, edge } = await shopifyForShop(prisma, TEST_SHOP, "shpat_storefront"));
  await updateProgram(prisma, TEST_SHOP, { settings: { birthdayBonus: 200, signupBonus: 100 } }, new Date());
  forgetProgramExplainer(TEST_SHOP);
  await adjustPoints(
    prisma,
    TEST_SHOP,
    {
      customerGid: CUSTOMER,
      points: 1200,
      reason: "Opening balance",
      staffId: "s",
      idempotencyKey: "storefront-seed-1",
    },
    new Date(),
  );
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const server of servers) await server.close();
  edge?.restore();
});

describe("the panel in any theme", () => {
  for (const size of SIZES) {
    it(`at ${size.width}x${size.height} is entirely within the viewport, no text overflows, and it closes`, async () => {
      const page = await open(await storefront({ themeCss: HOSTILE_THEME }), size);
      await openLauncher(page);
      const layout = await page.evaluate(() => {
        const panel = document.querySelector("#regulars-panel")!;
        const box = panel.getBoundingClientRect();
        const overflowing = [...panel.querySelectorAll<HTMLElement>("*")]
          .filter((el) => el.offsetParent !== null && !(el instanceof SVGElement))
          .filter((el) => {
            const rect = el.getBoundingClientRect();
            return (
              el.scrollWidth > el.clientWidth + 1 ||
              rect.left < box.left - 0.5 ||
              rect.right > box.right + 0.5
            );
          })
          .map((el) => `${el.tagName}.${el.className}: ${el.innerText?.slice(0, 40)}`);
        return {
          box: { left: box.left, right: box.right, top: box.top, bottom: box.bottom },
          viewport: { width: window.innerWidth, height: window.innerHeight },
          panelScrollsSideways: panel.scrollWidth > panel.clientWidth,
          overflowing,
        };
      });
      expect(layout.box.left).toBeGreaterThanOrEqual(0);
      expect(layout.box.top).toBeGreaterThanOrEqual(0);
      expect(layout.box.right).toBeLessThanOrEqual(layout.viewport.width);
      expect(layout.box.bottom).toBeLessThanOrEqual(layout.viewport.height);
      expect(layout.panelScrollsSideways).toBe(false);
      expect(layout.overflowing).toEqual([]);

      // The close button closes it and gives focus back to the launcher.
      await page.getByRole("button", { name: "Close" }).click();
      await expect(page.locator("#regulars-panel").isVisible()).resolves.toBe(false);
      await expect(page.evaluate(() => document.activeElement?.className)).resolves.toBe(
        "regulars-launcher__button",
      );
      await page.close();
    });
  }
});

describe("amounts and numbers", () => {
  it("money in the shop's currency and the page's language; points with thousands separators", async () => {
    const page = await open(await storefront());
    await openLauncher(page);
    await expect(page.locator(".regulars-launcher__button").innerText()).resolves.toContain("1,200 points");
    await expect(texts(page, "#regulars-panel [data-regulars-progress-text]")).resolves.toEqual([
      "€250.00 more to reach Silver",
    ]);
    await expect(texts(page, "#regulars-panel .regulars__ways li")).resolves.toContain(
      "5 points for every €1.00 you spend",
    );
    await expect(texts(page, "#regulars-panel .regulars-status__tiers li")).resolves.toEqual([
      "Member · 1× points · your tier",
      "Silver · from €250.00 spent · 1.25× points",
      "Gold · from €1,000.00 spent · 1.5× points",
    ]);
    await expect(texts(page, "#regulars-panel [data-regulars-reward] .regulars__muted")).resolves.toContain(
      "2,500 points",
    );
    await page.close();

    const french = await open(await storefront({ locale: "fr" }));
    await openLauncher(french);
    await expect(french.locator(".regulars-launcher__button").innerText()).resolves.toContain(
      "1\u202f200 points",
    );
    await expect(texts(french, "#regulars-panel [data-regulars-progress-text]")).resolves.toEqual([
      "Encore 250,00\u00a0€ pour atteindre Silver",
    ]);
    await french.close();
  });
});

describe("in every language", () => {
  for (const [locale, words] of [
    ["fr", { balance: "1\u202f200 points", earn: "5 points pour chaque 1,00\u00a0€ dépensé" }],
    ["de", { balance: "1.200 Punkte", earn: "5 Punkte pro 1,00\u00a0€ Einkaufswert" }],
    ["es", { balance: "1.200 puntos", earn: "5 puntos por cada 1,00\u00a0€ que gastes" }],
  ] as const) {
    it(`${locale}: the launcher and the blocks in the page's language`, async () => {
      const page = await open(await storefront({ locale }));
      await openLauncher(page);
      await expect(page.locator(".regulars-launcher__button").innerText()).resolves.toContain(words.balance);
      await expect(texts(page, "#regulars-panel .regulars__ways li")).resolves.toContain(words.earn);
      await page.close();
    });
  }
});

describe("what the launcher shows", () => {
  it("a member: progress bar, rewards with Redeem or N more points, ways to earn, tiers, recent history", async () => {
    const page = await open(await storefront());
    await openLauncher(page);
    const panel = page.locator("#regulars-panel");
    // Spend-based progress: nothing spent yet, 0% of the way to Silver.
    await expect(panel.getByRole("progressbar").getAttribute("aria-valuenow")).resolves.toBe("0");
    // Rewards: affordable ones have a button named for a screen reader, the others say what is missing.
    for (const name of ["Redeem 5.00 off for 500 points", "Redeem 10.00 off for 1,000 points"]) {
      await expect(panel.getByRole("button", { name }).isVisible()).resolves.toBe(true);
    }
    await expect(panel.getByRole("button", { name: /Redeem 25.00 off/ }).count()).resolves.toBe(0);
    await expect(
      panel.locator('[data-regulars-reward="25-off"] [data-regulars-more]').innerText(),
    ).resolves.toBe("1,300 more points");
    // Ways to earn: the rate and the birthday bonus (no sign-up bonus for someone who has an account).
    await expect(texts(page, "#regulars-panel .regulars__ways li")).resolves.toEqual([
      "5 points for every €1.00 you spend",
      "200 points on your birthday",
    ]);
    await expect(texts(page, "#regulars-panel [data-regulars-history] li")).resolves.toEqual([
      expect.stringMatching(/^Adjustment\s+\d{4}-\d\d-\d\d\s+\+1,200$/),
    ]);
    await page.close();
  });

  it("a guest: how to earn (with the sign-up bonus), what each tier gives, rewards, and sign-in links", async () => {
    const page = await open(await storefront({ guest: true }));
    await expect(page.locator(".regulars-launcher__button").innerText()).resolves.toBe("Rewards");
    await openLauncher(page);
    await expect(texts(page, "#regulars-panel .regulars__ways li")).resolves.toEqual([
      "5 points for every €1.00 you spend",
      "100 points for creating an account",
      "200 points on your birthday",
    ]);
    await expect(page.locator("#regulars-panel [data-regulars-redeem]").count()).resolves.toBe(0);
    await expect(page.locator("#regulars-panel .regulars-status__tiers li").count()).resolves.toBe(3);
    await expect(page.locator('#regulars-panel a[href="/account/login"]').isVisible()).resolves.toBe(true);
    await page.close();
  });

  it("the merchant's branding from the theme editor: colours, label, position and icon", async () => {
    const page = await open(
      await storefront({
        launcher: {
          label: "Perks club",
          position: "left",
          icon: "star",
          accent: "#7a1f5c",
          text: "#222222",
          background: "#fdf6ec",
        },
      }),
      SIZES[0],
    );
    const button = page.locator(".regulars-launcher__button");
    await expect(button.evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe(
      "rgb(122, 31, 92)",
    );
    await expect(button.locator("svg path").count()).resolves.toBe(1);
    const left = await button.evaluate((el) => el.getBoundingClientRect().left);
    expect(left).toBeLessThan(40);
    await openLauncher(page);
    const panel = page.getByRole("dialog", { name: "Perks club" });
    await expect(panel.evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe(
      "rgb(253, 246, 236)",
    );
    await expect(panel.evaluate((el) => getComputedStyle(el).color)).resolves.toBe("rgb(34, 34, 34)");
    await expect(panel.evaluate((el) => el.getBoundingClientRect().left)).resolves.toBeLessThan(40);
    await page.close();
  });
});

describe("a redemption", () => {
  it("updates every Regulars element on the page: balances, rewards, codes with Copy, history", async () => {
    const page = await open(await storefront());
    await openLauncher(page);
    await page.locator('#regulars-panel [data-regulars-redeem="10-off"]').click();
    const message = page.locator("#regulars-panel [data-regulars-message]");
    await message.filter({ hasText: /Your code:/ }).waitFor({ timeout: 10_000 });
    const code = (await message.textContent())!.replace("Your code:", "").trim();

    // The loyalty-status block, the launcher's button and its panel all show the new balance.
    await expect(texts(page, "[data-regulars-points]")).resolves.toEqual([
      "200 points",
      "200 points",
      "200 points",
    ]);
    for (const box of [".regulars-status", "#regulars-panel"]) {
      // No reward is affordable any more: no Redeem buttons, "N more points" instead.
      await expect(page.locator(`${box} [data-regulars-redeem]:visible`).count()).resolves.toBe(0);
      await expect(texts(page, `${box} [data-regulars-more]`)).resolves.toEqual([
        "300 more points",
        "800 more points",
        "2,300 more points",
        "200 more points",
      ]);
      // The new code is listed, with a Copy button named for it.
      await expect(texts(page, `${box} [data-regulars-codes] code`)).resolves.toEqual([code]);
      await expect(
        page
          .locator(`${box} [data-regulars-codes]`)
          .getByRole("button", { name: `Copy code ${code}` })
          .count(),
      ).resolves.toBe(1);
      await expect(texts(page, `${box} [data-regulars-history] li`)).resolves.toEqual([
        expect.stringMatching(/^Reward redeemed\s+\d{4}-\d\d-\d\d\s+−1,000$/),
        expect.stringMatching(/^Adjustment\s+\d{4}-\d\d-\d\d\s+\+1,200$/),
      ]);
      await expect(texts(page, `${box} [data-regulars-progress-text]`)).resolves.toEqual([
        "€250.00 more to reach Silver",
      ]);
    }
    // Copy works on the code added without a reload.
    const copy = page.locator("#regulars-panel [data-regulars-codes] button");
    await copy.click();
    await page
      .locator("#regulars-panel [data-regulars-codes] button", { hasText: "Copied" })
      .waitFor({ timeout: 5_000 });
    expect(
      (await prisma.member.findFirstOrThrow({ where: { shop: TEST_SHOP, customerGid: CUSTOMER } })).balance,
    ).toBe(200);
    await page.close();
  });
});

describe("accessibility (axe-core)", () => {
  for (const guest of [false, true]) {
    for (const size of SIZES) {
      it(`${guest ? "a guest" : "a member"} at ${size.width}x${size.height}: no serious or critical violation on any surface`, async () => {
        const page = await open(await storefront({ guest }), size);
        await openLauncher(page);
        await page.addScriptTag({ content: AXE });
        // The launcher open, the loyalty-status block and the earn-points block, all on the page.
        const violations = await page.evaluate(async () => {
          const axe = (
            window as unknown as {
              axe: { run: (context: unknown, options?: RunOptions) => Promise<AxeResults> };
            }
          ).axe;
          const result = await axe.run({
            include: [[".regulars-launcher"], [".regulars-status"], [".regulars-earn"]],
          });
          return result.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
        });
        expect(await page.locator(".regulars-earn").count()).toBe(1);
        expect(violations).toEqual([]);
        await page.close();
      });
    }
  }
});

describe("bonus events on the storefront", () => {
  it("shows the running event with its last day, hides one to come, and hides it once it ends", async () => {
    const DAY = 86_400_000;
    const now = Date.now();
    // The running event as the admin would have saved it a day ago, then one to come saved now
    // (which asks for Shopify's copy of the program to be written again).
    await prisma.bonusEvent.create({
      data: {
        shop: TEST_SHOP,
        name: "Double days",
        startsOn: "2026-01-01",
        endsOn: "2026-01-03",
        timeZone: "UTC",
        startsAt: new Date(now - DAY),
        endsAt: new Date(now + 2 * DAY),
        kind: "MULTIPLIER",
        multiplierE4: 20_000,
        // Limited to a collection: the text names it.
        collections: [{ id: "gid://shopify/Collection/77", title: "Pulls & gilets" }],
      },
    });
    const later = new Date(now + 5 * DAY).toISOString().slice(0, 10);
    const saved = await saveBonusEvent(
      prisma,
      TEST_SHOP,
      { name: "Later", startsOn: later, endsOn: later, kind: "FIXED", multiplier: "", fixedPoints: "1500" },
      null,
      new Date(now),
    );
    expect(saved.ok).toBe(true);
    forgetProgramExplainer(TEST_SHOP);
    try {
      const server = await storefront({ guest: true, locale: "fr" });
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.clock.install({ time: now });
      await page.goto(server.url);
      await page.waitForLoadState("networkidle");
      const shown = page.locator(".regulars-status [data-regulars-event]:not([hidden])");
      await expect(shown.count()).resolves.toBe(1);
      const lastDay = new Date(now + 2 * DAY - 1).toLocaleDateString("fr", {
        weekday: "long",
        day: "numeric",
        month: "long",
      });
      await expect(shown.innerText()).resolves.toBe(
        `Double days : points x2 jusqu’au ${lastDay} (produits de Pulls & gilets)`,
      );
      // Two days and a minute later, without reloading: the event is over and hidden.
      await page.clock.fastForward(2 * DAY + 60_000);
      await expect(shown.count()).resolves.toBe(0);
      await page.close();
    } finally {
      await prisma.bonusEvent.deleteMany({ where: { shop: TEST_SHOP } });
      await markProgramChanged(prisma, TEST_SHOP);
      forgetProgramExplainer(TEST_SHOP);
    }
  });
});
