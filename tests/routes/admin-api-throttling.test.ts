/**
 * Shopify's rate limit on requests a person waits on: the Home page (the
 * merchant) and the app proxy's redeem (a shopper), through the app's
 * request-time Admin API client, with Shopify stood in for at the network
 * edge. Shopify answers a call over its limit with HTTP 429 and a Retry-After
 * header in seconds (https://shopify.dev/docs/api/admin-rest/usage/rate-limits#retry-after-header),
 * or, on GraphQL, with a THROTTLED error and `extensions.cost.throttleStatus`
 * (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits). The
 * request waits what Shopify says, up to REQUEST_THROTTLE_WAIT_MS in all,
 * then gives a clear error.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  API_SECRET_KEY,
  APP_URL,
  RequestType,
  TEST_SHOP,
  setUpValidRequest,
} from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { ensureProgram } from "~/db/program.server";
import { loader as homeLoader } from "~/routes/app._index";
import { action as redeemAction } from "~/routes/proxy.redeem";
import { action as customerAction } from "~/routes/app.customers.$memberId";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { clearThemeCache, type Onboarding } from "~/services/program/onboarding.server";
import {
  AdminTransientError,
  REQUEST_THROTTLE_WAIT_MS,
  runQuery,
} from "~/shopify/admin-api/admin-client.server";
import { requestAdmin } from "~/shopify/admin-api/request-admin.server";
import type { adminStandIn } from "../support/admin-stand-in";
import { adminDocument, adminFetch, run } from "../support/admin-requests";
import { resetLoyaltyData } from "../support/reset";
import { shopifyForShop } from "../support/shopify-for-shop";
import type { ShopifyEdge } from "../support/shopify-edge";

const TOKEN = "shpat_throttling";
const CUSTOMER_ID = "7001001";
const CUSTOMER = `gid://shopify/Customer/${CUSTOMER_ID}`;
const LAUNCHER = "shopify://apps/regulars/blocks/rewards-launcher/0199a1b2-c3d4";
const BLOCK = "shopify://apps/regulars/blocks/loyalty-status/0199a1b2-aaaa";
let edge: ShopifyEdge | undefined;
let shopify: ReturnType<typeof adminStandIn>;

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  await prisma.redemption.deleteMany();
  await prisma.session.deleteMany();
  await prisma.shop.deleteMany();
  clearThemeCache();
  ({ shopify, edge } = await shopifyForShop(prisma, TEST_SHOP, TOKEN, "read_themes,write_discounts"));
  await prisma.shop.create({ data: { domain: TEST_SHOP, installedAt: new Date() } });
  await ensureProgram(prisma, TEST_SHOP);
  shopify.theme.main = {
    name: "Dawn",
    files: [
      {
        filename: "config/settings_data.json",
        content: JSON.stringify({ current: { blocks: { "1": { type: LAUNCHER, disabled: false } } } }),
      },
      {
        filename: "templates/index.json",
        content: JSON.stringify({ sections: { a: { type: "apps", blocks: { b: { type: BLOCK } } } } }),
      },
    ],
  };
  // Shopify's example is "2.0"; a shorter wait keeps the tests quick.
  shopify.throttling.retryAfter = "1.0";
});
afterEach(() => edge?.restore());

async function homeSteps() {
  const res = await run(homeLoader, await adminDocument("/app"));
  expect(res.status).toBe(200);
  const { onboarding } = (await res.json()) as { onboarding: Onboarding };
  return Object.fromEntries(onboarding.steps.map((step) => [step.key, step.state]));
}

const timed = async <T>(work: () => Promise<T>) => {
  const started = Date.now();
  const result = await work();
  return { result, ms: Date.now() - started };
};

describe("a page the merchant waits on", () => {
  beforeEach(async () => {
    // A first load compiles the page's modules; the theme check it times must not pay for that.
    await homeSteps();
    clearThemeCache();
  });

  it("waits out an HTTP 429 as its Retry-After says, then shows the theme steps", async () => {
    shopify.faults.push("429");
    const { result, ms } = await timed(homeSteps);
    expect(result).toMatchObject({ embed: "done", block: "done" });
    expect(ms).toBeGreaterThanOrEqual(1000);
    const statuses = edge!.calls
      .filter((call) => call.operationName === "MainThemeFiles")
      .map((c) => c.status);
    expect(statuses.slice(-2)).toEqual([429, 200]);
  });

  it("waits out a THROTTLED answer as its throttle status says, then shows the theme steps", async () => {
    // requestedQueryCost 10, currentlyAvailable 5, restoreRate 100 a second: 50 ms, at least 1 s.
    shopify.faults.push("throttled");
    const { result, ms } = await timed(homeSteps);
    expect(result).toMatchObject({ embed: "done", block: "done" });
    expect(ms).toBeGreaterThanOrEqual(1000);
  });
});

describe("a shopper redeeming on the storefront", () => {
  it("gets the code at once when Shopify asked for a short wait, instead of a pending answer", async () => {
    await adjustPoints(
      prisma,
      TEST_SHOP,
      { customerGid: CUSTOMER, points: 1200, reason: "Seed", staffId: "t", idempotencyKey: "seed-throttle" },
      new Date(),
    );
    shopify.faults.push("429");
    const url = new URL(`${APP_URL}/proxy/redeem`);
    url.searchParams.set("path_prefix", "/apps/regulars");
    url.searchParams.set("logged_in_customer_id", CUSTOMER_ID);
    const request = await setUpValidRequest(
      {
        type: RequestType.Public,
        store: TEST_SHOP.replace(".myshopify.com", ""),
        apiSecretKey: API_SECRET_KEY,
      },
      new Request(url, {
        method: "POST",
        body: JSON.stringify({ rewardKey: "10-off", idempotencyKey: "throttle-tap-1" }),
        headers: { "Content-Type": "application/json" },
      }),
    );
    const res = await redeemAction({ request, params: {}, context: {} });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; code: string };
    expect(body.status).toBe("issued");
    expect(shopify.codes.has(body.code)).toBe(true);
  });
});

describe("the limits of waiting", () => {
  const client = () => requestAdmin({ session: { shop: TEST_SHOP, accessToken: TOKEN } });

  it("Shopify asking for longer than a person waits is a clear error at once", async () => {
    shopify.throttling.retryAfter = "30.0";
    shopify.faults.push("429");
    const { result, ms } = await timed(() =>
      runQuery(client(), "query ShopName { shop { name } }").catch((error: unknown) => error),
    );
    expect(result).toBeInstanceOf(AdminTransientError);
    expect((result as AdminTransientError).retryAfterMs).toBe(30_000);
    expect((result as Error).message).toMatch(/asks Regulars to wait 30 s.*at most 2 s/);
    expect(ms).toBeLessThan(1000);
  });

  it("throttled again and again, it stops after waiting REQUEST_THROTTLE_WAIT_MS in all", async () => {
    shopify.faults.push("429", "429", "429", "429");
    const { result, ms } = await timed(() =>
      runQuery(client(), "query ShopName { shop { name } }").catch((error: unknown) => error),
    );
    expect(result).toBeInstanceOf(AdminTransientError);
    expect((result as Error).message).toMatch(/still rate-limited after waiting 2 s/);
    expect(ms).toBeGreaterThanOrEqual(REQUEST_THROTTLE_WAIT_MS);
    expect(ms).toBeLessThan(REQUEST_THROTTLE_WAIT_MS + 1000);
    expect(shopify.calls.filter((call) => call.operation === "ShopName")).toHaveLength(3);
  });

  it("a token Shopify refuses is handed to the library, which signs the shop out; nothing is issued", async () => {
    // GIVEN the offline token was revoked at Shopify
    edge!.accessTokens.splice(edge!.accessTokens.indexOf(TOKEN), 1);
    await adjustPoints(
      prisma,
      TEST_SHOP,
      { customerGid: CUSTOMER, points: 1200, reason: "Seed", staffId: "t", idempotencyKey: "seed-401" },
      new Date(),
    );
    const member = await prisma.member.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    const res = await run(
      customerAction,
      await adminFetch(`/app/customers/${member.id}`, {
        method: "POST",
        body: new URLSearchParams({ intent: "issue", rewardKey: "10-off", idempotencyKey: "issue-401-01" }),
      }),
      { memberId: member.id },
    );
    // THEN the merchant hears Shopify refused, the points are back, and the library dropped the token
    // so the next page load exchanges a new one
    expect(res.status).toBe(502);
    expect((await prisma.member.findFirstOrThrow({ where: { id: member.id } })).balance).toBe(1200);
    const session = await prisma.session.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    expect(session.accessToken).toBe("");
  });
});
