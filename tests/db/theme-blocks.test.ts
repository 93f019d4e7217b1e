/**
 * The theme app extension rendered (liquidjs) from exactly what the app
 * writes to Shopify: the program's app-data metafields (as the program sync
 * writes them to the shop's stand-in) and a member's $app:loyalty metafields,
 * for a guest, a member who can afford nothing, and a member with rewards and
 * an active code, in every locale, on the primary locale and under its prefix.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { E4, parseE4, pointsFor } from "~/loyalty/rates";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { memberState } from "~/services/members/member-sync.server";
import { updateProgram } from "~/services/program/program-settings.server";
import { syncProgram } from "~/services/program/program-sync.server";
import { redeemReward } from "~/services/rewards/redeem-reward.server";
import { rememberProxyPath } from "~/services/storefront/proxy-path.server";
import { STOREFRONT_ERRORS } from "~/http/storefront-errors";
import { DEFAULT_REFERRAL_SETTINGS } from "~/loyalty/referrals";
import { saveReferralSettings } from "~/services/referrals/referrals.server";
import { memberMetafields } from "~/shopify/admin-api/member-metafields.server";
import { adminStandIn } from "../support/admin-stand-in";
import { escapeHtml } from "../../devshop/html";
import {
  appMetafieldsOf,
  LOCALES,
  readLocale,
  renderBlock,
  type AppMetafields,
  type StoredMetafield,
} from "../support/theme-render";

const SHOP = "theme-blocks.myshopify.com";
/** A shop whose program settings the product block tests change. */
const SETTINGS_SHOP = "theme-settings.myshopify.com";
const LOW = "gid://shopify/Customer/1001";
const RICH = "gid://shopify/Customer/1002";
const NOW = new Date("2026-06-01T12:00:00Z");

let app: AppMetafields;
const members: Record<string, Record<string, StoredMetafield>> = {};
let code: string;
const REFERRAL_SHOP = "theme-referrals.myshopify.com";
let referralApp: AppMetafields;
let referralMember: Record<string, StoredMetafield>;
const settingsShopify = adminStandIn({ shop: SETTINGS_SHOP });

async function storedMember(customerGid: string) {
  const fields = memberMetafields(customerGid, await memberState(prisma, SHOP, customerGid, NOW));
  return Object.fromEntries(fields.map((field) => [field.key, { type: field.type, value: field.value }]));
}

/** The app's program metafields on SETTINGS_SHOP after the merchant saved these settings. */
async function programAfterSaving(settings: Parameters<typeof updateProgram>[2]["settings"]) {
  await updateProgram(prisma, SETTINGS_SHOP, { settings }, NOW);
  await syncProgram(prisma, settingsShopify.admin, SETTINGS_SHOP);
  return appMetafieldsOf(settingsShopify);
}

const adjust = (customerGid: string, points: number, key: string) =>
  adjustPoints(prisma, SHOP, { customerGid, points, reason: "Seed", staffId: "s", idempotencyKey: key }, NOW);

beforeAll(async () => {
  const shopify = adminStandIn({ shop: SHOP });
  await adjust(LOW, 120, "theme-low-1");
  await adjust(RICH, 2200, "theme-rich-1");
  const redemption = await redeemReward(
    prisma,
    shopify.admin,
    SHOP,
    { customerGid: RICH, rewardKey: "10-off", idempotencyKey: "theme-rich-redeem" },
    NOW,
  );
  code = redemption.code;
  // Shopify's copy of the program, written the way the program-sync job writes it.
  await syncProgram(prisma, shopify.admin, SHOP);
  app = appMetafieldsOf(shopify);
  members.low = await storedMember(LOW);
  members.rich = await storedMember(RICH);
  // A shop with referrals on: the program says what a friend gets, the member has a link.
  const referrals = adminStandIn({ shop: REFERRAL_SHOP });
  await adjustPoints(
    prisma,
    REFERRAL_SHOP,
    { customerGid: LOW, points: 10, reason: "Seed", staffId: "s", idempotencyKey: "theme-referral-1" },
    NOW,
  );
  await saveReferralSettings(prisma, REFERRAL_SHOP, {
    ...DEFAULT_REFERRAL_SETTINGS,
    enabled: true,
    refereePercent: 15,
    referrerPoints: 750,
  });
  await syncProgram(prisma, referrals.admin, REFERRAL_SHOP);
  referralApp = appMetafieldsOf(referrals);
  const fields = memberMetafields(LOW, await memberState(prisma, REFERRAL_SHOP, LOW, NOW));
  referralMember = Object.fromEntries(fields.map((f) => [f.key, { type: f.type, value: f.value }]));
});

