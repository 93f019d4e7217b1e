/**
 * Property: the inbox applying each shop's orders/paid deliveries together
 * (app/services/orders/inbox-paid-orders.server.ts) ends where applying the same
 * claimed deliveries one by one (applyDelivery, the engine) ends: same
 * members, order records and ledger, same Flow events (points earned, tier
 * changes) and the same outcome and detail on every delivery. Random programs
 * and random histories of orders/paid (some twice, under two webhook ids),
 * refunds/create (line items, an amount with no line items, shipping) and
 * orders/cancelled, of orders with shipping discounts and tax on shipping,
 * prices with or without tax, arriving in any order, claimed in batches of
 * random size. A batch that fell back to one by one fails the test.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { claimDeliveries } from "~/db/deliveries.server";
import { applyDelivery, drainInbox, receiveWebhook } from "~/services/webhooks/inbox.server";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { pointsState } from "../support/points-state";
import { bonusEventsArb, programShop as programShopWith } from "../support/program-shop";

const NOW = new Date("2026-03-01T12:00:00Z");
const DAY = 86_400_000;

const programArb = fc.record({
  active: fc.integer({ min: 0, max: 9 }).map((i) => i !== 0),
  earnRateE4: fc.constantFrom(10_000, 50_000, 12_345),
  pendingDays: fc.constantFrom(0, 0, 14),
  includeShipping: fc.boolean(),
  includeTax: fc.boolean(),
  includeTips: fc.boolean(),
  tierBasis: fc.constantFrom("SPEND" as const, "POINTS" as const, "ORDERS" as const),
  tierWindow: fc.constantFrom("ROLLING_12_MONTHS" as const, "LIFETIME" as const),
  tierGrace: fc.boolean(),
  earnOnPos: fc.boolean(),
  // Customers carrying one of these tags (any case) earn nothing (decision 0021).
  excludedTags: fc.constantFrom<string[]>([], ["wholesale"], ["Staff", "wholesale"]),
  // Bonus events over some of the orders' days (decision 0022).
  bonusEvents: bonusEventsArb(NOW),
});
type ProgramSettings = typeof programArb extends fc.Arbitrary<infer T> ? T : never;

const TIERS = {
  SPEND: [150_000n, 600_000n],
  POINTS: [1_000n, 4_000n],
  ORDERS: [2n, 4n],
};

const orderArb = fc.record({
  customer: fc.option(fc.integer({ min: 1, max: 4 }), { freq: 6 }),
  subtotalCents: fc.integer({ min: 0, max: 60_000 }),
  taxCents: fc.integer({ min: 0, max: 5_000 }),
  shippingCents: fc.constantFrom(0, 495, 1_200),
  shippingDiscountCents: fc.constantFrom(0, 0, 200),
  shippingTaxShare: fc.constantFrom(0, 0, 19),
  tipsCents: fc.constantFrom(0, 0, 250),
  taxesIncluded: fc.boolean(),
  test: fc.integer({ min: 0, max: 9 }).map((i) => i === 0),
  daysAgo: fc.integer({ min: 0, max: 500 }),
  paidTwice: fc.integer({ min: 0, max: 5 }).map((i) => i === 0),
  refundShare: fc.option(fc.integer({ min: 1, max: 100 }), { freq: 3 }),
  amountRefundCents: fc.option(fc.integer({ min: 1, max: 30_000 }), { freq: 3 }),
  shippingRefunded: fc.integer({ min: 0, max: 3 }).map((i) => i === 0),
  cancelled: fc.integer({ min: 0, max: 4 }).map((i) => i === 0),
  // Taken on Shopify POS (source_name "pos"), which earns unless the program turned it off.
  pos: fc.integer({ min: 0, max: 3 }).map((i) => i === 0),
  // The customer's tags as the order carries them (absent: the payload does not say).
  tags: fc.constantFrom(undefined, "", "Wholesale", "vip, STAFF", "wholesaler"),
  // A B2B order (a company on it) earns nothing.
  b2b: fc.integer({ min: 0, max: 5 }).map((i) => i === 0),
});
type OrderSpec = typeof orderArb extends fc.Arbitrary<infer T> ? T : never;

interface Delivery {
  webhookId: string;
  topic: "ORDERS_PAID" | "REFUNDS_CREATE" | "ORDERS_CANCELLED";
  rawBody: string;
}

const money = (cents: number) => ({ shop_money: { amount: (cents / 100).toFixed(2), currency_code: "EUR" } });

/** The shipping line as charged: its price less its discount, and its tax. */
const shippingOf = (o: OrderSpec) => {
  const charged = Math.max(0, o.shippingCents - o.shippingDiscountCents);
  return { charged, tax: Math.floor((charged * o.shippingTaxShare) / 100) };
};

