/**
 * The app proxy: requests signed the way Shopify signs them
 * (setUpValidRequest, RequestType.Public); the customer comes only from the
 * verified logged_in_customer_id.
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
import { loader as statusLoader } from "~/routes/proxy.status";
import { action as redeemAction } from "~/routes/proxy.redeem";
import { adjustPoints } from "~/services/adjust-points.server";
import type { adminStandIn } from "../support/admin-stand-in";
import type { ShopifyEdge } from "../support/shopify-edge";
import { resetLoyaltyData } from "../support/reset";
import { shopifyForShop } from "../support/shopify-for-shop";
import { forgetProgramExplainer } from "~/services/program-explainer-cache.server";

const CUSTOMER_ID = "9007199254740993";
const CUSTOMER = `gid://shopify/Customer/${CUSTOMER_ID}`;
let edge: ShopifyEdge | undefined;
let shopify: ReturnType<typeof adminStandIn>;

async function proxyRequest(
  path: string,
  customerId: string | null,
  init?: RequestInit,
  secret = API_SECRET_KEY,
) {
  const url = new URL(`${APP_URL}/proxy/${path}`);
  url.searchParams.set("path_prefix", "/apps/regulars");
  url.searchParams.set("logged_in_customer_id", customerId ?? "");
  return setUpValidRequest(
    { type: RequestType.Public, store: "test-shop", apiSecretKey: secret },
    new Request(url, init),
  );
}
const call = async (fn: () => Promise<Response>) => fn().catch((thrown: unknown) => thrown as Response);
const redeem = async (body: unknown, customerId: string | null = CUSTOMER_ID, secret?: string) => {
  const request = await proxyRequest(
    "redeem",
    customerId,
    { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } },
    secret,
  );
  return call(() => redeemAction({ request, params: {}, context: {} }));
};
const status = async (customerId: string | null, secret?: string, query = "") => {
  const request = await proxyRequest(`status${query}`, customerId, undefined, secret);
  return call(() => statusLoader({ request, params: {}, context: {} }));
};

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  await prisma.redemption.deleteMany();
  await prisma.session.deleteMany();
  ({ shopify, edge } = await shopifyForShop(prisma, TEST_SHOP, "shpat_proxy"));
  await adjustPoints(
    prisma,
    TEST_SHOP,
    {
      customerGid: CUSTOMER,
      points: 1200,
      reason: "Opening balance",
      staffId: "test",
      idempotencyKey: "seed-proxy-1",
    },
    new Date(),
  );
});
afterEach(() => edge?.restore());

describe("GET /apps/regulars/status", () => {
  it("shows a member their points, tier, affordable rewards and codes", async () => {
    const res = await status(CUSTOMER_ID);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      loggedIn: true,
      points: 1200,
      pending: 0,
      tier: "Member",
      nextTier: { name: "Silver", remaining: "250.00" },
    });
    expect(body.rewards.find((r: { key: string }) => r.key === "10-off")).toEqual({
      key: "10-off",
      title: "10.00 off",
      pointsCost: 1000,
      affordable: true,
    });
    expect(body.rewards.find((r: { key: string }) => r.key === "25-off").affordable).toBe(false);
  });

  it("a guest gets the program explainer and no personal data", async () => {
    const body = await (await status(null)).json();
    expect(body.loggedIn).toBe(false);
    expect(body.program).toMatchObject({
      earnRate: "5",
      tiers: [{ name: "Member" }, { name: "Silver" }, { name: "Gold" }],
    });
    expect(JSON.stringify(body)).not.toContain("1200");
  });

  it("a forged signature is refused", async () => {
    expect((await status(CUSTOMER_ID, "forged")).status).toBe(400);
  });

  it("as Liquid for the theme: the member's status, with shop-entered text unable to run as Liquid", async () => {
    await prisma.reward.updateMany({
      where: { shop: TEST_SHOP, key: "5-off" },
      data: { title: "{{ shop.name }} <b>5%</b>" },
    });
    // Written straight to the table: forget the proxy's copy, as the admin's save does.
    forgetProgramExplainer(TEST_SHOP);
    const res = await status(CUSTOMER_ID, undefined, "?format=html&layout=false");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/application\/liquid/);
    const html = await res.text();
    expect(html).toContain("<strong data-regulars-points>1200 points</strong>");
    expect(html).toContain("&#123;&#123; shop.name &#125;&#125; &lt;b&gt;5&#37;&lt;/b&gt;");
    // Only the library's own layout tag is Liquid.
    expect(html.replace("{% layout none %}", "")).not.toMatch(/\{\{|\{%/);
    const guest = await (await status(null, undefined, "?format=html")).text();
    expect(guest).toContain('href="/account/login');
    expect(guest).not.toContain("1200");
    await prisma.reward.updateMany({ where: { shop: TEST_SHOP, key: "5-off" }, data: { title: "5.00 off" } });
    forgetProgramExplainer(TEST_SHOP);
  });
});

describe("POST /apps/regulars/redeem", () => {
  it("creates the code in Shopify and shows it; the same key twice gives the same code", async () => {
    const first = await redeem({ rewardKey: "10-off", idempotencyKey: "tap-0001" });
    expect(first.status).toBe(200);
    const body = await first.json();
    expect(body).toMatchObject({ status: "issued", pointsCost: 1000 });
    expect(shopify.codes.has(body.code)).toBe(true);
    const second = await (await redeem({ rewardKey: "10-off", idempotencyKey: "tap-0001" })).json();
    expect(second.code).toBe(body.code);
    expect(shopify.codes.size).toBe(1);
    const after = await (await status(CUSTOMER_ID)).json();
    expect(after).toMatchObject({ points: 200, codes: [{ code: body.code, title: "10.00 off" }] });
  });

  it("refuses clearly and changes nothing: not enough points, bad body, guest, forged signature", async () => {
    const poor = await redeem({ rewardKey: "25-off", idempotencyKey: "tap-0002" });
    expect([poor.status, (await poor.json()).error]).toEqual([409, "not enough points"]);
    expect((await redeem({ rewardKey: "10-off" })).status).toBe(422);
    expect((await redeem({ rewardKey: "10-off", idempotencyKey: "tap-0003" }, null)).status).toBe(401);
    expect(
      (await redeem({ rewardKey: "10-off", idempotencyKey: "tap-0004" }, CUSTOMER_ID, "forged")).status,
    ).toBe(400);
    expect(shopify.codes.size).toBe(0);
    expect(await prisma.redemption.count()).toBe(0);
    expect((await (await status(CUSTOMER_ID)).json()).points).toBe(1200);
  });

  it("a customer of another shop finds nothing here", async () => {
    await prisma.member.updateMany({
      where: { customerGid: CUSTOMER },
      data: { shop: "other-shop.myshopify.com" },
    });
    const body = await (await status(CUSTOMER_ID)).json();
    expect(body).toMatchObject({ loggedIn: true, points: 0, codes: [] });
  });

  it("is rate-limited per customer", async () => {
    await adjustPoints(
      prisma,
      TEST_SHOP,
      {
        customerGid: CUSTOMER,
        points: 10_000,
        reason: "More",
        staffId: "test",
        idempotencyKey: "seed-proxy-2",
      },
      new Date(),
    );
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await redeem({ rewardKey: "5-off", idempotencyKey: `burst-000${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });
});

describe("POST /apps/regulars/birthday", () => {
  it("sets the birthday once; a second try, a bad date or a guest is refused", async () => {
    const { action: birthdayAction } = await import("~/routes/proxy.birthday");
    const post = async (body: unknown, customerId: string | null = CUSTOMER_ID) => {
      const request = await proxyRequest("birthday", customerId, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "Content-Type": "application/json" },
      });
      return call(() => birthdayAction({ request, params: {}, context: {} }));
    };
    expect((await post({ month: 2, day: 30 })).status).toBe(422);
    expect((await post({ month: 7, day: 14 }, null)).status).toBe(401);
    expect((await post({ month: 7, day: 14 })).status).toBe(200);
    expect((await post({ month: 8, day: 1 })).status).toBe(409);
    const member = await prisma.member.findFirstOrThrow({
      where: { shop: TEST_SHOP, customerGid: CUSTOMER },
    });
    expect([member.birthdayMonth, member.birthdayDay]).toEqual([7, 14]);
  });
});
