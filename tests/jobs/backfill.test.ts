/**
 * Backfill of past orders: a bulk query in the Admin API stand-in
 * (CREATED -> RUNNING -> COMPLETED with a JSONL URL), its file served from a
 * loopback HTTP server, each batch applied through the points engine in one
 * transaction with the run's progress.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { ensureProgram } from "~/db/program.server";
import { jobs } from "~/jobs.server";
import { jobHandlers } from "~/jobs/job-handlers.server";
import { JobWorker } from "~/jobs/worker.server";
import { action as ordersPaid } from "~/routes/webhooks.orders.paid";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { action as refundsCreate } from "~/routes/webhooks.refunds.create";
import { findBackfill } from "~/db/backfill-runs.server";
import {
  type BackfillError,
  runBackfillStep,
  startBackfill,
  type StepDeps,
} from "~/services/orders/backfill.server";
import { applyOrderEvent } from "~/services/orders/order-points.server";
import { AdminTransientError } from "~/shopify/admin-api/admin-client.server";
import { BulkBusyError } from "~/shopify/admin-api/bulk-orders.server";
import {
  bulkOrderSnapshot,
  parseBulkLine,
  type LineItemLine,
  type OrderLine,
} from "~/shopify/payloads/bulk-order-lines";
import { adminStandIn, allOrdersScopes, requiredScopes, type BulkOptions } from "../support/admin-stand-in";
import { FIXTURE_ORDER, jsonl, orderLines, serveJsonl, type BulkOrderSpec } from "../support/bulk-jsonl";
import { fixtureBody } from "../support/fixtures";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { type callAction, webhookRequest } from "../support/webhooks";
import { deliverAndApply } from "../support/inbox";

const NOW = new Date("2026-03-01T12:00:00Z");
const FROM = new Date("2025-01-01T00:00:00Z");
const TO = new Date("2026-03-01T00:00:00Z");
let n = 0;
let shop: string;
let files: Awaited<ReturnType<typeof serveJsonl>>;
let shopify: ReturnType<typeof adminStandIn>;
/** The file the stand-in's bulk query result points at. */
let currentFile: string;

beforeAll(async () => {
  files = await serveJsonl();
});
afterAll(() => files.close());

/** The shop's Shopify; the merchant granted access to all orders (FROM is over 60 days before NOW). */
function standIn(file: string, bulk: BulkOptions = {}, grantedScopes = allOrdersScopes()) {
  currentFile = file;
  shopify = adminStandIn({
    grantedScopes,
    bulk: { pollsUntilDone: 2, resultUrl: () => files.url(currentFile), ...bulk },
  });
  return shopify;
}

beforeEach(async () => {
  shop = `backfill-${n++}-${process.pid}.myshopify.com`;
  standIn(`file-${shop}`);
  await prisma.shop.create({ data: { domain: shop, installedAt: new Date() } });
  await ensureProgram(prisma, shop);
});

const deps = (overrides: Partial<StepDeps> = {}): StepDeps => ({
  db: prisma,
  admin: shopify.admin,
  now: () => NOW,
  batchSize: 3,
  ...overrides,
});

/** Steps the run until it is finished (polls without waiting). */
async function runToEnd(runId: string, overrides: Partial<StepDeps> = {}) {
  for (let i = 0; i < 50; i++) {
    const step = await runBackfillStep(deps(overrides), shop, runId);
    if (step.next === "done") return findBackfill(prisma, shop, runId).then((r) => r!);
  }
  throw new Error("backfill did not finish");
}

async function backfill(file: string, text: string, overrides: Partial<StepDeps> = {}) {
  files.put(file, { text });
  currentFile = file;
  const run = await startBackfill(prisma, shop, { from: FROM, to: TO, now: NOW });
  return runToEnd(run.id, overrides);
}

const totals = async (theShop = shop) => {
  const members = await prisma.member.findMany({ where: { shop: theShop }, orderBy: { customerGid: "asc" } });
  return {
    balance: members.reduce((sum, m) => sum + m.balance + m.pending, 0),
    entries: await prisma.ledgerEntry.count({ where: { shop: theShop } }),
  };
};

const simple = (i: number, customer: number, subtotal: string): BulkOrderSpec => ({
  id: 1000 + i,
  customer,
  subtotal,
  processedAt: new Date(Date.UTC(2025, 6, 1) + i * 3_600_000),
});

