/**
 * The Home page's onboarding checklist: program on, the app embed and the
 * loyalty block in the live theme (read through the Admin API at the network
 * edge), past orders backfilled; deep links to the theme editor; a failing
 * theme check shows as unknown; dismissal is per shop.
 */
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { API_KEY, APP_URL, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { ensureProgram } from "~/db/program.server";
import { OnboardingChecklist } from "~/admin/OnboardingChecklist";
import { strings } from "~/admin/strings";
import { loader } from "~/routes/app._index";
import { action as onboardingAction } from "~/routes/app.onboarding";
import { clearThemeCache, type Onboarding } from "~/services/program/onboarding.server";
import type { adminStandIn } from "../support/admin-stand-in";
import { adminDocument, adminFetch, run } from "../support/admin-requests";
import { resetLoyaltyData } from "../support/reset";
import { shopifyForShop } from "../support/shopify-for-shop";
import type { ShopifyEdge } from "../support/shopify-edge";

let edge: ShopifyEdge | undefined;
let shopify: ReturnType<typeof adminStandIn>;

const SETTINGS_HEADER = "/*\n * IMPORTANT: The contents of this file are auto-generated.\n */\n";
const settingsData = (launcher: { disabled: boolean } | null) =>
  SETTINGS_HEADER +
  JSON.stringify({
    current: {
      blocks: {
        ...(launcher
          ? {
              "17012345": {
                type: "shopify://apps/regulars/blocks/rewards-launcher/0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
                disabled: launcher.disabled,
                settings: {},
              },
            }
          : {}),
        "17099999": { type: "shopify://apps/reviews/blocks/stars/0199ffff", disabled: false, settings: {} },
      },
    },
  });
const indexTemplate = (withBlock: boolean) =>
  JSON.stringify({
    sections: {
      main: { type: "image-banner", settings: {} },
      ...(withBlock
        ? {
            apps: {
              type: "apps",
              blocks: {
                a1: { type: "shopify://apps/regulars/blocks/loyalty-status/0199a1b2-aaaa", settings: {} },
              },
              block_order: ["a1"],
            },
          }
        : {}),
    },
    order: ["main", ...(withBlock ? ["apps"] : [])],
  });

/** A section group (sections/header-group.json ...), with the block in one of its sections or not. */
const sectionGroup = (type: string, withBlock: boolean) =>
  JSON.stringify({
    type,
    name: `${type} group`,
    sections: {
      [type]: { type, settings: {} },
      ...(withBlock
        ? {
            apps: {
              type: "apps",
              blocks: {
                b1: { type: "shopify://apps/regulars/blocks/loyalty-status/0199a1b2-bbbb", settings: {} },
              },
              block_order: ["b1"],
            },
          }
        : {}),
    },
    order: [type, ...(withBlock ? ["apps"] : [])],
  });

function theme(input: { launcher: { disabled: boolean } | null; block: boolean }) {
  shopify.theme.main = {
    name: "Dawn",
    files: [
      { filename: "config/settings_data.json", content: settingsData(input.launcher) },
      { filename: "templates/index.json", content: indexTemplate(input.block) },
      { filename: "templates/product.json", content: indexTemplate(false) },
    ],
  };
}

async function checklist(): Promise<Onboarding> {
  const res = await run(loader, await adminDocument("/app"));
  expect(res.status).toBe(200);
  return ((await res.json()) as { onboarding: Onboarding }).onboarding;
}

const post = async (body: string, shop = TEST_SHOP) =>
  run(
    onboardingAction,
    await adminFetch(
      "/app/onboarding",
      { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } },
      shop,
    ),
  );

