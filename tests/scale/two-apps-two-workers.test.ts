/**
 * Past one machine: two web processes (JOB_WORKER=off) and two worker
 * processes on one PostgreSQL schema, devshop (a local Shopify) in front.
 * The processes run the app's sources through tsx (tests/scale/app-process.ts),
 * so no production build is needed; only when TEST_DATABASE_URL is set.
 *
 *   1. Duplicate storm: devshop sends every event 5 times at once (distinct
 *      webhook ids, one event id), and a round-robin balancer in front of
 *      the two web processes splits the copies between them; orders and
 *      refunds for many customers on two shops (SCALE_CUSTOMERS per shop,
 *      default 8: 70 orders and refunds, 86 events, 430 deliveries;
 *      orders/updated, which moves no points here, is left out). Balances
 *      equal the sums worked out by hand, the ledger equals the balances,
 *      every member's final state is in devshop's metafields, every Flow
 *      event reached Shopify once, and no job ran twice (none retried or
 *      failed).
 *   2. Crash: a batch of redemptions (code-issue jobs) and metafield syncs
 *      with Shopify answering in 150 ms; the first worker to have Shopify
 *      create its second code is killed with SIGKILL before the answer
 *      reaches it (a test edge between each worker and devshop holds it
 *      back), with the rest of its batch in flight; the other stops. Two
 *      workers start again and take the dead worker's jobs and claims once
 *      their short leases run out (tests/scale/worker-crash.test.ts times that).
 *      Every redemption ends ISSUED with exactly one discount code in
 *      devshop, points are spent once, and members are synced to their final
 *      state.
 * About 2.5 minutes on the 2-core development machine at a load average of
 * 9 (others' work), most of it the storm; SCALE_CUSTOMERS=24 gives 208
 * orders and refunds.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { jobs, withJobs } from "~/jobs.server";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { reservePoints } from "~/services/rewards/redeem-reward.server";
import { startDevshop, type Devshop } from "../../devshop/server";
import type { ShopState } from "../../devshop/state";
import {
  APP,
  exited,
  installShop,
  started,
  startAppProcess,
  startEdge,
  stopAll,
  tails,
  until,
  type AppProcess,
} from "./cluster";
import { flowTriggerExtensions } from "../support/flow-extensions";

const SHOPS = ["scale-one.myshopify.com", "scale-two.myshopify.com"];
const CUSTOMERS_PER_SHOP = Number(process.env.SCALE_CUSTOMERS ?? 8);
const COPIES = 5;
/** Events in flight at once, each as COPIES copies. */
const WAVE = 4;

let devshop: Devshop;
let balancer: Server;
let apps: AppProcess[] = [];
/** Requests the balancer sent to each web process. */
const servedBy = new Map<string, number>();
/** Metafield writes devshop received, by customer: the points value of each. */
const pointWrites = new Map<string, string[]>();
let adminLatencyMs = 0;

const start = (name: string, role: "web" | "worker", shopifyOrigin = devshop.url) =>
  startAppProcess(name, role, shopifyOrigin);

/** What each worker's edge does with Shopify's answers (startEdge): the crash test holds one back. */
let onAnswer: (edge: string, requestBody: string) => "deliver" | "drop" = () => "deliver";
const edges: Server[] = [];
async function edgeFor(name: string): Promise<string> {
  const { url, server } = await startEdge(name, devshop.url, (edge, body) => onAnswer(edge, body));
  edges.push(server);
  return url;
}

