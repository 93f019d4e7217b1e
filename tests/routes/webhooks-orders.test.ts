import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { action as ordersPaid } from "~/routes/webhooks.orders.paid";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { action as ordersCancelled } from "~/routes/webhooks.orders.cancelled";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { callAction, webhookRequest } from "../support/webhooks";
import { fixtureBody } from "../support/fixtures";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { resetLoyaltyData } from "../support/reset";

const SHOP = "fixture-shop.myshopify.com";
const CUSTOMER = "gid://shopify/Customer/7302485617390244561";
const ORDER = "gid://shopify/Order/6817362940512877913";

type Action = Parameters<typeof callAction>[0];
const deliver = (action: Action, topic: string, rawBody: string, webhookId?: string) =>
  callAction(action, webhookRequest({ topic, shop: SHOP, body: null, rawBody, webhookId }));

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

beforeEach(() => resetLoyaltyData(prisma));

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

describe("bad input", () => {
  it("a malformed body with a valid signature gets 400 and writes nothing", async () => {
    const before = await tableCounts();
    for (const body of [
      "{not json",
      JSON.stringify({ id: 1 }),
      fixtureBody("orders-paid", { current_subtotal_price_set: "12" }),
    ]) {
      const res = await deliver(ordersPaid, "orders/paid", body);
      expect(res.status).toBe(400);
    }
    expect(await tableCounts()).toEqual(before);
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
