/**
 * Customers with an excluded tag and B2B orders earn nothing and see no program
 * (docs/decisions/0021-exclusions.md): signed deliveries through the inbox on the single and the
 * batch paths, a backfill through the engine and the set path, the account-created bonus, the
 * app proxy's status; on both databases.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { updateProgram } from "~/services/program/program-settings.server";
import { action as customersCreate } from "~/routes/webhooks.customers.create";
import { action as customersUpdate } from "~/routes/webhooks.customers.update";
import { action as ordersPaid } from "~/routes/webhooks.orders.paid";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { loader as statusLoader } from "~/routes/proxy.status";
import { receiveWebhook } from "~/services/webhooks/inbox.server";
import { transactionWithSql } from "~/db/sql-in-transaction.server";
import { applyOrderEvent } from "~/services/orders/order-points.server";
import { applyPaidOrders } from "~/services/orders/order-points-batch.server";
import { forgetProgramExplainer } from "~/services/program/program-explainer-cache.server";
import {
  bulkOrderSnapshot,
  parseBulkLine,
  type LineItemLine,
  type OrderLine,
} from "~/shopify/payloads/bulk-order-lines";
import { orderLines, type BulkOrderSpec } from "../support/bulk-jsonl";
import { type callAction, webhookRequest } from "../support/webhooks";
import { applyInbox, deliverAndApply } from "../support/inbox";
import { fixtureBody } from "../support/fixtures";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { proxyRequest } from "../support/proxy-requests";
import { resetLoyaltyData } from "../support/reset";
import { installShop } from "../support/shops";
import { shopifyForShop } from "../support/shopify-for-shop";

const SHOP = "exclusions.myshopify.com";
const CUSTOMER_ID = 7302485617390244561n;
const CUSTOMER = `gid://shopify/Customer/${CUSTOMER_ID}`;
/** What the fixture order earns at the default rate (126.00 of eligible merchandise, 5 a unit). */
const ORDER_POINTS = 630;
type Action = Parameters<typeof callAction>[0];
const deliver = (action: Action, topic: string, rawBody: string, shop = SHOP) =>
  deliverAndApply(action, webhookRequest({ topic, shop, body: null, rawBody }));

