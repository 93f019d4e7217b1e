/**
 * Every admin page, checked with axe-core in Debian's Chromium inside devshop's
 * admin frame (the production build on a fresh embedded database): no serious
 * or critical violation, at a desktop size (1280x900) and a phone size
 * (390x844), on a shop with data (members, a campaign, a data request,
 * webhooks) and on a new shop's empty states. Each page also has a document
 * title of its own ("Program · Regulars"). A screenshot of each page at both
 * sizes goes to docs/screenshots/admin-<page>-<desktop|phone>.png.
 *
 * The pages are the route files app/routes/app.*.tsx that draw a page (a
 * default export): a new page without a case here fails the first test.
 *
 * Needs `npm run build` first; run with
 * `E2E=1 npx vitest run --project e2e tests/e2e/admin-accessibility.e2e.test.ts`.
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import axe from "axe-core";
import type { Browser, BrowserContext, Frame, Page, FrameLocator } from "playwright-core";
import { documentTitle } from "~/admin/document-title";
import { strings } from "~/admin/strings";
import { BROWSER_USER_AGENT } from "../../devshop/admin-session";
import { installApp } from "../../devshop/launch";
import type { Devshop } from "../../devshop/server";
import { startE2eStore, type E2eStore } from "../support/e2e-app";
import type { Customer, ShopState } from "../../devshop/state";

const SHOP = "e2e-a11y.myshopify.com";
const EMPTY_SHOP = "e2e-a11y-empty.myshopify.com";
const SCREENSHOTS = path.resolve("docs/screenshots");
const DAY = 86_400_000;
const SIZES = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 },
} as const;

let store: E2eStore;
let devshop: Devshop;
let browser: Browser;
let shop: ShopState;
let customers: Customer[];
let campaignPath = "";
let memberPath = "";

/** The app's frame inside devshop's admin, once the app has answered in it. */
async function appFrame(page: Page): Promise<Frame> {
  const handle = await page.locator("#app-iframe").elementHandle({ timeout: 30_000 });
  const frame = await handle!.contentFrame();
  if (!frame) throw new Error("the admin has no app frame");
  return frame;
}

interface AdminPage {
  /** Names the screenshots: admin-<name>-desktop.png. */
  name: string;
  /** The route file that draws it. */
  route: string;
  shop: string;
  /** The path under /app; a function when it is known only once the shop has data. */
  path: () => string;
  /** The document title the page must have. */
  title: () => string;
  /** Text that is on the page once it has loaded its data. */
  ready: () => string;
  /** What the merchant opens before the check (a disclosure), if anything. */
  open?: (frame: FrameLocator) => Promise<void>;
}

