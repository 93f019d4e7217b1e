/**
 * Everything Regulars does on Shopify runs as durable jobs (pg-boss on the
 * test's own database) against the Admin API stand-in, which validates every
 * document against the 2026-10 schema.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { jobs, withJobs } from "~/jobs.server";
import { jobHandlers } from "~/jobs/job-handlers.server";
import { JobWorker, type JobHandlers } from "~/jobs/worker.server";
import { parseMilli } from "~/loyalty/money";
import { ensureProgram } from "~/db/program.server";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { runDailyMaintenance } from "~/services/shops/daily-maintenance.server";
import { applyOrderEvent } from "~/services/orders/order-points.server";
import { updateProgram } from "~/services/program/program-settings.server";
import { redeemReward, reservePoints } from "~/services/rewards/redeem-reward.server";
import type { AdminGraphql } from "~/shopify/admin-api/admin-client.server";
import { NAMESPACE } from "~/shopify/admin-api/member-metafields.server";
import { adminStandIn } from "../support/admin-stand-in";
import { listenToEveryTrigger } from "../support/flow-callbacks";
import { flowTriggerExtensions } from "../support/flow-extensions";
import { snapshot } from "../support/order-events";

const CUSTOMER = "gid://shopify/Customer/7302485617";
let n = 0;
let shop: string;
let shopify: ReturnType<typeof adminStandIn>;
let sleeps: number[];

/** Jobs left by earlier tests (a retry that fell due) go to their own shop's Shopify, not this test's. */
const adminOf = (admin: () => AdminGraphql) => (jobShop: string) =>
  jobShop === shop ? admin() : adminStandIn().admin;

function worker(options: { handlers?: (handlers: JobHandlers) => JobHandlers } = {}) {
  const handlers = jobHandlers({
    db: prisma,
    queue: jobs,
    adminFor: adminOf(() => shopify.admin),
    now: () => new Date(),
  });
  return new JobWorker(jobs, options.handlers ? options.handlers(handlers) : handlers, {
    sleep: async (ms) => void sleeps.push(ms),
  });
}

const adjust = (points: number, key: string, customerGid = CUSTOMER) =>
  withJobs(() =>
    adjustPoints(
      prisma,
      shop,
      { customerGid, points, reason: "Goodwill", staffId: "staff-1", idempotencyKey: key },
      new Date(),
    ),
  );

const metafield = (customerGid: string, key: string) =>
  shopify.metafields.get(`${customerGid}|${NAMESPACE}|${key}`)?.value;

async function jobStates(queue: string) {
  const rows = await prisma.$queryRawUnsafe<{ state: string; n: number }[]>(
    `SELECT state::text, count(*)::int AS n FROM ${jobs.schema}.job WHERE name = $1 AND data->>'shop' = $2 GROUP BY state`,
    queue,
    shop,
  );
  return Object.fromEntries(rows.map((row) => [row.state, Number(row.n)]));
}

beforeEach(async () => {
  shop = `jobs-${n++}-${process.pid}.myshopify.com`;
  shopify = adminStandIn();
  sleeps = [];
  await prisma.shop.create({ data: { domain: shop, installedAt: new Date() } });
  // The program exists and Shopify knows it, so each test sees only its own jobs.
  await ensureProgram(prisma, shop);
  await prisma.program.update({ where: { shop }, data: { syncedVersion: 1 } });
});

