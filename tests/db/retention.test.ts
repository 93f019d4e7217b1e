/**
 * The dashboard's measures on a small history whose answers can be worked
 * out by hand (see the comments), members against non-members; read from
 * the orders, ledger and members, then from the rollups built over them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { parseMilli } from "~/loyalty/money";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { redeemReward } from "~/services/rewards/redeem-reward.server";
import { builtRollups } from "~/db/rollup-state.server";
import { catchUpRollups } from "~/services/dashboard/dashboard-rollups.server";
import { programMeasures, retentionMeasures } from "~/services/dashboard/retention.server";
import { adminStandIn } from "../support/admin-stand-in";

const SHOP = "retention.myshopify.com";
const OTHER = "retention-other.myshopify.com";
const NOW = new Date("2026-06-01T00:00:00Z");
const gid = (name: string) => `gid://shopify/Customer/${name.charCodeAt(0)}`;
let n = 0;

async function order(shop: string, customer: string, paidAt: string, total: string, extra: object = {}) {
  return prisma.orderRecord.create({
    data: {
      shop,
      orderGid: `gid://shopify/Order/${++n}`,
      customerGid: gid(customer),
      paidAt: new Date(paidAt),
      merchandiseMilli: parseMilli(total),
      ...extra,
    },
  });
}

beforeAll(async () => {
  // A and B have accounts; C has none but redeemed (a member); D (account disabled) and E are not members.
  for (const [name, state] of [
    ["A", "enabled"],
    ["B", "ENABLED"],
    ["D", "disabled"],
  ] as const) {
    await prisma.member.create({ data: { shop: SHOP, customerGid: gid(name), accountState: state } });
  }
  await order(SHOP, "A", "2026-05-20", "100.00");
  await order(SHOP, "A", "2026-01-10", "50.00");
  const b = await order(SHOP, "B", "2025-10-01", "80.00");
  await prisma.orderRefund.create({
    data: {
      shop: SHOP,
      refundGid: "gid://shopify/Refund/1",
      orderId: b.id,
      merchandiseMilli: parseMilli("30.00"),
      refundedAt: new Date("2025-10-05"),
    },
  });
  await order(SHOP, "C", "2026-04-01", "40.00");
  const used = await order(SHOP, "C", "2026-04-15", "60.00");
  await order(SHOP, "D", "2025-03-01", "200.00");
  await order(SHOP, "E", "2026-05-30", "30.00");
  await order(SHOP, "E", "2026-05-31", "999.00", { cancelledAt: new Date("2026-05-31") });
  await order(SHOP, "E", "2026-05-31", "999.00", { test: true });
  // Another shop's customers never count.
  await order(OTHER, "A", "2026-05-01", "5000.00");

  const adjust = (name: string, points: number, key: string) =>
    adjustPoints(
      prisma,
      SHOP,
      { customerGid: gid(name), points, reason: "Seed", staffId: "s", idempotencyKey: key },
      new Date("2026-05-25"),
    );
  await adjust("A", 1000, "retention-a-1");
  await adjust("C", 500, "retention-c-1");
  const redemption = await redeemReward(
    prisma,
    adminStandIn().admin,
    SHOP,
    { customerGid: gid("C"), rewardKey: "5-off", idempotencyKey: "retention-c-redeem" },
    new Date("2026-05-26"),
  );
  await prisma.redemption.update({
    where: { id: redemption.id },
    data: { status: "USED", usedOrderGid: used.orderGid, usedAt: new Date() },
  });
});

describe.each(["sources", "rollups"] as const)(
  "retention, members against non-members (from %s)",
  (source) => {
    beforeAll(async () => {
      // The same answers once the shop's rollups are built (app/services/dashboard/dashboard-rollups.server.ts).
      if (source === "rollups") await catchUpRollups(prisma, SHOP, NOW);
      expect((await builtRollups(prisma, SHOP)).customers).toBe(source === "rollups");
    });

    it("repeat rate, lifetime value, frequency, churn and at-risk follow their definitions", async () => {
      const measures = await retentionMeasures(prisma, SHOP, { now: NOW, churnDays: 90, atRiskDays: 180 });
      // Members A (2 orders, 150.00), B (1 order, 80.00 - 30.00 refunded), C (2 orders, 100.00).
      // Churn: all three bought in the last year; B's last order is older than 90 days.
      expect(measures.members).toEqual({
        customers: 3,
        repeatPurchaseRate: 2 / 3,
        averageLifetimeValue: "100.00",
        purchaseFrequency: 5 / 3,
        churnRate: 1 / 3,
        atRisk: 1,
      });
      // Non-members D (200.00, 15 months ago) and E (30.00; its cancelled and test orders do not count).
      expect(measures.nonMembers).toEqual({
        customers: 2,
        repeatPurchaseRate: 0,
        averageLifetimeValue: "115.00",
        purchaseFrequency: 1,
        churnRate: 0,
        atRisk: 1,
      });
    });

    it("points issued, redeemed and unspent (valued at the best fixed reward), and revenue from codes", async () => {
      // The ledger's period is when entries were recorded: this test's run.
      const measures = await programMeasures(prisma, SHOP, {
        from: new Date(Date.now() - 3_600_000),
        to: new Date(Date.now() + 60_000),
      });
      expect(measures).toMatchObject({
        pointsIssued: 1500,
        pointsRedeemed: 500,
        pointsExpired: 0,
        redemptionRate: 1 / 3,
        liability: "10.00", // 1,000 unspent points at 5.00 per 500
        codeOrders: 1,
        codeRevenue: "60.00",
      });
      // Tiers hold every member row, points and all: A, B and D recorded as customers, C by the
      // adjustment; E never became one. (The Members card is the retention table's members.)
      expect(measures.tiers.reduce((sum, tier) => sum + tier.members, 0)).toBe(4);
    });
  },
);

describe("revenue from codes", () => {
  it("revenue from orders with reward codes is net of their refunds, like every revenue figure", async () => {
    const shop = "retention-refund.myshopify.com";
    const paid = await order(shop, "F", "2026-05-01", "80.00");
    await prisma.orderRefund.create({
      data: {
        shop,
        refundGid: "gid://shopify/Refund/9",
        orderId: paid.id,
        merchandiseMilli: parseMilli("25.00"),
        refundedAt: new Date(),
      },
    });
    await prisma.member.create({ data: { shop, customerGid: gid("F") } });
    const member = await prisma.member.findFirstOrThrow({ where: { shop } });
    await prisma.redemption.create({
      data: {
        shop,
        memberId: member.id,
        customerGid: gid("F"),
        rewardKey: "5-off",
        idempotencyKey: "refund-code-1",
        code: "RETENT-AAAA-BBBB",
        pointsCost: 500,
        status: "USED",
        usedOrderGid: paid.orderGid,
        usedAt: new Date(),
        startsAt: new Date(),
        endsAt: new Date(Date.now() + 86_400_000),
        reward: {},
      },
    });
    const measures = await programMeasures(prisma, shop, {
      from: new Date(Date.now() - 3_600_000),
      to: new Date(Date.now() + 60_000),
    });
    expect(measures).toMatchObject({ codeOrders: 1, codeRevenue: "55.00" });
  });
});