const count = (html: string, pattern: RegExp) => html.match(new RegExp(pattern, "g"))?.length ?? 0;
/** The Redeem buttons shown (every reward has one; the ones the member cannot afford are hidden). */
const redeemable = (html: string) =>
  (html.match(/<button[^>]*data-regulars-redeem="[^"]*"[^>]*>/g) ?? []).filter(
    (tag) => !/\shidden\b/.test(tag),
  );
/** 1200 as each locale writes it: 1,200 / 1 200 / 1.200. */
const THOUSAND_200 = "1[,.\u202f]200";

/** Every key path of a locale file ("status.points.one", ...). */
function keyPaths(node: unknown, prefix = ""): string[] {
  if (typeof node !== "object" || node === null) return [prefix];
  return Object.entries(node).flatMap(([key, value]) => keyPaths(value, prefix ? `${prefix}.${key}` : key));
}

describe("the extension's locales", () => {
  it.each(LOCALES.filter((locale) => locale !== "en"))(
    "%s has every storefront and theme editor string English has, and no other",
    (locale) => {
      for (const schema of [false, true]) {
        expect(keyPaths(readLocale(locale, schema)).sort()).toEqual(
          keyPaths(readLocale("en", schema)).sort(),
        );
      }
    },
  );
});

describe.each(LOCALES)("theme blocks in %s", (locale) => {
  const strings = readLocale(locale) as {
    status: { redeem: string };
    guest: { sign_in: string };
    js: { errors: Record<string, string> };
  };
  /** Where the store serves this locale: the primary locale at /, the others under /{locale}. */
  const root = locale === "en" ? "/" : `/${locale}`;
  const prefix = root === "/" ? "" : root;

  it("a guest sees how the program works and where to sign in, nothing personal", async () => {
    const html = await renderBlock("loyalty-status", { locale, app, rootUrl: root });
    expect(html).toContain(`href="${prefix}/account/login"`);
    expect(html).toContain(strings.guest.sign_in);
    expect(html).toContain("Gold");
    expect(html).toContain("25.00 off");
    expect(html).not.toContain("data-regulars-points");
    expect(count(html, /data-regulars-redeem=/)).toBe(0);
  });

  it("a member who can afford nothing sees points, tier and progress, and no redeem button", async () => {
    const html = await renderBlock("loyalty-status", { locale, app, customer: members.low });
    expect(html).toMatch(/data-regulars-points>[^<]*120/);
    expect(html).toContain("Member");
    expect(html).toMatch(/250[.,]00/); // to Silver
    expect(redeemable(html)).toEqual([]);
    // Each reward says how many more points it needs instead.
    expect(count(html, /data-regulars-more >[^<]*\d/)).toBe(4);
    expect(html).toContain('aria-live="polite"');
  });

  it("a member with points and a code sees what they can redeem and their code", async () => {
    const html = await renderBlock("loyalty-status", { locale, app, customer: members.rich });
    expect(html).toMatch(new RegExp(`data-regulars-points>[^<]*${THOUSAND_200}`));
    // 1,200 points: 5.00 off (500) and free shipping (400) are affordable; 10.00 (1,000) too; 25.00 is not.
    expect(redeemable(html)).toHaveLength(3);
    expect(redeemable(html).join()).toContain('data-regulars-redeem="10-off"');
    expect(redeemable(html).join()).not.toContain('data-regulars-redeem="25-off"');
    expect(html).toContain(strings.status.redeem);
    expect(html).toContain(`<code>${code}</code>`);
    expect(html).toContain(`data-regulars-copy="${code}"`);
  });

  it("with referrals on, a member sees their link on the storefront's origin and what it gives", async () => {
    const html = await renderBlock("loyalty-status", {
      locale,
      app: referralApp,
      customer: referralMember,
      origin: "https://shop.example",
    });
    const path = referralMember.referral_link!.value;
    expect(path).toMatch(/^\/apps\/regulars\/r\/[ACDEFGHJKMNPQRTUVWXY34679]{8}$/);
    expect(html).toContain(`data-regulars-copy="https://shop.example${path}"`);
    expect(html).toMatch(/15 ?%/);
    expect(html).toMatch(/750/);
    // Off (the shop above): no link.
    expect(await renderBlock("loyalty-status", { locale, app, customer: members.rich })).not.toContain(
      "data-regulars-referral",
    );
  });

  it("with a catalog reward for referrers, the offer names the reward (escaped) instead of points", async () => {
    const shopify = adminStandIn({ shop: REFERRAL_SHOP });
    await prisma.reward.updateMany({
      where: { shop: REFERRAL_SHOP, key: "5-off" },
      data: { title: "5.00 off <b>& more</b>" },
    });
    await saveReferralSettings(prisma, REFERRAL_SHOP, {
      ...DEFAULT_REFERRAL_SETTINGS,
      enabled: true,
      refereePercent: 15,
      referrerPoints: 750,
      rewardKey: "5-off",
    });
    await syncProgram(prisma, shopify.admin, REFERRAL_SHOP);
    const html = await renderBlock("loyalty-status", {
      locale,
      app: appMetafieldsOf(shopify),
      customer: referralMember,
      origin: "https://shop.example",
    });
    expect(html).toContain(escapeHtml("5.00 off <b>& more</b>"));
    expect(html).not.toContain("<b>& more");
    expect(html).toMatch(/15 ?%/);
    expect(html).not.toMatch(/750/);
  });

  it("the launcher shows the balance on its button and keeps the panel closed until opened", async () => {
    const html = await renderBlock("rewards-launcher", { locale, app, customer: members.rich });
    expect(html).toMatch(
      new RegExp(
        `<button[^>]*aria-expanded="false"[^>]*>(?:(?!</button>)[\\s\\S])*data-regulars-points>${THOUSAND_200}`,
      ),
    );
    expect(html).toMatch(/<div id="regulars-panel"[^>]*hidden/);
    const guest = await renderBlock("rewards-launcher", { locale, app });
    expect(guest).toMatch(/aria-expanded="false"[^>]*>(?:(?!<\/button>)[\s\S])*<span>Rewards<\/span>/);
  });

  it("redeems through the app proxy under the locale's prefix", async () => {
    for (const block of ["loyalty-status", "rewards-launcher"]) {
      const html = await renderBlock(block, { locale, app, customer: members.rich, rootUrl: root });
      expect(html).toContain(`data-proxy="${prefix}/apps/regulars"`);
    }
  });

  it("has this locale's words for every refusal the app proxy can answer", async () => {
    const html = await renderBlock("rewards-launcher", { locale, app, customer: members.rich });
    for (const error of Object.keys(STOREFRONT_ERRORS)) {
      const words = strings.js.errors[error];
      expect(words, `${locale}.js.errors.${error}`).toMatch(/\S/);
      // A refusal with values (amount_not_allowed's limits) is a template the script fills in.
      const template = String(words)
        .replace("{{ step }}", "{s}")
        .replace("{{ min }}", "{a}")
        .replace("{{ max }}", "{b}");
      expect(html).toContain(`data-error-${error}="${escapeHtml(template)}"`);
    }
  });
});

