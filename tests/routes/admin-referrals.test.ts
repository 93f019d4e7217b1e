/**
 * The admin's Referrals page, called with requests signed as the embedded admin signs them: bad
 * settings get an error on each field and change nothing; the review queue lists a held referral
 * with its reasons; approving pays the member once; rejecting needs a reason and pays nothing;
 * another shop's referral is not found.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { strings } from "~/admin/strings";
import { action, loader } from "~/routes/app.referrals";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { applyOrderEvent } from "~/services/orders/order-points.server";
import { claimReferral, ensureReferralCode, settleReferrals } from "~/services/referrals/referrals.server";
import { adminFetch, adminDocument, run } from "../support/admin-requests";
import { adminStandIn } from "../support/admin-stand-in";
import { snapshot } from "../support/order-events";
import { resetLoyaltyData } from "../support/reset";
import { storeOfflineSession } from "../support/sessions";

const OTHER_SHOP = "other-referrals.myshopify.com";
const ANN = "gid://shopify/Customer/7400000201";
const NOW = new Date();

const settings = (overrides: Record<string, string> = {}) => ({
  enabled: "on",
  referrerPoints: "300",
  refereePercent: "15",
  checkSelf: "on",
  checkNew: "on",
  monthlyCap: "5",
  ...overrides,
});
const post = async (body: Record<string, string>, shop = TEST_SHOP) =>
  run(action, await adminFetch("/app/referrals", { method: "POST", body: new URLSearchParams(body) }, shop));
const page = async (shop = TEST_SHOP) =>
  (await (await run(loader, await adminDocument("/app/referrals", shop))).json()) as {
    settings: Record<string, unknown>;
    rewardChoices: { key: string; title: string }[];
    figures: Record<string, unknown>;
    queue: { id: string; holdReasons: string[]; refereeEmail: string }[];
  };
const annBalance = async () =>
  (
    await prisma.member.findUniqueOrThrow({
      where: { shop_customerGid: { shop: TEST_SHOP, customerGid: ANN } },
    })
  ).balance;

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  await prisma.referral.deleteMany();
  await prisma.referralVisit.deleteMany();
  await prisma.session.deleteMany();
  await storeOfflineSession(prisma, TEST_SHOP, { accessToken: "shpat_ref", scope: "write_discounts" });
  await storeOfflineSession(prisma, OTHER_SHOP, { accessToken: "shpat_other", scope: "write_discounts" });
});

/** Ann refers herself under another email, then orders with the code signed in as herself: held. */
async function heldSelfReferral() {
  expect((await post(settings())).status).toBe(200);
  await adjustPoints(
    prisma,
    TEST_SHOP,
    {
      customerGid: ANN,
      points: 10,
      reason: "Opening balance",
      staffId: "test",
      idempotencyKey: "seed-admin-ref",
    },
    NOW,
  );
  const ann = await prisma.member.update({
    where: { shop_customerGid: { shop: TEST_SHOP, customerGid: ANN } },
    data: { email: "ann@example.com" },
  });
  const link = await ensureReferralCode(prisma, TEST_SHOP, ann.id);
  const shopify = adminStandIn({ shop: TEST_SHOP });
  const { code } = await claimReferral(
    prisma,
    shopify.admin,
    TEST_SHOP,
    link,
    { email: "ann.other@example.com", customerGid: null },
    NOW,
  );
  const paid = {
    ...snapshot({
      orderGid: "gid://shopify/Order/7500000201",
      customerGid: ANN,
      updatedAt: NOW,
      paidAt: NOW,
      merchandise: 40_000n,
    }),
    discountCodes: [code],
  };
  await applyOrderEvent(prisma, TEST_SHOP, { type: "paid", snapshot: paid }, NOW);
  expect((await settleReferrals(prisma, TEST_SHOP, NOW)).held).toBe(1);
}

