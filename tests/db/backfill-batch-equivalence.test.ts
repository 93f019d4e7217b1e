/**
 * Property: the backfill's set-based batches (applyPaidOrders) end where the
 * per-order engine ends when it takes the same orders one by one as
 * orders/paid: same members (balance, pending, tier, order figures), same
 * order records, same ledger. Random programs (rate, pending period, what
 * counts as eligible, tier basis, window and grace, paused) and random
 * histories (several customers crossing tiers, guests, test orders, gift
 * cards, refunds of lines, of shipping and of amounts, cancellations,
 * shipping and its tax, prices with tax, tips) cut into random batches.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { formatMilli, parseMilli } from "~/loyalty/money";
import { transactionWithSql } from "~/db/sql-in-transaction.server";
import { applyPaidOrders } from "~/services/orders/order-points-batch.server";
import { applyOrderEvent } from "~/services/orders/order-points.server";
import {
  bulkOrderSnapshot,
  parseBulkLine,
  wasPaid,
  type LineItemLine,
  type OrderLine,
} from "~/shopify/payloads/bulk-order-lines";
import type { OrderSnapshot } from "~/shopify/payloads/order-payload";
import { orderLines, type BulkOrderSpec } from "../support/bulk-jsonl";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { pointsState } from "../support/points-state";
import { bonusEventsArb, programShop as programShopWith } from "../support/program-shop";

const NOW = new Date("2026-03-01T12:00:00Z");
const DAY = 86_400_000;

const money = (max: number) => fc.integer({ min: 0, max }).map((cents) => (cents / 100).toFixed(2));
const sum = (a: string, b: string) => formatMilli(parseMilli(a) + parseMilli(b), 3);

const programArb = fc.record({
  active: fc.integer({ min: 0, max: 9 }).map((i) => i !== 0),
  earnRateE4: fc.constantFrom(10_000, 50_000, 12_345),
  pendingDays: fc.constantFrom(0, 0, 14),
  includeShipping: fc.boolean(),
  includeTax: fc.boolean(),
  includeTips: fc.boolean(),
  includeGiftCards: fc.boolean(),
  tierBasis: fc.constantFrom("SPEND" as const, "POINTS" as const, "ORDERS" as const),
  tierWindow: fc.constantFrom("ROLLING_12_MONTHS" as const, "CALENDAR_YEAR" as const, "LIFETIME" as const),
  tierGrace: fc.boolean(),
  earnOnPos: fc.boolean(),
  // Bonus events over some of the orders' days (decision 0022).
  bonusEvents: bonusEventsArb(NOW),
});

const orderArb = fc.record({
  customer: fc.option(fc.integer({ min: 1, max: 3 }), { freq: 6 }),
  subtotal: money(60_000),
  tax: money(5_000),
  shipping: fc.constantFrom("0.00", "4.95", "12.00"),
  shippingTax: fc.constantFrom("0.00", "0.00", "0.79"),
  shippingRefunded: fc.integer({ min: 0, max: 2 }).map((i) => i === 0),
  refundedByAmount: fc.constantFrom("0.00", "0.00", "10.00", "-2.50", "1000.00"),
  tips: fc.constantFrom("0.00", "0.00", "2.50"),
  giftCard: fc.option(fc.constantFrom("10.00", "25.00"), { nil: undefined }),
  test: fc.integer({ min: 0, max: 9 }).map((i) => i === 0),
  cancelled: fc.integer({ min: 0, max: 3 }).map((i) => i === 0),
  status: fc.constantFrom("PAID", "PAID", "PAID", "PARTIALLY_REFUNDED", "REFUNDED"),
  taxesIncluded: fc.boolean(),
  daysAgo: fc.integer({ min: 0, max: 800 }),
  // Taken on Shopify POS, online, or a line that does not say (an older stage).
  sourceName: fc.constantFrom("web", "pos", undefined),
});

/** Tier thresholds that members reach under each basis. */
const TIERS = {
  SPEND: [250_000n, 1_000_000n],
  POINTS: [1_500n, 5_000n],
  ORDERS: [2n, 4n],
};

type ProgramSettings = typeof programArb extends fc.Arbitrary<infer T> ? T : never;

const programShop = (settings: ProgramSettings) =>
  programShopWith("equivalence", settings, TIERS[settings.tierBasis] as [bigint, bigint]);

/** The paid orders of a history, as a backfill reads them from the bulk file. */
function snapshotsOf(specs: BulkOrderSpec[]): OrderSnapshot[] {
  const snapshots: OrderSnapshot[] = [];
  let order: OrderLine | null = null;
  let items: LineItemLine[] = [];
  const close = () => {
    if (order && wasPaid(order)) snapshots.push(bulkOrderSnapshot(order, items));
  };
  for (const line of specs.flatMap(orderLines)) {
    const parsed = parseBulkLine(JSON.parse(line));
    if (parsed.kind === "lineItem") {
      items.push(parsed.item);
      continue;
    }
    close();
    order = parsed.order;
    items = [];
  }
  close();
  return snapshots;
}

describe("backfill batches and the per-order engine", () => {
  it("end with the same members, orders and ledger for random programs, histories and batch sizes", async () => {
    await fc.assert(
      fc.asyncProperty(
        programArb,
        fc.array(orderArb, { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 8 }),
        async (program, orders, cuts) => {
          // GIVEN two shops with the same program, and a history sorted as the bulk query sorts it
          const batched = await programShop(program);
          const oneByOne = await programShop(program);
          const specs = orders
            .map(({ shippingRefunded, ...o }, i): BulkOrderSpec => ({
              ...o,
              // the order's current tax covers the shipping's until the shipping is refunded
              tax: shippingRefunded ? o.tax : sum(o.tax, o.shippingTax),
              refundedShipping: shippingRefunded ? o.shipping : "0.00",
              id: 1000 + i,
              processedAt: new Date(NOW.getTime() - o.daysAgo * DAY - i * 60_000),
              refunds: o.status === "PAID" ? [] : [50_000 + i],
            }))
            .sort((a, b) => a.processedAt.getTime() - b.processedAt.getTime());
          const snapshots = snapshotsOf(specs);
          // WHEN one shop takes them in batches of random sizes, the other through the engine one by one
          let at = 0;
          for (let i = 0; at < snapshots.length; i++) {
            const size = cuts[i % cuts.length]!;
            const batch = snapshots.slice(at, at + size);
            at += size;
            await transactionWithSql(prisma, (tx, sql) => applyPaidOrders(tx, sql, batched, batch, NOW));
          }
          for (const snapshot of snapshots) {
            await applyOrderEvent(prisma, oneByOne, { type: "paid", snapshot }, NOW);
          }
          // THEN both shops hold the same state, and the ledger agrees with the balances
          const state = async (shop: string) => ({
            ...(await pointsState(shop)),
            tierEvents: await prisma.flowEvent.count({ where: { shop, dedupeKey: { startsWith: "tier:" } } }),
          });
          expect(await state(batched)).toEqual(await state(oneByOne));
          await expectLedgerConsistent(prisma, batched);
        },
      ),
      { numRuns: 15 },
    );
  }, 180_000);
});
