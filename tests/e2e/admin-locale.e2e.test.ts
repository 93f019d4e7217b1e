/**
 * The admin speaks the staff member's language, end to end in Debian's Chromium: devshop's
 * admin loads the app with the staff member's `locale`, as Shopify does
 * (https://shopify.dev/tutorials/update-your-app-to-support-localization), and the production
 * build answers in French or German: its own words, Polaris's (the page-ready announcement,
 * the search field's clear button), <html lang>, numbers with the language's separators, and a
 * date on the shop's calendar: the shop is in Auckland and the order was paid at 20:00 UTC, the
 * next day there; the chart's axes written in the language too. Saves docs/screenshots/admin-dashboard-fr-{desktop,phone}.png.
 *
 * Needs `npm run build` first; run with `E2E=1 npx vitest run --project e2e tests/e2e/admin-locale.e2e.test.ts`.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, FrameLocator, Page } from "playwright-core";
import polarisDe from "@shopify/polaris/locales/de.json";
import polarisFr from "@shopify/polaris/locales/fr.json";
import { stringsFor } from "~/admin/strings-for";
import { BROWSER_USER_AGENT } from "../../devshop/admin-session";
import type { Devshop } from "../../devshop/server";
import { currentTotals } from "../../devshop/order-math";
import type { Customer, Order, ShopState } from "../../devshop/state";
import { startE2eStore, until, type E2eStore } from "../support/e2e-app";

const SHOP = "e2e-admin-locale.myshopify.com";
const ZONE = "Pacific/Auckland";
const SCREENSHOTS = path.resolve("docs/screenshots");
const today = new Date();
/** Three days ago at 20:00 UTC: already the next morning in Auckland (UTC+12 or +13). */
const paidAt = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 3, 20));

let store: E2eStore;
let devshop: Devshop;
let context: BrowserContext;
let shop: ShopState;
let shopper: Customer;
let order: Order;
const consoleErrors: string[] = [];

/** The staff member picks a language in their account, then opens a page of the app in the admin. */
async function openAdmin(
  locale: string,
  appPath: string,
  viewport = { width: 1280, height: 900 },
): Promise<{ page: Page; frame: FrameLocator }> {
  const picked = await fetch(`${devshop.url}/devshop/api/shops/${SHOP}/staff-locale`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ locale }),
  });
  expect(picked.status).toBe(200);
  const page = await context.newPage();
  // Dates and numbers are written on the server and again in the browser: they must agree, or
  // React reports a hydration mismatch.
  page.on("console", (message) => {
    // The browser asks devshop's admin page for a favicon it does not have: not the app's doing.
    // A refused save answers 422, which Chromium logs: the program test's bad save expects it.
    if (
      message.type() === "error" &&
      !message.location().url.endsWith("/favicon.ico") &&
      !/status of 422/.test(message.text())
    )
      consoleErrors.push(`${message.text()} ${message.location().url}`);
  });
  // React reports a recoverable error (a hydration mismatch) as an uncaught error.
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  await page.setViewportSize(viewport);
  await page.goto(devshop.adminUrl(SHOP, appPath));
  return { page, frame: page.frameLocator("#app-iframe") };
}

/** Polaris's announcement that a page is ready, in its own translation. */
const pageReady = (
  polaris: { Polaris: { Page: { Header: { pageReadyAccessibilityLabel: string } } } },
  title: string,
) => polaris.Polaris.Page.Header.pageReadyAccessibilityLabel.replace("{title}", title);

