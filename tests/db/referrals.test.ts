/**
 * Referrals (app/services/referrals/referrals.server.ts), on PGlite and, with TEST_DATABASE_URL,
 * on PostgreSQL: a link, a referee's one code, the referrer's reward once the first order is paid
 * and its pending window has passed (never twice, never for a refunded or cancelled order), the
 * fraud holds and their review.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { applyOrderEvent } from "~/services/orders/order-points.server";
import { updateProgram } from "~/services/program/program-settings.server";
import {
  approveReferral,
  claimReferral,
  ensureReferralCode,
  ReferralError,
  rejectReferral,
  saveReferralSettings,
  settleReferrals,
  visitReferralLink,
} from "~/services/referrals/referrals.server";
import { dashboardFigures } from "~/services/dashboard/dashboard.server";
import { runDailyMaintenance } from "~/services/shops/daily-maintenance.server";
import { redactCustomer } from "~/services/privacy/customer-identity.server";
import { deleteShopData } from "~/db/shops.server";
import { addressKey, DEFAULT_REFERRAL_SETTINGS } from "~/loyalty/referrals";
import { referralFigures } from "~/db/referrals.server";
import { adminStandIn, requiredScopes } from "../support/admin-stand-in";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { refundFacts, snapshot } from "../support/order-events";
import { issueCode } from "~/services/rewards/redeem-reward.server";

const ANN = "gid://shopify/Customer/7400000001";
const BOB = "gid://shopify/Customer/7400000002";
const NOW = new Date("2026-06-01T12:00:00Z");
const day = (n: number) => new Date(NOW.getTime() + n * 86_400_000);
let n = 0;

/** A shop with referrals on (14 pending days) and Ann, a member with a link. */
async function shopWithReferrer(settings: Partial<typeof DEFAULT_REFERRAL_SETTINGS> = {}) {
  const shop = `referrals-${n++}.myshopify.com`;
  await adjustPoints(
    prisma,
    shop,
    {
      customerGid: ANN,
      points: 10,
      reason: "Opening",
      staffId: "test",
      idempotencyKey: `referral-seed-${n}`,
    },
    NOW,
  );
  const ann = await prisma.member.update({
    where: { shop_customerGid: { shop, customerGid: ANN } },
    data: { email: "ann.smith@gmail.com", firstName: "Ann" },
  });
  await updateProgram(prisma, shop, { settings: { pendingDays: 14 } }, NOW);
  await saveReferralSettings(prisma, shop, { ...DEFAULT_REFERRAL_SETTINGS, enabled: true, ...settings });
  const link = await ensureReferralCode(prisma, shop, ann.id);
  return { shop, ann, link, shopify: adminStandIn({ shop }) };
}

const STORE_CREDIT_SCOPES = ["read_store_credit_accounts", "write_store_credit_account_transactions"];
/** A 5.00 store credit reward in the shop's catalog. */
const creditReward = (shop: string) => ({
  shop,
  key: "credit-5",
  title: "5.00 credit",
  type: "STORE_CREDIT" as const,
  pointsCost: 500,
  amountMilli: 5_000n,
});

const annBalance = async (shop: string) =>
  (await prisma.member.findUniqueOrThrow({ where: { shop_customerGid: { shop, customerGid: ANN } } }))
    .balance;

async function firstOrder(
  shop: string,
  code: string,
  options: { orderGid?: string; customerGid?: string; paidAt?: Date; merchandise?: bigint } = {},
) {
  const orderGid = options.orderGid ?? `gid://shopify/Order/${7_500_000_000 + n++}`;
  const paid = {
    ...snapshot({
      orderGid,
      customerGid: options.customerGid ?? BOB,
      updatedAt: options.paidAt ?? NOW,
      paidAt: options.paidAt ?? NOW,
      merchandise: options.merchandise ?? 60_000n,
    }),
    discountCodes: [code.toLowerCase()],
  };
  await applyOrderEvent(prisma, shop, { type: "paid", snapshot: paid }, options.paidAt ?? NOW);
  return { orderGid, paid };
}

