/**
 * customers/redact, after a customer has left every kind of trace Regulars
 * keeps: the identity from customers/create and customers/update, a paid and
 * refunded order, ledger entries (signup bonus, order, staff adjustment,
 * redemption), an issued code and a code Shopify refused, Flow events sent
 * and unsent, a data request, a win-back code, the webhook log, and jobs
 * (queued, completed with their output, failed with their error). Then no
 * column of any table, in the app's schema or the job queue's, both listed
 * from the database, holds the customer's email, first or last name, phone
 * or Shopify customer id; another shop's customer keeps everything.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { jobs, withJobs } from "~/jobs.server";
import { jobHandlers } from "~/jobs/job-handlers.server";
import { JobWorker } from "~/jobs/worker.server";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { updateProgram } from "~/services/program/program-settings.server";
import { redeemReward } from "~/services/rewards/redeem-reward.server";
import { action as compliance } from "~/routes/webhooks.compliance";
import { action as customersCreate } from "~/routes/webhooks.customers.create";
import { action as customersUpdate } from "~/routes/webhooks.customers.update";
import { action as ordersPaid } from "~/routes/webhooks.orders.paid";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { stageOrders } from "~/db/backfill-orders.server";
import { transactionWithSql } from "~/db/sql-in-transaction.server";
import { startBackfill } from "~/services/orders/backfill.server";
import { NO_PARTS } from "~/loyalty/eligible";
import type { OrderSnapshot } from "~/shopify/payloads/order-payload";
import { encodeSnapshot } from "~/shopify/payloads/order-snapshot-text";
import { adminStandIn } from "../support/admin-stand-in";
import { rawFixture } from "../support/fixtures";
import { storeOfflineSession } from "../support/sessions";
import { listenToEveryTrigger } from "../support/flow-callbacks";
import { callAction, webhookRequest } from "../support/webhooks";
import { applyInbox, deliverAndApply } from "../support/inbox";

const SHOP = "gdpr-shop.myshopify.com";
const OTHER_SHOP = "gdpr-other.myshopify.com";
const CUSTOMER_ID = "7302485617390244561";
const CUSTOMER = `gid://shopify/Customer/${CUSTOMER_ID}`;
/** What the fixtures say of the customer (tests/fixtures/shopify). */
const TRACES = {
  email: "maren.okafor@example.com",
  "first name": "Maren",
  "last name": "Okafor",
  phone: "2155550143",
  "customer id": CUSTOMER_ID,
};
const OTHER_CUSTOMER = "gid://shopify/Customer/880001";

type Action = Parameters<typeof callAction>[0];
const deliver = (action: Action, topic: string, body: string, path?: string) =>
  deliverAndApply(action, webhookRequest({ topic, shop: SHOP, body: null, rawBody: body, path }));
const compliancePayload = (extra: string) =>
  `{"shop_id":954889,"shop_domain":"${SHOP}","customer":{"id":${CUSTOMER_ID},"email":"${TRACES.email}","phone":"+1${TRACES.phone}"},${extra}}`;

let shopify: ReturnType<typeof adminStandIn>;
const worker = () =>
  new JobWorker(
    jobs,
    jobHandlers({
      db: prisma,
      queue: jobs,
      adminFor: (shop) => (shop === SHOP ? shopify.admin : adminStandIn().admin),
      now: () => new Date(),
    }),
    { sleep: async () => {} },
  );

/** Every column of every table of both schemas, as text, searched for each trace (case-insensitive). */
async function findTraces(): Promise<string[]> {
  const columns = await prisma.$queryRawUnsafe<{ schema: string; table: string; column: string }[]>(
    `SELECT c.table_schema::text AS schema, c.table_name::text AS table, c.column_name::text AS column
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE t.table_type = 'BASE TABLE' AND c.table_schema IN (current_schema(), $1)
      ORDER BY 1, 2, 3`,
    jobs.schema,
  );
  expect(new Set(columns.map((c) => c.schema)).size).toBe(2);
  const patterns = Object.values(TRACES).map((trace) => `%${trace.replace(/[%_\\]/g, "\\$&")}%`);
  const found: string[] = [];
  for (const { schema, table, column } of columns) {
    const rows = await prisma.$queryRawUnsafe<{ value: string }[]>(
      `SELECT "${column}"::text AS value FROM "${schema}"."${table}" WHERE "${column}"::text ILIKE ANY($1::text[])`,
      patterns,
    );
    for (const { value } of rows) {
      const which = Object.entries(TRACES)
        .filter(([, trace]) => value.toLowerCase().includes(trace.toLowerCase()))
        .map(([name]) => name);
      found.push(`${schema}.${table}.${column} holds the ${which.join(", ")}: ${value.slice(0, 120)}`);
    }
  }
  return found;
}

