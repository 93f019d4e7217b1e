import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { claimDeliveries, retryFailedDelivery } from "~/db/deliveries.server";
import { applyDelivery, drainInbox, MAX_APPLY_ATTEMPTS } from "~/services/webhooks/inbox.server";
import { action as ordersPaid } from "~/routes/webhooks.orders.paid";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { action as ordersCancelled } from "~/routes/webhooks.orders.cancelled";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { callAction, LOAD_BALANCER_HEADERS, webhookRequest } from "../support/webhooks";
import { fixtureBody } from "../support/fixtures";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { expectConsoleError } from "../setup/console";
import { applyInbox } from "../support/inbox";
import { resetLoyaltyData } from "../support/reset";
import { installShop } from "../support/shops";

const SHOP = "fixture-shop.myshopify.com";
const CUSTOMER = "gid://shopify/Customer/7302485617390244561";
const ORDER = "gid://shopify/Order/6817362940512877913";

type Action = Parameters<typeof callAction>[0];
/** Shopify's POST: the route stores the delivery and answers. */
const post = (action: Action, topic: string, rawBody: string, webhookId?: string) =>
  callAction(action, webhookRequest({ topic, shop: SHOP, body: null, rawBody, webhookId }));
/** The POST, then the inbox worker's pass that applies it. */
const deliver = async (action: Action, topic: string, rawBody: string, webhookId?: string) => {
  const res = await post(action, topic, rawBody, webhookId);
  await applyInbox(SHOP);
  return res;
};

const paid = () => deliver(ordersPaid, "orders/paid", fixtureBody("orders-paid"));
const refund = () => deliver(refundsCreate, "refunds/create", fixtureBody("refunds-create"));
const balance = async () =>
  (await prisma.member.findUnique({ where: { shop_customerGid: { shop: SHOP, customerGid: CUSTOMER } } }))
    ?.balance ?? 0;
const tableCounts = async () =>
  Promise.all([
    prisma.member.count(),
    prisma.ledgerEntry.count(),
    prisma.orderRecord.count(),
    prisma.orderRefund.count(),
    prisma.webhookDelivery.count(),
    prisma.program.count(),
  ]);

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  await installShop(prisma, SHOP);
});

