/**
 * Shopify Flow's action routes (POST /flow/actions/award-points,
 * deduct-points, issue-reward), called with real Requests signed by
 * Shopify's own test helper (RequestType.Extension: X-Shopify-Hmac-Sha256
 * over the body with the app's secret), on both databases. What Flow sends is
 * devshop's body (devshop/flow.ts, held to Shopify's documented payload).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  API_SECRET_KEY,
  APP_URL,
  getHmac,
  RequestType,
  setUpValidRequest,
  TEST_SHOP,
} from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { jobs } from "~/jobs.server";
import { FLOW_ACTION_PATHS, FLOW_ACTIONS, type FlowAction } from "~/loyalty/flow-actions";
import { action as awardAction } from "~/routes/flow.actions.award-points";
import { action as deductAction } from "~/routes/flow.actions.deduct-points";
import { action as issueAction } from "~/routes/flow.actions.issue-reward";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { actionRunBody, lifecycleCallbackHeaders } from "../../devshop/flow";
import type { adminStandIn } from "../support/admin-stand-in";
import { databaseWatch } from "../support/db-fingerprint";
import { callLifecycle } from "../support/flow-callbacks";
import { resetLoyaltyData } from "../support/reset";
import type { ShopifyEdge } from "../support/shopify-edge";
import { shopifyForShop } from "../support/shopify-for-shop";
import { expectConsoleError } from "../setup/console";

const CUSTOMER_ID = 7300000042;
const CUSTOMER = `gid://shopify/Customer/${CUSTOMER_ID}`;
const ROUTES = {
  [FLOW_ACTIONS.awardPoints]: awardAction,
  [FLOW_ACTIONS.deductPoints]: deductAction,
  [FLOW_ACTIONS.issueReward]: issueAction,
};
let edge: ShopifyEdge | undefined;
let shopify: ReturnType<typeof adminStandIn>;
let n = 0;

/** What Flow sends for one run, as a JavaScript value (devshop writes it). */
const payload = (handle: FlowAction, properties: Record<string, unknown>, actionRunId = `run-${n++}`) =>
  JSON.parse(actionRunBody({ shop: TEST_SHOP, handle, actionRunId, properties })) as Record<string, unknown>;

/** The run, signed by Shopify's test helper, posted to the action's route. */
async function send(handle: FlowAction, body: unknown, secret = API_SECRET_KEY) {
  const request = await setUpValidRequest(
    { type: RequestType.Extension, store: TEST_SHOP, apiSecretKey: secret, body },
    new Request(`${APP_URL}${FLOW_ACTION_PATHS[handle]}`, { method: "POST" }),
  );
  return callLifecycle(ROUTES[handle], request);
}
const answer = async (response: Response) => ({
  status: response.status,
  body: (await response.json()) as Record<string, unknown>,
});
const balance = async () =>
  (
    await prisma.member.findUnique({
      where: { shop_customerGid: { shop: TEST_SHOP, customerGid: CUSTOMER } },
    })
  )?.balance ?? null;

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  await prisma.redemption.deleteMany();
  await prisma.session.deleteMany();
  ({ shopify, edge } = await shopifyForShop(prisma, TEST_SHOP, "shpat_flow_actions"));
});
afterEach(() => edge?.restore());

async function seed(points: number) {
  await adjustPoints(
    prisma,
    TEST_SHOP,
    { customerGid: CUSTOMER, points, reason: "Opening", staffId: "test", idempotencyKey: `seed-${n++}-flow` },
    new Date(),
  );
}

