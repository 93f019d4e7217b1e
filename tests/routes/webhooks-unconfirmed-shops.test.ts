/**
 * Deliveries for a shop whose installation is not confirmed: kept, not
 * applied, until the shop's first token exchange confirms it; dropped after
 * a week if it never does. With Shopify-managed installation, orders can
 * arrive before the merchant first opens the app.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { dropStaleHeldDeliveries, HELD_DELIVERY_DAYS } from "~/db/deliveries.server";
import { action as ordersPaid } from "~/routes/webhooks.orders.paid";
import { recordInstall } from "~/services/shops/shop-lifecycle.server";
import { receiveWebhook } from "~/services/webhooks/inbox.server";
import { fixtureBody } from "../support/fixtures";
import { applyInbox } from "../support/inbox";
import { resetLoyaltyData } from "../support/reset";
import { callAction, webhookRequest } from "../support/webhooks";

const SHOP = "fixture-shop.myshopify.com";
const CUSTOMER = "gid://shopify/Customer/7302485617390244561";

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  await prisma.shop.deleteMany();
});

describe("a shop that never installed Regulars", () => {
  it("has its orders held, not applied: no member, no points", async () => {
    // WHEN an order arrives for a shop with no confirmed installation
    const res = await callAction(
      ordersPaid,
      webhookRequest({ topic: "orders/paid", shop: SHOP, body: null, rawBody: fixtureBody("orders-paid") }),
    );
    // THEN Shopify gets its 200, the delivery is held with its body, and nothing is applied
    expect(res.status).toBe(200);
    expect(await applyInbox()).toEqual({ applied: 0, retried: 0, failed: 0 });
    const [held] = await prisma.webhookDelivery.findMany({ where: { shop: SHOP } });
    expect(held).toMatchObject({ outcome: "unconfirmed", topic: "ORDERS_PAID" });
    expect(held!.payload).not.toBeNull();
    expect(await prisma.member.count()).toBe(0);
    expect(await prisma.ledgerEntry.count()).toBe(0);
    expect(await prisma.program.count()).toBe(0);
  });

  it("gets them applied, once, when its installation is confirmed", async () => {
    // GIVEN an order (and a copy of it) received before the merchant opened the app
    const delivery = { topic: "orders/paid", shop: SHOP, body: null, rawBody: fixtureBody("orders-paid") };
    await callAction(ordersPaid, webhookRequest({ ...delivery, webhookId: "early-1" }));
    await callAction(ordersPaid, webhookRequest({ ...delivery, webhookId: "early-1" }));
    // WHEN the first token exchange records the installation
    await recordInstall(prisma, { shop: SHOP, scopes: "read_orders", now: new Date() });
    await applyInbox();
    // THEN the order earns its points, once
    const member = await prisma.member.findUniqueOrThrow({
      where: { shop_customerGid: { shop: SHOP, customerGid: CUSTOMER } },
    });
    expect(member.balance).toBe(630);
    expect(await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: "early-1" } })).toMatchObject({
      outcome: "processed",
      attempts: 2,
      payload: null,
    });
    // AND a later order is applied as usual
    expect(
      await receiveWebhook(prisma, { ...delivery, topic: "ORDERS_PAID", webhookId: "later-1" }),
    ).toMatchObject({ outcome: "received" });
  });

  it(`drops what it held after ${HELD_DELIVERY_DAYS} days without a confirmation, and nothing newer`, async () => {
    const old = await receiveWebhook(prisma, {
      shop: SHOP,
      topic: "ORDERS_PAID",
      webhookId: "old",
      rawBody: fixtureBody("orders-paid"),
    });
    const recent = await receiveWebhook(prisma, {
      shop: SHOP,
      topic: "ORDERS_PAID",
      webhookId: "recent",
      rawBody: fixtureBody("orders-paid"),
    });
    expect([old.outcome, recent.outcome]).toEqual(["held", "held"]);
    const day = 86_400_000;
    await prisma.webhookDelivery.update({
      where: { shop_webhookId: { shop: SHOP, webhookId: "old" } },
      data: { receivedAt: new Date(Date.now() - (HELD_DELIVERY_DAYS + 1) * day) },
    });
    await prisma.webhookDelivery.update({
      where: { shop_webhookId: { shop: SHOP, webhookId: "recent" } },
      data: { receivedAt: new Date(Date.now() - (HELD_DELIVERY_DAYS - 1) * day) },
    });
    expect(await dropStaleHeldDeliveries(prisma)).toBe(1);
    expect(
      (await prisma.webhookDelivery.findMany({ select: { webhookId: true } })).map((d) => d.webhookId),
    ).toEqual(["recent"]);
  });
});