describe("member sync jobs", () => {
  it("a change queues a sync that writes the metafields and the tier tag; nothing is left to do", async () => {
    // GIVEN a member who gets 120 points
    await adjust(120, "adjust-key-1");
    // WHEN the worker runs what was queued
    const report = await worker().drain();
    // THEN Shopify has the balance and the tier tag, and the sync is recorded
    expect(report.failed).toBe(0);
    expect(metafield(CUSTOMER, "points")).toBe("120");
    expect(metafield(CUSTOMER, "tier")).toBe("Member");
    expect(shopify.tags.get(CUSTOMER)).toEqual(new Set(["Regulars Member"]));
    const member = await prisma.member.findFirstOrThrow({ where: { shop } });
    expect(member.syncedVersion).toBe(member.syncVersion);
    expect(member.tierTag).toBe("Regulars Member");
    expect(await jobStates("member-sync")).toEqual({ completed: 1 });
  });

  it("a burst of 50 changes to one member queues few syncs and ends on the final state", async () => {
    await adjust(1, "burst-key-0");
    await Promise.all(Array.from({ length: 50 }, (_, i) => adjust(10, `burst-key-${i + 1}`)));
    const queued = await jobStates("member-sync");
    // One job waits per member: the burst collapsed into it.
    expect(queued).toEqual({ created: 1 });
    await worker().drain();
    expect(metafield(CUSTOMER, "points")).toBe("501");
    const writes = shopify.calls.filter((call) => call.operation === "MetafieldsSet").length;
    expect(writes).toBe(1);
  });

  it("a throttled call waits as long as throttleStatus says, then succeeds in the same attempt", async () => {
    await adjust(40, "throttle-key-1");
    shopify.faults.push("throttled");
    const report = await worker().drain();
    // requestedQueryCost 10, currentlyAvailable 5, restoreRate 100/s: 50 ms, at least 1 s.
    expect(sleeps).toEqual([1000]);
    expect(report).toMatchObject({ completed: 1, failed: 0, throttleWaits: 1 });
    expect(metafield(CUSTOMER, "points")).toBe("40");
  });

  it("an HTTP 429 waits what its Retry-After says, then succeeds in the same attempt", async () => {
    await adjust(40, "throttle-429-key-1");
    shopify.faults.push("429");
    const report = await worker().drain();
    // Shopify's answer said Retry-After: 2.0 (seconds).
    expect(sleeps).toEqual([2000]);
    expect(report).toMatchObject({ completed: 1, failed: 0, throttleWaits: 1 });
    expect(metafield(CUSTOMER, "points")).toBe("40");
  });

  it("a 5xx fails the attempt and pg-boss retries it later, with backoff", async () => {
    await adjust(40, "fault-key-1");
    shopify.faults.push("5xx");
    const report = await worker().drain();
    expect(report).toMatchObject({ completed: 0, failed: 1 });
    const rows = await prisma.$queryRawUnsafe(
      `SELECT state::text, retry_count, start_after > now() AS later FROM ${jobs.schema}.job
        WHERE name = 'member-sync' AND data->>'shop' = $1`,
      shop,
    );
    // pg-boss counts a retry when it starts it; this one waits for its backoff.
    expect(rows).toEqual([{ state: "retry", retry_count: 0, later: true }]);
    expect((await prisma.member.findFirstOrThrow({ where: { shop } })).syncError).toMatch(/502/);
  });

  it("a job out of retries is a dead letter the shop can list and retry; another shop cannot", async () => {
    await adjust(40, "dead-key-1");
    const member = await prisma.member.findFirstOrThrow({ where: { shop } });
    await prisma.$executeRawUnsafe(`DELETE FROM ${jobs.schema}.job WHERE data->>'shop' = $1`, shop);
    // A job with no retries left, as after its last backoff.
    const id = await jobs.boss.send("member-sync", { shop, memberId: member.id }, { retryLimit: 0 });
    shopify.faults.push("5xx");
    await worker().drain();
    const dead = await jobs.listFailed(shop);
    expect(dead).toEqual([
      expect.objectContaining({
        id,
        queue: "member-sync",
        error: expect.stringMatching(/HTTP 502/),
        attempts: 1,
      }),
    ]);
    expect(await jobs.listFailed("other-shop.myshopify.com")).toEqual([]);
    expect(await jobs.retryFailed("other-shop.myshopify.com", id!)).toBe(false);
    expect(await jobs.retryFailed(shop, id!)).toBe(true);
    await worker().drain();
    expect(await jobs.listFailed(shop)).toEqual([]);
    expect(metafield(CUSTOMER, "points")).toBe("40");
  });

  it("a change whose job was never queued (a crash after commit) is found by the reconcile job", async () => {
    // No withJobs: as if the process died between the commit and the enqueue.
    await adjustPoints(
      prisma,
      shop,
      { customerGid: CUSTOMER, points: 75, reason: "Lost", staffId: "s", idempotencyKey: "lost-key-1" },
      new Date(),
    );
    expect(await jobStates("member-sync")).toEqual({});
    await jobs.send("reconcile", {});
    await worker().drain();
    expect(metafield(CUSTOMER, "points")).toBe("75");
  });

  it("skips a shop that uninstalled the app", async () => {
    await adjust(40, "gone-key-1");
    await prisma.shop.update({ where: { domain: shop }, data: { uninstalledAt: new Date() } });
    await worker().drain();
    expect(shopify.calls).toEqual([]);
  });

  it("two workers on one queue never run a job twice", async () => {
    const customers = Array.from({ length: 30 }, (_, i) => `gid://shopify/Customer/${9000 + i}`);
    await Promise.all(customers.map((customer, i) => adjust(10 + i, `many-key-${i}`, customer)));
    const ran: string[] = [];
    const counting = (handlers: JobHandlers): JobHandlers => ({
      ...handlers,
      "member-sync": (data, job) => {
        // An earlier test's retry may fall due during the drain: count this shop's jobs only.
        if (data.shop === shop) ran.push(job.id);
        return handlers["member-sync"](data, job);
      },
    });
    await Promise.all([worker({ handlers: counting }).drain(), worker({ handlers: counting }).drain()]);
    expect(new Set(ran).size).toBe(ran.length);
    expect(ran.length).toBe(30);
    customers.forEach((customer, i) => expect(metafield(customer, "points")).toBe(String(10 + i)));
  });
});

