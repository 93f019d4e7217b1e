/**
 * A ledger entry is dated when what it records happened: a backfilled order's
 * award on the order's paid (processed) date, not the day of the backfill,
 * whichever path credits it; the customer's history shows that date, and the
 * dashboard's chart and totals count the points in that order's day, from the
 * ledger and from the rollups alike. An orders/paid award is dated when
 * recorded.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { transactionWithSql } from "~/db/sql-in-transaction.server";
import { parseMilli } from "~/loyalty/money";
import { builtRollups } from "~/db/rollup-state.server";
import { catchUpRollups } from "~/services/dashboard/dashboard-rollups.server";
import { programMeasures, pointsOverTime } from "~/services/dashboard/retention.server";
import { memberPage } from "~/services/members/member-pages.server";
import { applyPaidOrders } from "~/services/orders/order-points-batch.server";
import { applyOrderEvent } from "~/services/orders/order-points.server";
import { snapshot } from "../support/order-events";

const DAY = 86_400_000;
const NOW = new Date();
/** Paid 40 days ago at noon UTC: inside the 13-week chart, weeks before the backfill. */
const PAID = new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate() - 40, 12));

const order = (n: number, customer: number) => ({
  ...snapshot({
    orderGid: `gid://shopify/Order/${n}`,
    customerGid: `gid://shopify/Customer/${customer}`,
    updatedAt: PAID,
    merchandise: parseMilli("20.00"), // 100 points at the default rate
  }),
  paidAt: PAID,
});

async function entryOf(shop: string, orderGid: string) {
  return prisma.ledgerEntry.findFirstOrThrow({ where: { shop, orderGid, kind: "EARN" } });
}

describe("ledger entries dated when they happened", () => {
  it("a backfilled order's award carries the order's paid date, by the batch and the one-by-one path", async () => {
    const shop = "entry-dates-paths.myshopify.com";
    await transactionWithSql(prisma, (tx, sql) => applyPaidOrders(tx, sql, shop, [order(1, 1)], NOW));
    await applyOrderEvent(prisma, shop, { type: "backfill", snapshot: order(2, 2) }, NOW);
    for (const gid of ["gid://shopify/Order/1", "gid://shopify/Order/2"]) {
      const entry = await entryOf(shop, gid);
      expect(entry.points).toBe(100);
      expect(entry.occurredAt.toISOString()).toBe(PAID.toISOString());
      expect(entry.createdAt.getTime()).toBeGreaterThan(PAID.getTime() + DAY);
    }
    // The customer's history shows the order's date.
    const member = await prisma.member.findFirstOrThrow({
      where: { shop, customerGid: "gid://shopify/Customer/1" },
    });
    const page = await memberPage(prisma, shop, member.id, NOW);
    expect(page!.entries.map((e) => e.occurredAt)).toEqual([PAID.toISOString()]);
  });

  it("an order paid in the future of the backfill's clock is dated no later than now", async () => {
    const shop = "entry-dates-future.myshopify.com";
    const later = { ...order(3, 3), paidAt: new Date(NOW.getTime() + DAY) };
    await transactionWithSql(prisma, (tx, sql) => applyPaidOrders(tx, sql, shop, [later], NOW));
    expect((await entryOf(shop, "gid://shopify/Order/3")).occurredAt.toISOString()).toBe(NOW.toISOString());
  });

  it("an orders/paid award is dated when it is recorded", async () => {
    const shop = "entry-dates-webhook.myshopify.com";
    await applyOrderEvent(prisma, shop, { type: "paid", snapshot: order(4, 4) }, NOW);
    const entry = await entryOf(shop, "gid://shopify/Order/4");
    expect(entry.occurredAt.getTime()).toBe(entry.createdAt.getTime());
  });

  it("the dashboard's chart and totals count a backfilled order in its own week, from the ledger and the rollups", async () => {
    const shop = "entry-dates-chart.myshopify.com";
    await transactionWithSql(prisma, (tx, sql) => applyPaidOrders(tx, sql, shop, [order(5, 5)], NOW));
    const view = async (sources: boolean) => {
      const chart = await pointsOverTime(prisma, shop, { period: "90", now: NOW, timeZone: "UTC", sources });
      const totals = await programMeasures(prisma, shop, { from: chart.from, to: NOW, sources });
      return { buckets: chart.buckets.filter((b) => b.issued !== 0), issued: totals.pointsIssued };
    };
    const fromLedger = await view(true);
    // One week holds the points: the week of the order, not this week (the backfill's).
    expect(fromLedger.buckets).toHaveLength(1);
    const week = new Date(`${fromLedger.buckets[0]!.start}T00:00:00Z`).getTime();
    expect(PAID.getTime()).toBeGreaterThanOrEqual(week);
    expect(PAID.getTime()).toBeLessThan(week + 7 * DAY);
    expect(fromLedger).toMatchObject({ issued: 100 });
    // Last 30 days, by day: the order is older, so nothing.
    const month = await pointsOverTime(prisma, shop, {
      period: "30",
      now: NOW,
      timeZone: "UTC",
      sources: true,
    });
    expect(month.buckets.every((b) => b.issued === 0)).toBe(true);

    await catchUpRollups(prisma, shop, NOW);
    expect((await builtRollups(prisma, shop)).ledger).toBe(true);
    expect(await view(false)).toEqual(fromLedger);
  });
});
