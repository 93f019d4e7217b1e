/**
 * Referrals settled on time (decision 0019), on the real queue (pg-boss on the test's database):
 * a paid first order, through either crediting path, queues a referral-settle job that ties the
 * referral at once and queues itself for the instant the order's pending window ends; then it
 * pays the referrer, or nothing when the order was refunded or cancelled meanwhile. Duplicate
 * jobs, and the hourly sweep after them, pay once.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { transactionWithSql } from "~/db/sql-in-transaction.server";
import { jobs, withJobs } from "~/jobs.server";
import { jobHandlers } from "~/jobs/job-handlers.server";
import { JobWorker } from "~/jobs/worker.server";
import { DEFAULT_REFERRAL_SETTINGS } from "~/loyalty/referrals";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { applyPaidOrders } from "~/services/orders/order-points-batch.server";
import { applyOrderEvent } from "~/services/orders/order-points.server";
import { updateProgram } from "~/services/program/program-settings.server";
import {
  claimReferral,
  ensureReferralCode,
  saveReferralSettings,
  settleReferrals,
  settleReferralsOfOrder,
} from "~/services/referrals/referrals.server";
import type { AdminGraphql } from "~/shopify/admin-api/admin-client.server";
import { adminStandIn } from "../support/admin-stand-in";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { refundFacts, snapshot } from "../support/order-events";

const ANN = "gid://shopify/Customer/7410000001";
const BOB = "gid://shopify/Customer/7410000002";
const PAID = new Date("2026-06-01T12:00:00Z");
const at = (days: number, seconds = 0) => new Date(PAID.getTime() + days * 86_400_000 + seconds * 1000);
let n = 0;
let shop: string;
let shopify: ReturnType<typeof adminStandIn>;
let clock: Date;

const adminOf = (admin: () => AdminGraphql) => (jobShop: string) =>
  jobShop === shop ? admin() : adminStandIn().admin;

const handlers = () =>
  jobHandlers({ db: prisma, queue: jobs, adminFor: adminOf(() => shopify.admin), now: () => clock });
const worker = () => new JobWorker(jobs, handlers(), { sleep: async () => {} });

beforeEach(async () => {
  shop = `referral-jobs-${n++}-${process.pid}.myshopify.com`;
  shopify = adminStandIn({ shop });
  clock = PAID;
  await prisma.shop.create({ data: { domain: shop, installedAt: new Date() } });
});

/** Referrals on, a 14-day window, Ann with a link, and a friend's claimed code. */
async function referral(pendingDays = 14, friend = "bob@example.com") {
  await adjustPoints(
    prisma,
    shop,
    {
      customerGid: ANN,
      points: 10,
      reason: "Opening",
      staffId: "test",
      idempotencyKey: `referral-jobs-seed-${n}-${process.pid}`,
    },
    PAID,
  );
  const ann = await prisma.member.update({
    where: { shop_customerGid: { shop, customerGid: ANN } },
    data: { email: "ann@example.com", firstName: "Ann" },
  });
  await updateProgram(prisma, shop, { settings: { pendingDays } }, PAID);
  await saveReferralSettings(prisma, shop, { ...DEFAULT_REFERRAL_SETTINGS, enabled: true });
  const link = await ensureReferralCode(prisma, shop, ann.id);
  const claimed = await claimReferral(
    prisma,
    shopify.admin,
    shop,
    link,
    { email: friend, customerGid: null },
    PAID,
  );
  return claimed.code;
}

const paidOrder = (code: string, orderGid = `gid://shopify/Order/${7_510_000_000 + n++}`) => ({
  ...snapshot({ orderGid, customerGid: BOB, updatedAt: PAID, paidAt: PAID, merchandise: 60_000n }),
  discountCodes: [code.toLowerCase()],
});

const annBalance = async () =>
  (await prisma.member.findUniqueOrThrow({ where: { shop_customerGid: { shop, customerGid: ANN } } }))
    .balance;

const theReferral = () => prisma.referral.findFirstOrThrow({ where: { shop } });

/** This shop's referral-settle jobs: state, and seconds from now until due. */
async function settleJobs() {
  return prisma.$queryRawUnsafe<{ state: string; orderGid: string; inSeconds: number }[]>(
    `SELECT state::text, data->>'orderGid' AS "orderGid",
            round(extract(epoch FROM start_after - now()))::int AS "inSeconds"
       FROM ${jobs.schema}.job WHERE name = 'referral-settle' AND data->>'shop' = $1 ORDER BY created_on`,
    shop,
  );
}

/** Time passes: the waiting job falls due now (the clock the handlers read moves with it). */
async function passTo(when: Date) {
  clock = when;
  await prisma.$executeRawUnsafe(
    `UPDATE ${jobs.schema}.job SET start_after = now()
      WHERE name = 'referral-settle' AND data->>'shop' = $1 AND state = 'created'`,
    shop,
  );
}