describe("a referral, from link to reward", () => {
  it("pays the referrer once, after the first order's pending window", async () => {
    const { shop, link, shopify } = await shopWithReferrer();
    expect(link).toMatch(/^[ACDEFGHJKMNPQRTUVWXY34679]{8}$/);
    expect(await visitReferralLink(prisma, shop, link.toLowerCase(), NOW)).toEqual({
      referrerName: "Ann",
      percent: 10,
    });

    const claimed = await claimReferral(
      prisma,
      shopify.admin,
      shop,
      link,
      { email: "Bob@Example.com", customerGid: null },
      NOW,
    );
    expect(claimed).toMatchObject({ percent: 10, created: true });
    // The same referee asking again gets the same code; Shopify is asked once.
    const again = await claimReferral(
      prisma,
      shopify.admin,
      shop,
      link,
      { email: "bob@example.com", customerGid: null },
      NOW,
    );
    expect(again).toMatchObject({ code: claimed.code, created: false });
    const stored = shopify.codes.get(claimed.code)!;
    expect(stored.input).toMatchObject({
      code: claimed.code,
      usageLimit: 1,
      context: { all: "ALL" },
      customerGets: { value: { percentage: 0.1 } },
    });
    expect(shopify.codes.size).toBe(1);

    await firstOrder(shop, claimed.code, { paidAt: day(1) });
    expect((await runDailyMaintenance(prisma, shop, day(2))).referrals).toEqual({
      ordered: 1,
      paid: 0,
      held: 0,
      voided: 0,
    });
    expect(await annBalance(shop)).toBe(10);
    expect((await runDailyMaintenance(prisma, shop, day(15))).referrals.paid).toBe(1);
    expect(await annBalance(shop)).toBe(510);
    expect((await runDailyMaintenance(prisma, shop, day(16))).referrals.paid).toBe(0);
    expect(await annBalance(shop)).toBe(510);

    const referral = await prisma.referral.findFirstOrThrow({ where: { shop } });
    expect(referral).toMatchObject({ status: "PAID", refereeCustomerGid: BOB, rewardPoints: 500 });
    expect(await prisma.ledgerEntry.count({ where: { shop, sourceKey: `referral:${referral.id}` } })).toBe(1);
    expect(await referralFigures(prisma, shop, day(-1))).toEqual({
      visits: 1,
      referees: 1,
      firstOrders: 1,
      rewardsPaid: 1,
      pointsPaid: 500,
      held: 0,
      revenueMilli: 60_000n,
    });
    await expectLedgerConsistent(prisma, shop);
  });

  it("a first order refunded in full, or cancelled, within the window pays nothing", async () => {
    const { shop, link, shopify } = await shopWithReferrer();
    const bob = await claimReferral(
      prisma,
      shopify.admin,
      shop,
      link,
      { email: "bob@example.com", customerGid: null },
      NOW,
    );
    const { orderGid } = await firstOrder(shop, bob.code, { paidAt: day(1) });
    await applyOrderEvent(
      prisma,
      shop,
      { type: "refund", refund: refundFacts(orderGid, "gid://shopify/Refund/91", 60_000n) },
      day(3),
    );

    const cat = await claimReferral(
      prisma,
      shopify.admin,
      shop,
      link,
      { email: "cat@example.com", customerGid: null },
      NOW,
    );
    const cancelled = await firstOrder(shop, cat.code, {
      customerGid: "gid://shopify/Customer/7400000003",
      paidAt: day(1),
    });
    await applyOrderEvent(
      prisma,
      shop,
      { type: "cancelled", snapshot: { ...cancelled.paid, cancelled: true, updatedAt: day(2) } },
      day(2),
    );

    expect((await settleReferrals(prisma, shop, day(20))).voided).toBe(2);
    expect(await annBalance(shop)).toBe(10);
    expect(
      (await prisma.referral.findMany({ where: { shop }, orderBy: { refereeEmail: "asc" } })).map((r) => [
        r.status,
        r.decisionNote,
      ]),
    ).toEqual([
      ["VOID", "refunded"],
      ["VOID", "cancelled"],
    ]);
  });
});