describe("the Referrals page", () => {
  it("refuses bad settings field by field and saves nothing", async () => {
    for (const [field, value, error] of [
      ["referrerPoints", "0", { code: "min", min: 1, unit: "points" }],
      ["referrerPoints", "1000001", { code: "max", max: 1_000_000, unit: "points" }],
      ["refereePercent", "101", { code: "max", max: 100, unit: "percent" }],
      ["monthlyCap", "-1", { code: "wholeNumber" }],
      ["referrerPoints", "ten", { code: "wholeNumber" }],
    ] as const) {
      const res = await post(settings({ [field]: value }));
      expect(res.status).toBe(422);
      // The shared field error codes (app/loyalty/field-error.ts), worded by the page.
      expect(await res.json()).toEqual({
        ok: false,
        error: strings.referrals.fixErrors,
        fieldErrors: { [field]: error },
      });
    }
    expect((await page()).settings).toMatchObject({ enabled: false, referrerPoints: 500 });
    expect((await post(settings())).status).toBe(200);
    expect((await page()).settings).toMatchObject({ enabled: true, referrerPoints: 300, refereePercent: 15 });
  });

  it("offers the enabled code rewards, saves the one chosen, refuses another, and goes back to points", async () => {
    expect((await post(settings())).status).toBe(200);
    await prisma.reward.updateMany({ where: { shop: TEST_SHOP, key: "25-off" }, data: { enabled: false } });
    expect((await page()).rewardChoices.map((choice) => choice.key)).toEqual([
      "5-off",
      "10-off",
      "free-shipping",
    ]);
    for (const rewardKey of ["25-off", "nope"]) {
      const refused = await post(settings({ rewardKey }));
      expect(refused.status).toBe(422);
      expect(await refused.json()).toEqual({
        ok: false,
        error: strings.referrals.fixErrors,
        fieldErrors: { rewardKey: { code: "notInCatalog" } },
      });
    }
    expect((await page()).settings).toMatchObject({ rewardKey: null });
    expect((await post(settings({ rewardKey: "10-off" }))).status).toBe(200);
    expect((await page()).settings).toMatchObject({ rewardKey: "10-off", referrerPoints: 300 });
    expect((await post(settings({ rewardKey: "" }))).status).toBe(200);
    expect((await page()).settings).toMatchObject({ rewardKey: null });
  });

  it("the address check is the merchant's; the card check stays off whatever is posted", async () => {
    expect((await post(settings({ checkAddress: "on", checkCard: "on" }))).status).toBe(200);
    expect((await page()).settings).toMatchObject({ checkAddress: true, checkCard: false });
    expect((await post(settings())).status).toBe(200);
    expect((await page()).settings).toMatchObject({ checkAddress: false, checkCard: false });
  });

  it("a held self-referral is in the queue with its reason; approving pays once", async () => {
    await heldSelfReferral();
    const { queue, figures } = await page();
    expect(queue).toHaveLength(1);
    expect(queue[0]!.holdReasons).toEqual(["same_customer"]);
    expect(figures).toMatchObject({ held: 1, referees: 1, firstOrders: 1, revenue: "40.00" });
    // Her own order earned her 200 points; the referral nothing yet.
    expect(await annBalance()).toBe(210);
    // Another shop cannot decide it.
    expect((await post({ intent: "approve", id: queue[0]!.id }, OTHER_SHOP)).status).toBe(404);
    const approved = await post({ intent: "approve", id: queue[0]!.id });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ ok: true, message: strings.referrals.approved });
    expect(await annBalance()).toBe(510);
    expect((await post({ intent: "approve", id: queue[0]!.id })).status).toBe(409);
    expect(await annBalance()).toBe(510);
    expect((await page()).queue).toEqual([]);
  });

  it("rejecting needs a reason, records it and pays nothing", async () => {
    await heldSelfReferral();
    const [held] = (await page()).queue;
    const blank = await post({ intent: "reject", id: held!.id, note: " " });
    expect(blank.status).toBe(422);
    expect(await blank.json()).toMatchObject({ ok: false, error: strings.referrals.reasonRequired });
    expect((await post({ intent: "reject", id: held!.id, note: "Her own second account" })).status).toBe(200);
    expect(await prisma.referral.findUniqueOrThrow({ where: { id: held!.id } })).toMatchObject({
      status: "REJECTED",
      decisionNote: "Her own second account",
    });
    expect(await annBalance()).toBe(210);
  });
});
