/**
 * Property: any arrival order of paid / refund / cancel / edit deliveries,
 * with duplicates, ends with the balance the model predicts, no doubled
 * entry, and no order reversed below zero.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { ensureProgram, replaceTiers } from "~/db/program.server";
import { pointsFor } from "~/loyalty/rates";
import { applyOrderEvent, type OrderEvent } from "~/services/orders/order-points.server";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { refundFacts, snapshot } from "../support/order-events";

const CUSTOMER = "gid://shopify/Customer/42";
const t = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes));

const orderArb = fc.record({
  gross: fc.integer({ min: 0, max: 500_000 }).map(BigInt),
  edit: fc.option(fc.integer({ min: 0, max: 600_000 }).map(BigInt), { nil: null }),
  refunds: fc.array(fc.integer({ min: 1, max: 300_000 }).map(BigInt), { maxLength: 3 }),
  cancelled: fc.boolean(),
});
type OrderSpec = fc.Arbitrary<typeof orderArb extends fc.Arbitrary<infer T> ? T : never>;

function eventsFor(
  orderIndex: number,
  spec: OrderSpec extends fc.Arbitrary<infer T> ? T : never,
): OrderEvent[] {
  const orderGid = `gid://shopify/Order/${9_007_199_254_740_993n + BigInt(orderIndex)}`;
  const refunds = spec.refunds.map((amount, i) =>
    refundFacts(orderGid, `gid://shopify/Refund/${orderIndex}${i}`, amount),
  );
  const base = { orderGid, customerGid: CUSTOMER };
  const latestGross = spec.edit ?? spec.gross;
  const events: OrderEvent[] = [
    { type: "paid", snapshot: snapshot({ ...base, updatedAt: t(1), merchandise: spec.gross }) },
    ...refunds.map((refund): OrderEvent => ({ type: "refund", refund })),
  ];
  if (spec.edit !== null) {
    events.push({
      type: "updated",
      snapshot: snapshot({ ...base, updatedAt: t(2), merchandise: spec.edit, refunds: refunds.slice(0, 1) }),
    });
  }
  if (spec.cancelled) {
    events.push({
      type: "cancelled",
      snapshot: snapshot({ ...base, updatedAt: t(3), merchandise: latestGross, cancelled: true }),
    });
  }
  return events;
}

function expectedPoints(spec: OrderSpec extends fc.Arbitrary<infer T> ? T : never): number {
  if (spec.cancelled) return 0;
  const refunded = spec.refunds.reduce((a, b) => a + b, 0n);
  const net = (spec.edit ?? spec.gross) - refunded;
  return pointsFor(net > 0n ? net : 0n, 50_000, 10_000);
}

let run = 0;

describe("order webhooks converge", () => {
  it("in any order, with duplicates, balances equal the model's", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(orderArb, { minLength: 1, maxLength: 3 }),
        fc.infiniteStream(fc.nat()),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (orders, shuffleSeeds, duplicateIndexes) => {
          const shop = `prop-${run++}.myshopify.com`;
          // One tier (x1): with several, the multiplier depends on which order
          // is paid first, which is the point of tiers, not of this property.
          await ensureProgram(prisma, shop);
          await replaceTiers(prisma, shop, [
            { key: "member", name: "Member", threshold: 0n, multiplierE4: 10_000 },
          ]);

          const events = orders.flatMap((spec, i) => eventsFor(i, spec));
          for (const index of duplicateIndexes) events.push(events[index % events.length]!);
          const seeds = shuffleSeeds.take(events.length)[Symbol.iterator]();
          const shuffled = events
            .map((event) => ({ event, key: seeds.next().value as number }))
            .sort((a, b) => a.key - b.key)
            .map(({ event }) => event);

          for (const event of shuffled) await applyOrderEvent(prisma, shop, event, t(10));

          const expected = orders.reduce((sum, spec) => sum + expectedPoints(spec), 0);
          const member = await prisma.member.findUniqueOrThrow({
            where: { shop_customerGid: { shop, customerGid: CUSTOMER } },
          });
          expect(member.balance).toBe(expected);
          await expectLedgerConsistent(prisma, shop);
          // No effect written twice: source keys are unique per shop (the
          // database enforces it), and no reversal exceeds what was awarded.
          const entries = await prisma.ledgerEntry.findMany({ where: { shop } });
          expect(new Set(entries.map((e) => e.sourceKey)).size).toBe(entries.length);
          const orderRows = await prisma.orderRecord.findMany({ where: { shop } });
          for (const order of orderRows) {
            const own = entries.filter((e) => e.orderGid === order.orderGid);
            const earned = own
              .filter((e) => e.kind === "EARN")
              .reduce((s, e) => s + e.points + e.pendingPoints, 0);
            const reversed = -own
              .filter((e) => e.kind === "REVERSE")
              .reduce((s, e) => s + e.points + e.pendingPoints, 0);
            expect(reversed).toBeLessThanOrEqual(earned);
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