/** Round-robin over the web processes, as a load balancer in front of N instances. */
async function startBalancer(): Promise<string> {
  let next = 0;
  balancer = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const target = apps[next++ % apps.length]!;
      servedBy.set(target.name, (servedBy.get(target.name) ?? 0) + 1);
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers))
        if (typeof value === "string" && key !== "host" && key !== "connection") headers.set(key, value);
      try {
        const answer = await fetch(`http://127.0.0.1:${target.port}${req.url}`, {
          method: req.method,
          headers,
          ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
        });
        res.writeHead(answer.status, { "Content-Type": answer.headers.get("Content-Type") ?? "text/plain" });
        res.end(Buffer.from(await answer.arrayBuffer()));
      } catch {
        res.writeHead(502).end();
      }
    })();
  });
  await new Promise<void>((resolve) => balancer.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(balancer.address() as AddressInfo).port}`;
}

/** Waits for devshop to deliver everything sent so far (each delivery retried as Shopify does). */
async function delivered() {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    devshop.webhooks.idle(),
    new Promise((_, reject) => {
      timer = setTimeout(() => {
        const stuck = devshop.webhooks.log.filter((d) => d.status !== "delivered").slice(0, 10);
        reject(new Error(`deliveries not done in 30 s: ${JSON.stringify(stuck)}\n${tails()}`));
      }, 30_000);
    }),
  ]);
  clearTimeout(timer);
}

/**
 * Nothing left to do for these shops: every delivery applied from the inbox, no job waiting or
 * running, members synced, Flow sent, codes issued.
 */
async function settled(): Promise<boolean> {
  const [row] = await prisma.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM ${jobs.schema}.job
      WHERE data->>'shop' = ANY($1) AND state IN ('created', 'retry', 'active')`,
    SHOPS,
  );
  const unsynced = await prisma.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "Member" WHERE "syncVersion" > "syncedVersion"`;
  const unsent = await prisma.flowEvent.count({ where: { sentAt: null, skippedAt: null } });
  const reserved = await prisma.redemption.count({ where: { status: "RESERVED" } });
  const inbox = await prisma.webhookDelivery.count({ where: { outcome: "received" } });
  outstanding = { jobs: row!.n, unsynced: unsynced[0]!.n, unsent, reserved, inbox };
  return Object.values(outstanding).every((n) => Number(n) === 0);
}
/** What settled() last found still to do (in a timeout's message). */
let outstanding: Record<string, number> = {};

const productId = (shop: ShopState, title: string) =>
  Object.values(shop.products).find((p) => p.title === title)!.id;

/** Points by customer gid, worked out by hand: 5 points per 1.00, Member tier throughout (under 250.00). */
const expected = new Map<string, number>();
const credit = (gid: string, points: number) => expected.set(gid, (expected.get(gid) ?? 0) + points);

async function balances() {
  const members = await prisma.member.findMany({ select: { id: true, customerGid: true, balance: true } });
  const sums = await prisma.ledgerEntry.groupBy({ by: ["memberId"], _sum: { points: true } });
  const ledger = new Map(sums.map((s) => [s.memberId, s._sum.points ?? 0]));
  return members.map((m) => ({ gid: m.customerGid, balance: m.balance, ledger: ledger.get(m.id) ?? 0 }));
}

function metafieldPoints(gid: string): string | undefined {
  for (const domain of SHOPS) {
    const field = devshop.state.shop(domain).metafields[`${gid}|$app:loyalty|points`];
    if (field) return field.value;
  }
  return undefined;
}

beforeAll(async () => {
  const appUrl = await startBalancer();
  devshop = await startDevshop({ app: APP, appUrl, webhookRetryBaseMs: 200 });
  // Shopify answers each Admin API call after `adminLatencyMs`; every metafield write is noted.
  const run = devshop.adminApi.run.bind(devshop.adminApi);
  devshop.adminApi.run = async (shop, body) => {
    if (adminLatencyMs) await new Promise((resolve) => setTimeout(resolve, adminLatencyMs));
    const answer = await run(shop, body);
    const variables = body.variables as { metafields?: { ownerId: string; key: string; value: string }[] };
    if (typeof body.query === "string" && body.query.includes("metafieldsSet") && answer.status === 200) {
      for (const m of variables?.metafields ?? []) {
        if (m.key === "points") pointWrites.set(m.ownerId, [...(pointWrites.get(m.ownerId) ?? []), m.value]);
      }
    }
    return answer;
  };
  for (const domain of SHOPS) await installShop(devshop, domain);
  apps = await Promise.all([start("web-1", "web"), start("web-2", "web")]);
  await Promise.all([
    start("worker-1", "worker", await edgeFor("worker-1")),
    start("worker-2", "worker", await edgeFor("worker-2")),
  ]);
  // Each merchant turns on a workflow for every trigger: Flow's lifecycle callbacks reach the
  // web processes, and from then on Regulars sends those shops their events.
  for (const domain of SHOPS) {
    for (const trigger of flowTriggerExtensions()) {
      await devshop.flow.set(devshop.state.shop(domain), trigger.handle, true);
    }
  }
}, 180_000);

afterAll(async () => {
  await stopAll();
  await devshop?.close();
  await new Promise((resolve) => balancer?.close(resolve));
  for (const edge of edges) edge.closeAllConnections();
  await Promise.all(edges.map((edge) => new Promise((resolve) => edge.close(resolve))));
});

describe("two web processes and two workers on one PostgreSQL", () => {
  it("a storm of 5 concurrent copies of every delivery, split over both web processes, ends exact", async () => {
    devshop.webhooks.switches.duplicates = COPIES;
    // orders/updated (sent beside every payment and refund) moves no points
    // here and would double the deliveries: this storm leaves it out.
    devshop.config.webhooks.delete("orders/updated");
    let orders = 0;
    let refunds = 0;
    const placed: { shop: ShopState; orderId: string; lineId: string; gid: string }[] = [];
    for (const domain of SHOPS) {
      const shop = devshop.state.shop(domain);
      const customers = Array.from({ length: CUSTOMERS_PER_SHOP }, (_, j) =>
        devshop.commerce.createCustomer(shop, {
          email: `c${j}@${domain.split(".")[0]}.example`,
          firstName: `C${j}`,
          lastName: "Scale",
        }),
      );
      await delivered();
      // Orders in waves (the copies of a wave race each other): socks 20.00 (100 points),
      // 2 mugs 25.00 (125), a tote 35.00 (175), and for every third customer a hoodie 60.00 (300).
      const basket: [string, number, number][] = [
        ["Trail Socks", 1, 100],
        ["Enamel Mug", 2, 125],
        ["Canvas Tote", 1, 175],
        ["Alpine Merino Hoodie", 1, 300],
      ];
      for (const [index, [title, quantity, points]] of basket.entries()) {
        for (let first = 0; first < customers.length; first += WAVE) {
          customers.slice(first, first + WAVE).forEach((customer, k) => {
            if (index === 3 && (first + k) % 3 !== 0) return;
            const order = devshop.commerce.placeOrder(shop, {
              customerId: customer.id,
              lines: [{ productId: productId(shop, title), quantity }],
            });
            const gid = `gid://shopify/Customer/${customer.id}`;
            credit(gid, points);
            orders++;
            if (index === 0) placed.push({ shop, orderId: order.id, lineId: order.lines[0]!.id, gid });
          });
          await delivered();
        }
      }
    }
    // Every customer returns the socks: 100 points back.
    for (const [k, { shop, orderId, lineId, gid }] of placed.entries()) {
      devshop.commerce.refund(shop, orderId, { lines: [{ lineItemId: lineId, quantity: 1 }] });
      credit(gid, -100);
      refunds++;
      if (k % WAVE === WAVE - 1) await delivered();
    }
    await delivered();
    const log = devshop.webhooks.log;
    expect(
      log.filter((d) => d.status !== "delivered"),
      tails(),
    ).toEqual([]);
    expect(orders + refunds).toBeGreaterThanOrEqual(SHOPS.length * CUSTOMERS_PER_SHOP * 4);

    await until("jobs, member syncs and Flow events done", settled, undefined, () => outstanding);

    // Balances: exact, and the ledger agrees.
    const members = await balances();
    expect(members).toHaveLength(SHOPS.length * CUSTOMERS_PER_SHOP);
    for (const m of members) {
      expect({ gid: m.gid, balance: m.balance, ledger: m.ledger }).toEqual({
        gid: m.gid,
        balance: expected.get(m.gid),
        ledger: expected.get(m.gid),
      });
    }
    // Every copy was logged once; one award per order, one reversal per refund.
    const deliveries = await prisma.webhookDelivery.groupBy({ by: ["outcome"], _count: true });
    expect(deliveries.reduce((sum, d) => sum + d._count, 0)).toBe(
      log.filter((d) => SHOPS.includes(d.shop)).length,
    );
    expect(deliveries.filter((d) => d.outcome !== "processed" && d.outcome !== "ignored")).toEqual([]);
    expect(await prisma.ledgerEntry.count({ where: { kind: "EARN" } })).toBe(orders);
    expect(await prisma.ledgerEntry.count({ where: { kind: "REVERSE" } })).toBe(refunds);
    // Both web processes took their share of the copies.
    expect(servedBy.get("web-1")).toBeGreaterThan(log.length / 3);
    expect(servedBy.get("web-2")).toBeGreaterThan(log.length / 3);

    // Shopify's copy: every member's final balance is in its metafield; a
    // member is written at most once per change of theirs (never once per copy).
    for (const m of members) {
      expect(metafieldPoints(m.gid)).toBe(String(m.balance));
      const writes = pointWrites.get(m.gid) ?? [];
      expect(writes.at(-1)).toBe(String(m.balance));
      const changes = await prisma.ledgerEntry.count({ where: { member: { customerGid: m.gid } } });
      expect(writes.length).toBeLessThanOrEqual(changes);
    }
    // Flow heard of every event once (every workflow was on before the storm).
    for (const domain of SHOPS) {
      expect(await prisma.flowEvent.count({ where: { shop: domain, skippedAt: { not: null } } })).toBe(0);
      const events = await prisma.flowEvent.count({ where: { shop: domain } });
      expect(events).toBeGreaterThan(0);
      expect(devshop.state.shop(domain).flowReceipts).toHaveLength(events);
    }
    // No job ran twice: none was retried, none failed, none is left.
    const rows = await prisma.$queryRawUnsafe<{ name: string; state: string; retry_count: number }[]>(
      `SELECT name, state::text, retry_count FROM ${jobs.schema}.job WHERE data->>'shop' = ANY($1)`,
      SHOPS,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.state !== "completed" || r.retry_count > 0)).toEqual([]);
  }, 300_000);

  it("kill -9 of a worker in the middle of redemptions and syncs: after a restart nothing is lost, no code twice", async () => {
    devshop.webhooks.switches.duplicates = 1;
    const members = await prisma.member.findMany({ orderBy: { customerGid: "asc" } });
    const now = new Date();
    await withJobs(async () => {
      for (const m of members) {
        await adjustPoints(
          prisma,
          m.shop,
          {
            customerGid: m.customerGid,
            points: 500,
            reason: "scale test",
            staffId: "scale",
            idempotencyKey: `scale-adjust-${m.id}`,
          },
          now,
        );
        credit(m.customerGid, 500);
      }
    });
    // Shopify takes 150 ms per call from here, and the first worker to have
    // Shopify create its second code dies before the answer reaches it (the
    // code exists, the worker never knew), with the rest of its batch running.
    adminLatencyMs = 150;
    const workers = started.filter((p) => p.name.startsWith("worker"));
    const created = new Map<string, number>();
    let victim: AppProcess | undefined;
    onAnswer = (edge, body) => {
      if (victim || !body.includes("discountCodeBasicCreate")) return "deliver";
      created.set(edge, (created.get(edge) ?? 0) + 1);
      if (created.get(edge)! < 2) return "deliver";
      victim = workers.find((w) => w.name === edge)!;
      victim.child.kill("SIGKILL");
      return "drop";
    };
    const redemptions = await withJobs(async () => {
      const made = [];
      for (const m of members) {
        const redemption = await reservePoints(
          prisma,
          m.shop,
          { customerGid: m.customerGid, rewardKey: "5-off", idempotencyKey: `scale-redeem-${m.id}` },
          now,
        );
        credit(m.customerGid, -500);
        await jobs.send("code-issue", { shop: m.shop, redemptionId: redemption.id });
        made.push(redemption);
      }
      return made;
    });
    const codesIn = () =>
      SHOPS.flatMap((domain) => Object.values(devshop.state.shop(domain).discounts).map((d) => d.code));

    await until("a worker killed while Shopify created a code", async () => victim !== undefined, 60_000);
    const codesAtKill = codesIn().length;
    expect(codesAtKill).toBeLessThan(redemptions.length);
    const survivor = workers.find((w) => w !== victim);
    survivor!.child.kill("SIGTERM");
    await Promise.all([exited(victim!), exited(survivor!)]);

    // The dead worker's jobs are still "active" in pg-boss and its claims are held.
    const [active] = await prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${jobs.schema}.job WHERE state = 'active' AND data->>'shop' = ANY($1)`,
      SHOPS,
    );
    expect(active!.n).toBeGreaterThan(0);
    // No wait to skip: their leases (10 s, app/jobs/lease.ts) run out while the new workers start,
    // which sweep for the dead worker's jobs and run them again.
    await Promise.all([start("worker-3", "worker"), start("worker-4", "worker")]);
    await until(
      "every redemption issued and every member synced after the restart",
      settled,
      undefined,
      () => outstanding,
    );

    const issued = await prisma.redemption.findMany({ where: { id: { in: redemptions.map((r) => r.id) } } });
    expect(issued.map((r) => r.status)).toEqual(redemptions.map(() => "ISSUED"));
    const codes = codesIn();
    for (const r of issued) expect(codes.filter((code) => code === r.code)).toHaveLength(1);
    expect(codes).toHaveLength(redemptions.length);
    // Points were spent once each, and Shopify's copy is the final state.
    for (const m of await balances()) {
      expect({ gid: m.gid, balance: m.balance, ledger: m.ledger }).toEqual({
        gid: m.gid,
        balance: expected.get(m.gid),
        ledger: expected.get(m.gid),
      });
      expect(metafieldPoints(m.gid)).toBe(String(m.balance));
    }
    expect(await prisma.ledgerEntry.count({ where: { kind: "REDEEM" } })).toBe(redemptions.length);
  }, 300_000);
});