beforeAll(async () => {
  store = await startE2eStore({
    shop: SHOP,
    shopName: "E2E Boutique",
    theme: { embedActive: true, blockAdded: true },
    context: { userAgent: BROWSER_USER_AGENT },
    beforeInstall: (shop) => {
      shop.ianaTimezone = ZONE;
    },
  });
  ({ devshop, shop, context } = store);
  shopper = devshop.commerce.createCustomer(shop, {
    email: "amelie@example.com",
    firstName: "Amélie",
    lastName: "Laurent",
  });
  const hoodie = Object.values(shop.products).find((p) => p.title.includes("Hoodie"))!;
  // 5 × 60.00 at the default 5 points per 1.00: 1500 points, over a thousand in every separator.
  order = devshop.commerce.placeOrder(shop, {
    customerId: shopper.id,
    lines: [{ productId: hoodie.id, quantity: 5 }],
    at: paidAt,
  });
  await devshop.webhooks.idle();
  await until(
    "the shopper's points on Shopify",
    () => shop.metafields[`gid://shopify/Customer/${shopper.id}|$app:loyalty|points`]?.value === "1500",
  );
}, 120_000);

afterAll(() => store?.stop());

const LANGUAGES = [
  { locale: "fr", polaris: polarisFr, thousands: "1\u202f500" },
  { locale: "de", polaris: polarisDe, thousands: "1.500" },
] as const;