beforeAll(async () => {
  shopify = adminStandIn();
  // GIVEN a customer who signed up (a bonus), ordered, got a refund, asked for their data,
  await prisma.shop.create({ data: { domain: SHOP, installedAt: new Date() } });
  await storeOfflineSession(prisma, SHOP, { accessToken: "shpat_gdpr", scope: process.env.SCOPES! });
  // ... whose merchant runs Flow workflows on Regulars' triggers,
  await listenToEveryTrigger(prisma, SHOP);
  await updateProgram(prisma, SHOP, { settings: { signupBonus: 100 } }, new Date());
  for (const [action, topic, body] of [
    [customersCreate, "customers/create", rawFixture("customers-create")],
    [customersUpdate, "customers/update", rawFixture("customers-update")],
    [ordersPaid, "orders/paid", rawFixture("orders-paid")],
    [refundsCreate, "refunds/create", rawFixture("refunds-create")],
  ] as const) {
    expect((await deliver(action, topic, body)).status, topic).toBe(200);
  }
  const dataRequest = await deliver(
    compliance,
    "customers/data_request",
    compliancePayload('"orders_requested":[6817362940512877913],"data_request":{"id":9999}'),
    "/webhooks/compliance",
  );
  expect(dataRequest.status).toBe(200);
  // ... was given points by staff, redeemed a code, had another refused by Shopify,
  // (staff wrote the email into the reason, as staff do)
  const grant = (shop: string, customerGid: string, key: string, reason = `Goodwill for ${TRACES.email}`) =>
    withJobs(() =>
      adjustPoints(
        prisma,
        shop,
        { customerGid, points: 3000, reason, staffId: "staff-1", idempotencyKey: key },
        new Date(),
      ),
    );
  await grant(SHOP, CUSTOMER, "gdpr-grant-1");
  const redeem = (admin: typeof shopify.admin, key: string) =>
    withJobs(() =>
      redeemReward(
        prisma,
        admin,
        SHOP,
        { customerGid: CUSTOMER, rewardKey: "5-off", idempotencyKey: key },
        new Date(),
      ),
    );
  expect((await redeem(shopify.admin, "gdpr-redeem-1")).status).toBe("ISSUED");
  expect((await redeem(adminStandIn({ rejectCustomers: [CUSTOMER] }).admin, "gdpr-redeem-2")).status).toBe(
    "FAILED",
  );
  // ... got a win-back code,
  await prisma.campaign.create({
    data: {
      shop: SHOP,
      idempotencyKey: "gdpr-campaign-1",
      name: "Come back",
      tag: "Regulars win-back GDPR",
      inactiveDays: 90,
      minOrders: 1,
      offerType: "PERCENTAGE",
      percentBps: 1000,
      validDays: 7,
      recipientCount: 1,
      launchedAt: new Date(),
      endsAt: new Date(Date.now() + 7 * 86_400_000),
      recipients: { create: [{ shop: SHOP, customerGid: CUSTOMER, code: "GDPRSH-WINB-ACK1" }] },
    },
  });
  // ... and whose jobs ran (one failed once, on a 5xx), leaving Flow events sent and unsent;
  shopify.faults.push("5xx");
  await worker().drain();
  await grant(SHOP, CUSTOMER, "gdpr-grant-2");
  expect((await redeem(shopify.admin, "gdpr-redeem-3")).status).toBe("ISSUED");
  // ... and two deliveries about them not applied yet: one waiting out a retry's backoff,
  // one given up after its tries (both still hold their bodies, with the customer's data);
  for (const [webhookId, outcome] of [
    ["gdpr-waiting", "received"],
    ["gdpr-gave-up", "failed"],
  ] as const) {
    const body = rawFixture("orders-paid").replaceAll(
      "6817362940512877913",
      webhookId === "gdpr-waiting" ? "71" : "72",
    );
    expect(
      (
        await callAction(
          ordersPaid,
          webhookRequest({ topic: "orders/paid", shop: SHOP, body: null, rawBody: body, webhookId }),
        )
      ).status,
    ).toBe(200);
    await prisma.$executeRaw`UPDATE "WebhookDelivery" SET outcome = ${outcome},
      "applyAfter" = CURRENT_TIMESTAMP + interval '1 hour' WHERE shop = ${SHOP} AND "webhookId" = ${webhookId}`;
  }
  // ... and a backfill in progress that has read one of their past orders, not credited yet;
  const backfill = await startBackfill(prisma, SHOP, {
    from: new Date("2024-01-01"),
    to: new Date("2025-01-01"),
    now: new Date(),
  });
  const pastOrder: OrderSnapshot = {
    orderGid: "gid://shopify/Order/73",
    name: "#1073",
    updatedAt: new Date("2024-05-01"),
    paidAt: new Date("2024-05-01"),
    test: false,
    cancelled: false,
    currency: "EUR",
    taxesIncluded: false,
    gross: { ...NO_PARTS, merchandise: 20_000n },
    refunds: [],
    customer: {
      customerGid: CUSTOMER,
      email: TRACES.email,
      firstName: TRACES["first name"],
      lastName: TRACES["last name"],
      state: "ENABLED",
      tags: [],
      tagsPresent: false,
    },
    discountCodes: [],
  };
  await transactionWithSql(prisma, (_tx, sql) =>
    stageOrders(sql, SHOP, backfill.id, [
      { groupKey: CUSTOMER, line: 1, snapshot: encodeSnapshot(pastOrder) },
    ]),
  );
  // AND another shop's customer with a history of their own
  await grant(OTHER_SHOP, OTHER_CUSTOMER, "gdpr-other-1", "Goodwill");

  const seeded = {
    orders: await prisma.orderRecord.count({ where: { shop: SHOP, customerGid: CUSTOMER } }),
    ledger: await prisma.ledgerEntry.count({ where: { shop: SHOP } }),
    redemptions: await prisma.redemption.groupBy({ by: ["status"], where: { shop: SHOP }, _count: true }),
    flowSent: await prisma.flowEvent.count({ where: { shop: SHOP, sentAt: { not: null } } }),
    flowUnsent: await prisma.flowEvent.count({ where: { shop: SHOP, sentAt: null } }),
    dataRequests: await prisma.dataRequest.count({ where: { shop: SHOP } }),
    stagedOrders: await prisma.backfillOrder.count({ where: { shop: SHOP } }),
    deliveries: await prisma.webhookDelivery.count({ where: { shop: SHOP } }),
    jobs: await prisma.$queryRawUnsafe<{ state: string }[]>(
      `SELECT DISTINCT state::text AS state FROM ${jobs.schema}.job WHERE data->>'shop' = $1`,
      SHOP,
    ),
  };
  expect(seeded).toMatchObject({ orders: 1, dataRequests: 1, deliveries: 7, stagedOrders: 1 });
  expect(seeded.ledger).toBeGreaterThanOrEqual(5);
  expect(seeded.redemptions.map((r) => r.status).sort()).toEqual(["FAILED", "ISSUED"]);
  expect(seeded.flowSent).toBeGreaterThan(0);
  expect(seeded.flowUnsent).toBeGreaterThan(0);
  expect(seeded.jobs.map((j) => j.state)).toEqual(expect.arrayContaining(["completed", "created"]));
  expect(await findTraces()).not.toEqual([]);
}, 120_000);