describe("Home's points for actions", () => {
  it("names a referrer's points as the way to earn they came from, counted once", async () => {
    const { shop, link, shopify } = await shopWithReferrer();
    const { code } = await claimReferral(
      prisma,
      shopify.admin,
      shop,
      link,
      { email: "bob@example.com", customerGid: null },
      NOW,
    );
    await firstOrder(shop, code);
    // Entries occur when written (the clock's time); the referral's dates are its own.
    const home = () =>
      dashboardFigures(prisma, shop, {
        period: "30",
        now: new Date(),
        timeZone: "UTC",
        churnDays: 90,
        atRiskDays: 180,
      });
    const bobBalance = async () =>
      (await prisma.member.findUnique({ where: { shop_customerGid: { shop, customerGid: BOB } } }))
        ?.balance ?? 0;
    const before = { home: await home(), bob: await bobBalance() };
    expect((await runDailyMaintenance(prisma, shop, day(15))).referrals.paid).toBe(1);
    const after = await home();
    expect(after.byAction).toEqual([{ action: "referral", points: 500, awards: 1 }]);
    // The card breaks the points issued down: the referral's 500 are in the total once (with
    // Bob's order points, which the same maintenance made available).
    expect(after.program.pointsIssued - before.home.program.pointsIssued).toBe(
      500 + (await bobBalance()) - before.bob,
    );
  });
});