describe.each(LANGUAGES)("the admin in $locale", ({ locale, polaris, thousands }) => {
  const words = stringsFor(locale);

  it("Home: our words, Polaris's, <html lang> and the navigation; counts with the language's separators", async () => {
    const { page, frame } = await openAdmin(locale, "");
    // A figure's card: its label and, under it, the figure.
    const issued = frame.getByText(words.dashboard.issued, { exact: true }).locator("xpath=..").first();
    await issued.waitFor({ timeout: 30_000 });
    expect(await issued.innerText()).toContain(thousands);
    await frame.getByText(words.dashboard.retention).waitFor();
    // The chart's table: the points count on the day they were credited (now, on the shop's
    // calendar), labelled in the language.
    const creditDay = new Intl.DateTimeFormat(locale, {
      month: "short",
      day: "numeric",
      timeZone: ZONE,
    }).format(new Date());
    const chartRows = await frame
      .locator("table", { hasText: words.dashboard.bucketRow.day })
      .locator("tr")
      .allInnerTexts();
    expect(
      chartRows.find((row) => row.startsWith(`${creditDay}\t`)),
      JSON.stringify(chartRows),
    ).toContain(thousands);
    // The chart's axes, drawn by Polaris Viz: days written the language's way on the shop's
    // calendar (not "Dec 4"), and the points axis with the language's separators (not "1,000").
    const axisText = frame.locator("figure svg text");
    await axisText.first().waitFor({ timeout: 30_000 });
    const labels = (await axisText.allTextContents()).map((text) => text.trim()).filter(Boolean);
    const lastDays = Array.from({ length: 31 }, (_, i) => new Date(Date.now() - i * 86_400_000));
    const dayIn = (language: string) =>
      new Set(
        lastDays.map((day) =>
          new Intl.DateTimeFormat(language, { month: "short", day: "numeric", timeZone: ZONE }).format(day),
        ),
      );
    const days = dayIn(locale);
    const english = dayIn("en");
    expect(labels.filter((text) => days.has(text)).length, JSON.stringify(labels)).toBeGreaterThan(1);
    expect(
      labels.filter((text) => english.has(text)),
      JSON.stringify(labels),
    ).toEqual([]);
    const grouped = locale === "fr" ? /^\d{1,3}\u202f\d{3}$/ : /^\d{1,3}\.\d{3}$/;
    expect(
      labels.some((text) => grouped.test(text)),
      JSON.stringify(labels),
    ).toBe(true);
    expect(
      labels.filter((text) => /^\d{1,3},\d{3}$/.test(text)),
      JSON.stringify(labels),
    ).toEqual([]);
    expect(await frame.locator("html").getAttribute("lang")).toBe(locale);
    await frame.locator('[role="status"]', { hasText: pageReady(polaris, words.dashboard.title) }).waitFor({
      state: "attached",
    });
    // The admin's sidebar shows the app's navigation, in the language too.
    await page.locator("#app-nav", { hasText: words.nav.customers }).waitFor();
    expect(await page.locator("#app-nav").innerText()).toContain(words.nav.winBack);
    if (locale === "fr") {
      await page.waitForLoadState("networkidle");
      await page.screenshot({ path: path.join(SCREENSHOTS, "admin-dashboard-fr-desktop.png") });
    }
    await page.close();
  });

  it("Customers: the last order on the shop's calendar, in the language; points and money written its way", async () => {
    const { page, frame } = await openAdmin(locale, "/customers");
    const row = frame.locator("tr", { hasText: "Laurent" });
    await row.waitFor({ timeout: 30_000 });
    const onShopCalendar = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: ZONE }).format(
      paidAt,
    );
    const inUtc = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(paidAt);
    expect(onShopCalendar).not.toBe(inUtc);
    const cells = await row.locator("td").allInnerTexts();
    expect(cells).toContain(onShopCalendar);
    expect(cells).toContain(thousands);
    // What the customer spent (under a thousand): the decimal comma of both languages.
    const spent = (currentTotals(order).total / 100).toFixed(2).replace(".", ",");
    expect(cells, JSON.stringify(cells)).toContain(spent);
    await frame.getByRole("table").getByText(words.customers.columns.lastOrder, { exact: true }).waitFor();
    await frame
      .locator('[role="status"]', { hasText: pageReady(polaris, words.customers.title) })
      .waitFor({ state: "attached" });
    // Polaris's own clear button on the search field, in the language.
    await frame.getByLabel(words.customers.search).fill("amelie");
    await frame.getByRole("button", { name: polaris.Polaris.Common.clear }).waitFor();
    await page.close();
  });

  it("Program: the settings in the language", async () => {
    const { page, frame } = await openAdmin(locale, "/program");
    await frame.getByText(words.program.earningHelp).waitFor({ timeout: 30_000 });
    await frame.getByText(words.program.tiers, { exact: true }).first().waitFor();
    await frame.getByLabel(words.program.earnRate).waitFor();
    await frame
      .locator('[role="status"]', { hasText: pageReady(polaris, words.program.title) })
      .waitFor({ state: "attached" });
    expect(await frame.locator("html").getAttribute("lang")).toBe(locale);
    if (locale === "fr") {
      // A bad save: each error a French sentence naming its field, numbers written the French
      // way, in the banner and under the field; nothing is saved.
      await frame.getByLabel(words.program.pendingDays).fill("-3");
      await frame.getByLabel(words.program.signupBonus).fill("2000000");
      await frame.getByLabel(words.program.tierMultiplier).nth(1).fill("0.5");
      await frame.locator('ui-save-bar[data-open] button[variant="primary"]').click();
      const banner = frame.locator(".Polaris-Banner", { hasText: words.program.errorsTitle(3) });
      await banner.waitFor({ timeout: 15_000 });
      const sentences = [
        "Jours avant que les points soient utilisables doit être supérieur ou égal à 0.",
        "Points pour la création d’un compte doit être d’au plus 1\u202f000\u202f000 points.",
        "Niveau « Silver » : le multiplicateur de gains doit être d’au moins 1.",
      ];
      await expect(banner.locator("li").allInnerTexts()).resolves.toEqual(sentences);
      for (const sentence of sentences)
        await expect(frame.locator(".Polaris-InlineError", { hasText: sentence }).count()).resolves.toBe(1);
      await expect(frame.getByLabel(words.program.pendingDays).getAttribute("aria-invalid")).resolves.toBe(
        "true",
      );
    }
    await page.close();
  });
});

describe("the admin on a phone", () => {
  it("Home in French at 390 × 844", async () => {
    const { page, frame } = await openAdmin("fr", "", { width: 390, height: 844 });
    await frame.getByText(stringsFor("fr").dashboard.issued).first().waitFor({ timeout: 30_000 });
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: path.join(SCREENSHOTS, "admin-dashboard-fr-phone.png") });
    await page.close();
  });

  it("no page logged an error (hydration of the dates and numbers included)", () => {
    expect(consoleErrors).toEqual([]);
  });
});