describe("backfill through the job queue", () => {
  it("starts the bulk query, follows it to COMPLETED, reads the file and credits the fixture order 630 points", async () => {
    // GIVEN Shopify's result holds the orders-paid fixture order (126.00 eligible)
    const file = `fixture-${shop}`;
    files.put(file, { text: jsonl([FIXTURE_ORDER]) });
    standIn(file, { pollsUntilDone: 1, rootObjectCount: 1 });
    const run = await startBackfill(prisma, shop, { from: FROM, to: TO, now: NOW });
    await jobs.send("backfill", { shop, runId: run.id });
    // WHEN the worker runs the backfill job
    const worker = new JobWorker(
      jobs,
      jobHandlers({
        db: prisma,
        queue: jobs,
        adminFor: (s) => (s === shop ? shopify.admin : adminStandIn().admin),
        now: () => NOW,
      }),
      { queues: ["backfill"] },
    );
    await worker.drain();
    // THEN the query asked Shopify for processed orders in the range, paid or refunded
    const [operation] = shopify.bulkOperations;
    expect(operation!.query).toContain("processed_at:>='2025-01-01T00:00:00Z'");
    expect(operation!.query).toContain("financial_status:paid OR financial_status:partially_refunded");
    expect(operation!.status).toBe("COMPLETED");
    // AND the run completed with its progress and the order's 630 points, as orders/paid gives
    const done = await findBackfill(prisma, shop, run.id);
    expect(done).toMatchObject({
      status: "COMPLETED",
      activeSlot: null,
      ordersTotal: 1,
      ordersDone: 1,
      ordersCredited: 1,
      pointsAwarded: 630,
      error: null,
    });
    const member = await prisma.member.findFirstOrThrow({ where: { shop } });
    expect(member).toMatchObject({
      customerGid: "gid://shopify/Customer/7302485617390244561",
      email: "maren.okafor@example.com",
      balance: 630,
      orderCount: 1,
    });
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { shop } });
    expect(entry.sourceKey).toBe("order:gid://shopify/Order/6817362940512877913:paid");
  });
});

describe("bonus events limited to collections", () => {
  const WARM = "gid://shopify/Collection/77";
  const HOODIE = 8455190273645510331n;
  // The fixture order's lines: two hoodies (in Warm) at 60.00 less 12.00, another at 20.00 less 2.00.
  const withLines: BulkOrderSpec = {
    ...FIXTURE_ORDER,
    products: [
      { product: HOODIE, quantity: 2, price: "60.00", discount: "12.00" },
      { product: 8455190273645512109n, quantity: 1, price: "20.00", discount: "2.00" },
    ],
  };
  const warmEvent = () =>
    prisma.bonusEvent.create({
      data: {
        shop,
        name: "Warm week",
        startsOn: "2025-11-14",
        endsOn: "2025-11-14",
        timeZone: "UTC",
        startsAt: new Date("2025-11-14T00:00:00Z"),
        endsAt: new Date("2025-11-15T00:00:00Z"),
        kind: "MULTIPLIER",
        multiplierE4: 20_000,
        collections: [{ id: WARM, title: "Warm" }],
      },
    });
  const catalog = {
    products: [`gid://shopify/Product/${HOODIE}`],
    collections: { [WARM]: [`gid://shopify/Product/${HOODIE}`] },
  };

  it("credit a past order by its lines' share in the collection, looked up before its batch", async () => {
    await warmEvent();
    const file = `warm-${shop}`;
    shopify = adminStandIn({
      grantedScopes: [...allOrdersScopes(), "read_products"],
      catalog,
      bulk: { pollsUntilDone: 1, resultUrl: () => files.url(file) },
    });
    const done = await backfill(file, jsonl([withLines]));
    // 126.00 at 5 points: 630, and the hoodies' 108.00 doubled: 540 more.
    expect(done).toMatchObject({ status: "COMPLETED", pointsAwarded: 1170 });
    expect(shopify.calls.filter((call) => call.operation === "ProductsInCollection")).toHaveLength(1);
    await expectLedgerConsistent(prisma, shop);
  });

  it("credit nothing while Shopify refuses the lookup, and the bonus once it answers", async () => {
    await warmEvent();
    const file = `warm-refused-${shop}`;
    files.put(file, { text: jsonl([withLines]) });
    currentFile = file;
    shopify = adminStandIn({
      grantedScopes: allOrdersScopes(),
      catalog,
      bulk: { pollsUntilDone: 1, resultUrl: () => files.url(file) },
    });
    const run = await startBackfill(prisma, shop, { from: FROM, to: TO, now: NOW });
    await expect(runToEnd(run.id)).rejects.toThrow(/read_products/);
    expect((await totals()).balance).toBe(0);
    // The merchant grants read_products again: the job's retry credits the order once.
    shopify = adminStandIn({
      grantedScopes: [...allOrdersScopes(), "read_products"],
      catalog,
      bulk: { pollsUntilDone: 1, resultUrl: () => files.url(file) },
    });
    expect(await runToEnd(run.id)).toMatchObject({ status: "COMPLETED", pointsAwarded: 1170 });
    expect((await totals()).balance).toBe(1170);
  });
});