describe("a catalog reward for the referrer", () => {
  /** Ann's shop with the reward chosen, Bob's code claimed and his first order paid on NOW. */
  async function rewardReferral(rewardKey = "5-off") {
    const ctx = await shopWithReferrer({ rewardKey });
    const { code } = await claimReferral(
      prisma,
      ctx.shopify.admin,
      ctx.shop,
      ctx.link,
      { email: "bob@example.com", customerGid: null },
      NOW,
    );
    await firstOrder(ctx.shop, code);
    return ctx;
  }

  it("gives the chosen reward's code, free and once, instead of points", async () => {
    const { shop, shopify } = await rewardReferral();
    expect((await runDailyMaintenance(prisma, shop, day(15))).referrals.paid).toBe(1);
    // The sweep again, and a merchant's approval of a paid referral, give nothing more.
    expect((await runDailyMaintenance(prisma, shop, day(16))).referrals.paid).toBe(0);
    const referral = await prisma.referral.findFirstOrThrow({ where: { shop } });
    await expect(approveReferral(prisma, shop, referral.id, "staff", day(16))).rejects.toMatchObject({
      reason: "not_held",
    });
    expect(referral).toMatchObject({ status: "PAID", rewardKey: "5-off", rewardPoints: 0 });
    const redemptions = await prisma.redemption.findMany({ where: { shop } });
    expect(redemptions).toEqual([
      expect.objectContaining({
        idempotencyKey: `referral-${referral.id}`,
        source: "REFERRAL",
        rewardKey: "5-off",
        customerGid: ANN,
        pointsCost: 0,
        status: "RESERVED",
      }),
    ]);
    // No points: her balance is the opening 10, and no referral entry.
    expect(await annBalance(shop)).toBe(10);
    expect(await prisma.ledgerEntry.count({ where: { shop, sourceKey: `referral:${referral.id}` } })).toBe(0);
    // The code is created in Shopify as any reward's (the code-issue job's step), for Ann alone.
    const issued = await issueCode(prisma, shopify.admin, shop, redemptions[0]!.id, () => day(15));
    expect(issued.status).toBe("ISSUED");
    expect(shopify.codes.get(issued.code)).toBeDefined();
    await expectLedgerConsistent(prisma, shop);
  });

  it("a reward turned off by then pays the points instead; so does a removed one", async () => {
    for (const change of ["disable", "remove"] as const) {
      const { shop } = await rewardReferral("10-off");
      if (change === "disable") {
        await prisma.reward.updateMany({ where: { shop, key: "10-off" }, data: { enabled: false } });
      } else {
        await prisma.reward.updateMany({
          where: { shop, key: "10-off" },
          data: { enabled: false, archivedAt: NOW },
        });
      }
      expect((await runDailyMaintenance(prisma, shop, day(15))).referrals.paid).toBe(1);
      expect(await prisma.redemption.count({ where: { shop } })).toBe(0);
      expect(await prisma.referral.findFirstOrThrow({ where: { shop } })).toMatchObject({
        status: "PAID",
        rewardKey: null,
        rewardPoints: 500,
      });
      expect(await annBalance(shop)).toBe(510);
    }
  });

  it("a held referral approved gets the reward too", async () => {
    const { shop } = await rewardReferral();
    // Held by the monthly cap: one paid already this month.
    await prisma.program.update({ where: { shop }, data: { referralMonthlyCap: 1 } });
    const other = await prisma.referral.findFirstOrThrow({ where: { shop } });
    await prisma.referral.create({
      data: {
        shop,
        referrerId: other.referrerId,
        refereeEmail: "earlier@example.com",
        code: "EARLIER-CODE",
        status: "PAID",
        paidAt: day(14),
      },
    });
    expect((await runDailyMaintenance(prisma, shop, day(15))).referrals.held).toBe(1);
    await approveReferral(prisma, shop, other.id, "staff", day(16));
    expect(await prisma.redemption.count({ where: { shop, idempotencyKey: `referral-${other.id}` } })).toBe(
      1,
    );
    expect(await annBalance(shop)).toBe(10);
  });

  it("a store credit reward is credited to the referrer's account, once, with no code", async () => {
    const { shop, link } = await shopWithReferrer();
    const scopes = [...requiredScopes(), ...STORE_CREDIT_SCOPES];
    await prisma.shop.upsert({
      where: { domain: shop },
      create: { domain: shop, installedAt: NOW, scopes: scopes.join(","), currencyCode: "EUR" },
      update: { scopes: scopes.join(","), currencyCode: "EUR" },
    });
    await prisma.reward.create({ data: creditReward(shop) });
    await saveReferralSettings(prisma, shop, {
      ...DEFAULT_REFERRAL_SETTINGS,
      enabled: true,
      rewardKey: "credit-5",
    });
    const { code } = await claimReferral(
      prisma,
      adminStandIn({ shop }).admin,
      shop,
      link,
      { email: "bob@example.com", customerGid: null },
      NOW,
    );
    await firstOrder(shop, code);
    expect((await runDailyMaintenance(prisma, shop, day(15))).referrals.paid).toBe(1);
    expect((await runDailyMaintenance(prisma, shop, day(16))).referrals.paid).toBe(0);
    const redemption = await prisma.redemption.findFirstOrThrow({ where: { shop, source: "REFERRAL" } });
    const shopify = adminStandIn({ shop, grantedScopes: scopes, now: () => day(15) });
    const credited = await issueCode(prisma, shopify.admin, shop, redemption.id, () => day(15));
    expect(credited).toMatchObject({ status: "CREDITED", creditCurrency: "EUR", pointsCost: 0 });
    expect(shopify.calls.map((call) => call.operation)).toEqual(["CreditStoreCredit"]);
    expect(shopify.codes.size).toBe(0);
    expect(await annBalance(shop)).toBe(10);
    await expectLedgerConsistent(prisma, shop);
  });

  it("a store credit reward without the store credit scopes by then pays the points instead", async () => {
    const { shop, link } = await shopWithReferrer();
    await prisma.reward.create({ data: creditReward(shop) });
    await saveReferralSettings(prisma, shop, {
      ...DEFAULT_REFERRAL_SETTINGS,
      enabled: true,
      rewardKey: "credit-5",
    });
    const { code } = await claimReferral(
      prisma,
      adminStandIn({ shop }).admin,
      shop,
      link,
      { email: "bob@example.com", customerGid: null },
      NOW,
    );
    await firstOrder(shop, code);
    expect((await runDailyMaintenance(prisma, shop, day(15))).referrals.paid).toBe(1);
    expect(await prisma.redemption.count({ where: { shop } })).toBe(0);
    expect(await annBalance(shop)).toBe(510);
  });

  it("the settings refuse a reward not in the catalog, turned off, or of a chosen amount, and save nothing", async () => {
    const { shop } = await shopWithReferrer();
    await prisma.reward.updateMany({ where: { shop, key: "25-off" }, data: { enabled: false } });
    await prisma.reward.create({
      data: { ...creditReward(shop), pointsCost: 100, anyAmountMinPoints: 500, anyAmountMaxPoints: 5000 },
    });
    for (const [rewardKey, error] of [
      ["nope", { code: "notInCatalog" }],
      ["25-off", { code: "notInCatalog" }],
      ["credit-5", { code: "chosenAmount" }],
      ["Not A Key", { code: "key" }],
    ] as const) {
      const refused = await saveReferralSettings(prisma, shop, {
        ...DEFAULT_REFERRAL_SETTINGS,
        enabled: true,
        rewardKey,
      }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ReferralError);
      expect((refused as ReferralError).fieldErrors).toEqual({ rewardKey: error });
    }
    expect((await prisma.program.findUniqueOrThrow({ where: { shop } })).referralRewardKey).toBeNull();
  });
});