describe("a Flow action's request", () => {
  it("devshop signs a run as Shopify's library expects (the same HMAC as Shopify's test helper)", () => {
    const body = actionRunBody({
      shop: TEST_SHOP,
      handle: FLOW_ACTIONS.awardPoints,
      actionRunId: "r1",
      properties: {},
    });
    expect(lifecycleCallbackHeaders(body, API_SECRET_KEY)["X-Shopify-Hmac-Sha256"]).toBe(
      getHmac(body, API_SECRET_KEY),
    );
    expect(Object.keys(JSON.parse(body) as object)).toEqual([
      "shop_id",
      "shopify_domain",
      "action_run_id",
      "handle",
      "properties",
    ]);
  });

  it("a forged, unsigned or empty request is refused by Shopify's library and changes nothing", async () => {
    expectConsoleError(/Received an invalid flow request/);
    await seed(100);
    const watch = await databaseWatch(prisma, jobs.schema);
    const before = await watch.take();
    const body = payload(FLOW_ACTIONS.awardPoints, { customer_id: CUSTOMER_ID, points: 50 });
    expect((await send(FLOW_ACTIONS.awardPoints, body, "not-the-app-secret")).status).toBe(400);
    const unsigned = new Request(`${APP_URL}${FLOW_ACTION_PATHS[FLOW_ACTIONS.awardPoints]}`, {
      method: "POST",
      body: JSON.stringify(body),
    });
    expect((await callLifecycle(awardAction, unsigned)).status).toBe(400);
    const empty = new Request(`${APP_URL}${FLOW_ACTION_PATHS[FLOW_ACTIONS.awardPoints]}`, {
      method: "POST",
      headers: { "X-Shopify-Hmac-Sha256": getHmac("", API_SECRET_KEY) },
      body: "",
    });
    expect((await callLifecycle(awardAction, empty)).status).toBe(400);
    const get = new Request(`${APP_URL}${FLOW_ACTION_PATHS[FLOW_ACTIONS.awardPoints]}`);
    expect((await callLifecycle(awardAction, get)).status).toBe(405);
    expect(await watch.changedSince(before)).toEqual([]);
    expect(await balance()).toBe(100);
  });

  it("a signed body that is not a Flow action's, or is another action's, is refused with a reason", async () => {
    const watch = await databaseWatch(prisma, jobs.schema);
    const before = await watch.take();
    const good = payload(FLOW_ACTIONS.awardPoints, { customer_id: CUSTOMER_ID, points: 5 });
    for (const bad of [
      { ...good, action_run_id: "" },
      { ...good, action_run_id: "has spaces" },
      { ...good, properties: "points=5" },
      { shopify_domain: TEST_SHOP },
    ]) {
      const { status, body } = await answer(await send(FLOW_ACTIONS.awardPoints, bad));
      expect(status, JSON.stringify(bad)).toBe(400);
      expect(body).toMatchObject({
        code: "not_a_flow_action",
        message: expect.stringMatching(/^Not a Flow action/),
      });
    }
    const other = await answer(await send(FLOW_ACTIONS.deductPoints, good));
    expect(other).toEqual({
      status: 400,
      body: {
        code: "not_a_flow_action",
        message: "This address runs regulars-deduct-points, not regulars-award-points.",
      },
    });
    expect(await watch.changedSince(before)).toEqual([]);
  });
});

