/**
 * The app proxy: requests signed the way Shopify signs them
 * (setUpValidRequest, RequestType.Public); the customer comes only from the
 * verified logged_in_customer_id.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { loader as statusLoader } from "~/routes/proxy.status";
import { action as redeemAction } from "~/routes/proxy.redeem";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { syncProgram } from "~/services/program/program-sync.server";
import type { adminStandIn } from "../support/admin-stand-in";
import type { ShopifyEdge } from "../support/shopify-edge";
import { proxyRequest as signedProxyRequest } from "../support/proxy-requests";
import { resetLoyaltyData } from "../support/reset";
import { shopifyForShop } from "../support/shopify-for-shop";
import { appMetafieldsOf } from "../support/theme-render";
import { forgetProgramExplainer } from "~/services/program/program-explainer-cache.server";

const CUSTOMER_ID = "9007199254740993";
const CUSTOMER = `gid://shopify/Customer/${CUSTOMER_ID}`;
let edge: ShopifyEdge | undefined;
let shopify: ReturnType<typeof adminStandIn>;

const proxyRequest = (
  path: string,
  customerId: string | null,
  init?: RequestInit,
  secret?: string,
  pathPrefix?: string,
) => signedProxyRequest(path, { shop: TEST_SHOP, customerId, init, secret, pathPrefix });
const call = async (fn: () => Promise<Response>) => fn().catch((thrown: unknown) => thrown as Response);
const redeem = async (
  body: unknown,
  customerId: string | null = CUSTOMER_ID,
  secret?: string,
  pathPrefix?: string,
) => {
  const request = await proxyRequest(
    "redeem",
    customerId,
    { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } },
    secret,
    pathPrefix,
  );
  return call(() => redeemAction({ request, params: {}, context: {} }));
};
const status = async (customerId: string | null, secret?: string, query = "", pathPrefix?: string) => {
  const request = await proxyRequest(`status${query}`, customerId, undefined, secret, pathPrefix);
  return call(() => statusLoader({ request, params: {}, context: {} }));
};

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  // The proxy's copy of the program outlives the rows just deleted: forget it, as a save would.
  forgetProgramExplainer(TEST_SHOP);
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
      nextTier: { name: "Silver", remaining: "250.00", amount: 25000, percent: 0 },
      history: [{ kind: "ADJUST", points: 1200 }],
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
      signupBonus: expect.any(Number),
      birthdayBonus: expect.any(Number),
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
    expect(html).toContain("<strong data-regulars-points>1,200 points</strong>");
    // Amounts go through Liquid's money filter, in the shop's money format: never a bare "250.00".
    expect(html).toContain("<p>{{ 25000 | money }} more to reach Silver</p>");
    expect(html).toContain("&#123;&#123; shop.name &#125;&#125; &lt;b&gt;5&#37;&lt;/b&gt;");
    // Only the library's own layout tag and the storefront's routes are Liquid.
    const ours = /\{\{ routes\.\w+ \}\}|\{\{ \d+ \| money \}\}/g;
    expect(html.replace("{% layout none %}", "").replace(ours, "")).not.toMatch(/\{\{|\{%/);
    const guest = await (await status(null, undefined, "?format=html")).text();
    // Shopify renders the page as Liquid in the shopper's storefront: its routes keep a locale prefix.
    expect(guest).toContain('href="{{ routes.account_login_url }}"');
    expect(guest).toContain('href="{{ routes.account_register_url }}"');
    expect(guest).not.toContain('href="/account');
    expect(guest).not.toContain("1200");
    expect(guest).toContain("for every {{ 100 | money }} you spend");
    expect(guest).toContain("Silver from {{ 25000 | money }}: 1.25× points");
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

  it("answers with the member's new state: points, affordable rewards, codes, progress and history", async () => {
    const body = await (await redeem({ rewardKey: "5-off", idempotencyKey: "tap-0101" })).json();
    // The fields the answer always had are still there, with `member` added.
    expect(body).toMatchObject({ status: "issued", pointsCost: 500, code: expect.any(String) });
    expect(body.member).toMatchObject({
      points: 700,
      pending: 0,
      tier: "Member",
      nextTier: { name: "Silver", remaining: "250.00", amount: 25000, percent: 0 },
      codes: [{ code: body.code, title: "5.00 off" }],
    });
    const affordable = Object.fromEntries(
      body.member.rewards.map((r: { key: string; affordable: boolean }) => [r.key, r.affordable]),
    );
    expect(affordable).toMatchObject({ "5-off": true, "10-off": false, "25-off": false });
    // Newest first: the redemption, then the opening balance.
    expect(body.member.history.map((h: { kind: string; points: number }) => [h.kind, h.points])).toEqual([
      ["REDEEM", -500],
      ["ADJUST", 1200],
    ]);
    // The same state the status gives.
    const after = await (await status(CUSTOMER_ID)).json();
    expect(body.member).toEqual({
      points: after.points,
      pending: after.pending,
      tier: after.tier,
      nextTier: after.nextTier,
      rewards: after.rewards,
      codes: after.codes,
      history: after.history,
    });
  });

  it("when Shopify is busy (202, pending) the answer still carries the member, points reserved", async () => {
    // Every attempt to create the code meets a 502: the redemption waits for the code-issue job.
    shopify.faults.push("5xx", "5xx", "5xx", "5xx", "5xx", "5xx");
    const res = await redeem({ rewardKey: "5-off", idempotencyKey: "tap-0102" });
    shopify.faults.length = 0;
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body).toMatchObject({ status: "pending", code: null, member: { points: 700, codes: [] } });
    expect(body.member.history[0]).toMatchObject({ kind: "REDEEM", points: -500 });
  });

  it("the history holds the last 5 changes to the balance, newest first", async () => {
    for (let i = 1; i <= 6; i++) {
      await adjustPoints(
        prisma,
        TEST_SHOP,
        {
          customerGid: CUSTOMER,
          points: i,
          reason: "More",
          staffId: "test",
          idempotencyKey: `more-${i}-key`,
        },
        new Date(),
      );
    }
    const body = await (await status(CUSTOMER_ID)).json();
    expect(body.history.map((h: { points: number }) => h.points)).toEqual([6, 5, 4, 3, 2]);
  });

  it("refuses clearly and changes nothing: not enough points, bad body, guest, forged signature", async () => {
    // A code for the storefront to word in the shopper's language, not an English sentence.
    const poor = await redeem({ rewardKey: "25-off", idempotencyKey: "tap-0002" });
    expect([poor.status, await poor.json()]).toEqual([409, { error: "not_enough_points" }]);
    const malformed = await redeem({ rewardKey: "10-off" });
    expect([malformed.status, (await malformed.json()).error]).toEqual([422, "invalid_request"]);
    const guest = await redeem({ rewardKey: "10-off", idempotencyKey: "tap-0003" }, null);
    expect([guest.status, await guest.json()]).toEqual([401, { error: "sign_in_required" }]);
    const missing = await redeem({ rewardKey: "no-such-reward", idempotencyKey: "tap-0005" });
    expect([missing.status, await missing.json()]).toEqual([404, { error: "reward_not_found" }]);
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
    const limited = await redeem({ rewardKey: "5-off", idempotencyKey: "burst-0008" });
    expect(await limited.json()).toEqual({ error: "too_many_requests" });
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
    const answer = async (response: Response) => [response.status, await response.json()];
    expect(await answer(await post({ month: 2, day: 30 }))).toEqual([422, { error: "not_a_date" }]);
    expect(await answer(await post({ month: 7, day: 14 }, null))).toEqual([
      401,
      { error: "sign_in_required" },
    ]);
    expect((await post({ month: 7, day: 14 })).status).toBe(200);
    expect(await answer(await post({ month: 8, day: 1 }))).toEqual([409, { error: "birthday_already_set" }]);
    const member = await prisma.member.findFirstOrThrow({
      where: { shop: TEST_SHOP, customerGid: CUSTOMER },
    });
    expect([member.birthdayMonth, member.birthdayDay]).toEqual([7, 14]);
  });
});

describe("the proxy where the merchant moved it", () => {
  const program = () => prisma.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
  const storefrontFacts = () => JSON.parse(appMetafieldsOf(shopify).loyalty!.program!.value);

  it("learns the path Shopify sends and gives it to the theme; the same path again writes nothing", async () => {
    // The configured path (shopify.app.toml): nothing to record.
    expect((await status(CUSTOMER_ID)).status).toBe(200);
    await syncProgram(prisma, shopify.admin, TEST_SHOP);
    expect(storefrontFacts().proxyPath).toBe("/apps/regulars");
    const before = await program();
    expect((await status(CUSTOMER_ID)).status).toBe(200);
    expect(await program()).toMatchObject({
      syncVersion: before.syncVersion,
      syncedVersion: before.syncedVersion,
    });

    // The merchant moved the proxy to /community/loyalty: Shopify says so in path_prefix.
    expect((await status(CUSTOMER_ID, undefined, "", "/community/loyalty")).status).toBe(200);
    expect(await program()).toMatchObject({
      proxyPathPrefix: "/community/loyalty",
      syncVersion: before.syncVersion + 1,
    });
    for (let i = 0; i < 3; i++) await status(null, undefined, "", "/community/loyalty");
    expect((await program()).syncVersion).toBe(before.syncVersion + 1);
    const body = await (await status(null, undefined, "", "/community/loyalty")).json();
    expect(body.program.proxyPath).toBe("/community/loyalty");
    await syncProgram(prisma, shopify.admin, TEST_SHOP);
    expect(storefrontFacts().proxyPath).toBe("/community/loyalty");

    // A redeem through yet another path (the merchant moved it again) teaches it too.
    const redeemed = await redeem(
      { rewardKey: "5-off", idempotencyKey: "moved-0001" },
      CUSTOMER_ID,
      undefined,
      "/a/rewards",
    );
    expect(redeemed.status).toBe(200);
    expect((await program()).proxyPathPrefix).toBe("/a/rewards");
  });

  it("keeps only the prefix and sub path of path_prefix, and ignores one that is not a proxy path", async () => {
    await status(null, undefined, "", "/fr/tools/loyalty_club");
    expect((await program()).proxyPathPrefix).toBe("/tools/loyalty_club");
    const version = (await program()).syncVersion;
    for (const odd of [
      "",
      "/",
      "/apps",
      "/shop/regulars",
      "//evil.example/apps/x?",
      "/apps/" + "x".repeat(31),
    ]) {
      expect((await status(null, undefined, "", odd)).status).toBe(200);
    }
    expect(await program()).toMatchObject({ proxyPathPrefix: "/tools/loyalty_club", syncVersion: version });
  });

  it("a forged request teaches nothing", async () => {
    await status(null);
    const version = (await program()).syncVersion;
    expect((await status(CUSTOMER_ID, "forged", "", "/community/evil")).status).toBe(400);
    expect(await program()).toMatchObject({ proxyPathPrefix: null, syncVersion: version });
  });
});