describe("customers/redact", () => {
  it("leaves no trace of the customer's email, name, phone or Shopify id in any column of any table", async () => {
    // WHEN Shopify asks to redact the customer
    const res = await deliver(
      compliance,
      "customers/redact",
      compliancePayload('"orders_to_redact":[6817362940512877913]'),
      "/webhooks/compliance",
    );
    expect(res.status).toBe(200);
    // THEN nothing of them is left, in either schema
    expect(await findTraces()).toEqual([]);
    // AND the jobs queued before the redaction finish without bringing anything back
    const report = await worker().drain();
    expect(report.failed).toBe(0);
    expect(await findTraces()).toEqual([]);
    // AND the deliveries about them that were never applied are ignored for good
    expect(
      await prisma.webhookDelivery.findMany({
        where: { shop: SHOP, webhookId: { in: ["gdpr-waiting", "gdpr-gave-up"] } },
        select: { outcome: true, payload: true },
      }),
    ).toEqual([
      { outcome: "ignored", payload: null },
      { outcome: "ignored", payload: null },
    ]);
    expect(await applyInbox(SHOP)).toEqual({ applied: 0, retried: 0, failed: 0 });
    // AND the shop's figures that are not about the customer stay: the order, without its customer
    expect(
      await prisma.orderRecord.findMany({ where: { shop: SHOP }, select: { customerGid: true } }),
    ).toEqual([{ customerGid: null }]);
  });

  it("the other shop's customer keeps everything", async () => {
    const member = await prisma.member.findFirstOrThrow({
      where: { shop: OTHER_SHOP, customerGid: OTHER_CUSTOMER },
    });
    expect(member.balance).toBe(3000);
    expect(await prisma.ledgerEntry.count({ where: { shop: OTHER_SHOP, memberId: member.id } })).toBe(1);
  });
});