describe("refusals change nothing", () => {
  it("own link, a bad email, an unknown link, referrals off", async () => {
    const { shop, link, shopify } = await shopWithReferrer();
    const claim = (email: string | null, customerGid: string | null, code = link) =>
      claimReferral(prisma, shopify.admin, shop, code, { email, customerGid }, NOW);
    await expect(claim("annsmith+friend@googlemail.com", null)).rejects.toMatchObject({ reason: "own_link" });
    await expect(claim(null, ANN)).rejects.toMatchObject({ reason: "own_link" });
    await expect(claim("not an email", null)).rejects.toMatchObject({ reason: "invalid_email" });
    await expect(claim("bob@example.com", null, "ZZZZZZZZ")).rejects.toMatchObject({
      reason: "unknown_link",
    });
    await saveReferralSettings(prisma, shop, { ...DEFAULT_REFERRAL_SETTINGS, enabled: false });
    await expect(claim("bob@example.com", null)).rejects.toBeInstanceOf(ReferralError);
    await expect(visitReferralLink(prisma, shop, link, NOW)).rejects.toMatchObject({
      reason: "referrals_off",
    });
    expect(await prisma.referral.count({ where: { shop } })).toBe(0);
    expect(await prisma.referralVisit.count({ where: { shop } })).toBe(0);
    expect(shopify.codes.size).toBe(0);
    await expect(
      saveReferralSettings(prisma, shop, { ...DEFAULT_REFERRAL_SETTINGS, refereePercent: 0 }),
    ).rejects.toMatchObject({ reason: "invalid_settings" });
  });
});

describe("Shopify refusing the friend's code", () => {
  it("says so, keeps the referral with the reason, and a later claim creates the same code", async () => {
    const { shop, link } = await shopWithReferrer();
    const refusing = adminStandIn({ shop, rejectCustomers: [BOB] });
    await expect(
      claimReferral(prisma, refusing.admin, shop, link, { email: "bob@example.com", customerGid: BOB }, NOW),
    ).rejects.toMatchObject({ reason: "code_not_created" });
    const kept = await prisma.referral.findFirstOrThrow({ where: { shop } });
    expect(kept.discountGid).toBeNull();
    expect(kept.codeError).toContain("Customer does not exist");
    expect(refusing.codes.size).toBe(0);

    const accepting = adminStandIn({ shop });
    const claimed = await claimReferral(
      prisma,
      accepting.admin,
      shop,
      link,
      { email: "bob@example.com", customerGid: BOB },
      NOW,
    );
    expect(claimed.code).toBe(kept.code);
    expect(await prisma.referral.findFirstOrThrow({ where: { shop } })).toMatchObject({
      codeError: null,
      discountGid: accepting.codes.get(kept.code)!.id,
    });
  });
});

describe("privacy", () => {
  it("the reward names no friend; redacting the friend, then the member, leaves no referral of theirs", async () => {
    const { shop, link, shopify } = await shopWithReferrer();
    await visitReferralLink(prisma, shop, link, NOW);
    const bob = await claimReferral(
      prisma,
      shopify.admin,
      shop,
      link,
      { email: "Bob.Smith+x@gmail.com", customerGid: null },
      NOW,
    );
    await firstOrder(shop, bob.code, { paidAt: day(1) });
    await settleReferrals(prisma, shop, day(15));
    const entry = await prisma.ledgerEntry.findFirstOrThrow({
      where: { shop, sourceKey: { startsWith: "referral:" } },
    });
    expect(entry.note).not.toMatch(/bob/i);
    await claimReferral(
      prisma,
      shopify.admin,
      shop,
      link,
      { email: "cat@example.com", customerGid: null },
      NOW,
    );

    // Bob, known to Regulars by the customer his first order named.
    await redactCustomer(prisma, shop, BOB);
    expect((await prisma.referral.findMany({ where: { shop } })).map((r) => r.refereeEmail)).toEqual([
      "cat@example.com",
    ]);
    await redactCustomer(prisma, shop, ANN);
    expect(await prisma.referral.count({ where: { shop } })).toBe(0);
    expect(await prisma.referralVisit.count({ where: { shop } })).toBe(0);
  });

  it("shop/redact removes every referral and visit of the shop", async () => {
    const { shop, link, shopify } = await shopWithReferrer();
    await visitReferralLink(prisma, shop, link, NOW);
    await claimReferral(
      prisma,
      shopify.admin,
      shop,
      link,
      { email: "dan@example.com", customerGid: null },
      NOW,
    );
    await deleteShopData(prisma, shop);
    expect(await prisma.referral.count({ where: { shop } })).toBe(0);
    expect(await prisma.referralVisit.count({ where: { shop } })).toBe(0);
  });
});

