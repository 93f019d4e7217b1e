/**
 * A webhook that records an order while a backfill batch holds that order's
 * member: the webhook has the order's row and waits for the member, the batch
 * has the member and would wait for the order's row. The batch must give way
 * (it gives up waiting after 250 ms, rolls back and runs again), the webhook
 * credits the order, and the batch's retry finds it known: one credit, no
 * deadlock aborting the webhook. On PGlite transactions run one at a time, so
 * the webhook simply goes first; the outcome is the same.
 */
import { beforeAll, afterAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { lockOrder } from "~/db/orders.server";
import { ensureProgram } from "~/db/program.server";
import { findBackfill } from "~/db/backfill-runs.server";
import { runBackfillStep, startBackfill } from "~/services/orders/backfill.server";
import { applyOrderEventIn } from "~/services/orders/order-points.server";
import {
  bulkOrderSnapshot,
  parseBulkLine,
  type LineItemLine,
  type OrderLine,
} from "~/shopify/payloads/bulk-order-lines";
import { adminStandIn, allOrdersScopes } from "../support/admin-stand-in";
import { FIXTURE_ORDER, jsonl, orderLines, serveJsonl, type BulkOrderSpec } from "../support/bulk-jsonl";
import { expectLedgerConsistent } from "../support/ledger-invariant";

const NOW = new Date("2026-03-01T12:00:00Z");
const ORDER_GID = "gid://shopify/Order/6817362940512877913";
const CUSTOMER_GID = "gid://shopify/Customer/7302485617390244561";
let files: Awaited<ReturnType<typeof serveJsonl>>;
let shop: string;
let n = 0;

beforeAll(async () => {
  files = await serveJsonl();
});
afterAll(() => files.close());
beforeEach(async () => {
  shop = `race-${n++}-${process.pid}.myshopify.com`;
  await prisma.shop.create({ data: { domain: shop, installedAt: new Date() } });
  await ensureProgram(prisma, shop);
});

function opening() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return { gate, open };
}

