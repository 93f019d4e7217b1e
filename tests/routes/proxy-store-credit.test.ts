/**
 * A store credit reward through the app proxy (issue 24): requests signed as
 * Shopify signs them; Shopify's Admin API is the stand-in at the network edge
 * with devshop's store credit model.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { API_KEY, API_SECRET_KEY, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { action as redeemAction } from "~/routes/proxy.redeem";
import { loader as statusLoader } from "~/routes/proxy.status";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { forgetProgramExplainer } from "~/services/program/program-explainer-cache.server";
import { adminStandIn, requiredScopes } from "../support/admin-stand-in";
import { proxyRequest } from "../support/proxy-requests";
import { resetLoyaltyData } from "../support/reset";
import { storeOfflineSession } from "../support/sessions";
import { startShopifyEdge, type ShopifyEdge } from "../support/shopify-edge";
import { addCreditReward } from "../support/credit-reward";

const CUSTOMER_ID = "9007199254740993";
const CUSTOMER = `gid://shopify/Customer/${CUSTOMER_ID}`;
const CREDIT_SCOPES = ["read_store_credit_accounts", "write_store_credit_account_transactions"];
let edge: ShopifyEdge | undefined;
let shopify: ReturnType<typeof adminStandIn>;

async function setUp(scopes: string[]) {
  const accessToken = "shpat_credit";
  shopify = adminStandIn({ shop: TEST_SHOP, accessToken, grantedScopes: scopes });
  await storeOfflineSession(prisma, TEST_SHOP, { accessToken, scope: scopes.join(",") });
  edge = startShopifyEdge({
    shop: TEST_SHOP,
    apiKey: API_KEY,
    apiSecretKey: API_SECRET_KEY,
    scopes: scopes.join(","),
    answer: shopify.answer,
    accessTokens: [accessToken],
  });
  await prisma.shop.upsert({
    where: { domain: TEST_SHOP },
    create: { domain: TEST_SHOP, installedAt: new Date(), scopes: scopes.join(","), currencyCode: "EUR" },
    update: { scopes: scopes.join(","), currencyCode: "EUR" },
  });
}

const call = async (fn: () => Promise<Response>) => fn().catch((thrown: unknown) => thrown as Response);
const redeem = async (body: unknown) => {
  const request = await proxyRequest("redeem", {
    shop: TEST_SHOP,
    customerId: CUSTOMER_ID,
    init: { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } },
  });
  return call(() => redeemAction({ request, params: {}, context: {} }));
};
const status = async () => {
  const request = await proxyRequest("status", { shop: TEST_SHOP, customerId: CUSTOMER_ID });
  return call(() => statusLoader({ request, params: {}, context: {} }));
};

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  await prisma.redemption.deleteMany();
  await prisma.session.deleteMany();
  await addCreditReward(prisma, TEST_SHOP);
  forgetProgramExplainer(TEST_SHOP);
  await adjustPoints(
    prisma,
    TEST_SHOP,
    {
      customerGid: CUSTOMER,
      points: 1200,
      reason: "Opening balance",
      staffId: "test",
      idempotencyKey: "seed-credit-1",
    },
    new Date(),
  );
});
afterEach(async () => {
  edge?.restore();
  await prisma.reward.deleteMany({ where: { shop: TEST_SHOP, key: "credit-10" } });
  forgetProgramExplainer(TEST_SHOP);
});

describe("POST /apps/regulars/redeem: store credit", () => {
  it("credits the shopper's store credit and answers credited, without a code", async () => {
    await setUp([...requiredScopes(), ...CREDIT_SCOPES]);
    const offered = await (await status()).json();
    expect(offered.rewards.find((r: { key: string }) => r.key === "credit-10")).toMatchObject({
      affordable: true,
    });
    const res = await redeem({ rewardKey: "credit-10", idempotencyKey: "tap-credit-01" });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: "credited", code: null, pointsCost: 1000, member: { points: 200 } });
    expect(shopify.storeCredit.accounts[CUSTOMER_ID]![0]!.transactions).toMatchObject([
      { kind: "credit", cents: 1000 },
    ]);
    // The same tap again: the same answer, no second credit.
    const again = await (await redeem({ rewardKey: "credit-10", idempotencyKey: "tap-credit-01" })).json();
    expect(again.status).toBe("credited");
    expect(shopify.storeCredit.accounts[CUSTOMER_ID]![0]!.transactions).toHaveLength(1);
  });

  it("without the store credit scopes the reward is not offered and is refused as disabled", async () => {
    await setUp(requiredScopes());
    const offered = await (await status()).json();
    expect(offered.rewards.map((r: { key: string }) => r.key)).not.toContain("credit-10");
    const res = await redeem({ rewardKey: "credit-10", idempotencyKey: "tap-credit-02" });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "reward_disabled" });
    expect(await prisma.redemption.count({ where: { shop: TEST_SHOP } })).toBe(0);
  });
});
