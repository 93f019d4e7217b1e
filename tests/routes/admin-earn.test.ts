/**
 * The admin's Ways to earn page, called with requests signed as the embedded admin signs them:
 * bad rules get a field error code on each field and change nothing; good ones are saved and the
 * storefront's program lists them; the review API secret is shown once, then only its last four
 * characters, and replacing it retires the old one.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { action, loader } from "~/routes/app.earn";
import { programExplainer } from "~/services/storefront/status.server";
import { upsertMember } from "~/db/members.server";
import { awardFollow, awardReview } from "~/services/actions/earn-actions.server";
import { dashboardFigures } from "~/services/dashboard/dashboard.server";
import { adminDocument, adminFetch, run } from "../support/admin-requests";
import { resetLoyaltyData } from "../support/reset";
import { storeOfflineSession } from "../support/sessions";

const post = async (body: Record<string, string>, shop = TEST_SHOP) =>
  run(action, await adminFetch("/app/earn", { method: "POST", body: new URLSearchParams(body) }, shop));
const page = async (shop = TEST_SHOP) =>
  (await (await run(loader, await adminDocument("/app/earn", shop))).json()) as {
    rules: { key: string; enabled: boolean; points: number; limit: string; url: string | null }[];
    secret: { hint: string } | null;
    endpoint: string;
  };

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  await prisma.session.deleteMany();
  await storeOfflineSession(prisma, TEST_SHOP, { accessToken: "shpat_earn", scope: "write_discounts" });
});

describe("the Ways to earn page", () => {
  it("lists every rule off at its defaults, with the review API's address", async () => {
    const data = await page();
    expect(data.rules.map((rule) => [rule.key, rule.enabled, rule.points, rule.limit])).toEqual([
      ["newsletter", false, 100, "ONCE"],
      ["review", false, 50, "ONCE"],
      ["follow-instagram", false, 25, "ONCE"],
      ["follow-tiktok", false, 25, "ONCE"],
      ["follow-facebook", false, 25, "ONCE"],
      ["follow-x", false, 25, "ONCE"],
      ["follow-youtube", false, 25, "ONCE"],
    ]);
    expect(data.secret).toBeNull();
    expect(data.endpoint).toMatch(/\/api\/actions\/review$/);
  });

  it("refuses bad rules field by field and saves nothing", async () => {
    const res = await post({
      "newsletter.enabled": "on",
      "newsletter.points": "0",
      "newsletter.limit": "UNLIMITED",
      "review.enabled": "on",
      "review.points": "12.5",
      "review.limit": "YEARLY",
      "follow-x.enabled": "on",
      "follow-x.points": "10",
      "follow-x.limit": "ONCE",
      "follow-x.url": "http://x.com/maple",
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { ok: boolean; fieldErrors: Record<string, unknown> };
    expect(body).toMatchObject({
      ok: false,
      fieldErrors: {
        "newsletter.points": { code: "range", min: 1, max: 100_000, unit: "points" },
        "newsletter.limit": { code: "choice" },
        "review.points": { code: "invalid" },
        "follow-x.url": { code: "https", example: "https://x.com/yourshop" },
      },
    });
    expect(await prisma.earnRule.count()).toBe(0);
  });

  it("saves good rules, which the storefront then lists", async () => {
    const res = await post({
      // A ticked Polaris checkbox sends its empty value: present means on.
      "review.enabled": "",
      "review.points": "75",
      "review.limit": "YEARLY",
      "follow-x.enabled": "on",
      "follow-x.points": "10",
      "follow-x.limit": "ONCE",
      "follow-x.url": "https://x.com/maple",
    });
    expect(res.status).toBe(200);
    const data = await page();
    expect(data.rules.find((rule) => rule.key === "review")).toMatchObject({
      enabled: true,
      points: 75,
      limit: "YEARLY",
    });
    const { explainer } = await programExplainer(prisma, TEST_SHOP);
    expect(explainer.earnActions).toEqual([
      { key: "review", points: 75 },
      { key: "follow-x", points: 10, network: "X", url: "https://x.com/maple" },
    ]);
  });

  it("shows a new review API secret once, then only its hint; replacing it retires the old one", async () => {
    const first = (await (await post({ intent: "rotate" })).json()) as { ok: boolean; secret: string };
    expect(first.secret).toMatch(/^rgl_[\w-]{43}$/);
    const data = await page();
    expect(data.secret).toMatchObject({ hint: first.secret.slice(-4) });
    expect(JSON.stringify(data)).not.toContain(first.secret);
    const second = (await (await post({ intent: "rotate" })).json()) as { secret: string };
    expect(second.secret).not.toBe(first.secret);
    expect((await page()).secret).toMatchObject({ hint: second.secret.slice(-4) });
    expect(await prisma.actionApiSecret.count()).toBe(1);
  });

  it("Home shows the points given per way to earn in the period", async () => {
    await post({
      "review.enabled": "on",
      "review.points": "40",
      "review.limit": "UNLIMITED",
      "follow-tiktok.enabled": "on",
      "follow-tiktok.points": "15",
      "follow-tiktok.limit": "ONCE",
      "follow-tiktok.url": "https://www.tiktok.com/@maple",
    });
    const now = new Date();
    const customers = ["gid://shopify/Customer/81", "gid://shopify/Customer/82"];
    for (const customerGid of customers) await upsertMember(prisma, TEST_SHOP, customerGid, {});
    await awardReview(prisma, TEST_SHOP, { customerGid: customers[0]!, reviewId: "r1" }, now);
    await awardReview(prisma, TEST_SHOP, { customerGid: customers[1]!, reviewId: "r2" }, now);
    await awardReview(prisma, TEST_SHOP, { customerGid: customers[1]!, reviewId: "r2" }, now);
    await awardFollow(prisma, TEST_SHOP, { customerGid: customers[0]!, rule: "follow-tiktok" }, now);
    const figures = await dashboardFigures(prisma, TEST_SHOP, {
      period: "30",
      now,
      timeZone: "UTC",
      churnDays: 90,
      atRiskDays: 180,
    });
    expect(figures.byAction).toEqual([
      { action: "review", points: 80, awards: 2 },
      { action: "follow-tiktok", points: 15, awards: 1 },
    ]);
    // Awards before the period are not counted.
    const later = await dashboardFigures(prisma, TEST_SHOP, {
      period: "30",
      now: new Date(now.getTime() + 40 * 86_400_000),
      timeZone: "UTC",
      churnDays: 90,
      atRiskDays: 180,
    });
    expect(later.byAction).toEqual([]);
  });
});