describe("the same points as the engine", () => {
  it("a history crossing tiers, batches and every kind of order earns what orders/paid would", async () => {
    // GIVEN both shops with a pending period, and a history of three customers: Silver at
    // 250.00 and Gold at 1,000.00 (x1.25, x1.5) are crossed mid-batch and across batches
    const other = `engine-${shop}`;
    await prisma.shop.create({ data: { domain: other, installedAt: new Date() } });
    await ensureProgram(prisma, other);
    await prisma.program.updateMany({ where: { shop: { in: [shop, other] } }, data: { pendingDays: 14 } });
    const day = (d: number) => new Date(Date.UTC(2025, 5, 1) + d * 86_400_000);
    const specs: BulkOrderSpec[] = [
      { id: 1, customer: 11, subtotal: "120.00", processedAt: day(0) },
      { id: 2, customer: 12, subtotal: "80.00", tax: "8.00", shipping: "5.00", processedAt: day(1) },
      { id: 3, customer: 11, subtotal: "160.00", processedAt: day(2) }, // 11 reaches Silver
      { id: 4, customer: 11, subtotal: "99.99", processedAt: day(3) }, // earns x1.25
      { id: 5, customer: null, subtotal: "500.00", processedAt: day(4) }, // no customer
      { id: 6, customer: 12, subtotal: "300.00", test: true, processedAt: day(5) }, // test order
      { id: 7, customer: 13, subtotal: "75.00", giftCard: "25.00", processedAt: day(6) }, // 50 eligible
      { id: 8, customer: 12, subtotal: "40.00", cancelled: true, processedAt: day(7) }, // cancelled
      { id: 9, customer: 11, subtotal: "700.00", processedAt: day(8) }, // 11 reaches Gold
      { id: 10, customer: 11, subtotal: "10.00", processedAt: day(9) }, // earns x1.5
      { id: 11, customer: 13, subtotal: "0.00", status: "REFUNDED", refunds: [91], processedAt: day(10) },
      { id: 12, customer: 12, subtotal: "33.33", status: "PENDING", processedAt: day(11) }, // not paid
      {
        id: 13,
        customer: 12,
        subtotal: "250.00",
        status: "PARTIALLY_REFUNDED",
        refunds: [92],
        processedAt: day(12),
      },
      { id: 14, customer: 14, subtotal: "20.00", processedAt: new Date("2024-06-01T00:00:00Z") }, // outside window
    ];
    const text = jsonl(specs);
    // WHEN the backfill reads it in batches of 3 orders
    const run = await backfill(`history-${shop}`, text);
    expect(run).toMatchObject({ status: "COMPLETED", ordersDone: 14 });
    // AND the engine takes the same orders one by one as orders/paid, with the same clock
    let order: OrderLine | null = null;
    let items: LineItemLine[] = [];
    const snapshots = [];
    for (const line of text.trim().split("\n")) {
      const parsed = parseBulkLine(JSON.parse(line));
      if (parsed.kind === "lineItem") {
        items.push(parsed.item);
        continue;
      }
      if (order) snapshots.push(bulkOrderSnapshot(order, items));
      order = parsed.order;
      items = [];
    }
    snapshots.push(bulkOrderSnapshot(order!, items));
    for (const snapshot of snapshots) {
      if (snapshot.orderGid === "gid://shopify/Order/12") continue; // not paid: not in a backfill's credit
      await applyOrderEvent(prisma, other, { type: "paid", snapshot }, NOW);
    }
    // THEN members, orders and ledger are the same in both shops
    const members = (s: string) =>
      prisma.member.findMany({
        where: { shop: s },
        orderBy: { customerGid: "asc" },
        select: {
          customerGid: true,
          balance: true,
          pending: true,
          tierKey: true,
          tierHeldUntil: true,
          tierChangedAt: true,
          orderCount: true,
          totalSpentMilli: true,
          lastOrderAt: true,
          lastActivityAt: true,
          email: true,
        },
      });
    const orders = (s: string) =>
      prisma.orderRecord.findMany({
        where: { shop: s, paidAt: { not: null } },
        orderBy: { orderGid: "asc" },
        select: {
          orderGid: true,
          customerGid: true,
          points: true,
          pendingPoints: true,
          netEligibleMilli: true,
          rateE4: true,
          multiplierE4: true,
          releaseAt: true,
          releasedAt: true,
          cancelledAt: true,
          test: true,
          merchandiseMilli: true,
          giftCardsMilli: true,
        },
      });
    const ledger = (s: string) =>
      prisma.ledgerEntry.findMany({
        where: { shop: s },
        orderBy: { id: "asc" },
        select: { kind: true, points: true, pendingPoints: true, sourceKey: true, multiplierE4: true },
      });
    const backfilled = await members(shop);
    expect(backfilled).toEqual(await members(other));
    expect(await orders(shop)).toEqual(await orders(other));
    expect(new Set(await ledger(shop))).toEqual(new Set(await ledger(other)));
    // AND the history did what it says: tiers reached, multipliers applied, nothing for the rest
    const byCustomer = Object.fromEntries(backfilled.map((m) => [m.customerGid.split("/").pop(), m]));
    expect(byCustomer["11"]!.tierKey).toBe("gold");
    // 120*5 + 160*5 + floor(99.99*5*1.25) + 700*5*1.25 + floor(10*5*1.5)
    expect(byCustomer["11"]!.pending).toBe(600 + 800 + 624 + 4375 + 75);
    expect(byCustomer["12"]!.pending).toBe(400 + 1250);
    expect(byCustomer["13"]!.pending).toBe(250);
    expect(run.pointsAwarded).toBe(600 + 800 + 624 + 4375 + 75 + 400 + 1250 + 250 + 100);
    await expectLedgerConsistent(prisma, shop);
  });
});