const states = (onboarding: Onboarding) =>
  Object.fromEntries(onboarding.steps.map((step) => [step.key, step.state]));

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  await prisma.backfillRun.deleteMany();
  await prisma.session.deleteMany();
  await prisma.shop.deleteMany();
  clearThemeCache();
  ({ shopify, edge } = await shopifyForShop(
    prisma,
    TEST_SHOP,
    "shpat_onboarding",
    "read_orders,read_themes",
  ));
  await prisma.shop.create({ data: { domain: TEST_SHOP, installedAt: new Date() } });
  await ensureProgram(prisma, TEST_SHOP);
});
afterEach(() => edge?.restore());

describe("onboarding checklist on the Home page", () => {
  it("a new shop sees every step it has not done, with deep links into the theme editor", async () => {
    // GIVEN the program is on, the theme has neither the embed nor the block, no backfill yet
    theme({ launcher: null, block: false });
    const onboarding = await checklist();
    // THEN the checklist shows, program done, the rest to do
    expect(onboarding.show).toBe(true);
    expect(states(onboarding)).toEqual({ program: "done", embed: "todo", block: "todo", backfill: "todo" });
    const url = (key: string) => onboarding.steps.find((step) => step.key === key)!.url;
    expect(url("embed")).toBe(
      `https://${TEST_SHOP}/admin/themes/current/editor?context=apps&activateAppId=${API_KEY}/rewards-launcher`,
    );
    expect(url("block")).toBe(
      `https://${TEST_SHOP}/admin/themes/current/editor?template=index&addAppBlockId=${API_KEY}/loyalty-status&target=newAppsSection`,
    );
    expect(url("backfill")).toBe("/app/backfill");
    // AND the theme editor links open in the top frame, out of the embedded app
    const html = await render(onboarding);
    expect(html).toContain(`activateAppId=${API_KEY}/rewards-launcher`);
    expect(html.match(/target="_top"/g)).toHaveLength(2);
    expect(html).toContain("Get started (1/4)");
  });

  it("the block in a section group (the header), not on any template, is found", async () => {
    // GIVEN the embed on and the block only in the header group, as the theme editor stores it
    // (https://shopify.dev/docs/storefronts/themes/architecture/section-groups)
    shopify.theme.main = {
      name: "Dawn",
      files: [
        { filename: "config/settings_data.json", content: settingsData({ disabled: false }) },
        { filename: "sections/footer-group.json", content: sectionGroup("footer", false) },
        { filename: "sections/header-group.json", content: sectionGroup("header", true) },
        { filename: "templates/index.json", content: indexTemplate(false) },
        { filename: "templates/product.json", content: indexTemplate(false) },
      ],
    };
    expect(states(await checklist())).toMatchObject({ embed: "done", block: "done" });
  });

  it("the block in a template past the first page of theme files is found; Shopify's pages are followed", async () => {
    // GIVEN a theme with 150 alternate product templates and the block in the last one, and
    // Shopify answering 40 files a page (fewer than asked, as its payload limit allows)
    const alternates = Array.from({ length: 150 }, (_, i) => ({
      filename: `templates/product.alt-${String(i).padStart(3, "0")}.json`,
      content: indexTemplate(i === 149),
    }));
    shopify.theme.main = {
      name: "Dawn",
      files: [
        { filename: "config/settings_data.json", content: settingsData({ disabled: false }) },
        { filename: "templates/index.json", content: indexTemplate(false) },
        ...alternates,
      ],
    };
    shopify.theme.pageSize = 40;
    expect(states(await checklist())).toMatchObject({ embed: "done", block: "done" });
    const pages = edge!.calls.filter((call) => call.operationName === "MainThemeFiles").length;
    expect(pages).toBe(4); // 152 files, 40 a page
  });

  it("a disabled embed is not done; a program turned off is not done", async () => {
    theme({ launcher: { disabled: true }, block: true });
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { active: false } });
    expect(states(await checklist())).toEqual({
      program: "todo",
      embed: "todo",
      block: "done",
      backfill: "todo",
    });
  });

  it("says the shop is all set once every step is done, until dismissed", async () => {
    // GIVEN the embed on, the block on the home page and a completed backfill
    theme({ launcher: { disabled: false }, block: true });
    await prisma.backfillRun.create({
      data: {
        shop: TEST_SHOP,
        fromDate: new Date("2025-01-01"),
        toDate: new Date("2026-01-01"),
        status: "COMPLETED",
        activeSlot: null,
      },
    });
    const onboarding = await checklist();
    expect(onboarding).toMatchObject({ show: true, allDone: true });
    const html = await render(onboarding);
    expect(html).toContain(strings.onboarding.allSetTitle.replace("'", "&#x27;"));
    expect(html).not.toContain("Get started");
    // Dismissed, it is gone.
    expect((await post("intent=dismiss")).status).toBe(200);
    expect((await checklist()).show).toBe(false);
  });

  it("a theme check that failed is asked again with Check again; the steps then show what Shopify says", async () => {
    // GIVEN Shopify refused the themes query: the theme steps are unknown, with a Check again button
    shopify.theme.fail = true;
    const failed = await checklist();
    expect(states(failed)).toMatchObject({ embed: "unknown", block: "unknown" });
    expect(await render(failed)).toContain(strings.onboarding.recheck);
    // WHEN Shopify answers again and the merchant clicks Check again (within the failure's cache time)
    shopify.theme.fail = false;
    theme({ launcher: { disabled: false }, block: true });
    expect((await post("intent=recheck")).status).toBe(200);
    // THEN the page's reload asks Shopify and shows the steps done; nothing was dismissed
    const after = await checklist();
    expect(states(after)).toMatchObject({ embed: "done", block: "done" });
    expect(after.show).toBe(true);
  });

  it("a failing theme check shows the theme steps as unknown and the page still loads; it is cached briefly", async () => {
    // GIVEN Shopify refuses the themes query (no read_themes scope granted yet)
    shopify.theme.fail = true;
    const onboarding = await checklist();
    expect(states(onboarding)).toEqual({
      program: "done",
      embed: "unknown",
      block: "unknown",
      backfill: "todo",
    });
    expect(await render(onboarding)).toContain("Could not check right now");
    // AND a page load within the cache time does not ask Shopify again
    shopify.theme.fail = false;
    theme({ launcher: { disabled: false }, block: true });
    const themeCalls = () => edge!.calls.filter((call) => call.operationName === "MainThemeFiles").length;
    expect(themeCalls()).toBe(1);
    await checklist();
    expect(themeCalls()).toBe(1);
    // AND once the cache is cleared the new state shows
    clearThemeCache(TEST_SHOP);
    expect(states(await checklist())).toMatchObject({ embed: "done", block: "done" });
  });

  it("dismissing hides it for this shop only; the action needs a session token and a valid intent", async () => {
    theme({ launcher: null, block: false });
    const other = "other-onboarding.myshopify.com";
    await prisma.shop.create({ data: { domain: other, installedAt: new Date() } });
    expect(
      (await run(onboardingAction, new Request(`${APP_URL}/app/onboarding`, { method: "POST" }))).status,
    ).not.toBe(200);
    expect((await post("intent=hide")).status).toBe(422);
    expect(
      (await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).onboardingDismissedAt,
    ).toBeNull();
    expect((await post("intent=dismiss")).status).toBe(200);
    expect((await checklist()).show).toBe(false);
    expect(
      (await prisma.shop.findUniqueOrThrow({ where: { domain: other } })).onboardingDismissedAt,
    ).toBeNull();
  });
});

/** The checklist as the server renders it, in a data router as on the page. */
async function render(onboarding: Onboarding): Promise<string> {
  const Component = () => createElement(OnboardingChecklist, { onboarding });
  const handler = createStaticHandler([{ id: "home", path: "/app", Component }]);
  const context = await handler.query(new Request(`${APP_URL}/app`));
  if (context instanceof Response) throw new Error(`unexpected response ${context.status}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(
    createElement(AppProvider, { i18n: en }, createElement(StaticRouterProvider, { router, context })),
  );
}