describe("referral-settle jobs", () => {
  it("tie the first order at once and pay the referrer the moment its window ends", async () => {
    const code = await referral(14);
    const order = paidOrder(code);
    await withJobs(() => applyOrderEvent(prisma, shop, { type: "paid", snapshot: order }, PAID));
    clock = at(0, 3600);
    expect((await worker().drain()).failed).toBe(0);
    expect(await theReferral()).toMatchObject({ status: "ORDERED", orderGid: order.orderGid });
    expect(await annBalance()).toBe(10);
    // Queued again for the window's end: 14 days after payment, 13 days 23 hours from the clock.
    const waiting = (await settleJobs()).filter((job) => job.state === "created");
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.inSeconds).toBeGreaterThan(14 * 86_400 - 3600 - 60);
    expect(waiting[0]!.inSeconds).toBeLessThanOrEqual(14 * 86_400 - 3600);

    await passTo(at(14, 1));
    expect((await worker().drain()).failed).toBe(0);
    expect(await theReferral()).toMatchObject({ status: "PAID", rewardPoints: 500 });
    expect(await annBalance()).toBe(510);
    expect((await settleJobs()).every((job) => job.state === "completed")).toBe(true);
    // The hourly sweep after it finds nothing left to pay.
    expect((await settleReferrals(prisma, shop, at(15))).paid).toBe(0);
    expect(await annBalance()).toBe(510);
    await expectLedgerConsistent(prisma, shop);
  });

  it("with no pending window the referrer is paid as soon as the order is", async () => {
    const code = await referral(0);
    await withJobs(() => applyOrderEvent(prisma, shop, { type: "paid", snapshot: paidOrder(code) }, PAID));
    expect((await worker().drain()).failed).toBe(0);
    expect(await theReferral()).toMatchObject({ status: "PAID" });
    expect(await annBalance()).toBe(510);
  });

  it("the batch path (orders/paid from the inbox, the backfill) queues it too", async () => {
    const code = await referral(0);
    const order = paidOrder(code);
    await withJobs(() =>
      transactionWithSql(prisma, (tx, sql) =>
        applyPaidOrders(tx, sql, shop, [order], PAID, { source: "orders/paid" }),
      ),
    );
    expect((await settleJobs()).map((job) => job.orderGid)).toEqual([order.orderGid]);
    expect((await worker().drain()).failed).toBe(0);
    expect(await annBalance()).toBe(510);
  });

  it("a first order refunded in full inside the window pays nothing", async () => {
    const code = await referral(14);
    const order = paidOrder(code);
    await withJobs(() => applyOrderEvent(prisma, shop, { type: "paid", snapshot: order }, PAID));
    await worker().drain();
    await withJobs(() =>
      applyOrderEvent(
        prisma,
        shop,
        { type: "refund", refund: refundFacts(order.orderGid, "gid://shopify/Refund/7411", 60_000n) },
        at(3),
      ),
    );
    clock = at(3);
    await worker().drain();
    // The refund's note was absorbed by the job waiting for the window: still one waits.
    expect((await settleJobs()).filter((job) => job.state === "created")).toHaveLength(1);
    await passTo(at(14, 1));
    expect((await worker().drain()).failed).toBe(0);
    expect(await theReferral()).toMatchObject({ status: "VOID", decisionNote: "refunded" });
    expect(await annBalance()).toBe(10);
  });

  it("a first order cancelled inside the window pays nothing", async () => {
    const code = await referral(14);
    const order = paidOrder(code);
    await withJobs(() => applyOrderEvent(prisma, shop, { type: "paid", snapshot: order }, PAID));
    await worker().drain();
    await withJobs(() =>
      applyOrderEvent(
        prisma,
        shop,
        { type: "cancelled", snapshot: { ...order, cancelled: true, updatedAt: at(2) } },
        at(2),
      ),
    );
    await passTo(at(14, 1));
    expect((await worker().drain()).failed).toBe(0);
    expect(await theReferral()).toMatchObject({ status: "VOID", decisionNote: "cancelled" });
    expect(await annBalance()).toBe(10);
  });

  it("duplicate jobs, at once or one after the other, pay once", async () => {
    const code = await referral(14);
    const order = paidOrder(code);
    await applyOrderEvent(prisma, shop, { type: "paid", snapshot: order }, PAID);
    const settled = await Promise.all([
      settleReferralsOfOrder(prisma, shop, order.orderGid, at(15)),
      settleReferralsOfOrder(prisma, shop, order.orderGid, at(15)),
    ]);
    expect(settled.map((s) => s.paid).sort()).toEqual([0, 1]);
    clock = at(15);
    const handler = handlers()["referral-settle"];
    await handler({ shop, orderGid: order.orderGid }, { id: "copy", attempt: 0 });
    await handler({ shop, orderGid: order.orderGid }, { id: "copy", attempt: 0 });
    const { id } = await theReferral();
    expect(await prisma.ledgerEntry.count({ where: { shop, sourceKey: `referral:${id}` } })).toBe(1);
    expect(await annBalance()).toBe(510);
    await expectLedgerConsistent(prisma, shop);
  });

  it("with a catalog reward chosen, duplicate jobs give one code, created by the code-issue job", async () => {
    const code = await referral(0);
    await saveReferralSettings(prisma, shop, {
      ...DEFAULT_REFERRAL_SETTINGS,
      enabled: true,
      rewardKey: "5-off",
    });
    const order = paidOrder(code);
    await withJobs(() => applyOrderEvent(prisma, shop, { type: "paid", snapshot: order }, PAID));
    const handler = handlers()["referral-settle"];
    // Two deliveries of the same job at once, each with its follow-ups sent as the worker sends them.
    await Promise.all(
      ["copy-1", "copy-2"].map((copy) =>
        withJobs(() => handler({ shop, orderGid: order.orderGid }, { id: copy, attempt: 0 })),
      ),
    );
    // The queued job, then the code-issue job its payment noted.
    expect((await worker().drain()).failed).toBe(0);
    await withJobs(() => settleReferrals(prisma, shop, at(1)));
    expect((await worker().drain()).failed).toBe(0);
    const { id } = await theReferral();
    const redemptions = await prisma.redemption.findMany({ where: { shop } });
    expect(redemptions).toEqual([
      expect.objectContaining({ idempotencyKey: `referral-${id}`, source: "REFERRAL", status: "ISSUED" }),
    ]);
    expect(shopify.codes.get(redemptions[0]!.code)).toBeDefined();
    expect(await annBalance()).toBe(10);
    expect(await theReferral()).toMatchObject({ status: "PAID", rewardKey: "5-off", rewardPoints: 0 });
  });
});