describe("the storefront follows the app proxy where the merchant moved it", () => {
  it("the blocks call the proxy path Shopify last sent, under the locale's prefix", async () => {
    const shopify = adminStandIn({ shop: SETTINGS_SHOP });
    await rememberProxyPath(prisma, SETTINGS_SHOP, "/community/loyalty");
    await syncProgram(prisma, shopify.admin, SETTINGS_SHOP);
    const moved = appMetafieldsOf(shopify);
    const html = await renderBlock("rewards-launcher", {
      locale: "fr",
      app: moved,
      customer: members.rich,
      rootUrl: "/fr",
    });
    expect(html).toContain('data-proxy="/fr/community/loyalty"');
  });
});

describe("the product block (Earn points)", () => {
  const product = { price: 8000 }; // 80.00 in the shop's currency: 400 points at 5 per 1.00
  const strings = readLocale("en") as { product: { earn_rate: string; earn_rate_before_tax: string } };

  it("shows only while the program's boolean app metafield says the program is active", async () => {
    expect(app.loyalty?.active).toEqual({ type: "boolean", value: "true" });
    expect(await renderBlock("earn-points", { locale: "en", app, product })).toMatch(/\b400\b/);
    // Shopify reads available_if from a boolean app metafield: a JSON one, or none, hides the block.
    const jsonOnly = { loyalty: { program: app.loyalty!.program! } };
    expect(await renderBlock("earn-points", { locale: "en", app: jsonOnly, product })).toBe("");
    expect(await renderBlock("earn-points", { locale: "en", product })).toBe("");
    const paused = await programAfterSaving({ active: false });
    expect(paused.loyalty?.active).toEqual({ type: "boolean", value: "false" });
    expect(await renderBlock("earn-points", { locale: "en", app: paused, product })).toBe("");
    const resumed = await programAfterSaving({ active: true });
    expect(await renderBlock("earn-points", { locale: "en", app: resumed, product })).toMatch(/\b400\b/);
  });

  it("in the shop's currency without tax, says exactly what an order of one at that price earns", async () => {
    for (const rate of ["5", "0.3333", "1.25", "0.07"]) {
      const rateE4 = parseE4(rate);
      const settings = await programAfterSaving({ earnRateE4: rateE4 });
      for (const price of [1, 99, 1999, 3000, 8000, 123456, 9999999]) {
        const html = await renderBlock("earn-points", { locale: "en", app: settings, product: { price } });
        // The points engine's own rounding: floor(eligible x rate), eligible in milli-units.
        const earned = pointsFor(BigInt(price) * 10n, rateE4, E4);
        if (earned === 0) expect(html, `${price} at ${rate}`).toBe("");
        else
          expect(html, `${price} at ${rate}`).toMatch(
            new RegExp(`Earn ${earned.toLocaleString("en-US")} points?\\b`),
          );
      }
    }
    await programAfterSaving({ earnRateE4: 5 * E4 });
  });

  it("in another currency, says how points are counted instead of a number", async () => {
    const html = await renderBlock("earn-points", {
      locale: "en",
      app,
      product,
      shopCurrency: "EUR",
      cart: { currency: "USD", taxesIncluded: false },
    });
    expect(html).not.toMatch(/\b400\b/);
    expect(html).toContain(
      escapeHtml(
        // The shop's currency, unconverted: not the cart's currency symbol.
        strings.product.earn_rate_before_tax.replace("{{ rate }}", "5").replace("{{ amount }}", "1.00 EUR"),
      ),
    );
  });

  it("with prices that include tax, gives no number unless tax earns points", async () => {
    const taxed = { currency: "EUR", taxesIncluded: true };
    const html = await renderBlock("earn-points", { locale: "en", app, product, cart: taxed });
    expect(html).not.toMatch(/\b400\b/);
    expect(html).toContain("Earn 5 points for every €1.00 you spend, before tax");
    const withTax = await programAfterSaving({ includeTax: true });
    const counted = await renderBlock("earn-points", { locale: "en", app: withTax, product, cart: taxed });
    expect(counted).toMatch(/\b400\b/);
    const abroad = { currency: "USD", taxesIncluded: true };
    const other = await renderBlock("earn-points", { locale: "en", app: withTax, product, cart: abroad });
    expect(other).toContain(
      escapeHtml(strings.product.earn_rate.replace("{{ rate }}", "5").replace("{{ amount }}", "1.00 EUR")),
    );
    await programAfterSaving({ includeTax: false });
  });

  it("a gift card earns nothing unless the program counts gift cards", async () => {
    const giftCard = { price: 5000, giftCard: true };
    expect(await renderBlock("earn-points", { locale: "en", app, product: giftCard })).toBe("");
    const counted = await programAfterSaving({ includeGiftCards: true });
    expect(await renderBlock("earn-points", { locale: "en", app: counted, product: giftCard })).toMatch(
      /\b250\b/,
    );
    await programAfterSaving({ includeGiftCards: false });
  });
});