function orderBody(i: number, o: OrderSpec, at: { updatedAt: Date; cancelled: boolean }) {
  const placed = new Date(NOW.getTime() - o.daysAgo * DAY - i * 60_000).toISOString();
  const customerId = o.customer === null ? null : 7_000_000_000_000_000_000n + BigInt(o.customer);
  const shipping = shippingOf(o);
  return JSON.stringify({
    financial_status: at.cancelled ? "refunded" : "paid",
    id: 1000 + i,
    admin_graphql_api_id: `gid://shopify/Order/${1000 + i}`,
    name: `#${1000 + i}`,
    source_name: o.pos ? "pos" : "web",
    // A guest's order has an email and no customer: held for the customer (decision 0017).
    email: o.customer === null ? `guest${i}@example.com` : `c${o.customer}@example.com`,
    created_at: placed,
    processed_at: placed,
    updated_at: at.updatedAt.toISOString(),
    cancelled_at: at.cancelled ? at.updatedAt.toISOString() : null,
    test: o.test,
    currency: "EUR",
    taxes_included: o.taxesIncluded,
    subtotal_price_set: money(o.subtotalCents),
    current_subtotal_price_set: money(o.subtotalCents),
    total_tax_set: money(o.taxCents + shipping.tax),
    total_shipping_price_set: money(o.shippingCents),
    total_tip_received: (o.tipsCents / 100).toFixed(2),
    line_items: [],
    shipping_lines: o.shippingCents
      ? [
          {
            price_set: money(o.shippingCents),
            discount_allocations: o.shippingDiscountCents
              ? [{ amount_set: money(o.shippingCents - shipping.charged) }]
              : [],
            tax_lines: shipping.tax ? [{ price_set: money(shipping.tax) }] : [],
          },
        ]
      : [],
    refunds: [],
    discount_codes: [],
    customer:
      customerId === null
        ? null
        : {
            admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
            email: `c${o.customer}@example.com`,
            ...(o.tags !== undefined ? { tags: o.tags } : {}),
          },
    company: o.b2b ? { id: 4100, location_id: 4200 } : null,
  });
}

function deliveriesOf(orders: OrderSpec[]): Delivery[] {
  return orders.flatMap((o, i): Delivery[] => {
    const placedAt = new Date(NOW.getTime() - o.daysAgo * DAY - i * 60_000);
    const paid = orderBody(i, o, { updatedAt: placedAt, cancelled: false });
    const list: Delivery[] = [{ webhookId: `paid-${i}`, topic: "ORDERS_PAID", rawBody: paid }];
    if (o.paidTwice) list.push({ webhookId: `paid-${i}-again`, topic: "ORDERS_PAID", rawBody: paid });
    if (o.refundShare !== null) {
      const cents = Math.floor((o.subtotalCents * o.refundShare) / 100);
      list.push({
        webhookId: `refund-${i}`,
        topic: "REFUNDS_CREATE",
        rawBody: JSON.stringify({
          id: 5000 + i,
          admin_graphql_api_id: `gid://shopify/Refund/${5000 + i}`,
          order_id: 1000 + i,
          created_at: new Date(placedAt.getTime() + DAY).toISOString(),
          refund_line_items: [{ line_item_id: 1, quantity: 1, subtotal_set: money(cents) }],
        }),
      });
    }
    if (o.amountRefundCents !== null) {
      list.push({
        webhookId: `amount-${i}`,
        topic: "REFUNDS_CREATE",
        rawBody: JSON.stringify({
          id: 6000 + i,
          admin_graphql_api_id: `gid://shopify/Refund/${6000 + i}`,
          order_id: 1000 + i,
          created_at: new Date(placedAt.getTime() + DAY).toISOString(),
          refund_line_items: [],
          order_adjustments: [{ amount_set: money(-o.amountRefundCents) }],
        }),
      });
    }
    const shipping = shippingOf(o);
    if (o.shippingRefunded && shipping.charged > 0) {
      list.push({
        webhookId: `shipping-${i}`,
        topic: "REFUNDS_CREATE",
        rawBody: JSON.stringify({
          id: 7000 + i,
          admin_graphql_api_id: `gid://shopify/Refund/${7000 + i}`,
          order_id: 1000 + i,
          created_at: new Date(placedAt.getTime() + DAY).toISOString(),
          refund_line_items: [],
          refund_shipping_lines: [
            { subtotal_amount_set: money(shipping.charged), tax_amount_set: money(shipping.tax) },
          ],
        }),
      });
    }
    if (o.cancelled) {
      list.push({
        webhookId: `cancel-${i}`,
        topic: "ORDERS_CANCELLED",
        rawBody: orderBody(i, o, { updatedAt: new Date(placedAt.getTime() + 2 * DAY), cancelled: true }),
      });
    }
    return list;
  });
}

