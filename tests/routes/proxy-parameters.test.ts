/**
 * The app proxy's own parameters, as Shopify signs them: a storefront URL's
 * query is forwarded with Shopify's parameters added, so a shopper who puts
 * `logged_in_customer_id=<someone>` in the URL makes Shopify forward that
 * parameter twice, signed as `<someone>,<themselves>` (repeated keys joined
 * by commas: Shopify/shopify-app-js, packages/apps/shopify-api/lib/utils/
 * hmac-validator.ts). The signature is good; the app must not read the
 * first value as the customer (nor a path_prefix the URL adds as the
 * shop's proxy path). Any request naming shop, logged_in_customer_id,
 * path_prefix, timestamp or signature more than once is refused,
 * and so is a signed request for a shop that is not a Shopify shop domain.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { API_KEY, API_SECRET_KEY, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { jobs } from "~/jobs.server";
import { loader as statusLoader } from "~/routes/proxy.status";
import { action as redeemAction } from "~/routes/proxy.redeem";
import { action as birthdayAction } from "~/routes/proxy.birthday";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { databaseWatch } from "../support/db-fingerprint";
import { callProxy, proxyRequestWithPairs } from "../support/proxy-requests";
import { resetLoyaltyData } from "../support/reset";
import { shopifyForShop } from "../support/shopify-for-shop";
import type { ShopifyEdge } from "../support/shopify-edge";

const VICTIM = "9007199254740993";
let edge: ShopifyEdge | undefined;

const api = shopifyApi({
  apiKey: API_KEY,
  apiSecretKey: API_SECRET_KEY,
  apiVersion: ApiVersion.October26,
  hostName: "localhost",
  isEmbeddedApp: true,
  logger: { level: 0 },
});

const routes = {
  status: { handler: statusLoader, init: undefined },
  redeem: {
    handler: redeemAction,
    init: { method: "POST", body: '{"rewardKey":"5-off","idempotencyKey":"repeat-key-1"}' },
  },
  birthday: { handler: birthdayAction, init: { method: "POST", body: '{"month":7,"day":14}' } },
} as const;

function shopifyPairs(customerId: string, extra: [string, string][] = []): [string, string][] {
  return [
    ...extra,
    ["shop", TEST_SHOP],
    ["logged_in_customer_id", customerId],
    ["path_prefix", "/apps/regulars"],
  ];
}

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  await prisma.session.deleteMany();
  ({ edge } = await shopifyForShop(prisma, TEST_SHOP, "shpat_repeat"));
  await adjustPoints(
    prisma,
    TEST_SHOP,
    {
      customerGid: `gid://shopify/Customer/${VICTIM}`,
      points: 1200,
      reason: "Opening balance",
      staffId: "test",
      idempotencyKey: "seed-repeat-1",
    },
    new Date(),
  );
});
afterEach(() => edge?.restore());

describe("app proxy parameters named twice", () => {
  it("a guest who adds logged_in_customer_id=<member> to the storefront URL gets 400, not the member's balance", async () => {
    // What Shopify forwards: the storefront's query, then its own parameters (the guest's id is empty).
    const request = proxyRequestWithPairs("status", shopifyPairs("", [["logged_in_customer_id", VICTIM]]));
    // Shopify's library accepts the signature: only the app's own rule stands between the guest and the member.
    const query = new URL(request.url).searchParams;
    await expect(api.utils.validateHmac(query, { signator: "appProxy" })).resolves.toBe(true);
    const res = await callProxy(statusLoader, request);
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain("1200");
  });

  it("refuses shop, logged_in_customer_id, path_prefix, timestamp or signature twice on every proxy route, writing nothing", async () => {
    const watch = await databaseWatch(prisma, jobs.schema);
    const before = await watch.take();
    const now = String(Math.trunc(Date.now() / 1000) - 1);
    const repeats: Record<string, [string, string][]> = {
      shop: [["shop", TEST_SHOP]],
      logged_in_customer_id: [["logged_in_customer_id", VICTIM]],
      path_prefix: [["path_prefix", "/community/elsewhere"]],
      timestamp: [["timestamp", now]],
      signature: [["signature", "0".repeat(64)]],
    };
    for (const [name, extra] of Object.entries(repeats)) {
      for (const [route, { handler, init }] of Object.entries(routes)) {
        const request = proxyRequestWithPairs(route, [...shopifyPairs(VICTIM), ...extra], {
          init: init && { ...init, headers: { "Content-Type": "application/json" } },
        });
        expect(new URL(request.url).searchParams.getAll(name), name).toHaveLength(2);
        const res = await callProxy(handler, request);
        expect(res.status, `${route} with ${name} twice`).toBe(400);
      }
    }
    expect(await watch.changedSince(before)).toEqual([]);
  });

  it("still answers a signed request whose storefront query repeats a parameter of its own", async () => {
    const request = proxyRequestWithPairs(
      "status",
      shopifyPairs(VICTIM, [
        ["tag", "a"],
        ["tag", "b"],
      ]),
    );
    const res = await callProxy(statusLoader, request);
    expect(res.status).toBe(200);
    expect((await res.json()).points).toBe(1200);
  });
});

describe("a signed proxy request for a shop that is not a shop domain", () => {
  it("answers 400 on every proxy route, for a foreign domain or no shop at all", async () => {
    for (const shop of ["evil.com", "test-shop.myshopify.com.evil.com", "", null]) {
      for (const [route, { handler, init }] of Object.entries(routes)) {
        const pairs: [string, string][] = [
          ...(shop === null ? [] : [["shop", shop] as [string, string]]),
          ["logged_in_customer_id", VICTIM],
          ["path_prefix", "/apps/regulars"],
        ];
        const request = proxyRequestWithPairs(route, pairs, {
          init: init && { ...init, headers: { "Content-Type": "application/json" } },
        });
        const res = await callProxy(handler, request);
        expect(res.status, `${route} for shop ${JSON.stringify(shop)}`).toBe(400);
      }
    }
  });
});