describe("orders/paid", () => {
  it("awards 5 points per 1.00 of eligible spend in shop money", async () => {
    // GIVEN a paid order of 176.00 EUR after discounts, of which a 50.00 gift card
    // WHEN Shopify delivers orders/paid
    const res = await paid();
    // THEN 126.00 x 5 = 630 points, at the default rate and the Member multiplier
    expect(res.status).toBe(200);
    expect(await balance()).toBe(630);
    const [entry] = await prisma.ledgerEntry.findMany({ where: { shop: SHOP } });
    expect(entry).toMatchObject({
      kind: "EARN",
      points: 630,
      rateE4: 50_000,
      multiplierE4: 10_000,
      orderGid: ORDER,
    });
    const member = await prisma.member.findFirstOrThrow({ where: { shop: SHOP } });
    expect(member).toMatchObject({ email: "maren.okafor@example.com", tierKey: "member" });
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("a delivery with the headers a load balancer adds is verified and stored as it came", async () => {
    const extraHeaders = { ...LOAD_BALANCER_HEADERS, "X-Request-Id": "lb-1" };
    const rawBody = fixtureBody("orders-paid");
    const triggeredAt = new Date("2026-11-27T08:00:00.000Z");
    const res = await callAction(
      ordersPaid,
      webhookRequest({
        topic: "orders/paid",
        shop: SHOP,
        body: null,
        rawBody,
        webhookId: "through-lb",
        eventId: "event-lb",
        triggeredAt,
        extraHeaders,
      }),
    );
    expect(res.status).toBe(200);
    const stored = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop: SHOP } });
    expect(stored).toMatchObject({
      webhookId: "through-lb",
      eventId: "event-lb",
      topic: "ORDERS_PAID",
      apiVersion: "2026-10",
      triggeredAt,
      payload: rawBody,
    });
    // A forged one with the same headers is still refused, and nothing more is stored.
    const forged = await callAction(
      ordersPaid,
      webhookRequest({
        topic: "orders/paid",
        shop: SHOP,
        body: null,
        rawBody,
        secret: "forged",
        extraHeaders,
      }),
    );
    expect(forged.status).toBe(401);
    expect(await prisma.webhookDelivery.count()).toBe(1);
    await applyInbox(SHOP);
    expect(await balance()).toBe(630);
  });

  it("a retried delivery and a second copy of the event credit once", async () => {
    await deliver(ordersPaid, "orders/paid", fixtureBody("orders-paid"), "delivery-1");
    await deliver(ordersPaid, "orders/paid", fixtureBody("orders-paid"), "delivery-1");
    await deliver(ordersPaid, "orders/paid", fixtureBody("orders-paid"), "delivery-2");
    expect(await balance()).toBe(630);
    expect(await prisma.ledgerEntry.count()).toBe(1);
    const deliveries = await prisma.webhookDelivery.findMany({ orderBy: { webhookId: "asc" } });
    expect(deliveries.map((d) => [d.webhookId, d.outcome, d.attempts])).toEqual([
      ["delivery-1", "processed", 2],
      ["delivery-2", "processed", 1],
    ]);
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("a Gold member earns x1.5: the tier held before the order counts", async () => {
    await prisma.member.create({ data: { shop: SHOP, customerGid: CUSTOMER, tierKey: "gold" } });
    await paid();
    expect(await balance()).toBe(945);
  });

  it("test orders and orders without a customer earn nothing", async () => {
    await deliver(ordersPaid, "orders/paid", fixtureBody("orders-paid", { test: true }));
    await deliver(
      ordersPaid,
      "orders/paid",
      fixtureBody("orders-paid", { admin_graphql_api_id: "gid://shopify/Order/1", customer: null }),
    );
    expect(await prisma.ledgerEntry.count()).toBe(0);
    expect((await prisma.webhookDelivery.findMany()).map((d) => d.outcome)).toEqual(["ignored", "ignored"]);
  });
});

describe("refunds and cancellations", () => {
  it("a refund reverses in proportion at the rate recorded at award, once", async () => {
    await paid();
    // The merchant changes the rate after the award: the reversal ignores it.
    await prisma.program.update({ where: { shop: SHOP }, data: { earnRateE4: 100_000 } });
    // GIVEN a refund of one hoodie (54.00) and the gift card (50.00, which earned nothing)
    await refund();
    await refund();
    // THEN 54.00 x 5 = 270 points come back off; 360 remain
    expect(await balance()).toBe(360);
    const reversal = await prisma.ledgerEntry.findFirstOrThrow({ where: { kind: "REVERSE" } });
    expect(reversal).toMatchObject({
      points: -270,
      rateE4: 50_000,
      sourceKey: "refund:gid://shopify/Refund/1289034756120398455",
    });
    // AND the orders/updated that carries the same refund changes nothing
    await deliver(ordersUpdated, "orders/updated", fixtureBody("orders-updated"));
    expect(await balance()).toBe(360);
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("an amount refunded without line items takes back its share of the merchandise, once", async () => {
    await paid();
    // GIVEN 20.00 refunded as an amount (no line items): of the 133.56 paid for merchandise
    // with its tax, 126.00 earned; 20.00 x 126.00 / 133.56 = 18.868 is taken back (rounded up)
    const amount = () => deliver(refundsCreate, "refunds/create", fixtureBody("refunds-create-amount"));
    await amount();
    await amount();
    // THEN floor((126.00 - 18.868) x 5) = 535 points remain: 95 taken back
    expect(await balance()).toBe(535);
    expect(await prisma.ledgerEntry.findFirstOrThrow({ where: { kind: "REVERSE" } })).toMatchObject({
      points: -95,
      sourceKey: "refund:gid://shopify/Refund/1289034756120398461",
    });
    // AND a hoodie refunded later: the 20.00 is then a share of what is left (76.32 paid, 72.00
    // eligible): 54.00 + 18.868 taken back, floor(53.132 x 5) = 265 remain
    await refund();
    expect(await balance()).toBe(265);
    // AND the other hoodie too: the 20.00 covers the socks (19.08 paid) and nothing is left
    await deliver(
      refundsCreate,
      "refunds/create",
      fixtureBody("refunds-create", {
        id: 1289034756120399,
        admin_graphql_api_id: "gid://shopify/Refund/1289034756120399",
      }),
    );
    expect(await balance()).toBe(0);
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("a refund of shipping only takes back nothing unless shipping earns", async () => {
    await paid();
    await deliver(refundsCreate, "refunds/create", fixtureBody("refunds-create-shipping"));
    expect(await balance()).toBe(630);
    expect(await prisma.orderRefund.count()).toBe(1);
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("refund before paid converges to the same balance", async () => {
    await refund();
    expect(await balance()).toBe(0);
    await paid();
    expect(await balance()).toBe(360);
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("cancellation reverses what is left, whatever came first", async () => {
    const cancelled = fixtureBody("orders-paid", {
      cancelled_at: "2025-11-21T10:00:00+01:00",
      updated_at: "2025-11-21T10:00:00+01:00",
    });
    await deliver(ordersCancelled, "orders/cancelled", cancelled);
    await refund();
    await paid();
    expect(await balance()).toBe(0);
    expect(await prisma.ledgerEntry.count()).toBe(0);
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("an order edit that raises the eligible amount raises the award; an older snapshot is ignored", async () => {
    await paid();
    const edited = fixtureBody("orders-paid", {
      updated_at: "2025-11-15T09:00:00+01:00",
      current_subtotal_price_set: {
        shop_money: { amount: "196.00", currency_code: "EUR" },
        presentment_money: { amount: "215.60", currency_code: "USD" },
      },
    });
    await deliver(ordersUpdated, "orders/updated", edited);
    expect(await balance()).toBe(730);
    // A late copy of an older state (the paid payload as an update) is ignored.
    await deliver(ordersUpdated, "orders/updated", fixtureBody("orders-paid"));
    expect(await balance()).toBe(730);
    await expectLedgerConsistent(prisma, SHOP);
  });
});

describe("the inbox", () => {
  it("answers 200 once the delivery is stored; the worker applies it and clears the body", async () => {
    const res = await post(ordersPaid, "orders/paid", fixtureBody("orders-paid"), "inbox-1");
    expect(res.status).toBe(200);
    const stored = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop: SHOP } });
    expect(stored).toMatchObject({ webhookId: "inbox-1", outcome: "received", applyAttempts: 0 });
    expect(stored.payload).toBe(fixtureBody("orders-paid"));
    expect(await balance()).toBe(0);
    // A copy while it waits is counted, not stored twice.
    await post(ordersPaid, "orders/paid", fixtureBody("orders-paid"), "inbox-1");
    expect(await applyInbox(SHOP)).toEqual({ applied: 1, retried: 0, failed: 0 });
    expect(await balance()).toBe(630);
    const applied = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop: SHOP } });
    expect(applied).toMatchObject({ outcome: "processed", attempts: 2, applyAttempts: 1, payload: null });
    expect(await applyInbox(SHOP)).toEqual({ applied: 0, retried: 0, failed: 0 });
  });

  it("a delivery that fails to apply is retried with backoff, given up after its tries, and retried by hand", async () => {
    // Its shop's orders/paid batch fails first; the delivery is then tried alone, with its own retries.
    expectConsoleError(/orders\/paid deliveries for .* fell back to one by one: .*ledger is refusing writes/);
    // A real database failure while applying: a trigger refuses ledger entries for a while.
    await prisma.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION refuse_ledger() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'ledger is refusing writes'; END $$ LANGUAGE plpgsql`);
    await prisma.$executeRawUnsafe(
      `CREATE TRIGGER refuse_ledger BEFORE INSERT ON "LedgerEntry" FOR EACH ROW EXECUTE FUNCTION refuse_ledger()`,
    );
    try {
      expect((await post(ordersPaid, "orders/paid", fixtureBody("orders-paid"), "flaky")).status).toBe(200);
      expect(await applyInbox(SHOP)).toEqual({ applied: 0, retried: 1, failed: 0 });
      const waiting = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop: SHOP } });
      expect(waiting).toMatchObject({ outcome: "received", applyAttempts: 1 });
      expect(waiting.detail).toContain("ledger is refusing writes");
      // Not due again before its backoff (5 s after the first try).
      expect(await applyInbox(SHOP)).toEqual({ applied: 0, retried: 0, failed: 0 });
      // Its last try comes due and fails too: given up, the body kept for a retry.
      await prisma.$executeRaw`UPDATE "WebhookDelivery" SET "applyAttempts" = ${MAX_APPLY_ATTEMPTS - 1},
        "applyAfter" = CURRENT_TIMESTAMP - interval '1 second' WHERE shop = ${SHOP}`;
      expect(await applyInbox(SHOP)).toEqual({ applied: 0, retried: 0, failed: 1 });
      const dead = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop: SHOP } });
      expect(dead).toMatchObject({ outcome: "failed", applyAttempts: MAX_APPLY_ATTEMPTS });
      expect(dead.payload).not.toBeNull();
      expect(await balance()).toBe(0);
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS refuse_ledger ON "LedgerEntry"`);
      await prisma.$executeRawUnsafe(`DROP FUNCTION IF EXISTS refuse_ledger()`);
    }
    const dead = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop: SHOP } });
    expect(await retryFailedDelivery(prisma, "other-shop.myshopify.com", dead.id)).toBe(false);
    expect(await retryFailedDelivery(prisma, SHOP, dead.id)).toBe(true);
    expect(await applyInbox(SHOP)).toEqual({ applied: 1, retried: 0, failed: 0 });
    expect(await balance()).toBe(630);
    expect(await prisma.webhookDelivery.findFirstOrThrow({ where: { shop: SHOP } })).toMatchObject({
      outcome: "processed",
      payload: null,
    });
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("a batch applied whose follow-ups could not be queued stays applied once, with its own detail", async () => {
    expect((await post(ordersPaid, "orders/paid", fixtureBody("orders-paid"), "queue-down")).status).toBe(
      200,
    );
    const failures: { applied: boolean }[] = [];
    const report = await drainInbox(prisma, {
      shop: SHOP,
      sendFollowUps: async () => {
        throw new Error("the job queue is down");
      },
      onBatchError: (_shop, _count, _error, state) => failures.push(state),
    });
    expect(report).toEqual({ applied: 1, retried: 0, failed: 0 });
    expect(failures).toEqual([{ applied: true }]);
    expect(await prisma.webhookDelivery.findFirstOrThrow({ where: { shop: SHOP } })).toMatchObject({
      outcome: "processed",
      detail: "+630 points",
    });
    expect(await balance()).toBe(630);
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("an order whose points overflow a balance fails at once, writes nothing, and is kept for a retry", async () => {
    expectConsoleError(/orders\/paid deliveries for .* fell back to one by one/);
    // 1,260,000,000.00 EUR eligible: 6.3 billion points, beyond a balance's 2,147,483,647.
    const huge = fixtureBody("orders-paid").replace(
      /"(\d+)\.(\d\d)"/g,
      (_m, units, cents) => `"${units}0000000.${cents}"`,
    );
    expect((await post(ordersPaid, "orders/paid", huge, "huge")).status).toBe(200);
    expect(await applyInbox(SHOP)).toEqual({ applied: 0, retried: 0, failed: 1 });
    const failed = await prisma.webhookDelivery.findFirstOrThrow({
      where: { shop: SHOP, webhookId: "huge" },
    });
    expect(failed).toMatchObject({ outcome: "failed", applyAttempts: 1 });
    expect(failed.detail).toMatch(/out of range.*not retried/);
    expect(failed.payload).not.toBeNull();
    expect(await balance()).toBe(0);
    expect(await prisma.orderRecord.count({ where: { shop: SHOP } })).toBe(0);
    expect(await prisma.ledgerEntry.count({ where: { shop: SHOP } })).toBe(0);
    // The next order of the same customer is credited as usual.
    await paid();
    expect(await balance()).toBe(630);
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("a worker that dies holding a delivery: it comes due when the lease ends and is applied once", async () => {
    await post(ordersPaid, "orders/paid", fixtureBody("orders-paid"), "leased");
    // A worker claims it and dies before finishing (nothing else happens to the claim).
    const [claimed] = await claimDeliveries(prisma, { shop: SHOP, limit: 20, leaseMs: 120_000 });
    expect(claimed).toMatchObject({ webhookId: "leased", applyAttempts: 1 });
    // Under the lease nobody else takes it.
    expect(await applyInbox(SHOP)).toEqual({ applied: 0, retried: 0, failed: 0 });
    // The lease ends: the next pass applies it.
    await prisma.$executeRaw`UPDATE "WebhookDelivery" SET "applyAfter" = CURRENT_TIMESTAMP - interval '1 second'
      WHERE shop = ${SHOP}`;
    expect(await applyInbox(SHOP)).toEqual({ applied: 1, retried: 0, failed: 0 });
    expect(await balance()).toBe(630);
    // Had the first worker only stalled, its late try changes nothing.
    await applyDelivery(prisma, claimed!, new Date());
    expect(await balance()).toBe(630);
    expect(await prisma.ledgerEntry.count({ where: { shop: SHOP } })).toBe(1);
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("a copy of a delivery that gave up puts it back in the inbox", async () => {
    await post(ordersPaid, "orders/paid", fixtureBody("orders-paid"), "given-up");
    await prisma.webhookDelivery.updateMany({ where: { shop: SHOP }, data: { outcome: "failed" } });
    await post(ordersPaid, "orders/paid", fixtureBody("orders-paid"), "given-up");
    expect(await prisma.webhookDelivery.findFirstOrThrow({ where: { shop: SHOP } })).toMatchObject({
      outcome: "received",
      attempts: 2,
      applyAttempts: 0,
    });
    expect(await applyInbox(SHOP)).toEqual({ applied: 1, retried: 0, failed: 0 });
    expect(await balance()).toBe(630);
  });

  it("each shop's worker pass applies only that shop's deliveries", async () => {
    const other = "other-shop.myshopify.com";
    await installShop(prisma, other);
    await post(ordersPaid, "orders/paid", fixtureBody("orders-paid"));
    await callAction(
      ordersPaid,
      webhookRequest({ topic: "orders/paid", shop: other, body: null, rawBody: fixtureBody("orders-paid") }),
    );
    expect(await applyInbox(other)).toEqual({ applied: 1, retried: 0, failed: 0 });
    expect(await balance()).toBe(0);
    expect(await applyInbox()).toEqual({ applied: 1, retried: 0, failed: 0 });
    expect(await balance()).toBe(630);
  });
});

describe("bad input", () => {
  it("a correctly signed body the parser refuses is kept as a dead letter with its reason, applied nowhere", async () => {
    // GIVEN bodies Shopify signed that orders/paid's parser refuses
    const bodies = [
      "{not json",
      JSON.stringify({ id: 1 }),
      fixtureBody("orders-paid", { current_subtotal_price_set: "12" }),
    ];
    const [members, entries, orders] = await tableCounts();
    for (const [i, body] of bodies.entries()) {
      // WHEN each is delivered: Shopify gets its 200 (it would give up after its retries and the delivery be lost)
      const res = await deliver(ordersPaid, "orders/paid", body, `dead-${i}`);
      expect(res.status).toBe(200);
    }
    // THEN each is a dead letter (failed) with the body kept and the reason, for the activity page's Retry
    const letters = await prisma.webhookDelivery.findMany({
      where: { shop: SHOP },
      orderBy: { webhookId: "asc" },
    });
    expect(letters.map((l) => [l.outcome, l.payload])).toEqual(bodies.map((b) => ["failed", b]));
    expect(letters[0]!.detail).toMatch(/^the body is not JSON/);
    expect(letters[1]!.detail).toMatch(/payload/);
    expect(letters[2]!.detail).toMatch(/current_subtotal_price_set/);
    // AND nothing was applied
    expect((await tableCounts()).slice(0, 3)).toEqual([members, entries, orders]);
    // AND a retry (after a fix) runs the parser again: still refused, still kept
    expect(await retryFailedDelivery(prisma, SHOP, letters[1]!.id)).toBe(true);
    expect(await applyInbox(SHOP)).toEqual({ applied: 0, retried: 0, failed: 1 });
    expect((await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: letters[1]!.id } })).payload).toBe(
      bodies[1],
    );
  });

  it("a body that is not its topic's payload is a dead letter that changes nothing", async () => {
    await paid();
    const [members, entries, orders, refunds] = await tableCounts();
    const pending = fixtureBody("orders-paid", {
      financial_status: "pending",
      updated_at: "2025-11-30T00:00:00Z",
    });
    const foreign: [Action, string, string, RegExp][] = [
      // An orders/paid body sent to the orders/cancelled address: cancelled_at is null.
      [ordersCancelled, "orders/cancelled", fixtureBody("orders-paid"), /cancelled_at/],
      // An order that is not paid, at the orders/paid address.
      [ordersPaid, "orders/paid", pending, /financial_status "pending"/],
      // An order at the refunds/create address, a refund at the orders/paid one.
      [refundsCreate, "refunds/create", fixtureBody("orders-paid"), /admin_graphql_api_id/],
      [ordersPaid, "orders/paid", fixtureBody("refunds-create"), /payload/],
    ];
    for (const [i, [action, topic, body, reason]] of foreign.entries()) {
      // Shopify gets its 200 (it would retry, then drop it); the delivery is kept as a dead letter
      expect((await deliver(action, topic, body, `foreign-${i}`)).status).toBe(200);
      const letter = await prisma.webhookDelivery.findFirstOrThrow({
        where: { shop: SHOP, webhookId: `foreign-${i}` },
      });
      expect(letter.outcome).toBe("failed");
      expect(letter.detail).toMatch(reason);
    }
    // AND nothing of the loyalty data moved: the order is still paid, worth 630 points
    expect((await tableCounts()).slice(0, 4)).toEqual([members, entries, orders, refunds]);
    expect(await balance()).toBe(630);
    expect((await prisma.orderRecord.findFirstOrThrow({ where: { shop: SHOP } })).cancelledAt).toBeNull();
  });

  it("a dead letter whose reason quotes a character cut in half is still recorded, not retried for ever", async () => {
    // GIVEN a signed body that is not JSON, of characters outside the BMP (two UTF-16 units each),
    // whose parse error quotes it: the reason, cut to length, could end inside a character
    const body = "\u{59897}\u{F5FFD}\u{10AF1B}".repeat(700);
    const res = await deliver(ordersPaid, "orders/paid", body, "astral-1");
    // THEN it is a dead letter with its reason, at once
    expect(res.status).toBe(200);
    const letter = await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: "astral-1" } });
    expect(letter).toMatchObject({ outcome: "failed", payload: body, applyAttempts: 1 });
    expect(letter.detail).toMatch(/^the body is not JSON/);
  });

  it("a forged signature gets 401 and writes nothing", async () => {
    const before = await tableCounts();
    const res = await callAction(
      ordersPaid,
      webhookRequest({
        topic: "orders/paid",
        shop: SHOP,
        body: null,
        rawBody: fixtureBody("orders-paid"),
        secret: "forged",
      }),
    );
    expect(res.status).toBe(401);
    expect(await tableCounts()).toEqual(before);
  });
});
