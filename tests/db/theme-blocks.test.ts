/**
 * The theme app extension rendered (liquidjs) from exactly what the app
 * writes to Shopify: the program facts metafield and a member's $app:loyalty
 * metafields, for a guest, a member who can afford nothing, and a member with
 * rewards and an active code, in every locale.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { adjustPoints } from "~/services/adjust-points.server";
import { memberState } from "~/services/metafield-sync.server";
import { redeemReward } from "~/services/redeem-reward.server";
import { programExplainer } from "~/services/storefront-status.server";
import { memberMetafields } from "~/shopify/member-metafields.server";
import { adminStandIn } from "../support/admin-stand-in";
import { LOCALES, readLocale, renderBlock, type StoredMetafield } from "../support/theme-render";

const SHOP = "theme-blocks.myshopify.com";
const LOW = "gid://shopify/Customer/1001";
const RICH = "gid://shopify/Customer/1002";
const NOW = new Date("2026-06-01T12:00:00Z");

let program: StoredMetafield;
const members: Record<string, Record<string, StoredMetafield>> = {};
let code: string;

async function storedMember(customerGid: string) {
  const fields = memberMetafields(customerGid, await memberState(prisma, SHOP, customerGid, NOW));
  return Object.fromEntries(fields.map((field) => [field.key, { type: field.type, value: field.value }]));
}

const adjust = (customerGid: string, points: number, key: string) =>
  adjustPoints(prisma, SHOP, { customerGid, points, reason: "Seed", staffId: "s", idempotencyKey: key }, NOW);

beforeAll(async () => {
  await adjust(LOW, 120, "theme-low-1");
  await adjust(RICH, 2200, "theme-rich-1");
  const redemption = await redeemReward(
    prisma,
    adminStandIn().admin,
    SHOP,
    { customerGid: RICH, rewardKey: "10-off", idempotencyKey: "theme-rich-redeem" },
    NOW,
  );
  code = redemption.code;
  program = { type: "json", value: JSON.stringify((await programExplainer(prisma, SHOP)).explainer) };
  members.low = await storedMember(LOW);
  members.rich = await storedMember(RICH);
});

const count = (html: string, pattern: RegExp) => html.match(new RegExp(pattern, "g"))?.length ?? 0;

describe.each(LOCALES)("theme blocks in %s", (locale) => {
  const strings = readLocale(locale) as { status: { redeem: string }; guest: { sign_in: string } };

  it("a guest sees how the program works and where to sign in, nothing personal", async () => {
    const html = await renderBlock("loyalty-status", { locale, program });
    expect(html).toContain('href="/account/login"');
    expect(html).toContain(strings.guest.sign_in);
    expect(html).toContain("Gold");
    expect(html).toContain("25.00 off");
    expect(html).not.toContain("data-regulars-points");
    expect(count(html, /data-regulars-redeem=/)).toBe(0);
  });

  it("a member who can afford nothing sees points, tier and progress, and no redeem button", async () => {
    const html = await renderBlock("loyalty-status", { locale, program, customer: members.low });
    expect(html).toMatch(/data-regulars-points>[^<]*120/);
    expect(html).toContain("Member");
    expect(html).toContain("250.00"); // to Silver
    expect(count(html, /data-regulars-redeem=/)).toBe(0);
    expect(html).toContain('aria-live="polite"');
  });

  it("a member with points and a code sees what they can redeem and their code", async () => {
    const html = await renderBlock("loyalty-status", { locale, program, customer: members.rich });
    expect(html).toMatch(/data-regulars-points>[^<]*1200/);
    // 1,200 points: 5.00 off (500) and free shipping (400) are affordable; 10.00 (1,000) too; 25.00 is not.
    expect(count(html, /data-regulars-redeem="/)).toBe(3);
    expect(html).toContain('data-regulars-redeem="10-off"');
    expect(html).not.toContain('data-regulars-redeem="25-off"');
    expect(html).toContain(strings.status.redeem);
    expect(html).toContain(`<code>${code}</code>`);
    expect(html).toContain(`data-regulars-copy="${code}"`);
  });

  it("the launcher shows the balance on its button and keeps the panel closed until opened", async () => {
    const html = await renderBlock("rewards-launcher", { locale, program, customer: members.rich });
    expect(html).toMatch(/<button[^>]*aria-expanded="false"[^>]*>\s*1200/);
    expect(html).toMatch(/<div id="regulars-panel"[^>]*hidden/);
    const guest = await renderBlock("rewards-launcher", { locale, program });
    expect(guest).toMatch(/aria-expanded="false"[^>]*>\s*Rewards/);
  });

  it("the product block says how many points the price earns", async () => {
    const html = await renderBlock("earn-points", { locale, program, product: { price: 8000 } });
    expect(html).toMatch(/\b400\b/); // 80.00 at 5 points per 1.00
    expect(await renderBlock("earn-points", { locale, product: { price: 8000 } })).not.toMatch(/\d/);
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