describe("idempotent with live webhooks", () => {
  const deliver = (action: Parameters<typeof callAction>[0], topic: string, rawBody: string) =>
    deliverAndApply(action, webhookRequest({ topic, shop, body: null, rawBody }));
  const balance = async () => (await prisma.member.findFirstOrThrow({ where: { shop } })).balance;

  it("an order credited by orders/paid before the backfill is not credited again", async () => {
    // GIVEN orders/paid credited the fixture order 630 points
    expect((await deliver(ordersPaid, "orders/paid", fixtureBody("orders-paid"))).status).toBe(200);
    expect(await balance()).toBe(630);
    // WHEN a backfill reads the same order
    standIn(`before-${shop}`);
    const run = await backfill(`before-${shop}`, jsonl([FIXTURE_ORDER]));
    // THEN it changes nothing
    expect(run).toMatchObject({ status: "COMPLETED", ordersDone: 1, ordersCredited: 0, pointsAwarded: 0 });
    expect(await balance()).toBe(630);
    expect(await prisma.ledgerEntry.count({ where: { shop } })).toBe(1);
  });

  it("orders/paid arriving after the backfill does not double, and a refund it already saw is not taken twice", async () => {
    // GIVEN a backfill credited the fixture order, already partly refunded in Shopify: the hoodie
    // (54.00) and the gift card; current subtotal 72.00, so 360 points
    standIn(`after-${shop}`);
    const refunded: BulkOrderSpec = {
      ...FIXTURE_ORDER,
      subtotal: "72.00",
      tax: "4.32",
      giftCardQuantity: 0,
      status: "PARTIALLY_REFUNDED",
      refunds: [1289034756120398455n],
      updatedAt: new Date("2025-11-20T14:02:13Z"),
    };
    const run = await backfill(`after-${shop}`, jsonl([refunded]));
    expect(run.pointsAwarded).toBe(360);
    // WHEN the delayed webhooks arrive: orders/paid, refunds/create for that refund, orders/updated
    await deliver(ordersPaid, "orders/paid", fixtureBody("orders-paid"));
    expect(await balance()).toBe(360);
    await deliver(refundsCreate, "refunds/create", fixtureBody("refunds-create"));
    expect(await balance()).toBe(360);
    await deliver(ordersUpdated, "orders/updated", fixtureBody("orders-updated"));
    // THEN 360 points, one award entry, nothing reversed
    expect(await balance()).toBe(360);
    const entries = await prisma.ledgerEntry.findMany({ where: { shop } });
    expect(entries.map((e) => [e.kind, e.points])).toEqual([["EARN", 360]]);
    await expectLedgerConsistent(prisma, shop);
  });

  it("a webhook racing the backfill's batch credits the order once", async () => {
    standIn(`race-${shop}`);
    files.put(`race-${shop}`, { text: jsonl([FIXTURE_ORDER, simple(1, 5, "10.00")]) });
    const run = await startBackfill(prisma, shop, { from: FROM, to: TO, now: NOW });
    // WHEN orders/paid and the backfill run at the same time
    await Promise.all([runToEnd(run.id), deliver(ordersPaid, "orders/paid", fixtureBody("orders-paid"))]);
    // THEN the order earned 630 once, whoever came first
    const member = await prisma.member.findFirstOrThrow({
      where: { shop, customerGid: "gid://shopify/Customer/7302485617390244561" },
    });
    expect(member.balance).toBe(630);
    expect(
      await prisma.ledgerEntry.count({
        where: { shop, orderGid: "gid://shopify/Order/6817362940512877913" },
      }),
    ).toBe(1);
    await expectLedgerConsistent(prisma, shop);
  });
});