const PAGES: AdminPage[] = [
  {
    name: "home",
    route: "app._index.tsx",
    shop: SHOP,
    path: () => "",
    title: () => documentTitle(strings, strings.nav.home),
    ready: () => strings.dataRequests.title(1),
  },
  {
    name: "home-empty",
    route: "app._index.tsx",
    shop: EMPTY_SHOP,
    path: () => "",
    title: () => documentTitle(strings, strings.nav.home),
    ready: () => strings.onboarding.title,
  },
  {
    name: "program",
    route: "app.program.tsx",
    shop: SHOP,
    path: () => "/program",
    title: () => documentTitle(strings, strings.program.title),
    ready: () => strings.program.earnRate,
  },
  {
    name: "customers",
    route: "app.customers._index.tsx",
    shop: SHOP,
    path: () => "/customers",
    title: () => documentTitle(strings, strings.customers.title),
    ready: () => "Maren Okafor",
  },
  {
    name: "customers-empty",
    route: "app.customers._index.tsx",
    shop: EMPTY_SHOP,
    path: () => "/customers",
    title: () => documentTitle(strings, strings.customers.title),
    ready: () => strings.customers.noMembersHeading,
  },
  {
    name: "customer",
    route: "app.customers.$memberId.tsx",
    shop: SHOP,
    path: () => memberPath,
    title: () => documentTitle(strings, "Maren Okafor"),
    ready: () => strings.customer.adjustPoints,
  },
  {
    name: "campaigns",
    route: "app.campaigns._index.tsx",
    shop: SHOP,
    path: () => "/campaigns",
    title: () => documentTitle(strings, strings.campaigns.title),
    ready: () => "Autumn",
  },
  {
    name: "campaigns-empty",
    route: "app.campaigns._index.tsx",
    shop: EMPTY_SHOP,
    path: () => "/campaigns",
    title: () => documentTitle(strings, strings.campaigns.title),
    ready: () => strings.campaigns.emptyHeading,
  },
  {
    name: "campaign-new",
    route: "app.campaigns.new.tsx",
    shop: SHOP,
    path: () => "/campaigns/new",
    title: () => documentTitle(strings, strings.campaigns.newTitle),
    ready: () => strings.campaigns.segmentSize(2),
  },
  {
    name: "campaign",
    route: "app.campaigns.$campaignId.tsx",
    shop: SHOP,
    path: () => campaignPath,
    title: () => documentTitle(strings, "Autumn"),
    ready: () => strings.campaigns.progressLine(2, 2),
  },
  {
    name: "import",
    route: "app.import.tsx",
    shop: SHOP,
    path: () => "/import",
    title: () => documentTitle(strings, strings.importExport.title),
    ready: () => strings.importExport.exportMembers,
  },
  {
    name: "backfill",
    route: "app.backfill.tsx",
    shop: SHOP,
    path: () => "/backfill",
    title: () => documentTitle(strings, strings.backfill.title),
    ready: () => strings.backfill.history,
  },
  {
    name: "notifications",
    route: "app.notifications.tsx",
    shop: SHOP,
    path: () => "/notifications",
    title: () => documentTitle(strings, strings.notifications.title),
    ready: () => strings.notifications.smtp,
  },
  {
    name: "referrals",
    route: "app.referrals.tsx",
    shop: SHOP,
    path: () => "/referrals",
    title: () => documentTitle(strings, strings.referrals.title),
    ready: () => strings.referrals.monthlyCap,
  },
  {
    name: "bonus-events",
    route: "app.bonus-events.tsx",
    shop: SHOP,
    path: () => "/bonus-events",
    title: () => documentTitle(strings, strings.bonusEvents.title),
    ready: () => strings.bonusEvents.multiplierHelp,
  },
  {
    name: "earn",
    route: "app.earn.tsx",
    shop: SHOP,
    path: () => "/earn",
    title: () => documentTitle(strings, strings.earn.title),
    ready: () => strings.earn.apiTitle,
  },
  {
    name: "activity",
    route: "app.activity.tsx",
    shop: SHOP,
    path: () => "/activity",
    title: () => documentTitle(strings, strings.activity.title),
    ready: () => strings.activity.happened,
  },
  {
    name: "activity-details",
    route: "app.activity.tsx",
    shop: SHOP,
    path: () => "/activity",
    title: () => documentTitle(strings, strings.activity.title),
    ready: () => strings.activity.happened,
    open: async (frame) => {
      await frame.getByRole("button", { name: strings.activity.showDetails }).click();
      await frame.getByText(strings.activity.deadJobs).first().waitFor({ state: "visible" });
    },
  },
  {
    name: "activity-empty",
    route: "app.activity.tsx",
    shop: EMPTY_SHOP,
    path: () => "/activity",
    title: () => documentTitle(strings, strings.activity.title),
    ready: () => strings.activity.emptyHeading,
  },
];