describe("fraud holds and the review queue", () => {
  it("a referee who ordered before is held; approving pays once, rejecting records why", async () => {
    const { shop, link, shopify } = await shopWithReferrer();
    // Bob bought before he was referred.
    await firstOrder(shop, "NOT-A-REFERRAL", { paidAt: day(-30) });
    const bob = await claimReferral(
      prisma,
      shopify.admin,
      shop,
      link,
      { email: "bob@example.com", customerGid: BOB },
      NOW,
    );
    expect(shopify.codes.get(bob.code)!.input).toMatchObject({ context: { customers: { add: [BOB] } } });
    await firstOrder(shop, bob.code, { paidAt: day(1) });
    expect((await settleReferrals(prisma, shop, day(15))).held).toBe(1);
    const held = await prisma.referral.findFirstOrThrow({ where: { shop } });
    expect(held).toMatchObject({ status: "HELD", holdReasons: ["not_new"] });
    expect(await annBalance(shop)).toBe(10);

    await expect(rejectReferral(prisma, shop, held.id, "staff-1", "  ", day(16))).rejects.toMatchObject({
      reason: "reason_required",
    });
    await approveReferral(prisma, shop, held.id, "staff-1", day(16));
    await expect(approveReferral(prisma, shop, held.id, "staff-1", day(16))).rejects.toMatchObject({
      reason: "not_held",
    });
    expect(await annBalance(shop)).toBe(510);
    expect(await prisma.referral.findFirstOrThrow({ where: { shop } })).toMatchObject({
      status: "PAID",
      decidedBy: "staff-1",
    });
    await expectLedgerConsistent(prisma, shop);
  });

  it("a first order shipping to an address the referrer's orders used is held; another address pays", async () => {
    const { shop, link, shopify } = await shopWithReferrer();
    const home = addressKey({ address1: "12 Rue de la Paix", zip: "75002", countryCode: "FR" });
    const ship = (orderGid: string, customerGid: string, key: string | null, paidAt: Date, code?: string) =>
      applyOrderEvent(
        prisma,
        shop,
        {
          type: "paid",
          snapshot: {
            ...snapshot({ orderGid, customerGid, updatedAt: paidAt, paidAt, merchandise: 60_000n }),
            discountCodes: code ? [code] : [],
            shippingAddressKey: key,
          },
        },
        paidAt,
      );
    // Ann's own order shipped home; what is kept is a keyed hash, not the address.
    await ship("gid://shopify/Order/7600000001", ANN, home, day(-20));
    const annOrder = await prisma.orderRecord.findFirstOrThrow({ where: { shop, customerGid: ANN } });
    expect(annOrder.shippingAddressHash).toMatch(/^[\w-]{43}$/);
    expect(annOrder.shippingAddressHash).not.toContain("paix");

    const bob = await claimReferral(
      prisma,
      shopify.admin,
      shop,
      link,
      { email: "bob@example.com", customerGid: BOB },
      NOW,
    );
    // Bob's first order ships to Ann's address, written differently.
    const sameHome = addressKey({ address1: "12, rue de la paix", zip: "75 002", countryCode: "fr" });
    await ship("gid://shopify/Order/7600000002", BOB, sameHome, day(1), bob.code);
    expect((await settleReferrals(prisma, shop, day(15))).held).toBe(1);
    expect(await prisma.referral.findFirstOrThrow({ where: { shop } })).toMatchObject({
      status: "HELD",
      holdReasons: ["same_address"],
    });
    expect(await annBalance(shop)).toBe(10);

    // Cat's ships elsewhere: paid.
    const CAT = "gid://shopify/Customer/7400000003";
    const cat = await claimReferral(
      prisma,
      shopify.admin,
      shop,
      link,
      { email: "cat@example.com", customerGid: CAT },
      NOW,
    );
    const elsewhere = addressKey({ address1: "3 Quai Voltaire", zip: "75007", countryCode: "FR" });
    await ship("gid://shopify/Order/7600000003", CAT, elsewhere, day(1), cat.code);
    expect((await settleReferrals(prisma, shop, day(15))).paid).toBe(1);
    expect(await annBalance(shop)).toBe(510);

    // Redacting a customer clears where their orders shipped.
    await redactCustomer(prisma, shop, ANN);
    expect(
      await prisma.orderRecord.count({
        where: { shop, orderGid: "gid://shopify/Order/7600000001", shippingAddressHash: { not: null } },
      }),
    ).toBe(0);
    await redactCustomer(prisma, shop, BOB);
    expect(await prisma.orderRecord.count({ where: { shop, customerGid: BOB } })).toBe(0);
    expect(
      await prisma.orderRecord.count({
        where: { shop, orderGid: "gid://shopify/Order/7600000002", shippingAddressHash: { not: null } },
      }),
    ).toBe(0);
  });

  it("with the address check off, the same address is not held", async () => {
    const { shop, link, shopify } = await shopWithReferrer({ checkAddress: false });
    const home = addressKey({ address1: "12 Rue de la Paix", zip: "75002", countryCode: "FR" });
    for (const [orderGid, customerGid, code, paidAt] of [
      ["gid://shopify/Order/7600000011", ANN, undefined, day(-20)],
      ["gid://shopify/Order/7600000012", BOB, "pending", day(1)],
    ] as const) {
      const discount =
        code === "pending"
          ? (
              await claimReferral(
                prisma,
                shopify.admin,
                shop,
                link,
                { email: "bob@example.com", customerGid: BOB },
                NOW,
              )
            ).code
          : undefined;
      await applyOrderEvent(
        prisma,
        shop,
        {
          type: "paid",
          snapshot: {
            ...snapshot({ orderGid, customerGid, updatedAt: paidAt, paidAt, merchandise: 60_000n }),
            discountCodes: discount ? [discount] : [],
            shippingAddressKey: home,
          },
        },
        paidAt,
      );
    }
    expect((await settleReferrals(prisma, shop, day(15))).paid).toBe(1);
    expect(await annBalance(shop)).toBe(510);
  });

  it("past the monthly cap the next referral is held, and a rejection pays nothing", async () => {
    const { shop, link, shopify } = await shopWithReferrer({ monthlyCap: 1 });
    for (const [i, email] of ["bob@example.com", "cat@example.com"].entries()) {
      const claimed = await claimReferral(
        prisma,
        shopify.admin,
        shop,
        link,
        { email, customerGid: null },
        NOW,
      );
      await firstOrder(shop, claimed.code, {
        customerGid: `gid://shopify/Customer/74000001${i}`,
        paidAt: day(1),
      });
    }
    expect(await settleReferrals(prisma, shop, day(15))).toEqual({ ordered: 2, paid: 1, held: 1, voided: 0 });
    const held = await prisma.referral.findFirstOrThrow({ where: { shop, status: "HELD" } });
    expect(held.holdReasons).toEqual(["monthly_cap"]);
    await rejectReferral(prisma, shop, held.id, "staff-1", "Same household", day(16));
    expect(await prisma.referral.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({
      status: "REJECTED",
      decisionNote: "Same household",
    });
    expect(await annBalance(shop)).toBe(510);
  });

  it("another shop's referral cannot be reviewed", async () => {
    const a = await shopWithReferrer({ monthlyCap: 0, checkNew: true });
    const b = await shopWithReferrer();
    await firstOrder(a.shop, "EARLIER", { paidAt: day(-3) });
    const claimed = await claimReferral(
      prisma,
      a.shopify.admin,
      a.shop,
      a.link,
      { email: "bob@example.com", customerGid: BOB },
      NOW,
    );
    await firstOrder(a.shop, claimed.code, { paidAt: day(1) });
    await settleReferrals(prisma, a.shop, day(15));
    const held = await prisma.referral.findFirstOrThrow({ where: { shop: a.shop } });
    await expect(approveReferral(prisma, b.shop, held.id, "staff-1", day(16))).rejects.toMatchObject({
      reason: "not_found",
    });
    expect(await annBalance(a.shop)).toBe(10);
  });
});
