/**
 * The inbox's leases (app/db/deliveries.server.ts, holdingDeliveries): a
 * live worker's heartbeat keeps what it claimed; a worker that stops beating
 * gives it back when its short lease ends; and a worker that stalled past its
 * lease, whose deliveries another worker took, can neither renew them nor
 * overwrite what the other records (outcome, retry, lease). The numbers here
 * are small (a lease of a few hundred ms) so the tests are quick; production
 * uses LEASE_MS and HEARTBEAT_MS (app/jobs/lease.ts).
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import {
  claimDeliveries,
  deferDelivery,
  finishAppliedDeliveries,
  finishDelivery,
  holdingDeliveries,
} from "~/db/deliveries.server";
import { transactionWithSql } from "~/db/sql-in-transaction.server";
import { receiveWebhook } from "~/services/webhooks/inbox.server";
import { fixtureBody } from "../support/fixtures";
import { installShop } from "../support/shops";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
function signal() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
/** A heartbeat that never comes within a test: the worker is stalled. */
const STALLED = 600_000;

async function receive(shop: string, count: number) {
  await installShop(prisma, shop);
  for (let i = 0; i < count; i++) {
    await receiveWebhook(prisma, {
      shop,
      webhookId: `${shop}-${i}`,
      topic: "ORDERS_PAID",
      rawBody: fixtureBody("orders-paid"),
    });
  }
}

const rows = (shop: string) =>
  prisma.webhookDelivery.findMany({
    where: { shop },
    orderBy: { webhookId: "asc" },
    select: { id: true, outcome: true, detail: true, applyAfter: true, applyAttempts: true },
  });

describe("inbox leases", () => {
  it("a live worker's heartbeat keeps its deliveries past the lease; once it stops, they come due", async () => {
    const shop = "heartbeat.myshopify.com";
    await receive(shop, 3);
    let held = 0;
    await holdingDeliveries(
      prisma,
      async () => {
        held = (await claimDeliveries(prisma, { shop, limit: 10, leaseMs: 300 })).length;
        // Three leases long: without the heartbeat another claim would take them after 300 ms.
        for (let i = 0; i < 9; i++) {
          await sleep(100);
          expect(await claimDeliveries(prisma, { shop, limit: 10, leaseMs: 300 })).toEqual([]);
        }
      },
      50,
    );
    expect(held).toBe(3);
    // The worker is done with them without finishing them (it died, say): the lease runs out.
    expect(await claimDeliveries(prisma, { shop, limit: 10, leaseMs: 300 })).toEqual([]);
    await sleep(400);
    const again = await claimDeliveries(prisma, { shop, limit: 10, leaseMs: 60_000 });
    expect(again.map((d) => d.applyAttempts)).toEqual([2, 2, 2]);
  });

  it("a worker that stalled past its lease neither renews nor finishes what another worker took", async () => {
    const shop = "stalled.myshopify.com";
    await receive(shop, 3);
    let taken: string[] = [];
    let leaseOfB: Date[] = [];
    const bTook = signal();
    const aDone = signal();

    // Worker A: claims, then stalls (its first heartbeat comes after 1.5 s, well past its 150 ms lease).
    const workerA = holdingDeliveries(
      prisma,
      async () => {
        const mine = await claimDeliveries(prisma, { shop, limit: 10, leaseMs: 150 });
        expect(mine).toHaveLength(3);
        await bTook.promise;
        await sleep(1_800); // A's late heartbeat runs meanwhile: it must not shorten B's lease.
        // A wakes up and records what it would have: a failure, a retry, an applied batch.
        const [first, second, third] = mine;
        await finishDelivery(prisma, shop, first!.id, "failed", "worker A gave up", new Date());
        await deferDelivery(prisma, shop, second!.id, "worker A retries later", 3_600_000);
        await transactionWithSql(prisma, (_tx, sql) =>
          finishAppliedDeliveries(
            sql,
            shop,
            [{ id: third!.id, outcome: "ignored", detail: "A" }],
            new Date(),
          ),
        );
        aDone.resolve();
      },
      1_500,
    );

    // Worker B: takes them once A's lease ended, and holds them with a long lease (no beat needed).
    const workerB = holdingDeliveries(
      prisma,
      async () => {
        await sleep(250);
        const mine = await claimDeliveries(prisma, { shop, limit: 10, leaseMs: 30_000 });
        taken = mine.map((d) => d.id);
        leaseOfB = (await rows(shop)).map((r) => r.applyAfter);
        bTook.resolve();
        await aDone.promise;
        // Nothing A did reached B's deliveries: still waiting, under B's lease, no note of A's.
        expect((await rows(shop)).map((r) => [r.outcome, r.detail, r.applyAfter.getTime()])).toEqual(
          leaseOfB.map((until) => ["received", null, until.getTime()]),
        );
        // Another worker finds nothing due (A's late heartbeat did not shorten B's lease to its own).
        expect(await claimDeliveries(prisma, { shop, limit: 10, leaseMs: 1_000 })).toEqual([]);
        // B records its outcomes.
        for (const id of taken)
          await finishDelivery(prisma, shop, id, "processed", "+630 points", new Date());
      },
      STALLED,
    );
    await Promise.all([workerA, workerB]);
    expect(taken).toHaveLength(3);
    expect((await rows(shop)).map((r) => [r.outcome, r.detail, r.applyAttempts])).toEqual([
      ["processed", "+630 points", 2],
      ["processed", "+630 points", 2],
      ["processed", "+630 points", 2],
    ]);
  });

  it("a retry given back by its holder is not renewed by the heartbeat", async () => {
    const shop = "deferred.myshopify.com";
    await receive(shop, 1);
    await holdingDeliveries(
      prisma,
      async () => {
        const [delivery] = await claimDeliveries(prisma, { shop, limit: 10, leaseMs: 60_000 });
        await deferDelivery(prisma, shop, delivery!.id, "try later", 100);
        await sleep(300); // heartbeats meanwhile
        const [again] = await claimDeliveries(prisma, { shop, limit: 10, leaseMs: 60_000 });
        expect(again).toMatchObject({ id: delivery!.id, applyAttempts: 2 });
      },
      50,
    );
  });

  it("outside holdingDeliveries, outcomes are recorded as before (tests, one-off drains)", async () => {
    const shop = "unscoped.myshopify.com";
    await receive(shop, 1);
    const [delivery] = await claimDeliveries(prisma, { shop, limit: 10, leaseMs: 60_000 });
    await finishDelivery(prisma, shop, delivery!.id, "processed", null, new Date());
    expect((await rows(shop))[0]).toMatchObject({ outcome: "processed" });
  });
});