describe("resumable", () => {
  const history = Array.from({ length: 20 }, (_, i) => simple(i, 100 + (i % 4), `${10 + i}.50`));
  // floor((10 + i + 0.5) * 5) each
  const expected = history.reduce((sum, _, i) => sum + Math.floor((10 + i + 0.5) * 5), 0);

  const dyingAt = (batch: number) => {
    let batches = 0;
    return {
      onBatch: () => {
        if (++batches === batch) throw new Error("killed");
      },
    };
  };
  const staged = () => prisma.backfillOrder.count({ where: { shop } });

  it("a crash after a batch committed resumes where it stopped: reading with a Range request, then crediting; totals exact", async () => {
    const file = `crash-${shop}`;
    standIn(file);
    files.put(file, { text: jsonl(history) });
    const run = await startBackfill(prisma, shop, { from: FROM, to: TO, now: NOW });
    // WHEN the process dies right after its second batch of the file was staged
    await expect(runToEnd(run.id, dyingAt(2))).rejects.toThrow("killed");
    const reading = (await findBackfill(prisma, shop, run.id))!;
    expect(reading).toMatchObject({ status: "PROCESSING", ordersRead: 6, ordersDone: 0, linesDone: 18 });
    expect(reading.fileReadAt).toBeNull();
    expect(await staged()).toBe(6);
    expect(await totals()).toEqual({ balance: 0, entries: 0 });
    // AND its restart dies after the rest of the file (5 batches of 3 orders and less) and one
    // customer's orders (5, more than a batch: that customer alone) were credited
    const before = files.requests.length;
    await expect(runToEnd(run.id, dyingAt(6))).rejects.toThrow("killed");
    expect(files.requests.slice(before)).toEqual([
      { path: file, range: `bytes=${reading.bytesDone.toString()}-` },
    ]);
    const crediting = (await findBackfill(prisma, shop, run.id))!;
    const first = history.filter((_, i) => i % 4 === 0);
    const firstPoints = first.reduce((sum, o) => sum + Math.floor(Number(o.subtotal) * 5), 0);
    expect(crediting).toMatchObject({
      ordersRead: 20,
      ordersDone: 5,
      ordersCredited: 5,
      pointsAwarded: firstPoints,
      creditedThrough: "gid://shopify/Customer/100",
    });
    expect(crediting.fileReadAt).not.toBeNull();
    expect(await totals()).toEqual({ balance: firstPoints, entries: 5 });
    // THEN the next restart credits the rest without reading the file again; staged orders are gone
    const done = await runToEnd(run.id);
    expect(files.requests.length).toBe(before + 1);
    expect(done).toMatchObject({
      status: "COMPLETED",
      ordersDone: 20,
      ordersCredited: 20,
      pointsAwarded: expected,
    });
    expect(await totals()).toEqual({ balance: expected, entries: 20 });
    expect(await staged()).toBe(0);
    await expectLedgerConsistent(prisma, shop);
  });

  it("a download cut mid-batch is retried from the last commit; totals exact", async () => {
    const file = `cut-${shop}`;
    standIn(file);
    const text = jsonl(history);
    files.put(file, { text });
    const run = await startBackfill(prisma, shop, { from: FROM, to: TO, now: NOW });
    // WHEN the connection drops in the middle of the file (after 11 full lines and part of one)
    const cut = text.split("\n").slice(0, 11).join("\n").length + 20;
    files.cutNextAfter(cut);
    await expect(runToEnd(run.id)).rejects.toThrow();
    const halfway = (await findBackfill(prisma, shop, run.id))!;
    expect(halfway.linesDone).toBe(9); // three whole orders per batch, 3 lines each
    // THEN the retry finishes with every order credited once
    const done = await runToEnd(run.id);
    expect(done).toMatchObject({ status: "COMPLETED", ordersCredited: 20, pointsAwarded: expected });
    expect(await totals()).toEqual({ balance: expected, entries: 20 });
  });

  it("a server that ignores Range gets the lines already committed skipped", async () => {
    const file = `norange-${shop}`;
    standIn(file);
    files.put(file, { text: jsonl(history) });
    const run = await startBackfill(prisma, shop, { from: FROM, to: TO, now: NOW });
    await expect(runToEnd(run.id, dyingAt(3))).rejects.toThrow("killed");
    // WHEN the restart's server sends the whole file (200, no Range support)
    const done = await runToEnd(run.id, {
      fetch: (input, init) => fetch(input, { ...init, headers: {} }),
    });
    expect(done).toMatchObject({ status: "COMPLETED", pointsAwarded: expected });
    expect(await totals()).toEqual({ balance: expected, entries: 20 });
  });
});

