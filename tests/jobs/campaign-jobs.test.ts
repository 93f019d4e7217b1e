/**
 * The campaign-issue job on the real queue (pg-boss on the test's database)
 * against the Admin API stand-in: batches that chain until every recipient
 * has a code and a tag, and faults that never leave a customer without a
 * code or with two: a worker killed after Shopify created a code, a
 * throttled call, a 5xx, an answer lost after the mutation took effect, and
 * an enqueue lost in a crash.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { jobs, withJobs } from "~/jobs.server";
import { jobHandlers } from "~/jobs/job-handlers.server";
import { JobWorker } from "~/jobs/worker.server";
import type { AdminGraphql } from "~/shopify/admin-api/admin-client.server";
import { CAMPAIGN_BATCH } from "~/services/campaigns/campaign-issue.server";
import { cancelCampaign, launchCampaign } from "~/services/campaigns/campaigns.server";
import { adminStandIn } from "../support/admin-stand-in";

const DAY = 86_400_000;
let n = 0;
let shop: string;
let shopify: ReturnType<typeof adminStandIn>;
let sleeps: number[];

/** Jobs left by earlier tests go to their own shop's Shopify, not this test's. */
const adminOf = (admin: () => AdminGraphql) => (jobShop: string) =>
  jobShop === shop ? admin() : adminStandIn().admin;

const worker = (admin: () => AdminGraphql = () => shopify.admin, now = () => new Date()) =>
  new JobWorker(jobs, jobHandlers({ db: prisma, queue: jobs, adminFor: adminOf(admin), now }), {
    sleep: async (ms) => void sleeps.push(ms),
  });

async function lapsedCustomers(count: number) {
  await prisma.member.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      shop,
      customerGid: `gid://shopify/Customer/${5000 + i}`,
      orderCount: 2,
      lastOrderAt: new Date(Date.now() - 400 * DAY),
    })),
  });
}

/** Launches without enqueueing (the tests send the job themselves). */
const launch = async () =>
  (
    await launchCampaign(
      prisma,
      shop,
      {
        name: "Autumn",
        inactiveDays: 180,
        minOrders: 1,
        offerType: "FIXED_AMOUNT",
        percentBps: null,
        amountMilli: 10_000n,
        minimumSubtotalMilli: null,
        validDays: 7,
        idempotencyKey: `jobs-launch-${n}`,
      },
      new Date(),
    )
  ).campaign;

const creates = () => shopify.calls.filter((call) => call.operation === "CreateBasicCode").length;

async function expectEveryoneOnce(campaignId: string, count: number) {
  const recipients = await prisma.campaignRecipient.findMany({ where: { shop, campaignId } });
  expect(recipients).toHaveLength(count);
  expect(recipients.every((r) => r.status === "ISSUED" && r.taggedAt !== null)).toBe(true);
  expect(shopify.codes.size).toBe(count);
  for (const r of recipients) {
    expect(shopify.codes.get(r.code)?.input).toMatchObject({
      context: { customers: { add: [r.customerGid] } },
    });
    expect(shopify.tags.get(r.customerGid)).toEqual(new Set(["Regulars win-back Autumn"]));
  }
  expect(await prisma.campaign.findFirstOrThrow({ where: { shop, id: campaignId } })).toMatchObject({
    status: "DONE",
  });
}

async function jobRows(campaignId: string) {
  return prisma.$queryRawUnsafe<{ state: string; retry_count: number; later: boolean }[]>(
    `SELECT state::text, retry_count, start_after > now() AS later FROM ${jobs.schema}.job
      WHERE name = 'campaign-issue' AND data->>'shop' = $1 AND data->>'campaignId' = $2 ORDER BY created_on`,
    shop,
    campaignId,
  );
}

beforeEach(async () => {
  shop = `campaign-jobs-${n++}-${process.pid}.myshopify.com`;
  shopify = adminStandIn();
  sleeps = [];
  await prisma.shop.create({ data: { domain: shop, installedAt: new Date() } });
});

