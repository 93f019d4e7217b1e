/**
 * What Shopify Flow's actions do to the ledger and the rewards
 * (app/services/flow/flow-actions.server.ts), on PGlite and, with
 * TEST_DATABASE_URL, on PostgreSQL: a run counts once however often Flow
 * delivers it, a deduction never takes a balance below zero, a reward is a
 * redemption like a shopper's, and every write is the shop's own.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { jobs } from "~/jobs.server";
import { adjustPoints } from "~/services/members/adjust-points.server";
import {
  applyFlowPoints,
  FlowActionRefusal,
  flowRedemptionKey,
  issueFlowReward,
} from "~/services/flow/flow-actions.server";
import { issueCode } from "~/services/rewards/redeem-reward.server";
import { adminStandIn } from "../support/admin-stand-in";
import { shopWatch } from "../support/db-fingerprint";
import { expectLedgerConsistent } from "../support/ledger-invariant";

const CUSTOMER = "gid://shopify/Customer/7300000001";
const STRANGER = "gid://shopify/Customer/7300000999";
const NOW = new Date("2026-06-01T12:00:00Z");
let n = 0;
const newShop = () => `flow-actions-${n++}.myshopify.com`;
const runId = () => `run-${n++}-0f6e4c52-9b7a-4d3e`;

async function shopWithBalance(points: number) {
  const shop = newShop();
  if (points > 0) {
    await adjustPoints(
      prisma,
      shop,
      {
        customerGid: CUSTOMER,
        points,
        reason: "Opening balance",
        staffId: "test",
        idempotencyKey: `seed-${shop.replace(/\W/g, "-")}`,
      },
      NOW,
    );
  }
  return shop;
}

const member = (shop: string, customerGid = CUSTOMER) =>
  prisma.member.findUnique({ where: { shop_customerGid: { shop, customerGid } } });
const flowEntries = (shop: string) =>
  prisma.ledgerEntry.findMany({ where: { shop, kind: "FLOW" }, orderBy: { id: "asc" } });
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => {
      if (error instanceof FlowActionRefusal) return { code: error.code, message: error.message };
      throw error;
    },
  );

describe("Award points", () => {
  it("gives the points once however often the run is delivered, and answers the same each time", async () => {
    const shop = await shopWithBalance(100);
    const run = { actionRunId: runId(), customerGid: CUSTOMER, points: 50, reason: "Left a review" };
    const first = await applyFlowPoints(prisma, shop, "award", run, NOW);
    const again = await applyFlowPoints(prisma, shop, "award", run, NOW);
    expect(first).toEqual({ points: 50, balance: 150 });
    expect(again).toEqual(first);
    expect((await member(shop))!.balance).toBe(150);
    expect(await flowEntries(shop)).toEqual([
      expect.objectContaining({
        kind: "FLOW",
        points: 50,
        balanceAfter: 150,
        sourceKey: `flow:${run.actionRunId}`,
        note: "Left a review",
        staffId: null,
      }),
    ]);
    await expectLedgerConsistent(prisma, shop);
  });

  it("two deliveries of one run at the same moment still write one entry", async () => {
    const shop = await shopWithBalance(10);
    const run = { actionRunId: runId(), customerGid: CUSTOMER, points: 7, reason: null };
    const answers = await Promise.all([1, 2, 3].map(() => applyFlowPoints(prisma, shop, "award", run, NOW)));
    expect(answers).toEqual([
      { points: 7, balance: 17 },
      { points: 7, balance: 17 },
      { points: 7, balance: 17 },
    ]);
    expect(await flowEntries(shop)).toHaveLength(1);
    await expectLedgerConsistent(prisma, shop);
  });

  it("makes a customer who was not a member yet one, and does not fire 'Loyalty points earned'", async () => {
    const shop = newShop();
    expect(await member(shop, STRANGER)).toBeNull();
    const answer = await applyFlowPoints(
      prisma,
      shop,
      "award",
      { actionRunId: runId(), customerGid: STRANGER, points: 25, reason: "Welcome" },
      NOW,
    );
    expect(answer).toEqual({ points: 25, balance: 25 });
    expect((await member(shop, STRANGER))!.lastActivityAt).toEqual(NOW);
    // A workflow that awards points on "points earned" must not set itself off again.
    expect(await prisma.flowEvent.count({ where: { shop } })).toBe(0);
  });

  it("a run id delivered again with other values is refused, and changes nothing", async () => {
    const shop = await shopWithBalance(0);
    const run = { actionRunId: runId(), customerGid: CUSTOMER, points: 5, reason: null };
    await applyFlowPoints(prisma, shop, "award", run, NOW);
    const watch = await shopWatch(prisma, jobs.schema, shop);
    const before = await watch.take();
    expect(await refusal(applyFlowPoints(prisma, shop, "award", { ...run, points: 6 }, NOW))).toMatchObject({
      code: "action_run_reused",
    });
    expect(await refusal(applyFlowPoints(prisma, shop, "deduct", run, NOW))).toMatchObject({
      code: "action_run_reused",
    });
    expect(await watch.changedSince(before)).toEqual([]);
  });

  it("the same run id in two shops is two runs: each shop's ledger is its own", async () => {
    const [a, b] = [await shopWithBalance(0), await shopWithBalance(0)];
    const run = { actionRunId: "shared-run-id-1", customerGid: CUSTOMER, points: 3, reason: null };
    const watchB = await shopWatch(prisma, jobs.schema, b);
    const beforeB = await watchB.take();
    await applyFlowPoints(prisma, a, "award", run, NOW);
    expect(await watchB.changedSince(beforeB)).toEqual([]);
    await applyFlowPoints(prisma, b, "award", run, NOW);
    expect((await member(a))!.balance).toBe(3);
    expect((await member(b))!.balance).toBe(3);
  });
});

describe("Deduct points", () => {
  it("takes the points once, with the reason, however often the run is delivered", async () => {
    const shop = await shopWithBalance(300);
    const run = { actionRunId: runId(), customerGid: CUSTOMER, points: 120, reason: "Returned a gift" };
    const later = new Date(NOW.getTime() + 86_400_000);
    expect(await applyFlowPoints(prisma, shop, "deduct", run, later)).toEqual({ points: -120, balance: 180 });
    expect(await applyFlowPoints(prisma, shop, "deduct", run, later)).toEqual({ points: -120, balance: 180 });
    expect(await flowEntries(shop)).toEqual([
      expect.objectContaining({ points: -120, balanceAfter: 180, note: "Returned a gift" }),
    ]);
    // Taking points is not activity: the expiry clock does not restart.
    expect((await member(shop))!.lastActivityAt).toEqual(NOW);
    await expectLedgerConsistent(prisma, shop);
  });

  it("more than the balance is refused whole and takes nothing (never below zero)", async () => {
    const shop = await shopWithBalance(40);
    const watch = await shopWatch(prisma, jobs.schema, shop);
    const before = await watch.take();
    const run = { actionRunId: runId(), customerGid: CUSTOMER, points: 100, reason: "Chargeback" };
    expect(await refusal(applyFlowPoints(prisma, shop, "deduct", run, NOW))).toEqual({
      code: "not_enough_points",
      message:
        "This customer has 40 points; the action asks to deduct 100 points. A balance never goes below 0, so nothing was deducted.",
    });
    expect(await watch.changedSince(before)).toEqual([]);
    // Exactly the balance is allowed, and leaves zero.
    expect(await applyFlowPoints(prisma, shop, "deduct", { ...run, points: 40 }, NOW)).toEqual({
      points: -40,
      balance: 0,
    });
  });

  it("a customer Regulars has no points for is refused, and no member is made for them", async () => {
    const shop = await shopWithBalance(10);
    const watch = await shopWatch(prisma, jobs.schema, shop);
    const before = await watch.take();
    const run = { actionRunId: runId(), customerGid: STRANGER, points: 1, reason: "Test" };
    expect(await refusal(applyFlowPoints(prisma, shop, "deduct", run, NOW))).toMatchObject({
      code: "unknown_customer",
    });
    expect(await watch.changedSince(before)).toEqual([]);
  });
});

describe("Issue reward", () => {
  it("spends the reward's points as a shopper's redemption and creates one code, however often the run comes", async () => {
    const shop = await shopWithBalance(1200);
    const shopify = adminStandIn({ shop });
    const run = { actionRunId: runId(), customerGid: CUSTOMER, rewardKey: "10-off" };
    const first = await issueFlowReward(prisma, shopify.admin, shop, run, NOW);
    expect(first).toMatchObject({ status: "issued", reward: "10.00 off", pointsSpent: 1000 });
    expect(await issueFlowReward(prisma, shopify.admin, shop, run, NOW)).toEqual(first);
    expect(shopify.codes.size).toBe(1);
    expect([...shopify.codes.keys()]).toEqual([first.code]);
    const redemptions = await prisma.redemption.findMany({ where: { shop } });
    expect(redemptions).toEqual([
      expect.objectContaining({
        source: "FLOW",
        status: "ISSUED",
        idempotencyKey: flowRedemptionKey(run.actionRunId),
      }),
    ]);
    expect((await member(shop))!.balance).toBe(200);
    await expectLedgerConsistent(prisma, shop);
  });

  it("refuses what the customer cannot have, and changes nothing", async () => {
    const shop = await shopWithBalance(300);
    const shopify = adminStandIn({ shop });
    const watch = await shopWatch(prisma, jobs.schema, shop);
    const before = await watch.take();
    const attempt = (rewardKey: string, customerGid = CUSTOMER) =>
      refusal(
        issueFlowReward(prisma, shopify.admin, shop, { actionRunId: runId(), customerGid, rewardKey }, NOW),
      );
    expect(await attempt("10-off")).toMatchObject({ code: "not_enough_points" });
    expect(await attempt("no-such-reward")).toMatchObject({ code: "reward_not_found" });
    expect(await attempt("5-off", STRANGER)).toMatchObject({ code: "unknown_customer" });
    expect(shopify.calls).toEqual([]);
    expect(await watch.changedSince(before)).toEqual([]);
  });

  it("when Shopify is slow the points stay spent and the code follows; the run delivered again answers with it", async () => {
    const shop = await shopWithBalance(600);
    const shopify = adminStandIn({ shop });
    shopify.faults.push("5xx");
    const run = { actionRunId: runId(), customerGid: CUSTOMER, rewardKey: "5-off" };
    const pending = await issueFlowReward(prisma, shopify.admin, shop, run, NOW);
    expect(pending).toMatchObject({ status: "pending", pointsSpent: 500 });
    expect((await member(shop))!.balance).toBe(100);
    // The code-issue job's turn (a RESERVED redemption), then Flow's next delivery of the run.
    const [reserved] = await prisma.redemption.findMany({ where: { shop } });
    await issueCode(prisma, shopify.admin, shop, reserved!.id, () => NOW);
    expect(await issueFlowReward(prisma, shopify.admin, shop, run, NOW)).toEqual({
      ...pending,
      status: "issued",
    });
    expect(shopify.codes.size).toBe(1);
    expect((await member(shop))!.balance).toBe(100);
    await expectLedgerConsistent(prisma, shop);
  });

  it("Shopify's part has a deadline well inside Flow's 30 s: past it the answer is 'pending' and the job finishes", async () => {
    const shop = await shopWithBalance(600);
    const shopify = adminStandIn({ shop });
    // A Shopify that never answers (the connection hangs) until the caller gives up.
    const hanging = {
      graphql: (_query: string, options?: { signal?: AbortSignal }) =>
        new Promise<Response>((_resolve, reject) =>
          options?.signal?.addEventListener("abort", () => reject(options.signal!.reason as Error)),
        ),
    };
    const run = { actionRunId: runId(), customerGid: CUSTOMER, rewardKey: "5-off" };
    const started = Date.now();
    const pending = await issueFlowReward(prisma, hanging, shop, run, NOW, { shopifyBudgetMs: 200 });
    // Without the deadline the Admin client's own 30 s would pass first (and Flow would send again).
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(pending).toMatchObject({ status: "pending", pointsSpent: 500 });
    const [reserved] = await prisma.redemption.findMany({ where: { shop } });
    expect(reserved).toMatchObject({ status: "RESERVED" });
    // The code-issue job's next attempt (after the claim the first one released) creates it.
    expect(await issueCode(prisma, shopify.admin, shop, reserved!.id, () => NOW)).toMatchObject({
      status: "ISSUED",
    });
    expect(shopify.codes.size).toBe(1);
    await expectLedgerConsistent(prisma, shop);
  }, 60_000);

  it("a code Shopify refuses gives the points back and the run is refused", async () => {
    const shop = await shopWithBalance(600);
    const shopify = adminStandIn({ shop, rejectCustomers: [CUSTOMER] });
    const run = { actionRunId: runId(), customerGid: CUSTOMER, rewardKey: "5-off" };
    expect(await refusal(issueFlowReward(prisma, shopify.admin, shop, run, NOW))).toMatchObject({
      code: "code_not_created",
      message: expect.stringMatching(/points were given back/),
    });
    expect((await member(shop))!.balance).toBe(600);
    await expectLedgerConsistent(prisma, shop);
  });
});