const programShop = (settings: ProgramSettings) =>
  programShopWith("inbox-equivalence", settings, TIERS[settings.tierBasis] as [bigint, bigint]);

/** Stores the deliveries in arrival order, one millisecond apart (so both shops claim them alike). */
async function receiveAll(shop: string, deliveries: Delivery[]) {
  const base = Date.UTC(2026, 0, 1);
  for (const [k, d] of deliveries.entries()) {
    const result = await receiveWebhook(prisma, { shop, ...d });
    expect(result.outcome).toBe("received");
    const at = new Date(base + k).toISOString();
    await prisma.$executeRaw`
      UPDATE "WebhookDelivery" SET "receivedAt" = ${at}::timestamp(3), "applyAfter" = ${at}::timestamp(3)
      WHERE shop = ${shop} AND "webhookId" = ${d.webhookId}`;
  }
}

/**
 * The reference: each claimed batch through applyDelivery one at a time, in
 * the order a batch applies them: orders/paid of orders already recorded,
 * then the first of each new order, then repeats, then the other topics.
 */
async function applyOneByOne(shop: string, batchSize: number) {
  for (;;) {
    const claimed = await claimDeliveries(prisma, { shop, limit: batchSize, leaseMs: 600_000 });
    if (claimed.length === 0) return;
    const orderOf = (d: (typeof claimed)[number]) =>
      (JSON.parse(d.payload) as { admin_graphql_api_id: string }).admin_graphql_api_id;
    const paid = claimed.filter((d) => d.topic === "ORDERS_PAID");
    const recorded = await prisma.orderRecord.findMany({
      where: { shop, orderGid: { in: paid.map(orderOf) } },
      select: { orderGid: true },
    });
    const known = new Set(recorded.map((r) => r.orderGid));
    const seen = new Set<string>();
    const knownFirsts: typeof claimed = [];
    const newFirsts: typeof claimed = [];
    const repeats: typeof claimed = [];
    for (const d of paid) {
      const order = orderOf(d);
      (seen.has(order) ? repeats : known.has(order) ? knownFirsts : newFirsts).push(d);
      seen.add(order);
    }
    const rest = claimed.filter((d) => d.topic !== "ORDERS_PAID");
    for (const d of [...knownFirsts, ...newFirsts, ...repeats, ...rest]) await applyDelivery(prisma, d, NOW);
  }
}

/** Flow events and delivery outcomes, with member ids (which differ by shop) replaced by customers. */
async function sideEffects(shop: string) {
  const members = await prisma.member.findMany({ where: { shop }, select: { id: true, customerGid: true } });
  const customer = new Map(members.map((m) => [m.id, m.customerGid]));
  const flow = await prisma.flowEvent.findMany({
    where: { shop },
    select: { trigger: true, dedupeKey: true, payload: true },
  });
  return {
    flow: flow
      .map((e) => ({
        ...e,
        dedupeKey: e.dedupeKey.replace(/mbr_\w+|c[a-z0-9]{20,}/g, (id) => customer.get(id) ?? id),
      }))
      .sort((a, b) => a.dedupeKey.localeCompare(b.dedupeKey)),
    deliveries: await prisma.webhookDelivery.findMany({
      where: { shop },
      orderBy: { webhookId: "asc" },
      select: { webhookId: true, outcome: true, detail: true, payload: true },
    }),
  };
}

describe("the inbox's orders/paid batches and one delivery at a time", () => {
  it("end with the same members, orders, ledger, Flow events and delivery outcomes", async () => {
    await fc.assert(
      fc.asyncProperty(
        programArb,
        fc.array(orderArb, { minLength: 1, maxLength: 20 }).chain((orders) => {
          const all = deliveriesOf(orders);
          return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
        }),
        fc.integer({ min: 1, max: 40 }),
        async (program, deliveries, batchSize) => {
          // GIVEN two shops with the same program and the same deliveries in their inbox
          const batched = await programShop(program);
          const oneByOne = await programShop(program);
          await receiveAll(batched, deliveries);
          await receiveAll(oneByOne, deliveries);
          // WHEN the worker's drain applies one, and the other takes each delivery alone
          await drainInbox(prisma, {
            shop: batched,
            batchSize,
            concurrency: 1,
            now: () => NOW,
            sendFollowUps: async () => {},
            onBatchError: (_shop, _count, error) => {
              throw error;
            },
          });
          await applyOneByOne(oneByOne, batchSize);
          // THEN both hold the same state, Flow events and outcomes, and the ledger agrees with itself
          expect(await pointsState(batched)).toEqual(await pointsState(oneByOne));
          expect(await sideEffects(batched)).toEqual(await sideEffects(oneByOne));
          await expectLedgerConsistent(prisma, batched);
        },
      ),
      { numRuns: 25 },
    );
  }, 240_000);
});