describe("customers left out of the program (excluded tags)", () => {
  const product = { price: 8000 };

  it("see no launcher, no status block and no product estimate; other customers and guests do", async () => {
    const excluding = await programAfterSaving({ excludedTags: ["Wholesale", "staff"] });
    // The tags are Liquid's alone, lower-cased: the status JSON (programExplainer) does not carry them.
    expect(JSON.parse(excluding.loyalty!.program!.value).excludedTags).toEqual(["wholesale", "staff"]);
    const as = (customerTags?: string[]) => ({
      locale: "en" as const,
      app: excluding,
      product,
      ...(customerTags ? { customer: members.rich, customerTags } : {}),
    });
    for (const block of ["rewards-launcher", "loyalty-status", "earn-points"]) {
      // Compared without case, as Shopify compares tags.
      expect((await renderBlock(block, as(["VIP", "WHOLESALE"]))).trim()).toBe("");
      expect((await renderBlock(block, as([" Staff "]))).trim()).toBe("");
      expect(await renderBlock(block, as(["VIP", "wholesaler"]))).not.toBe("");
      expect(await renderBlock(block, as())).not.toBe("");
    }
    const none = await programAfterSaving({ excludedTags: [] });
    expect(
      await renderBlock("rewards-launcher", {
        locale: "en",
        app: none,
        customer: members.rich,
        customerTags: ["wholesale"],
      }),
    ).not.toBe("");
  });
});

describe("locales", () => {
  const keys = (node: unknown, prefix = ""): string[] =>
    node && typeof node === "object" && !("other" in node)
      ? Object.entries(node).flatMap(([key, value]) => keys(value, `${prefix}${key}.`))
      : [prefix.slice(0, -1)];

  it("every locale has every string English has", () => {
    for (const schema of [false, true]) {
      const english = keys(readLocale("en", schema)).sort();
      for (const locale of LOCALES) expect(keys(readLocale(locale, schema)).sort()).toEqual(english);
    }
  });
});
