/**
 * Orders taken on Shopify POS (source_name "pos") earn like online ones unless the program turns
 * that off; a guest checkout's order (an email, no customer) is held and credited, once, when
 * Shopify tells Regulars of the customer with that email (docs/decisions/0017-guest-orders.md).
 * Signed deliveries through the inbox, on both databases.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { updateProgram } from "~/services/program/program-settings.server";
import { action as customersCreate } from "~/routes/webhooks.customers.create";
import { action as customersUpdate } from "~/routes/webhooks.customers.update";
import { action as ordersPaid } from "~/routes/webhooks.orders.paid";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { receiveWebhook } from "~/services/webhooks/inbox.server";
import { transactionWithSql } from "~/db/sql-in-transaction.server";
import { applyOrderEvent } from "~/services/orders/order-points.server";
import { applyPaidOrders } from "~/services/orders/order-points-batch.server";
import {
  bulkOrderSnapshot,
  parseBulkLine,
  type LineItemLine,
  type OrderLine,
} from "~/shopify/payloads/bulk-order-lines";
import { orderLines } from "../support/bulk-jsonl";
import { type callAction, webhookRequest } from "../support/webhooks";
import { applyInbox, deliverAndApply } from "../support/inbox";
import { fixtureBody } from "../support/fixtures";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { resetLoyaltyData } from "../support/reset";
import { installShop } from "../support/shops";

const SHOP = "counter.myshopify.com";
const OTHER_SHOP = "elsewhere.myshopify.com";
const CUSTOMER = "gid://shopify/Customer/7302485617390244561";
const NEW_CUSTOMER_ID = 8100000000000000001n;
const NEW_CUSTOMER = `gid://shopify/Customer/${NEW_CUSTOMER_ID}`;
/** What the fixture order earns at the default rate (126.00 after its discounts and refunds: 5 a unit). */
const ORDER_POINTS = 630;
type Action = Parameters<typeof callAction>[0];
const deliver = (action: Action, topic: string, rawBody: string, shop = SHOP) =>
  deliverAndApply(action, webhookRequest({ topic, shop, body: null, rawBody }));