describe("tiers, rewards, program facts and Flow", () => {
  // The merchant has workflows on for every trigger (Flow sends only to shops that listen).
  beforeEach(() => listenToEveryTrigger(prisma, shop));

  it("reaching a tier moves the tag, issues the tier's free entry reward once, and tells Flow", async () => {
    // GIVEN Silver gives the 5.00 reward on entry
    await updateProgram(
      prisma,
      shop,
      {
        tiers: [
          { key: "member", name: "Member", threshold: 0n, multiplierE4: 10_000 },
          {
            key: "silver",
            name: "Silver",
            threshold: parseMilli("250.00"),
            multiplierE4: 12_500,
            entryRewardKey: "5-off",
          },
        ],
      },
      new Date(),
    );
    await adjust(10, "before-key-1");
    await worker().drain();
    expect(shopify.tags.get(CUSTOMER)).toEqual(new Set(["Regulars Member"]));

    // WHEN an order of 300.00 is paid (and delivered twice)
    const order = {
      type: "paid" as const,
      snapshot: snapshot({
        orderGid: "gid://shopify/Order/1",
        customerGid: CUSTOMER,
        updatedAt: new Date(),
        merchandise: parseMilli("300.00"),
      }),
    };
    await withJobs(() => applyOrderEvent(prisma, shop, order, new Date()));
    await withJobs(() => applyOrderEvent(prisma, shop, order, new Date()));
    await worker().drain();

    // THEN the tag moved, one free code exists for that customer, and Flow heard three events
    expect(shopify.tags.get(CUSTOMER)).toEqual(new Set(["Regulars Silver"]));
    const redemptions = await prisma.redemption.findMany({ where: { shop } });
    expect(redemptions).toEqual([
      expect.objectContaining({ source: "TIER_ENTRY", pointsCost: 0, status: "ISSUED", rewardKey: "5-off" }),
    ]);
    expect([...shopify.codes.values()]).toEqual([
      expect.objectContaining({
        input: expect.objectContaining({ context: { customers: { add: [CUSTOMER] } } }),
      }),
    ]);
    const member = await prisma.member.findFirstOrThrow({ where: { shop } });
    expect(member.balance).toBe(10 + 1500); // the free code cost nothing
    expect(JSON.parse(metafield(CUSTOMER, "codes")!)).toEqual([
      expect.objectContaining({ code: redemptions[0]!.code }),
    ]);
    const handles = shopify.flowReceipts.map((receipt) => receipt.handle);
    expect(handles.filter((h) => h === "regulars-points-earned")).toHaveLength(1);
    expect(handles.filter((h) => h === "regulars-tier-changed")).toHaveLength(1);
    expect(handles.filter((h) => h === "regulars-reward-issued")).toHaveLength(1);
    expect(shopify.flowReceipts.find((r) => r.handle === "regulars-tier-changed")!.payload).toEqual({
      customer_id: 7302485617,
      "Previous tier": "Member",
      "New tier": "Silver",
    });
    expect(await prisma.flowEvent.count({ where: { shop, sentAt: null } })).toBe(0);
    // Every payload carries exactly the fields its extension declares.
    const declared = new Map(flowTriggerExtensions().map((e) => [e.handle, [...e.payloadKeys].sort()]));
    for (const receipt of shopify.flowReceipts) {
      expect(Object.keys(receipt.payload as object).sort()).toEqual(declared.get(receipt.handle));
    }
  });

  it("the program's facts reach the app installation metafield after a change; the newest wins", async () => {
    await withJobs(() => updateProgram(prisma, shop, { settings: { earnRateE4: 20_000 } }, new Date()));
    await withJobs(() => updateProgram(prisma, shop, { settings: { earnRateE4: 30_000 } }, new Date()));
    await worker().drain();
    const facts = JSON.parse(shopify.metafields.get(`${shopify.installationId}|loyalty|program`)!.value);
    expect(facts).toMatchObject({ active: true, earnRate: "3" });
    expect(facts.tiers.map((tier: { name: string }) => tier.name)).toEqual(["Member", "Silver", "Gold"]);
    expect(facts.rewards.map((reward: { key: string }) => reward.key)).toEqual([
      "5-off",
      "10-off",
      "25-off",
      "free-shipping",
    ]);
    const program = await prisma.program.findUniqueOrThrow({ where: { shop } });
    expect(program.syncedVersion).toBe(program.syncVersion);
  });

  it("a member whose points expire soon is warned once through Flow", async () => {
    await adjust(300, "expiring-key-1");
    await prisma.member.updateMany({
      where: { shop },
      data: { lastActivityAt: new Date("2026-01-10T00:00:00Z") },
    });
    await updateProgram(prisma, shop, { settings: { expiryMonths: 12, expiryWarningDays: 30 } }, new Date());
    const now = new Date("2026-12-20T00:00:00Z");
    const daily = () => runDailyMaintenance(prisma, shop, now);
    await withJobs(daily);
    await withJobs(daily);
    await worker().drain();
    const warnings = shopify.flowReceipts.filter((r) => r.handle === "regulars-points-expiring");
    expect(warnings.map((r) => r.payload)).toEqual([
      { customer_id: 7302485617, Points: 300, "Expires at": "2027-01-10T00:00:00.000Z" },
    ]);
    const declared = flowTriggerExtensions().find((e) => e.handle === "regulars-points-expiring")!;
    expect(Object.keys(warnings[0]!.payload as object).sort()).toEqual([...declared.payloadKeys].sort());
  });

  it("a new tier tag prefix retags every member", async () => {
    await adjust(10, "prefix-key-1");
    await worker().drain();
    await withJobs(() => updateProgram(prisma, shop, { settings: { tierTagPrefix: "VIP: " } }, new Date()));
    await jobs.send("reconcile", {});
    await worker().drain();
    expect(shopify.tags.get(CUSTOMER)).toEqual(new Set(["VIP: Member"]));
  });

  it("refuses a tier entry reward that is not in the catalog, and a prefix with a comma", async () => {
    await expect(
      updateProgram(
        prisma,
        shop,
        {
          tiers: [
            { key: "member", name: "Member", threshold: 0n, multiplierE4: 10_000, entryRewardKey: "nope" },
          ],
        },
        new Date(),
      ),
    ).rejects.toMatchObject({ fieldErrors: { "tiers.0.entryRewardKey": { code: "notInCatalog" } } });
    await expect(
      updateProgram(prisma, shop, { settings: { tierTagPrefix: "a,b" } }, new Date()),
    ).rejects.toMatchObject({
      fieldErrors: { tierTagPrefix: { code: "comma" } },
    });
  });
});