describe("bad input", () => {
  it("a line that is not JSON stops the run with its line number before any point is credited; a new run credits every order once", async () => {
    const specs = Array.from({ length: 10 }, (_, i) => simple(i, 200 + i, "20.00"));
    const lines = specs.flatMap(orderLines);
    const broken = [
      ...lines.slice(0, 22),
      '{"id":"gid://shopify/Order/1022", "createdAt":',
      ...lines.slice(22),
    ];
    const file = `bad-${shop}`;
    standIn(file);
    // WHEN the backfill reads it (orders of 3 lines, batches of 3 orders: line 23 is in the third batch)
    const run = await backfill(file, broken.join("\n") + "\n");
    // THEN the run failed, naming the line, with nothing credited: the two batches read are dropped
    expect(run.status).toBe("FAILED");
    expect(run.error).toMatch(/line 23: not JSON/);
    expect(run).toMatchObject({ ordersRead: 6, ordersCredited: 0, pointsAwarded: 0, linesDone: 18 });
    expect(await totals()).toEqual({ balance: 0, entries: 0 });
    expect(await prisma.backfillOrder.count({ where: { shop } })).toBe(0);
    // AND a new backfill of the good file credits all 10, each once
    files.put(file, { text: lines.join("\n") + "\n" });
    const again = await startBackfill(prisma, shop, { from: FROM, to: TO, now: NOW });
    const done = await runToEnd(again.id);
    expect(done).toMatchObject({
      status: "COMPLETED",
      ordersDone: 10,
      ordersCredited: 10,
      pointsAwarded: 1000,
    });
    expect(await totals()).toEqual({ balance: 1000, entries: 10 });
    await expectLedgerConsistent(prisma, shop);
  });

  it("a line item that does not follow its order, or a malformed order, is named", async () => {
    const [order, item] = orderLines(simple(1, 300, "20.00"));
    const stray = item!.replace("gid://shopify/Order/1001", "gid://shopify/Order/999");
    standIn(`stray-${shop}`);
    const run = await backfill(`stray-${shop}`, [order, stray].join("\n") + "\n");
    expect(run.status).toBe("FAILED");
    expect(run.error).toMatch(
      /line 2: line item .* of gid:\/\/shopify\/Order\/999 does not follow its order/,
    );
    const malformed = order!.replace('"currencyCode":"EUR"', '"currencyCode":"EURO"');
    const second = await backfill(`stray-${shop}`, malformed + "\n");
    expect(second.error).toMatch(/line 1: malformed order line: currencyCode/);
    expect(await prisma.ledgerEntry.count({ where: { shop } })).toBe(0);
  });
});