/** orders/paid of the fixture as order `id`. */
const paidBody = (id: number, overrides: Record<string, unknown> = {}) =>
  fixtureBody("orders-paid", {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${id}`,
    refunds: [],
    ...overrides,
  });
/** A guest checkout's order: its email, and no customer. */
const guestBody = (id: number, email: string) =>
  paidBody(id, { customer: null, email, contact_email: email });
/** customers/create for a customer Shopify made with this email. */
const customerBody = (email: string, state = "disabled") =>
  fixtureBody("customers-create", {
    id: 1,
    admin_graphql_api_id: NEW_CUSTOMER,
    email,
    state,
  });
const balanceOf = async (customerGid: string, shop = SHOP) =>
  (await prisma.member.findFirst({ where: { shop, customerGid } }))?.balance ?? 0;

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  for (const shop of [SHOP, OTHER_SHOP]) await installShop(prisma, shop);
});

describe("POS orders", () => {
  it("earn like online ones by default (source_name pos), and the order keeps its source and name", async () => {
    await deliver(ordersPaid, "orders/paid", paidBody(9001, { source_name: "pos" }));
    expect(await balanceOf(CUSTOMER)).toBe(ORDER_POINTS);
    expect(
      await prisma.orderRecord.findFirstOrThrow({
        where: { shop: SHOP, orderGid: "gid://shopify/Order/9001" },
      }),
    ).toMatchObject({ sourceName: "pos", name: "#9001", points: ORDER_POINTS });
  });

  it("earn nothing once the merchant turns POS earning off, on the single and the batch paths", async () => {
    await updateProgram(prisma, SHOP, { settings: { earnOnPos: false } }, new Date());
    // Alone: the engine.
    const alone = await deliver(ordersPaid, "orders/paid", paidBody(9002, { source_name: "pos" }));
    expect(alone.status).toBe(200);
    expect(await balanceOf(CUSTOMER)).toBe(0);
    const delivery = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop: SHOP } });
    expect(delivery.detail).toContain("pos order");
    // Together: the batch path. The web order earns, the POS ones do not.
    for (const [id, source] of [
      [9003, "pos"],
      [9004, "web"],
      [9005, "pos"],
    ] as const) {
      await receiveWebhook(prisma, {
        shop: SHOP,
        topic: "ORDERS_PAID",
        webhookId: `batch-${id}`,
        rawBody: paidBody(id, { source_name: source }),
        apiVersion: "2026-10",
      });
    }
    await applyInbox(SHOP);
    expect(await balanceOf(CUSTOMER)).toBe(ORDER_POINTS);
    const earned = await prisma.orderRecord.findMany({ where: { shop: SHOP, points: { gt: 0 } } });
    expect(earned.map((o) => o.orderGid)).toEqual(["gid://shopify/Order/9004"]);
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("an order that earned before the switch was turned off still gives back on a refund", async () => {
    await deliver(ordersPaid, "orders/paid", paidBody(9010, { source_name: "pos" }));
    await updateProgram(prisma, SHOP, { settings: { earnOnPos: false } }, new Date());
    await deliver(refundsCreate, "refunds/create", fixtureBody("refunds-create", { order_id: 9010 }));
    expect(await balanceOf(CUSTOMER)).toBeLessThan(ORDER_POINTS);
    expect(await prisma.ledgerEntry.count({ where: { shop: SHOP, kind: "REVERSE" } })).toBe(1);
    await expectLedgerConsistent(prisma, SHOP);
  });
});

describe("POS orders in a backfill", () => {
  /** The order as the backfill's bulk query reads it (Order.sourceName). */
  function backfilled(id: number, sourceName: string) {
    let order: OrderLine | null = null;
    const items: LineItemLine[] = [];
    for (const line of orderLines({
      id,
      customer: 7302485617390244561n,
      subtotal: "100.00",
      processedAt: new Date("2026-01-10T10:00:00Z"),
      sourceName,
    })) {
      const parsed = parseBulkLine(JSON.parse(line));
      if (parsed.kind === "order") order = parsed.order;
      else items.push(parsed.item);
    }
    return bulkOrderSnapshot(order!, items);
  }

  it("earn nothing once POS earning is off, by the engine and by the batch path alike", async () => {
    await updateProgram(prisma, SHOP, { settings: { earnOnPos: false } }, new Date());
    const engine = await applyOrderEvent(
      prisma,
      SHOP,
      { type: "backfill", snapshot: backfilled(9501, "pos") },
      new Date(),
    );
    expect(engine).toMatchObject({ points: 0, ignored: "pos order" });
    const batch = await transactionWithSql(prisma, (tx, sql) =>
      applyPaidOrders(tx, sql, SHOP, [backfilled(9502, "pos"), backfilled(9503, "web")], new Date()),
    );
    expect(batch.results.map((r) => [r.orderGid, r.points, r.ignored ?? null])).toEqual([
      ["gid://shopify/Order/9502", 0, "pos order"],
      ["gid://shopify/Order/9503", 500, null],
    ]);
    expect(await balanceOf(CUSTOMER)).toBe(500);
    expect(
      await prisma.orderRecord.findFirstOrThrow({
        where: { shop: SHOP, orderGid: "gid://shopify/Order/9502" },
      }),
    ).toMatchObject({
      sourceName: "pos",
      name: "#9502",
    });
    await expectLedgerConsistent(prisma, SHOP);
  });
});

describe("guest orders", () => {
  it("are held by email and credited once when Shopify creates the customer", async () => {
    await deliver(ordersPaid, "orders/paid", guestBody(9100, "Guest.Shopper@Example.com"));
    const held = await prisma.orderRecord.findFirstOrThrow({ where: { shop: SHOP } });
    expect(held).toMatchObject({ customerGid: null, guestEmail: "guest.shopper@example.com", points: 0 });
    expect(await prisma.member.count({ where: { shop: SHOP } })).toBe(0);

    await deliver(customersCreate, "customers/create", customerBody("guest.shopper@example.com"));
    expect(await balanceOf(NEW_CUSTOMER)).toBe(ORDER_POINTS);
    const credited = await prisma.orderRecord.findFirstOrThrow({ where: { shop: SHOP } });
    expect(credited).toMatchObject({ customerGid: NEW_CUSTOMER, guestEmail: null, points: ORDER_POINTS });
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { shop: SHOP, kind: "EARN" } });
    expect(entry.sourceKey).toBe("order:gid://shopify/Order/9100:paid");

    // The account is activated later (customers/update, state enabled), and Shopify sends both
    // topics again: nothing is credited twice.
    await deliver(customersUpdate, "customers/update", customerBody("guest.shopper@example.com", "enabled"));
    await deliver(customersCreate, "customers/create", customerBody("guest.shopper@example.com"));
    expect(await balanceOf(NEW_CUSTOMER)).toBe(ORDER_POINTS);
    expect(await prisma.ledgerEntry.count({ where: { shop: SHOP, kind: "EARN" } })).toBe(1);
    // The same orders/paid again changes nothing either.
    await deliver(ordersPaid, "orders/paid", guestBody(9100, "guest.shopper@example.com"));
    expect(await balanceOf(NEW_CUSTOMER)).toBe(ORDER_POINTS);
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("held together by the batch path are all credited; another email's and another shop's stay held", async () => {
    for (const [id, email] of [
      [9201, "two@example.com"],
      [9202, "two@example.com"],
      [9203, "someone.else@example.com"],
    ] as const) {
      await receiveWebhook(prisma, {
        shop: SHOP,
        topic: "ORDERS_PAID",
        webhookId: `guest-${id}`,
        rawBody: guestBody(id, email),
        apiVersion: "2026-10",
      });
    }
    await applyInbox(SHOP);
    expect(await prisma.orderRecord.count({ where: { shop: SHOP, guestEmail: { not: null } } })).toBe(3);
    // The same customer in another shop claims nothing here.
    await deliver(customersCreate, "customers/create", customerBody("two@example.com"), OTHER_SHOP);
    expect(await balanceOf(NEW_CUSTOMER, OTHER_SHOP)).toBe(0);
    await deliver(customersCreate, "customers/create", customerBody("two@example.com"));
    expect(await balanceOf(NEW_CUSTOMER)).toBe(2 * ORDER_POINTS);
    expect(
      await prisma.orderRecord.findMany({ where: { shop: SHOP, guestEmail: { not: null } } }),
    ).toMatchObject([{ orderGid: "gid://shopify/Order/9203", customerGid: null }]);
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("an order paid with its customer is never held, and a held one is not taken by a later guest email", async () => {
    await deliver(ordersPaid, "orders/paid", paidBody(9300));
    expect(await prisma.orderRecord.findFirstOrThrow({ where: { shop: SHOP } })).toMatchObject({
      customerGid: CUSTOMER,
      guestEmail: null,
    });
    // A customers/create naming the same email as an order that has its customer moves nothing.
    await deliver(customersCreate, "customers/create", customerBody("maren.okafor@example.com"));
    expect(await balanceOf(NEW_CUSTOMER)).toBe(0);
    expect(await balanceOf(CUSTOMER)).toBe(ORDER_POINTS);
  });
});