beforeAll(async () => {
  store = await startE2eStore({
    shop: SHOP,
    shopName: "E2E Accessible Outfitters",
    theme: { embedActive: true, blockAdded: false },
    beforeInstall: (_shop, devshop) => devshop.addShop(EMPTY_SHOP, "E2E Empty Shop"),
  });
  ({ devshop, shop, browser } = store);
  await installApp(devshop, store.appUrl, EMPTY_SHOP);
  // A regular, and two customers who last ordered long ago (the win-back segment).
  const hoodie = Object.values(shop.products).find((p) => p.title.includes("Hoodie"))!;
  const socks = Object.values(shop.products).find((p) => p.title.includes("Socks"))!;
  customers = [
    ["maren@example.com", "Maren", "Okafor", 0],
    ["jonas@example.com", "Jonas", "Lindqvist", 200],
    ["aiko@example.com", "Aiko", "Tanaka", 230],
  ].map(([email, firstName, lastName, daysAgo]) => {
    const customer = devshop.commerce.createCustomer(shop, {
      email: email as string,
      firstName: firstName as string,
      lastName: lastName as string,
    });
    for (const product of [hoodie, socks]) {
      devshop.commerce.placeOrder(shop, {
        customerId: customer.id,
        lines: [{ productId: product.id, quantity: 1 }],
        at: new Date(Date.now() - (daysAgo as number) * DAY),
      });
    }
    return customer;
  });
  await devshop.webhooks.idle();
  // A customer's data request waits on Home.
  const request = await fetch(`${devshop.url}/devshop/api/shops/${SHOP}/compliance/customers-data-request`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ customerId: customers[0]!.id }),
  });
  expect(request.status).toBe(200);
  await devshop.webhooks.idle();
  mkdirSync(SCREENSHOTS, { recursive: true });

  // A campaign, launched as the merchant launches one, and a member's page, found from the list.
  const context = await newContext("desktop");
  const page = await context.newPage();
  await page.goto(devshop.adminUrl(SHOP, "/campaigns/new"));
  const frame = page.frameLocator("#app-iframe");
  await frame.getByText(strings.campaigns.segmentSize(2)).waitFor({ timeout: 30_000 });
  await frame.getByLabel(strings.campaigns.name).fill("Autumn");
  await frame.getByRole("button", { name: strings.campaigns.launch }).first().click();
  await frame.locator('ui-modal[data-open] button[variant="primary"]').click();
  await frame.getByText(strings.campaigns.progressLine(2, 2)).waitFor({ timeout: 30_000 });
  campaignPath = new URL((await appFrame(page)).url()).pathname.replace(/^\/app/, "");
  await page.goto(devshop.adminUrl(SHOP, "/customers"));
  await page.frameLocator("#app-iframe").getByText("Maren Okafor", { exact: true }).click();
  const memberFrame = await appFrame(page);
  await memberFrame.waitForURL(/\/app\/customers\/[^/?]+/, { timeout: 30_000 });
  memberPath = new URL(memberFrame.url()).pathname.replace(/^\/app/, "");
  await context.close();
}, 180_000);

afterAll(() => store?.stop());

function newContext(size: keyof typeof SIZES): Promise<BrowserContext> {
  // Headless Chromium names itself HeadlessChrome, which Shopify's library turns away as a bot.
  return browser.newContext({ viewport: SIZES[size], userAgent: BROWSER_USER_AGENT });
}

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; html: string }[];
}

/** axe-core's serious and critical violations on the app's document in the frame. */
async function axeViolations(frame: Frame): Promise<Violation[]> {
  // axe-core's own script (axe.min.js), as @axe-core/playwright injects it.
  await frame.addScriptTag({ content: axe.source });
  const violations = await frame.evaluate(async () => {
    const runner = (
      window as unknown as {
        axe: { run: (context: Document, options: object) => Promise<{ violations: Violation[] }> };
      }
    ).axe;
    const result = await runner.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })),
    }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

describe("every admin page", () => {
  it("is listed here: each route file that draws a page has a case", () => {
    const pageRoutes = readdirSync("app/routes")
      .filter((file) => /^app\..+\.tsx$/.test(file))
      .filter((file) => /export default/.test(readFileSync(path.join("app/routes", file), "utf8")));
    expect(pageRoutes.length).toBeGreaterThan(5);
    expect([...new Set(PAGES.map((page) => page.route))].sort()).toEqual(pageRoutes.sort());
  });

  for (const size of Object.keys(SIZES) as (keyof typeof SIZES)[]) {
    describe(`at ${SIZES[size].width}x${SIZES[size].height}`, () => {
      let context: BrowserContext;
      beforeAll(async () => {
        context = await newContext(size);
      });
      afterAll(async () => {
        await context?.close();
      });

      for (const adminPage of PAGES) {
        it(`${adminPage.name}: a title of its own and no serious or critical axe violation`, async () => {
          const page = await context.newPage();
          await page.goto(devshop.adminUrl(adminPage.shop, adminPage.path()));
          const frameLocator = page.frameLocator("#app-iframe");
          await frameLocator.getByText(adminPage.ready()).first().waitFor({ timeout: 30_000 });
          await adminPage.open?.(frameLocator);
          await page.waitForLoadState("networkidle");
          // The charts are drawn in the browser, after a skeleton.
          await frameLocator
            .locator('[aria-busy="true"]')
            .first()
            .waitFor({ state: "detached", timeout: 15_000 });
          const frame = await appFrame(page);
          expect(await frame.title()).toBe(adminPage.title());
          await page.screenshot({
            path: path.join(SCREENSHOTS, `admin-${adminPage.name}-${size}.png`),
            fullPage: true,
          });
          const violations = await axeViolations(frame);
          expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
          await page.close();
        });
      }
    });
  }
});