describe("code-issue jobs", () => {
  const redeem = (idempotencyKey: string) =>
    withJobs(() =>
      redeemReward(
        prisma,
        shopify.admin,
        shop,
        { customerGid: CUSTOMER, rewardKey: "5-off", idempotencyKey },
        new Date(),
      ),
    );

  it("a redemption that met a Shopify outage is finished by its job: one code, one debit", async () => {
    await adjust(700, "outage-key-0");
    shopify.faults.push("5xx");
    await expect(redeem("outage-redeem-1")).rejects.toThrow(/HTTP 502/);
    expect(await prisma.redemption.findFirstOrThrow({ where: { shop } })).toMatchObject({
      status: "RESERVED",
    });
    await worker().drain();
    const redemption = await prisma.redemption.findFirstOrThrow({ where: { shop } });
    expect(redemption.status).toBe("ISSUED");
    expect(shopify.codes.size).toBe(1);
    expect((await prisma.member.findFirstOrThrow({ where: { shop } })).balance).toBe(200);
  });

  it("a worker killed after Shopify created the code, before confirming, does not create a second one", async () => {
    await adjust(700, "killed-key-0");
    const reserved = await reservePoints(
      prisma,
      shop,
      { customerGid: CUSTOMER, rewardKey: "5-off", idempotencyKey: "killed-redeem-1" },
      new Date(),
    );
    // The job expires after 1 s in the active state and is retried at once.
    await jobs.boss.send(
      "code-issue",
      { shop, redemptionId: reserved.id },
      { singletonKey: `${shop}:${reserved.id}`, expireInSeconds: 1, retryDelay: 0, retryBackoff: false },
    );
    // Worker A: Shopify creates the code, then the process "dies" (never answers, never confirms).
    let created!: () => void;
    const codeCreated = new Promise<void>((resolve) => (created = resolve));
    const dying = {
      graphql: async (query: string, init?: { variables?: Record<string, unknown> }) => {
        const response = await shopify.admin.graphql(query, init);
        if (query.includes("CreateBasicCode")) {
          created();
          return new Promise<Response>(() => {});
        }
        return response;
      },
    };
    const workerA = new JobWorker(
      jobs,
      jobHandlers({ db: prisma, queue: jobs, adminFor: adminOf(() => dying), now: () => new Date() }),
    );
    void workerA.runOnce();
    await codeCreated;
    await new Promise((resolve) => setTimeout(resolve, 1200));
    // pg-boss's supervisor fails the job that outlived its expiry and queues its retry.
    await (jobs.boss as unknown as { expire(): Promise<void> }).expire();

    // Worker B, after the dead attempt's claim on the redemption ran out (60 s).
    const later = () => new Date(Date.now() + 120_000);
    const workerB = new JobWorker(
      jobs,
      jobHandlers({ db: prisma, queue: jobs, adminFor: adminOf(() => shopify.admin), now: later }),
    );
    await workerB.drain();

    const redemption = await prisma.redemption.findFirstOrThrow({ where: { shop } });
    expect(redemption).toMatchObject({ status: "ISSUED", attempts: 2 });
    expect(shopify.codes.size).toBe(1);
    expect(shopify.calls.filter((call) => call.operation === "CreateBasicCode")).toHaveLength(1);
    expect(shopify.calls.map((call) => call.operation)).toContain("CodeByCode");
    expect((await prisma.member.findFirstOrThrow({ where: { shop } })).balance).toBe(200);
  });
});