describe("campaign-issue jobs", () => {
  it("issue a large segment in batches that chain until everyone has one code and the tag", async () => {
    const count = CAMPAIGN_BATCH * 2 + 7;
    await lapsedCustomers(count);
    const campaign = await launch();
    await jobs.send("campaign-issue", { shop, campaignId: campaign.id });
    const report = await worker().drain();
    expect(report.failed).toBe(0);
    await expectEveryoneOnce(campaign.id, count);
    expect(creates()).toBe(count);
    // Three batches: 50, 50 and 7.
    expect((await jobRows(campaign.id)).map((row) => row.state)).toEqual([
      "completed",
      "completed",
      "completed",
    ]);
  });

  it("a worker killed after Shopify created a code, before recording it, does not create a second one", async () => {
    await lapsedCustomers(3);
    const campaign = await launch();
    // The job expires after 1 s in the active state and is retried at once.
    await jobs.boss.send(
      "campaign-issue",
      { shop, campaignId: campaign.id },
      { singletonKey: `${shop}:${campaign.id}`, expireInSeconds: 1, retryDelay: 0, retryBackoff: false },
    );
    // Worker A: Shopify creates the first code, then the process "dies" (never answers, never records).
    let created!: () => void;
    const codeCreated = new Promise<void>((resolve) => (created = resolve));
    const dying: AdminGraphql = {
      graphql: async (query, init) => {
        const response = await shopify.admin.graphql(query, init);
        if (query.includes("CreateBasicCode")) {
          created();
          return new Promise<Response>(() => {});
        }
        return response;
      },
    };
    void worker(() => dying).runOnce();
    await codeCreated;
    await new Promise((resolve) => setTimeout(resolve, 1200));
    // pg-boss's supervisor fails the job that outlived its expiry and queues its retry.
    await (jobs.boss as unknown as { expire(): Promise<void> }).expire();

    // Worker B, after the dead attempt's claim on the recipient ran out (60 s).
    const later = () => new Date(Date.now() + 120_000);
    await worker(() => shopify.admin, later).drain();

    await expectEveryoneOnce(campaign.id, 3);
    expect(creates()).toBe(3); // one per customer: the first was found by its code, not made again
    expect(shopify.calls.filter((call) => call.operation === "CodeByCode")).toHaveLength(1);
    const first = await prisma.campaignRecipient.findFirstOrThrow({
      where: { shop, campaignId: campaign.id, attempts: 2 },
    });
    expect(shopify.codes.get(first.code)?.id).toBe(first.discountNodeId);
  });

  it("a throttled call waits as long as throttleStatus says and the batch finishes in the same attempt", async () => {
    await lapsedCustomers(4);
    const campaign = await launch();
    await jobs.send("campaign-issue", { shop, campaignId: campaign.id });
    shopify.faults.push("throttled");
    const report = await worker().drain();
    expect(sleeps).toEqual([1000]);
    expect(report).toMatchObject({ failed: 0, throttleWaits: 1 });
    await expectEveryoneOnce(campaign.id, 4);
    // Four codes; five create calls, the first answered THROTTLED (nothing created).
    expect(creates()).toBe(5);
  });

  it("a 5xx fails the attempt, which is retried with backoff and finishes", async () => {
    await lapsedCustomers(4);
    const campaign = await launch();
    await jobs.send("campaign-issue", { shop, campaignId: campaign.id });
    shopify.faults.push("5xx"); // the first call meets an outage
    const failed = await worker().drain();
    expect(failed).toMatchObject({ completed: 0, failed: 1 });
    expect(await jobRows(campaign.id)).toEqual([{ state: "retry", retry_count: 0, later: true }]);
    const stuck = await prisma.campaignRecipient.findFirstOrThrow({
      where: { shop, campaignId: campaign.id, error: { not: null } },
    });
    expect(stuck).toMatchObject({ status: "PENDING", attempts: 1, error: expect.stringMatching(/HTTP 502/) });
    expect(shopify.codes.size).toBe(0);
    // The backoff passes.
    await prisma.$executeRawUnsafe(
      `UPDATE ${jobs.schema}.job SET start_after = now() WHERE name = 'campaign-issue' AND state = 'retry' AND data->>'shop' = $1`,
      shop,
    );
    await worker().drain();
    await expectEveryoneOnce(campaign.id, 4);
    // Four codes; five create calls, the first refused by the outage (and looked up before trying again).
    expect(creates()).toBe(5);
    expect(shopify.calls.filter((call) => call.operation === "CodeByCode")).toHaveLength(1);
  });

  it("an answer lost after Shopify created the code is found by its code on the retry, not made again", async () => {
    await lapsedCustomers(2);
    const campaign = await launch();
    await jobs.send("campaign-issue", { shop, campaignId: campaign.id });
    shopify.faults.push("lost-response"); // the first CreateBasicCode takes effect; its answer never arrives
    await worker().drain();
    await prisma.$executeRawUnsafe(
      `UPDATE ${jobs.schema}.job SET start_after = now() WHERE name = 'campaign-issue' AND state = 'retry' AND data->>'shop' = $1`,
      shop,
    );
    await worker().drain();
    await expectEveryoneOnce(campaign.id, 2);
    expect(creates()).toBe(2);
    expect(shopify.calls.filter((call) => call.operation === "CodeByCode")).toHaveLength(1);
  });

  it("after a cancel, a code an interrupted attempt created is found and kept; nobody else gets one", async () => {
    await lapsedCustomers(3);
    const campaign = await launch();
    await jobs.send("campaign-issue", { shop, campaignId: campaign.id });
    shopify.faults.push("lost-response"); // the first code is created; its answer is lost
    await worker().drain();
    await withJobs(() => cancelCampaign(prisma, shop, campaign.id, new Date()));
    await worker().drain();
    const recipients = await prisma.campaignRecipient.findMany({ where: { shop, campaignId: campaign.id } });
    expect(recipients.map((r) => r.status).sort()).toEqual(["CANCELLED", "CANCELLED", "ISSUED"]);
    const kept = recipients.find((r) => r.status === "ISSUED")!;
    expect(shopify.codes.get(kept.code)?.id).toBe(kept.discountNodeId);
    expect(shopify.codes.size).toBe(1);
    expect(creates()).toBe(1);
    expect(await prisma.campaign.findFirstOrThrow({ where: { id: campaign.id } })).toMatchObject({
      status: "CANCELLED",
    });
  });

  it("a launch whose job was never queued (a crash after commit) is found by the reconcile job", async () => {
    await lapsedCustomers(3);
    const campaign = await launch();
    expect(await jobRows(campaign.id)).toEqual([]);
    await jobs.send("reconcile", {});
    await worker().drain();
    await expectEveryoneOnce(campaign.id, 3);
  });
});