describe("Award points", () => {
  it("the same run sent twice is one ledger entry, and the answer is the same", async () => {
    await seed(100);
    const body = payload(FLOW_ACTIONS.awardPoints, {
      customer_id: CUSTOMER_ID,
      points: 50,
      reason: "Left a review",
    });
    const first = await answer(await send(FLOW_ACTIONS.awardPoints, body));
    const second = await answer(await send(FLOW_ACTIONS.awardPoints, body));
    expect(first).toEqual({
      status: 200,
      body: { message: "Awarded 50 points; the balance is 150.", points: 50, balance: 150 },
    });
    expect(second).toEqual(first);
    expect(await balance()).toBe(150);
    expect(
      await prisma.ledgerEntry.findMany({
        where: { shop: TEST_SHOP, kind: "FLOW" },
        select: { points: true, note: true, sourceKey: true },
      }),
    ).toEqual([{ points: 50, note: "Left a review", sourceKey: `flow:${String(body.action_run_id)}` }]);
  });

  it("takes the customer as Flow may write it (a number, its text, a GID) and points as text", async () => {
    for (const customer_id of [CUSTOMER_ID, String(CUSTOMER_ID), CUSTOMER]) {
      const { status } = await answer(
        await send(
          FLOW_ACTIONS.awardPoints,
          payload(FLOW_ACTIONS.awardPoints, { customer_id, points: "10" }),
        ),
      );
      expect(status).toBe(200);
    }
    expect(await balance()).toBe(30);
  });

  it("bad properties get Flow's failure (a 4XX, not sent again) with the fields named, and change nothing", async () => {
    const watch = await databaseWatch(prisma, jobs.schema);
    const before = await watch.take();
    for (const [properties, field] of [
      [{ customer_id: CUSTOMER_ID, points: 0 }, "points"],
      [{ customer_id: CUSTOMER_ID, points: 2.5 }, "points"],
      [{ customer_id: CUSTOMER_ID, points: "lots" }, "points"],
      [{ customer_id: CUSTOMER_ID, points: 10_000_001 }, "points"],
      [{ customer_id: "someone", points: 5 }, "customer_id"],
      [{ points: 5 }, "customer_id"],
      [{ customer_id: CUSTOMER_ID, points: 5, reason: "x".repeat(201) }, "reason"],
    ] as const) {
      const { status, body } = await answer(
        await send(FLOW_ACTIONS.awardPoints, payload(FLOW_ACTIONS.awardPoints, properties)),
      );
      expect(status, JSON.stringify(properties)).toBe(422);
      expect(body).toMatchObject({
        code: "invalid_properties",
        message: expect.stringMatching(/^The action's fields are not valid/),
        fields: { [field]: expect.any(Array) },
      });
    }
    expect(await watch.changedSince(before)).toEqual([]);
  });
});

describe("Deduct points", () => {
  it("a deduction over the balance is refused whole in the merchant's words and takes nothing", async () => {
    await seed(40);
    const watch = await databaseWatch(prisma, jobs.schema);
    const before = await watch.take();
    const body = payload(FLOW_ACTIONS.deductPoints, {
      customer_id: CUSTOMER_ID,
      points: 100,
      reason: "Chargeback",
    });
    const refused = await answer(await send(FLOW_ACTIONS.deductPoints, body));
    expect(refused).toEqual({
      status: 409,
      body: {
        code: "not_enough_points",
        message:
          "This customer has 40 points; the action asks to deduct 100 points. A balance never goes below 0, so nothing was deducted.",
      },
    });
    expect(await watch.changedSince(before)).toEqual([]);
    const within = payload(FLOW_ACTIONS.deductPoints, {
      customer_id: CUSTOMER_ID,
      points: 15,
      reason: "Chargeback",
    });
    expect(await answer(await send(FLOW_ACTIONS.deductPoints, within))).toEqual({
      status: 200,
      body: { message: "Deducted 15 points; the balance is 25.", points: -15, balance: 25 },
    });
  });

  it("the reason is required; an unknown customer is refused and no member is made", async () => {
    const watch = await databaseWatch(prisma, jobs.schema);
    const before = await watch.take();
    const noReason = await answer(
      await send(
        FLOW_ACTIONS.deductPoints,
        payload(FLOW_ACTIONS.deductPoints, { customer_id: CUSTOMER_ID, points: 5, reason: "  " }),
      ),
    );
    expect(noReason).toMatchObject({
      status: 422,
      body: { code: "invalid_properties", fields: { reason: ["is required"] } },
    });
    const unknown = await answer(
      await send(
        FLOW_ACTIONS.deductPoints,
        payload(FLOW_ACTIONS.deductPoints, { customer_id: 7300000999, points: 5, reason: "Test" }),
      ),
    );
    expect(unknown).toEqual({
      status: 404,
      body: {
        code: "unknown_customer",
        message: "This customer has no Regulars points: nothing was deducted.",
      },
    });
    expect(await watch.changedSince(before)).toEqual([]);
  });
});

describe("Issue reward", () => {
  it("spends the points and creates the code once for a run sent twice", async () => {
    await seed(700);
    const body = payload(FLOW_ACTIONS.issueReward, { customer_id: CUSTOMER_ID, reward: "5-off" });
    const first = await answer(await send(FLOW_ACTIONS.issueReward, body));
    expect(first).toMatchObject({
      status: 200,
      body: { status: "issued", reward: "5.00 off", pointsSpent: 500, code: expect.any(String) },
    });
    expect(first.body.message).toBe(`Issued 5.00 off (code ${String(first.body.code)}) for 500 points.`);
    expect(await answer(await send(FLOW_ACTIONS.issueReward, body))).toEqual(first);
    expect(shopify.codes.size).toBe(1);
    expect(await balance()).toBe(200);
  });

  it("an unknown reward or too few points is refused with Flow's failure and changes nothing", async () => {
    await seed(100);
    const watch = await databaseWatch(prisma, jobs.schema);
    const before = await watch.take();
    const unknown = await answer(
      await send(
        FLOW_ACTIONS.issueReward,
        payload(FLOW_ACTIONS.issueReward, { customer_id: CUSTOMER_ID, reward: "nope" }),
      ),
    );
    expect(unknown).toEqual({
      status: 404,
      body: { code: "reward_not_found", message: "The shop has no reward with this key." },
    });
    const poor = await answer(
      await send(
        FLOW_ACTIONS.issueReward,
        payload(FLOW_ACTIONS.issueReward, { customer_id: CUSTOMER_ID, reward: "5-off" }),
      ),
    );
    expect(poor).toMatchObject({ status: 409, body: { code: "not_enough_points" } });
    expect(shopify.calls).toEqual([]);
    expect(await watch.changedSince(before)).toEqual([]);
  });
});