/** orders/paid of the fixture as order `id`, its customer carrying `tags` (Shopify's comma list). */
const paidBody = (id: number, tags: string, overrides: Record<string, unknown> = {}) => {
  const base = JSON.parse(fixtureBody("orders-paid")) as { customer: Record<string, unknown> };
  return fixtureBody("orders-paid", {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${id}`,
    refunds: [],
    customer: { ...base.customer, tags },
    ...overrides,
  });
};
const balanceOf = async (customerGid = CUSTOMER, shop = SHOP) =>
  (await prisma.member.findFirst({ where: { shop, customerGid } }))?.balance ?? 0;
const excludeTags = (shop = SHOP) =>
  updateProgram(prisma, shop, { settings: { excludedTags: ["Wholesale", "staff"] } }, new Date());

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  await installShop(prisma, SHOP);
});

describe("customers with an excluded tag", () => {
  it("earn nothing for an order, compared without case; the member keeps the order's tags", async () => {
    await excludeTags();
    const res = await deliver(ordersPaid, "orders/paid", paidBody(9001, "VIP, WHOLESALE"));
    expect(res.status).toBe(200);
    expect(await balanceOf()).toBe(0);
    const delivery = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop: SHOP } });
    expect(delivery.detail).toContain("excluded customer");
    expect(await prisma.member.findFirstOrThrow({ where: { shop: SHOP } })).toMatchObject({
      tags: ["VIP", "WHOLESALE"],
    });
    const order = await prisma.orderRecord.findFirstOrThrow({ where: { shop: SHOP } });
    expect(order).toMatchObject({ points: 0, awardedAt: null });
    // A tag that only contains the word does not count.
    await deliver(ordersPaid, "orders/paid", paidBody(9002, "wholesaler"));
    expect(await balanceOf()).toBe(ORDER_POINTS);
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("earn nothing on the batch path either; the others in the same batch do", async () => {
    await excludeTags();
    for (const [id, tags] of [
      [9011, "staff"],
      [9012, ""],
      [9013, "Staff"],
    ] as const) {
      await receiveWebhook(prisma, {
        shop: SHOP,
        topic: "ORDERS_PAID",
        webhookId: `batch-${id}`,
        rawBody: paidBody(id, tags),
        apiVersion: "2026-10",
      });
    }
    await applyInbox(SHOP);
    // The same customer: staff, then untagged (earns), then staff again.
    expect(await balanceOf()).toBe(ORDER_POINTS);
    const earned = await prisma.orderRecord.findMany({ where: { shop: SHOP, points: { gt: 0 } } });
    expect(earned.map((o) => o.orderGid)).toEqual(["gid://shopify/Order/9012"]);
    expect((await prisma.member.findFirstOrThrow({ where: { shop: SHOP } })).tags).toEqual(["Staff"]);
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("keep what they earned before the tag; a refund still takes back; new orders earn nothing", async () => {
    await deliver(ordersPaid, "orders/paid", paidBody(9021, ""));
    expect(await balanceOf()).toBe(ORDER_POINTS);
    await excludeTags();
    // Tagged later (customers/update carries the tags).
    await deliver(
      customersUpdate,
      "customers/update",
      fixtureBody("customers-update", { tags: "wholesale" }),
    );
    expect(await balanceOf()).toBe(ORDER_POINTS);
    await deliver(refundsCreate, "refunds/create", fixtureBody("refunds-create", { order_id: 9021 }));
    const afterRefund = await balanceOf();
    expect(afterRefund).toBeLessThan(ORDER_POINTS);
    // An order that does not carry the customer's tags is checked with the stored ones.
    const withoutTags = JSON.parse(paidBody(9022, "")) as { customer: Record<string, unknown> };
    delete withoutTags.customer.tags;
    await deliver(ordersPaid, "orders/paid", JSON.stringify(withoutTags));
    expect(await balanceOf()).toBe(afterRefund);
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("get no account-created bonus", async () => {
    await updateProgram(
      prisma,
      SHOP,
      { settings: { excludedTags: ["staff"], signupBonus: 100 } },
      new Date(),
    );
    await deliver(customersUpdate, "customers/update", fixtureBody("customers-update", { tags: "staff" }));
    expect(await balanceOf()).toBe(0);
    await deliver(customersCreate, "customers/create", fixtureBody("customers-create", { tags: "" }));
    // Untagged now; enabled: the bonus is paid once.
    await deliver(customersUpdate, "customers/update", fixtureBody("customers-update", { tags: "VIP" }));
    expect(await balanceOf()).toBe(100);
  });
});

describe("B2B orders", () => {
  it("earn nothing (a company on the order), alone and in a batch; the order records it", async () => {
    const company = { id: 8012345, location_id: 9012345 };
    await deliver(ordersPaid, "orders/paid", paidBody(9101, "", { company }));
    expect(await balanceOf()).toBe(0);
    const delivery = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop: SHOP } });
    expect(delivery.detail).toContain("b2b order");
    for (const [id, b2b] of [
      [9102, true],
      [9103, false],
    ] as const) {
      await receiveWebhook(prisma, {
        shop: SHOP,
        topic: "ORDERS_PAID",
        webhookId: `b2b-${id}`,
        rawBody: paidBody(id, "", { company: b2b ? company : null }),
        apiVersion: "2026-10",
      });
    }
    await applyInbox(SHOP);
    expect(await balanceOf()).toBe(ORDER_POINTS);
    const orders = await prisma.orderRecord.findMany({ where: { shop: SHOP }, orderBy: { orderGid: "asc" } });
    expect(orders.map((o) => [o.orderGid, o.b2b, o.points])).toEqual([
      ["gid://shopify/Order/9101", true, 0],
      ["gid://shopify/Order/9102", true, 0],
      ["gid://shopify/Order/9103", false, ORDER_POINTS],
    ]);
    await expectLedgerConsistent(prisma, SHOP);
  });
});

describe("exclusions in a backfill", () => {
  function backfilled(id: number, spec: Partial<BulkOrderSpec>) {
    let order: OrderLine | null = null;
    const items: LineItemLine[] = [];
    for (const line of orderLines({
      id,
      customer: CUSTOMER_ID,
      subtotal: "100.00",
      processedAt: new Date("2026-01-10T10:00:00Z"),
      ...spec,
    })) {
      const parsed = parseBulkLine(JSON.parse(line));
      if (parsed.kind === "order") order = parsed.order;
      else items.push(parsed.item);
    }
    return bulkOrderSnapshot(order!, items);
  }

  it("the engine and the set path leave out the same orders: excluded tags and companies", async () => {
    await excludeTags();
    const engine = await applyOrderEvent(
      prisma,
      SHOP,
      { type: "backfill", snapshot: backfilled(9501, { customerTags: ["wholesale"] }) },
      new Date(),
    );
    expect(engine).toMatchObject({ points: 0, ignored: "excluded customer" });
    const batch = await transactionWithSql(prisma, (tx, sql) =>
      applyPaidOrders(
        tx,
        sql,
        SHOP,
        [
          backfilled(9502, { purchasingEntity: 77n, customerTags: [] }),
          backfilled(9503, { purchasingEntity: "customer", customerTags: [] }),
          // No tags on the line: the stored ones ([] since 9502) decide.
          backfilled(9504, {}),
          backfilled(9505, { customerTags: ["STAFF"] }),
          backfilled(9506, {}),
        ],
        new Date(),
      ),
    );
    expect(batch.results.map((r) => [r.orderGid, r.points, r.ignored ?? null])).toEqual([
      ["gid://shopify/Order/9502", 0, "b2b order"],
      ["gid://shopify/Order/9503", 500, null],
      ["gid://shopify/Order/9504", 500, null],
      ["gid://shopify/Order/9505", 0, "excluded customer"],
      ["gid://shopify/Order/9506", 0, "excluded customer"],
    ]);
    expect(await balanceOf()).toBe(1000);
    expect((await prisma.member.findFirstOrThrow({ where: { shop: SHOP } })).tags).toEqual(["STAFF"]);
    // A later batch whose line has no tags: the member's stored ones decide.
    const later = await transactionWithSql(prisma, (tx, sql) =>
      applyPaidOrders(tx, sql, SHOP, [backfilled(9507, {})], new Date()),
    );
    expect(later.results[0]).toMatchObject({ points: 0, ignored: "excluded customer" });
    await expectLedgerConsistent(prisma, SHOP);
  });
});

describe("the storefront status", () => {
  const status = async (customerId: string) => {
    const request = await proxyRequest("status", { shop: TEST_SHOP, customerId });
    return statusLoader({ request, params: {}, context: {} });
  };

  it("says not eligible, with nothing personal and nothing of the program, to an excluded customer", async () => {
    await resetLoyaltyData(prisma);
    forgetProgramExplainer(TEST_SHOP);
    await prisma.session.deleteMany();
    const { edge } = await shopifyForShop(prisma, TEST_SHOP, "shpat_exclusions");
    await installShop(prisma, TEST_SHOP);
    try {
      await deliver(ordersPaid, "orders/paid", paidBody(9601, "VIP"), TEST_SHOP);
      const member = await (await status(String(CUSTOMER_ID))).json();
      expect(member).toMatchObject({ loggedIn: true, points: ORDER_POINTS });
      await excludeTags(TEST_SHOP);
      forgetProgramExplainer(TEST_SHOP);
      await deliver(
        customersUpdate,
        "customers/update",
        fixtureBody("customers-update", { tags: "VIP, Wholesale" }),
        TEST_SHOP,
      );
      const res = await status(String(CUSTOMER_ID));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ loggedIn: true, eligible: false, reason: "excluded" });
      // Their points stay theirs (the merchant sees them on the customer's page).
      expect(await balanceOf(CUSTOMER, TEST_SHOP)).toBe(ORDER_POINTS);
      const html = await proxyRequest("status", {
        shop: TEST_SHOP,
        customerId: String(CUSTOMER_ID),
        query: { format: "html" },
      });
      const page = await (await statusLoader({ request: html, params: {}, context: {} })).text();
      expect(page).not.toMatch(/points|Earn/);
    } finally {
      edge?.restore();
    }
  });
});