describe("one at a time", () => {
  it("a second backfill while one runs is refused; Shopify's busy answer is tried again later, not a failure", async () => {
    standIn(`busy-${shop}`);
    files.put(`busy-${shop}`, { text: jsonl([simple(1, 1, "1.00")]) });
    const first = await startBackfill(prisma, shop, { from: FROM, to: TO, now: NOW });
    await expect(startBackfill(prisma, shop, { from: FROM, to: TO, now: NOW })).rejects.toMatchObject({
      status: 409,
    } satisfies Partial<BackfillError>);
    // GIVEN Shopify already runs five bulk queries for the app (started elsewhere): its limit since 2026-01
    for (let i = 0; i < 5; i++) {
      shopify.root.bulkOperationRunQuery({
        query: "query Other { orders { edges { node { id } } } }",
        groupObjects: false,
      });
    }
    // WHEN the backfill's first step asks for its query, Shopify answers LIMIT_REACHED
    const busy = await runBackfillStep(deps(), shop, first.id).catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(BulkBusyError);
    expect(busy).toBeInstanceOf(AdminTransientError); // the job is retried with backoff
    expect((busy as Error).message).toMatch(/LIMIT_REACHED/);
    // THEN the run is still waiting to start, not failed
    expect((await findBackfill(prisma, shop, first.id))!.status).toBe("PENDING");
    // AND once Shopify's other queries are over, the same run starts and finishes
    for (const operation of shopify.bulkOperations) operation.status = "COMPLETED";
    const done = await runToEnd(first.id);
    expect(done).toMatchObject({ status: "COMPLETED", ordersCredited: 1 });
  });

  it("a failed bulk query with partial data credits what it returned and says so", async () => {
    standIn(`partial-${shop}`, { failWith: "TIMEOUT" });
    const run = await backfill(`partial-${shop}`, jsonl([simple(1, 1, "10.00"), simple(2, 2, "20.00")]));
    expect(run).toMatchObject({ status: "FAILED", partial: true, ordersCredited: 2, pointsAwarded: 150 });
    expect(run.error).toMatch(/TIMEOUT.*credited.*again/);
  });

  it("a backfill with nothing to read completes with no orders", async () => {
    shopify = adminStandIn({
      grantedScopes: allOrdersScopes(),
      bulk: { pollsUntilDone: 1, resultUrl: () => null },
    });
    const run = await startBackfill(prisma, shop, { from: FROM, to: TO, now: NOW });
    expect(await runToEnd(run.id)).toMatchObject({ status: "COMPLETED", ordersTotal: 0, ordersDone: 0 });
  });

  it("an older backfill whose access to all orders is gone when it starts fails, saying why, before asking for orders", async () => {
    // GIVEN read_all_orders was revoked after the backfill (from 14 months back) was started
    standIn(`revoked-${shop}`, {}, requiredScopes());
    const run = await startBackfill(prisma, shop, { from: FROM, to: TO, now: NOW });
    // WHEN its job starts
    const done = await runToEnd(run.id);
    // THEN it fails with the reason instead of reading the 60 days Shopify would share
    expect(done.status).toBe("FAILED");
    expect(done.error).toMatch(/last 60 days of orders without access to all orders.*on or after 2026-01-01/);
    expect(shopify.bulkOperations).toEqual([]);
    expect(shopify.calls.map((call) => call.operation)).toEqual(["GrantedScopes"]);
  });

  it("a backfill of the last 60 days starts its bulk query without asking about access to all orders", async () => {
    standIn(`recent-${shop}`, { pollsUntilDone: 1 }, requiredScopes());
    files.put(`recent-${shop}`, { text: jsonl([simple(1, 1, "10.00")]) });
    const run = await startBackfill(prisma, shop, {
      from: new Date("2026-01-01T00:00:00Z"),
      to: TO,
      now: NOW,
    });
    await runToEnd(run.id);
    expect(shopify.calls[0]!.operation).toBe("RunBulkQuery");
    expect(shopify.calls.map((call) => call.operation)).not.toContain("GrantedScopes");
  });

  it("bad dates are refused and nothing is written", async () => {
    await expect(startBackfill(prisma, shop, { from: TO, to: FROM, now: NOW })).rejects.toMatchObject({
      status: 422,
      field: "from",
    });
    await expect(
      startBackfill(prisma, shop, { from: FROM, to: new Date("2027-01-01T00:00:00Z"), now: NOW }),
    ).rejects.toMatchObject({ status: 422, field: "to" });
    expect(await prisma.backfillRun.count({ where: { shop } })).toBe(0);
  });
});