/** Waits until `count` statements on members wait for a row lock. */
async function waitingForMember(count: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const rows = await prisma.$queryRaw<unknown[]>`
      SELECT 1 FROM pg_stat_activity
       WHERE wait_event_type = 'Lock' AND query LIKE '%"Member"%' AND pid <> pg_backend_pid()`;
    if (rows.length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${count} statements never waited for a member`);
}

/** The fixture order as the backfill reads it, for the webhook to deliver the same facts. */
function fixtureSnapshot() {
  const [orderLine, ...itemLines] = orderLines(FIXTURE_ORDER).map((line) => parseBulkLine(JSON.parse(line)));
  const order = (orderLine as { order: OrderLine }).order;
  const items = itemLines.map((line) => (line as { item: LineItemLine }).item);
  return bulkOrderSnapshot(order, items);
}

describe("a webhook holding an order a backfill batch is about to insert", () => {
  it("goes first; the batch retries and finds the order credited; one credit", async () => {
    // GIVEN a backfill of the fixture order and four more orders of the same customer
    const others: BulkOrderSpec[] = Array.from({ length: 4 }, (_, i) => ({
      id: 100 + i,
      customer: 7302485617390244561n,
      subtotal: "20.00",
      processedAt: new Date(Date.UTC(2025, 10, 15 + i)),
    }));
    const file = `race-${shop}`;
    files.put(file, { text: jsonl([FIXTURE_ORDER, ...others]) });
    const shopify = adminStandIn({
      grantedScopes: allOrdersScopes(),
      bulk: { pollsUntilDone: 1, resultUrl: () => files.url(file) },
    });
    const run = await startBackfill(prisma, shop, { from: new Date("2025-01-01"), to: NOW, now: NOW });
    // AND orders/paid for the fixture order has taken its record, not yet its member
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const webhook = prisma.$transaction(
      async (tx) => {
        await lockOrder(tx, shop, ORDER_GID);
        holding();
        await gate;
        return applyOrderEventIn(tx, shop, { type: "paid", snapshot: fixtureSnapshot() }, NOW);
      },
      { timeout: 30_000 },
    );
    await held;
    // WHEN the backfill runs meanwhile, and the webhook carries on 700 ms later
    const backfill = (async () => {
      for (;;) {
        const step = await runBackfillStep(
          { db: prisma, admin: shopify.admin, now: () => NOW },
          shop,
          run.id,
        );
        if (step.next === "done") return findBackfill(prisma, shop, run.id);
      }
    })();
    setTimeout(release, 700);
    const [credited, done] = await Promise.all([webhook, backfill]);
    // THEN the webhook credited the order (630 points), and the backfill only the others
    expect(credited.change).toBe(630);
    expect(done).toMatchObject({ status: "COMPLETED", ordersDone: 5, ordersCredited: 4, pointsAwarded: 400 });
    const member = await prisma.member.findFirstOrThrow({ where: { shop, customerGid: CUSTOMER_GID } });
    expect(member.balance).toBe(1030);
    expect(await prisma.ledgerEntry.count({ where: { shop, orderGid: ORDER_GID } })).toBe(1);
    await expectLedgerConsistent(prisma, shop);
  });

  // Several transactions at once: PostgreSQL only.
  it.runIf(process.env.DB_TARGET === "postgres")(
    "when the webhook waits for the member first, the batch gives way before a deadlock check would abort the webhook",
    async () => {
      // GIVEN the customer is a member already, and a backfill of their fixture order
      await prisma.member.create({ data: { shop, customerGid: CUSTOMER_GID } });
      const file = `race-first-${shop}`;
      files.put(file, { text: jsonl([FIXTURE_ORDER]) });
      const shopify = adminStandIn({
        grantedScopes: allOrdersScopes(),
        bulk: { pollsUntilDone: 1, resultUrl: () => files.url(file) },
      });
      const run = await startBackfill(prisma, shop, { from: new Date("2025-01-01"), to: NOW, now: NOW });
      // AND another transaction holds the member, so that the batch queues for it first...
      const { gate: memberFree, open: freeMember } = opening();
      const holder = prisma.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT id FROM "Member" WHERE shop = ${shop} AND "customerGid" = ${CUSTOMER_GID} FOR UPDATE`;
          await memberFree;
        },
        { timeout: 30_000 },
      );
      const backfill = (async () => {
        for (;;) {
          const step = await runBackfillStep(
            { db: prisma, admin: shopify.admin, now: () => NOW },
            shop,
            run.id,
          );
          if (step.next === "done") return findBackfill(prisma, shop, run.id);
        }
      })();
      await waitingForMember(1);
      // ...and orders/paid takes the order's record, then queues for the member after the batch
      const webhook = prisma.$transaction(
        async (tx) => {
          await lockOrder(tx, shop, ORDER_GID);
          return applyOrderEventIn(tx, shop, { type: "paid", snapshot: fixtureSnapshot() }, NOW);
        },
        { timeout: 30_000 },
      );
      await waitingForMember(2);
      // WHEN the member is free 200 ms later: the batch has it and needs the order's record, while
      // the webhook, waiting since before, will look for a deadlock 1 s after it began to wait
      await new Promise((resolve) => setTimeout(resolve, 200));
      freeMember();
      // THEN the batch gave way (the webhook was not aborted) and the order was credited once
      const [credited, done] = await Promise.all([webhook, backfill, holder]);
      expect(credited.change).toBe(630);
      expect(done).toMatchObject({ status: "COMPLETED", ordersDone: 1, ordersCredited: 0 });
      expect(await prisma.ledgerEntry.count({ where: { shop, orderGid: ORDER_GID } })).toBe(1);
      await expectLedgerConsistent(prisma, shop);
    },
    60_000,
  );
});
