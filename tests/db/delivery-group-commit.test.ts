/**
 * The inbox's group commit (app/db/delivery-group-commit.server.ts): deliveries
 * stored at the same moment go in one statement, and end as they would one
 * at a time.
 *   - Property: random deliveries (copies of some, some already in the inbox
 *     as received, failed or processed) stored all at once through
 *     storeDelivery leave the same rows (attempts, outcome, body) as
 *     receiveDelivery one after the other, and as many of them are `stored`.
 *   - Deliveries queued behind busy writes share one commit; a row the
 *     database refuses fails alone, the others in its statement are stored.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { receiveDelivery } from "~/db/deliveries.server";
import { storeDelivery } from "~/db/delivery-group-commit.server";

// A webhook id names one delivery: its copies carry the same topic, body and time.
const deliveryArb = fc.record({ webhook: fc.integer({ min: 1, max: 6 }) });
const contentOf = (webhook: number) => ({
  topic: webhook % 2 ? "ORDERS_PAID" : "REFUNDS_CREATE",
  payload: `{"id":${webhook}}`,
  triggeredAt: webhook % 3 ? new Date(Date.UTC(2026, 10, 24) + webhook * 1000) : undefined,
});
const earlierArb = fc.record({
  webhook: fc.integer({ min: 1, max: 6 }),
  outcome: fc.constantFrom("received", "failed", "processed"),
});

let run = 0;

async function rowsOf(shop: string) {
  const rows = await prisma.webhookDelivery.findMany({
    where: { shop },
    select: {
      webhookId: true,
      topic: true,
      attempts: true,
      outcome: true,
      payload: true,
      applyAttempts: true,
      triggeredAt: true,
    },
    orderBy: { webhookId: "asc" },
  });
  return rows;
}

describe("storing deliveries together", () => {
  it("ends as storing them one at a time does", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(earlierArb, { selector: (e) => e.webhook, maxLength: 4 }),
        fc.array(deliveryArb, { minLength: 1, maxLength: 25 }),
        async (earlier, deliveries) => {
          run++;
          const together = `together-${run}.myshopify.com`;
          const alone = `alone-${run}.myshopify.com`;
          for (const shop of [together, alone]) {
            for (const e of earlier) {
              await receiveDelivery(
                prisma,
                shop,
                { webhookId: `w${e.webhook}`, topic: "ORDERS_PAID" },
                '{"earlier":1}',
              );
              await prisma.webhookDelivery.update({
                where: { shop_webhookId: { shop, webhookId: `w${e.webhook}` } },
                data: {
                  outcome: e.outcome,
                  applyAttempts: 3,
                  payload: e.outcome === "processed" ? null : '{"earlier":1}',
                },
              });
            }
          }
          const input = (shop: string, d: (typeof deliveries)[number]) => ({
            shop,
            webhookId: `w${d.webhook}`,
            ...contentOf(d.webhook),
          });
          const grouped = await Promise.all(deliveries.map((d) => storeDelivery(prisma, input(together, d))));
          const oneByOne: { stored: boolean }[] = [];
          for (const d of deliveries) {
            const { shop, payload, ...headers } = input(alone, d);
            oneByOne.push(await receiveDelivery(prisma, shop, headers, payload));
          }
          expect(await rowsOf(together)).toEqual(await rowsOf(alone));
          // Which copy of a delivery is the stored one may differ. Copies of a failed delivery that race
          // each other in two statements may both say stored (each read it as failed); one at a time,
          // only the first does. Either way a delivery is stored by some copy or by none.
          const storedPer = (results: { stored: boolean }[]) =>
            deliveries.reduce<Record<string, boolean>>((acc, d, i) => {
              acc[d.webhook] = (acc[d.webhook] ?? false) || results[i]!.stored;
              return acc;
            }, {});
          expect(storedPer(grouped)).toEqual(storedPer(oneByOne));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("puts deliveries queued behind busy writes in one commit, and fails only a row the database refuses", async () => {
    const shop = "group-commit.myshopify.com";
    const store = (i: number, payload = `{"n":${i}}`) =>
      storeDelivery(prisma, { shop, webhookId: `g${i}`, topic: "ORDERS_PAID", payload });
    // The first two find free slots and go alone; the next five wait and go together.
    // A NUL character cannot be stored in a text column: that delivery's row is refused.
    const results = await Promise.allSettled([
      store(1),
      store(2),
      store(3),
      store(4),
      store(5, '{"bad":"\u0000"}'),
      store(6),
      store(7),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    const rows = await prisma.$queryRaw<{ webhookId: string; tx: string }[]>`
      SELECT "webhookId", xmin::text AS tx FROM "WebhookDelivery" WHERE shop = ${shop} ORDER BY "webhookId"`;
    expect(rows.map((r) => r.webhookId)).toEqual(["g1", "g2", "g3", "g4", "g6", "g7"]);

    // Grouped without the bad row: a second burst, all good, shares one commit behind the first two.
    const again = await Promise.all([10, 11, 12, 13, 14].map((i) => store(i)));
    expect(again.every((r) => r.stored)).toBe(true);
    const second = await prisma.$queryRaw<{ webhookId: string; tx: string }[]>`
      SELECT "webhookId", xmin::text AS tx FROM "WebhookDelivery"
       WHERE shop = ${shop} AND "webhookId" IN ('g10', 'g11', 'g12', 'g13', 'g14') ORDER BY "webhookId"`;
    const tx = (id: string) => second.find((r) => r.webhookId === id)!.tx;
    expect(tx("g10")).not.toBe(tx("g12"));
    expect(new Set(["g12", "g13", "g14"].map(tx)).size).toBe(1);
  });
});
