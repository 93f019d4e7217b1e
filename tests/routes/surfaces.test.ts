/**
 * The shopper surfaces outside the theme (/surfaces/*): customer accounts, checkout and its
 * thank-you page, POS. Requests carry session tokens signed as Shopify signs them (Shopify's
 * test helper getJwt, through tests/support/session-tokens.ts), and the library's own
 * authenticate.public.customerAccount / .checkout / .pos check them.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { APP_URL, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import {
  loader as accountStatus,
  action as accountStatusAction,
} from "~/routes/surfaces.customer-account.status";
import { action as accountRedeem } from "~/routes/surfaces.customer-account.redeem";
import {
  action as accountFollow,
  loader as accountFollowLoader,
} from "~/routes/surfaces.customer-account.actions.follow";
import { action as proxyFollow } from "~/routes/proxy.actions.follow";
import { saveEarnRules } from "~/services/actions/earn-actions.server";
import {
  loader as accountOrder,
  action as accountOrderAction,
} from "~/routes/surfaces.customer-account.orders.$orderId";
import { loader as checkoutStatus } from "~/routes/surfaces.checkout.status";
import { action as checkoutRedeem } from "~/routes/surfaces.checkout.redeem";
import { action as checkoutEstimate } from "~/routes/surfaces.checkout.estimate";
import { loader as posStatus } from "~/routes/surfaces.pos.customers.$customerId.status";
import {
  action as posRedeem,
  loader as posRedeemLoader,
} from "~/routes/surfaces.pos.customers.$customerId.redeem";
import { action as proxyRedeem } from "~/routes/proxy.redeem";
import { loader as proxyStatus } from "~/routes/proxy.status";
import { ensureRewards } from "~/db/rewards.server";
import { parseMilli } from "~/loyalty/money";
import { ensureProgram } from "~/db/program.server";
import { DEFAULT_REFERRAL_SETTINGS } from "~/loyalty/referrals";
import { saveReferralSettings } from "~/services/referrals/referrals.server";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { applyOrderEvent } from "~/services/orders/order-points.server";
import { forgetProgramExplainer } from "~/services/program/program-explainer-cache.server";
import type { adminStandIn } from "../support/admin-stand-in";
import { snapshot, refundFacts } from "../support/order-events";
import { proxyRequest } from "../support/proxy-requests";
import { resetLoyaltyData } from "../support/reset";
import { sessionToken } from "../support/session-tokens";
import type { ShopifyEdge } from "../support/shopify-edge";
import { shopifyForShop } from "../support/shopify-for-shop";
import { expectLedgerConsistent } from "../support/ledger-invariant";

const CUSTOMER_ID = "9007199254740993";
const CUSTOMER = `gid://shopify/Customer/${CUSTOMER_ID}`;
const OTHER = "gid://shopify/Customer/424242";
const STAFF_USER = "77";
const ORIGIN = "https://extensions.shopifycdn.com";

let edge: ShopifyEdge | undefined;
let shopify: ReturnType<typeof adminStandIn>;

type Route = (args: LoaderFunctionArgs) => Promise<Response>;
const call = async (route: Route, request: Request, params: Record<string, string> = {}) =>
  route({ request, params, context: {} }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  });

interface As {
  sub?: string | undefined;
  shop?: string;
  secret?: string;
  claims?: Record<string, unknown>;
}
/** A surface request with a session token for `as` (no `sub` claim when `sub` is undefined). */
async function surfaceRequest(path: string, as: As, init: RequestInit = {}) {
  const token = await sessionToken({
    shop: as.shop ?? TEST_SHOP,
    ...(as.secret ? { secret: as.secret } : {}),
    claims: { sub: as.sub, ...as.claims },
  });
  const request = new Request(`${APP_URL}${path}`, init);
  request.headers.set("Authorization", `Bearer ${token}`);
  request.headers.set("Origin", ORIGIN);
  return request;
}
const json = (body: unknown): RequestInit => ({
  method: "POST",
  body: JSON.stringify(body),
  headers: { "Content-Type": "application/json" },
});
const customer = { sub: CUSTOMER };
const guest = { sub: undefined };
const staff = { sub: STAFF_USER };

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  forgetProgramExplainer(TEST_SHOP);
  await prisma.redemption.deleteMany();
  await prisma.session.deleteMany();
  ({ shopify, edge } = await shopifyForShop(prisma, TEST_SHOP, "shpat_surfaces"));
  await adjustPoints(
    prisma,
    TEST_SHOP,
    {
      customerGid: CUSTOMER,
      points: 1200,
      reason: "Opening balance",
      staffId: "test",
      idempotencyKey: "seed-surf-1",
    },
    new Date(),
  );
});
afterEach(() => edge?.restore());

describe("status: customer accounts, checkout and POS answer the app proxy's JSON", () => {
  it("gives the signed-in customer exactly what /proxy/status gives them, with CORS headers", async () => {
    const proxied = await (
      await call(proxyStatus, await proxyRequest("status", { customerId: CUSTOMER_ID }))
    ).json();
    for (const [route, path] of [
      [accountStatus, "/surfaces/customer-account/status"],
      [checkoutStatus, "/surfaces/checkout/status"],
    ] as const) {
      const res = await call(route, await surfaceRequest(path, customer));
      expect(res.status).toBe(200);
      expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(res.headers.get("Cache-Control")).toBe("private, no-store");
      expect(await res.json()).toEqual(proxied);
    }
    const pos = await call(
      posStatus,
      await surfaceRequest(`/surfaces/pos/customers/${CUSTOMER_ID}/status`, staff),
      { customerId: CUSTOMER_ID },
    );
    expect(await pos.json()).toEqual(proxied);
    // POS takes the GID as well as the numeric id.
    const byGid = await call(posStatus, await surfaceRequest(`/surfaces/pos/customers/x/status`, staff), {
      customerId: CUSTOMER,
    });
    expect((await byGid.json()).points).toBe(1200);
  });

  it("without `sub` answers the guest shape, says why, and shows nothing personal", async () => {
    for (const [route, path] of [
      [accountStatus, "/surfaces/customer-account/status"],
      [checkoutStatus, "/surfaces/checkout/status"],
    ] as const) {
      const res = await call(route, await surfaceRequest(path, guest));
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({ loggedIn: false, customer: null, reason: "no_customer" });
      expect(body.program.rewards.length).toBeGreaterThan(0);
      expect(JSON.stringify(body)).not.toContain("1200");
    }
    // A token whose sub is not a customer (an admin user's id) names no customer either.
    const notCustomer = await call(
      accountStatus,
      await surfaceRequest("/surfaces/customer-account/status", staff),
    );
    expect(await notCustomer.json()).toMatchObject({ loggedIn: false, reason: "no_customer" });
  });

  it("refuses a missing, expired, not-yet-valid or wrongly signed token (401) and reads nothing", async () => {
    const path = "/surfaces/customer-account/status";
    const now = Math.floor(Date.now() / 1000);
    const cases: Request[] = [
      new Request(`${APP_URL}${path}`, { headers: { Origin: ORIGIN } }),
      await surfaceRequest(path, { ...customer, claims: { exp: now - 60 } }),
      await surfaceRequest(path, { ...customer, claims: { nbf: now + 600 } }),
      await surfaceRequest(path, { ...customer, secret: "not-the-app-secret" }),
    ];
    for (const request of cases) {
      expect((await call(accountStatus, request)).status).toBe(401);
    }
    for (const [route, path2, params] of [
      [checkoutStatus, "/surfaces/checkout/status", {}],
      [posStatus, `/surfaces/pos/customers/${CUSTOMER_ID}/status`, { customerId: CUSTOMER_ID }],
    ] as const) {
      const forged = await surfaceRequest(path2, { ...customer, secret: "forged" });
      expect((await call(route, forged, params)).status).toBe(401);
    }
  });

  it("names the shop's currency, and the order each history entry came from (this shop's only)", async () => {
    await prisma.shop.upsert({
      where: { domain: TEST_SHOP },
      update: { currencyCode: "EUR" },
      create: { domain: TEST_SHOP, currencyCode: "EUR" },
    });
    forgetProgramExplainer(TEST_SHOP);
    const ORDER = "gid://shopify/Order/5101";
    await applyOrderEvent(
      prisma,
      TEST_SHOP,
      {
        type: "paid",
        snapshot: snapshot({
          orderGid: ORDER,
          customerGid: CUSTOMER,
          updatedAt: new Date("2026-01-01T00:00:00Z"),
          merchandise: 80_000n,
          name: "#1001",
        }),
      },
      new Date(),
    );
    // Another shop's order with the same id must not name this shop's entry.
    await prisma.orderRecord.create({
      data: { shop: "other-shop.myshopify.com", orderGid: ORDER, name: "#9999" },
    });
    const res = await call(
      accountStatus,
      await surfaceRequest("/surfaces/customer-account/status", customer),
    );
    const body = await res.json();
    expect(body.program.currencyCode).toBe("EUR");
    expect(body.history).toEqual([
      { kind: "EARN", points: 400, at: expect.any(String), orderName: "#1001" },
      { kind: "ADJUST", points: 1200, at: expect.any(String), orderName: null },
    ]);
    // The app proxy's JSON is the same.
    const proxied = await (
      await call(proxyStatus, await proxyRequest("status", { customerId: CUSTOMER_ID }))
    ).json();
    expect(proxied.history).toEqual(body.history);
    expect(proxied.program.currencyCode).toBe("EUR");
  });

  it("a token of another shop reads that shop's program, never this shop's members", async () => {
    const res = await call(
      accountStatus,
      await surfaceRequest("/surfaces/customer-account/status", {
        ...customer,
        shop: "other-shop.myshopify.com",
      }),
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ loggedIn: true, points: 0, codes: [], history: [] });
    // A dest that is not a shop domain is refused.
    const odd = await call(
      accountStatus,
      await surfaceRequest("/surfaces/customer-account/status", {
        ...customer,
        claims: { dest: "https://evil.example" },
      }),
    );
    expect(odd.status).toBe(401);
  });

  it("answers the CORS preflight of every route as the library does, before any token", async () => {
    const preflight = (path: string) =>
      new Request(`${APP_URL}${path}`, {
        method: "OPTIONS",
        headers: { Origin: ORIGIN, "Access-Control-Request-Method": "POST" },
      });
    for (const [route, path] of [
      [accountStatusAction, "/surfaces/customer-account/status"],
      [accountRedeem, "/surfaces/customer-account/redeem"],
      [accountFollow, "/surfaces/customer-account/actions/follow"],
      [checkoutRedeem, "/surfaces/checkout/redeem"],
      [checkoutEstimate, "/surfaces/checkout/estimate"],
      [posRedeem, `/surfaces/pos/customers/${CUSTOMER_ID}/redeem`],
    ] as const) {
      const res = await call(route, preflight(path), { customerId: CUSTOMER_ID });
      expect(res.status, path).toBe(204);
      expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(res.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
    }
    // Remix hands a preflight to the loader of a path with a parameter: answered there too.
    for (const [route, path] of [
      [posRedeemLoader, `/surfaces/pos/customers/${CUSTOMER_ID}/redeem`],
      [accountOrder, "/surfaces/customer-account/orders/5001"],
      [accountOrderAction, "/surfaces/customer-account/orders/5001"],
    ] as const) {
      const res = await call(route, preflight(path), { customerId: CUSTOMER_ID, orderId: "5001" });
      expect(res.status, path).toBe(204);
    }
    const get = await call(
      posRedeemLoader,
      await surfaceRequest(`/surfaces/pos/customers/${CUSTOMER_ID}/redeem`, staff),
      {
        customerId: CUSTOMER_ID,
      },
    );
    expect(get.status).toBe(405);
    // A POST to a read-only surface with a good token: 405, with CORS headers.
    const wrong = await call(
      accountStatusAction,
      await surfaceRequest("/surfaces/customer-account/status", customer, json({})),
    );
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });

  it("customer accounts: with referrals on, the member's link as a whole URL on the shop's domain", async () => {
    const off = await (
      await call(accountStatus, await surfaceRequest("/surfaces/customer-account/status", customer))
    ).json();
    expect(off.referral).toBeNull();
    await saveReferralSettings(prisma, TEST_SHOP, { ...DEFAULT_REFERRAL_SETTINGS, enabled: true });
    forgetProgramExplainer(TEST_SHOP);
    const on = await (
      await call(accountStatus, await surfaceRequest("/surfaces/customer-account/status", customer))
    ).json();
    expect(on.program.referrals).toMatchObject({ referrerPoints: DEFAULT_REFERRAL_SETTINGS.referrerPoints });
    expect(on.referral.path).toMatch(/^\/apps\/[\w-]+\/r\/[\w-]+$/);
    expect(on.referral.url).toBe(`https://${TEST_SHOP}${on.referral.path}`);
    // The same code as the storefront's own status gives (one link per member).
    const proxied = await (
      await call(proxyStatus, await proxyRequest("status", { customerId: CUSTOMER_ID }))
    ).json();
    expect(proxied.referral.code).toBe(on.referral.code);
    // A guest gets no link.
    const asGuest = await (
      await call(accountStatus, await surfaceRequest("/surfaces/customer-account/status", guest))
    ).json();
    expect(asGuest.referral).toBeUndefined();
  });

  it("shows a paused program as paused, and refuses to redeem in it", async () => {
    await ensureProgram(prisma, TEST_SHOP);
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { active: false } });
    forgetProgramExplainer(TEST_SHOP);
    const status = await (
      await call(checkoutStatus, await surfaceRequest("/surfaces/checkout/status", customer))
    ).json();
    expect(status.program.active).toBe(false);
    for (const [route, path, as] of [
      [accountRedeem, "/surfaces/customer-account/redeem", customer],
      [checkoutRedeem, "/surfaces/checkout/redeem", customer],
      [posRedeem, `/surfaces/pos/customers/${CUSTOMER_ID}/redeem`, staff],
    ] as const) {
      const res = await call(
        route,
        await surfaceRequest(path, as, json({ rewardKey: "5-off", idempotencyKey: `paused-${path.length}` })),
        {
          customerId: CUSTOMER_ID,
        },
      );
      expect(res.status).toBe(409);
      expect(await res.json()).toEqual({ error: "program_paused" });
    }
    const estimate = await call(
      checkoutEstimate,
      await surfaceRequest(
        "/surfaces/checkout/estimate",
        customer,
        json({ subtotal: { amount: "80.00", currencyCode: "EUR" } }),
      ),
    );
    expect(await estimate.json()).toMatchObject({ points: 0, active: false });
    expect(await prisma.redemption.count()).toBe(0);
  });
});

describe("redeem: one redemption path from every surface", () => {
  it("customer accounts: the same JSON as the app proxy, member included; the same key gives the same code", async () => {
    const res = await call(
      accountRedeem,
      await surfaceRequest(
        "/surfaces/customer-account/redeem",
        customer,
        json({ rewardKey: "10-off", idempotencyKey: "acct-0001" }),
      ),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const body = await res.json();
    expect(body).toMatchObject({
      status: "issued",
      pointsCost: 1000,
      code: expect.any(String),
      endsAt: expect.any(String),
    });
    expect(body.member).toMatchObject({ points: 200, codes: [{ code: body.code }] });
    expect(shopify.codes.has(body.code)).toBe(true);
    const redemption = await prisma.redemption.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    expect(redemption).toMatchObject({ source: "SHOPPER", staffId: null, customerGid: CUSTOMER });
  });

  it("checkout: applying the same reward again with the same key gives the same code, not a second one", async () => {
    const ask = async () =>
      (
        await call(
          checkoutRedeem,
          await surfaceRequest(
            "/surfaces/checkout/redeem",
            customer,
            json({ rewardKey: "5-off", idempotencyKey: "chk-apply-01" }),
          ),
        )
      ).json();
    const first = await ask();
    // The buyer removes the code from checkout and applies the reward again: nothing was revoked.
    const second = await ask();
    expect(second.code).toBe(first.code);
    expect(shopify.codes.size).toBe(1);
    expect(await prisma.redemption.findFirstOrThrow()).toMatchObject({ status: "ISSUED" });
    const status = await (
      await call(checkoutStatus, await surfaceRequest("/surfaces/checkout/status", customer))
    ).json();
    expect(status).toMatchObject({ points: 700, codes: [{ code: first.code }] });
  });

  it("POS: a cashier redeems for the customer, recorded as theirs", async () => {
    const res = await call(
      posRedeem,
      await surfaceRequest(
        `/surfaces/pos/customers/${CUSTOMER_ID}/redeem`,
        staff,
        json({ rewardKey: "5-off", idempotencyKey: "pos-0001" }),
      ),
      { customerId: CUSTOMER_ID },
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.member.points).toBe(700);
    const redemption = await prisma.redemption.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    expect(redemption).toMatchObject({
      source: "STAFF",
      staffId: `gid://shopify/StaffMember/${STAFF_USER}`,
      customerGid: CUSTOMER,
    });
    // A POS token without a staff member is refused; so is a customer id that is not one.
    const noStaff = await call(
      posRedeem,
      await surfaceRequest(
        `/surfaces/pos/customers/${CUSTOMER_ID}/redeem`,
        guest,
        json({ rewardKey: "5-off", idempotencyKey: "pos-0002" }),
      ),
      { customerId: CUSTOMER_ID },
    );
    expect(noStaff.status).toBe(401);
    const badId = await call(
      posRedeem,
      await surfaceRequest(
        `/surfaces/pos/customers/abc/redeem`,
        staff,
        json({ rewardKey: "5-off", idempotencyKey: "pos-0003" }),
      ),
      { customerId: "abc" },
    );
    expect(badId.status).toBe(422);
    expect(await prisma.redemption.count()).toBe(1);
  });

  it("POS: redeems the points chosen for a spend-any-amount reward; refuses other amounts with the limits", async () => {
    await ensureRewards(prisma, TEST_SHOP);
    await prisma.reward.create({
      data: {
        shop: TEST_SHOP,
        key: "any-off",
        title: "Money off",
        type: "FIXED_AMOUNT",
        pointsCost: 100,
        amountMilli: parseMilli("1.00"),
        anyAmountMinPoints: 200,
        anyAmountMaxPoints: 1000,
        position: 10,
      },
    });
    const redeem = async (rewardKey: string, points: number, idempotencyKey: string) => {
      const res = await call(
        posRedeem,
        await surfaceRequest(
          `/surfaces/pos/customers/${CUSTOMER_ID}/redeem`,
          staff,
          json({ rewardKey, idempotencyKey, points }),
        ),
        { customerId: CUSTOMER_ID },
      );
      return [res.status, await res.json()];
    };
    expect(await redeem("any-off", 550, "pos-any-1")).toEqual([
      422,
      { error: "amount_not_allowed", step: 100, minPoints: 200, maxPoints: 1000 },
    ]);
    // A fixed reward allows its cost alone.
    expect(await redeem("5-off", 300, "pos-any-2")).toEqual([
      422,
      { error: "amount_not_allowed", step: 500, minPoints: 500, maxPoints: 500 },
    ]);
    expect(await prisma.redemption.count()).toBe(0);
    const [status, body] = await redeem("any-off", 300, "pos-any-3");
    expect([status, body.pointsCost, body.member.points]).toEqual([200, 300, 900]);
  });

  it("refuses a guest, a bad body and a body over the limit with a code, and changes nothing", async () => {
    const guestRes = await call(
      checkoutRedeem,
      await surfaceRequest(
        "/surfaces/checkout/redeem",
        guest,
        json({ rewardKey: "5-off", idempotencyKey: "guest-0001" }),
      ),
    );
    expect(guestRes.status).toBe(401);
    expect(await guestRes.json()).toEqual({ error: "sign_in_required" });
    const bad = await call(
      accountRedeem,
      await surfaceRequest(
        "/surfaces/customer-account/redeem",
        customer,
        json({ rewardKey: "", idempotencyKey: "x" }),
      ),
    );
    expect(bad.status).toBe(422);
    expect((await bad.json()).error).toBe("invalid_request");
    const notJson = await call(
      accountRedeem,
      await surfaceRequest("/surfaces/customer-account/redeem", customer, { method: "POST", body: "{oops" }),
    );
    expect(notJson.status).toBe(422);
    const huge = await call(
      accountRedeem,
      await surfaceRequest(
        "/surfaces/customer-account/redeem",
        customer,
        json({ rewardKey: "5-off", idempotencyKey: "huge-0001", pad: "x".repeat(20_000) }),
      ),
    );
    expect(huge.status).toBe(413);
    expect(huge.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(await prisma.redemption.count()).toBe(0);
    expect(shopify.codes.size).toBe(0);
  });

  it("a shop without an offline session (not installed) cannot issue: unavailable, nothing reserved", async () => {
    await prisma.session.deleteMany({ where: { shop: TEST_SHOP } });
    const res = await call(
      checkoutRedeem,
      await surfaceRequest(
        "/surfaces/checkout/redeem",
        customer,
        json({ rewardKey: "5-off", idempotencyKey: "no-session-1" }),
      ),
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: "unavailable" });
    expect(await prisma.redemption.count()).toBe(0);
    expect(
      (await prisma.member.findFirstOrThrow({ where: { shop: TEST_SHOP, customerGid: CUSTOMER } })).balance,
    ).toBe(1200);
  });

  it("one rate limit per customer across every surface, as the app proxy's", async () => {
    await adjustPoints(
      prisma,
      TEST_SHOP,
      {
        customerGid: CUSTOMER,
        points: 10_000,
        reason: "More",
        staffId: "test",
        idempotencyKey: "seed-surf-2",
      },
      new Date(),
    );
    const statuses: number[] = [];
    const surfaces = [
      () =>
        surfaceRequest(
          "/surfaces/customer-account/redeem",
          customer,
          json({ rewardKey: "5-off", idempotencyKey: `rl-acct-${statuses.length}` }),
        ),
      () =>
        surfaceRequest(
          "/surfaces/checkout/redeem",
          customer,
          json({ rewardKey: "5-off", idempotencyKey: `rl-chk-${statuses.length}` }),
        ),
      () =>
        surfaceRequest(
          `/surfaces/pos/customers/${CUSTOMER_ID}/redeem`,
          staff,
          json({ rewardKey: "5-off", idempotencyKey: `rl-pos-${statuses.length}` }),
        ),
    ];
    const routes = [accountRedeem, checkoutRedeem, posRedeem];
    for (let i = 0; i < 7; i++) {
      statuses.push(
        (await call(routes[i % 3]!, await surfaces[i % 3]!(), { customerId: CUSTOMER_ID })).status,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });
});

describe("POST /surfaces/customer-account/actions/follow", () => {
  const PATH = "/surfaces/customer-account/actions/follow";
  const follow = async (body: unknown, as: As = customer) => {
    const res = await call(accountFollow, await surfaceRequest(PATH, as, json(body)));
    return {
      status: res.status,
      cors: res.headers.get("Access-Control-Allow-Origin"),
      body: await res.json(),
    };
  };
  const rules = (enabled: boolean) =>
    saveEarnRules(
      prisma,
      TEST_SHOP,
      {
        "follow-instagram": { enabled, points: 25, limit: "ONCE", url: "https://instagram.com/maple" },
        "follow-tiktok": { enabled, points: 10, limit: "ONCE", url: "https://www.tiktok.com/@maple" },
      },
      new Date(),
    );

  it("pays the follow rule once, through the same rule as the app proxy", async () => {
    await rules(true);
    expect(await follow({ rule: "follow-instagram" })).toEqual({
      status: 200,
      cors: "*",
      body: { status: "awarded", points: 25, balance: 1225 },
    });
    expect((await follow({ rule: "follow-instagram" })).body).toEqual({
      status: "already_awarded",
      points: 25,
      balance: 1225,
    });
    // The storefront's follow of the same rule is the same award: nothing more.
    const proxied = await call(
      proxyFollow,
      await proxyRequest("actions/follow", {
        customerId: CUSTOMER_ID,
        init: json({ rule: "follow-instagram" }),
      }),
    );
    expect(await proxied.json()).toEqual({ status: "already_awarded", points: 25, balance: 1225 });
    // ... and one the storefront paid first is already paid here.
    await call(
      proxyFollow,
      await proxyRequest("actions/follow", {
        customerId: CUSTOMER_ID,
        init: json({ rule: "follow-tiktok" }),
      }),
    );
    expect((await follow({ rule: "follow-tiktok" })).body).toMatchObject({ status: "already_awarded" });
    const awards = await prisma.ledgerEntry.findMany({
      where: { shop: TEST_SHOP, action: { startsWith: "follow-" } },
      orderBy: { id: "asc" },
    });
    expect(awards.map((entry) => [entry.action, entry.points])).toEqual([
      ["follow-instagram", 25],
      ["follow-tiktok", 10],
    ]);
    await expectLedgerConsistent(prisma, TEST_SHOP);
  });

  it("refuses a guest, a bad body, a rule that is off and a paused program, writing nothing", async () => {
    await rules(false);
    const before = await prisma.ledgerEntry.count();
    expect(await follow({ rule: "follow-instagram" }, guest)).toMatchObject({
      status: 401,
      cors: "*",
      body: { error: "sign_in_required" },
    });
    for (const body of [{ rule: "newsletter" }, { rule: "follow-myspace" }, {}, "nope"]) {
      expect(await follow(body)).toMatchObject({ status: 422, body: { error: "invalid_request" } });
    }
    expect(await follow({ rule: "follow-instagram" })).toMatchObject({
      status: 409,
      body: { error: "action_unavailable" },
    });
    await rules(true);
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { active: false } });
    expect(await follow({ rule: "follow-instagram" })).toMatchObject({
      status: 409,
      body: { error: "program_paused" },
    });
    expect(await prisma.ledgerEntry.count()).toBe(before);
    // GET is refused; a preflight to the loader is the library's.
    const get = await call(accountFollowLoader, await surfaceRequest(PATH, customer));
    expect(get.status).toBe(405);
  });
});

describe("GET /surfaces/customer-account/orders/:orderId", () => {
  const ORDER = "gid://shopify/Order/5001";
  const paid = (
    orderGid: string,
    customerGid: string | null,
    extra: Partial<Parameters<typeof snapshot>[0]> = {},
  ) =>
    applyOrderEvent(
      prisma,
      TEST_SHOP,
      {
        type: "paid",
        snapshot: snapshot({
          orderGid,
          customerGid,
          updatedAt: new Date("2026-01-01T00:00:00Z"),
          merchandise: 80_000n,
          name: "#1001",
          ...extra,
        }),
      },
      new Date(),
    );
  const order = async (orderId: string, as: As = customer) =>
    call(accountOrder, await surfaceRequest(`/surfaces/customer-account/orders/${orderId}`, as), { orderId });

  it("shows what the customer's order earned, by numeric id or GID", async () => {
    await paid(ORDER, CUSTOMER);
    const res = await order("5001");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      order: {
        id: ORDER,
        name: "#1001",
        points: 400,
        pendingPoints: 0,
        pendingUntil: null,
        reversedPoints: 0,
        state: "earned",
      },
    });
    expect((await (await order(ORDER)).json()).order.points).toBe(400);
  });

  it("shows pending points until the return window ends, and what a refund took back", async () => {
    await ensureProgram(prisma, TEST_SHOP);
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { pendingDays: 14 } });
    const paidAt = new Date();
    await paid(ORDER, CUSTOMER, { paidAt });
    const pending = (await (await order("5001")).json()).order;
    expect(pending).toMatchObject({ points: 400, pendingPoints: 400, state: "pending" });
    expect(new Date(pending.pendingUntil).getTime()).toBe(paidAt.getTime() + 14 * 86_400_000);
    await applyOrderEvent(
      prisma,
      TEST_SHOP,
      { type: "refund", refund: refundFacts(ORDER, "gid://shopify/Refund/1", 80_000n) },
      new Date(),
    );
    expect((await (await order("5001")).json()).order).toMatchObject({
      points: 0,
      pendingPoints: 0,
      reversedPoints: 400,
      state: "reversed",
      pendingUntil: null,
    });
  });

  it("another customer's order is 404 and says nothing of it; an unknown one is not yet received", async () => {
    await paid(ORDER, OTHER);
    const res = await order("5001");
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body).toEqual({ error: "order_not_found" });
    expect(JSON.stringify(body)).not.toContain("1001");
    expect((await (await order("6001")).json()).order).toEqual({
      id: "gid://shopify/Order/6001",
      name: null,
      points: 0,
      pendingPoints: 0,
      pendingUntil: null,
      reversedPoints: 0,
      state: "not_yet_received",
    });
    // A guest has no orders to see; a bad id is a clear error.
    expect((await order("5001", guest)).status).toBe(401);
    expect((await order("12ab")).status).toBe(422);
  });

  it("an order that earned nothing (a test order) is `none`", async () => {
    await paid(ORDER, CUSTOMER, { test: true });
    expect((await (await order("5001")).json()).order).toMatchObject({
      points: 0,
      state: "none",
      name: "#1001",
    });
  });
});

describe("POST /surfaces/checkout/estimate", () => {
  const estimate = async (body: unknown, as: As = customer) =>
    call(checkoutEstimate, await surfaceRequest("/surfaces/checkout/estimate", as, json(body)));

  it("estimates what the order will earn with the program's rate and the member's tier multiplier", async () => {
    await prisma.shop.upsert({
      where: { domain: TEST_SHOP },
      update: { currencyCode: "EUR" },
      create: { domain: TEST_SHOP, currencyCode: "EUR" },
    });
    const res = await estimate({ subtotal: { amount: "80.00", currencyCode: "EUR" } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ points: 400, balanceAfter: 1600, active: true });
    expect(body.member).toMatchObject({ points: 1200 });
    // The order earns exactly that when it is paid.
    const outcome = await applyOrderEvent(
      prisma,
      TEST_SHOP,
      {
        type: "paid",
        snapshot: snapshot({
          orderGid: "gid://shopify/Order/7001",
          customerGid: CUSTOMER,
          updatedAt: new Date(),
          merchandise: 80_000n,
        }),
      },
      new Date(),
    );
    expect(outcome.points).toBe(body.points);
    // A Gold member earns with Gold's multiplier (1.5).
    await prisma.member.updateMany({
      where: { shop: TEST_SHOP, customerGid: CUSTOMER },
      data: { tierKey: "gold" },
    });
    expect(
      (await (await estimate({ subtotal: { amount: "80.00", currencyCode: "EUR" } })).json()).points,
    ).toBe(600);
    // Gift cards do not earn unless the program includes them.
    const withGiftCard = await estimate({
      subtotal: { amount: "80.00", currencyCode: "EUR" },
      lines: [{ amount: { amount: "20.00", currencyCode: "EUR" }, giftCard: true }],
    });
    expect((await withGiftCard.json()).points).toBe(450);
  });

  describe("with a bonus event running (decision 0022)", () => {
    const DAY = 86_400_000;
    const event = (
      data: { kind: "MULTIPLIER" | "FIXED"; multiplierE4?: number; fixedPoints?: number },
      from: number,
      to: number,
    ) => {
      const startsAt = new Date(Date.now() + from);
      const endsAt = new Date(Date.now() + to);
      return prisma.bonusEvent.create({
        data: {
          shop: TEST_SHOP,
          name: `${data.kind} ${from}`,
          startsOn: startsAt.toISOString().slice(0, 10),
          endsOn: endsAt.toISOString().slice(0, 10),
          timeZone: "UTC",
          startsAt,
          endsAt,
          ...data,
        },
      });
    };
    const pay = (orderGid: string) =>
      applyOrderEvent(
        prisma,
        TEST_SHOP,
        {
          type: "paid",
          snapshot: snapshot({
            orderGid,
            customerGid: CUSTOMER,
            updatedAt: new Date(),
            // Processed now: when the estimate was asked for (the buyer pays, then sees the page).
            paidAt: new Date(),
            merchandise: 80_000n,
          }),
        },
        new Date(),
      );
    const subtotal = { amount: "80.00", currencyCode: "EUR" };
    beforeEach(() => prisma.bonusEvent.deleteMany({ where: { shop: TEST_SHOP } }));
    afterEach(() => prisma.bonusEvent.deleteMany({ where: { shop: TEST_SHOP } }));

    it("a multiplier: the estimate is what the order is then credited, the tier stacked on it", async () => {
      // Running: 2x. Over yesterday, or starting tomorrow: not counted.
      await event({ kind: "MULTIPLIER", multiplierE4: 20_000 }, -DAY, DAY);
      await event({ kind: "MULTIPLIER", multiplierE4: 50_000 }, -3 * DAY, -DAY);
      await event({ kind: "MULTIPLIER", multiplierE4: 50_000 }, DAY, 2 * DAY);
      const body = await (await estimate({ subtotal })).json();
      // 80.00 at 5 a unit, doubled.
      expect(body).toMatchObject({ points: 800, balanceAfter: 2000 });
      const credited = await pay("gid://shopify/Order/9101");
      expect(credited.points).toBe(body.points);
      // Gold's 1.5 and the event's 2x multiply (the crediting path's order).
      await prisma.member.updateMany({
        where: { shop: TEST_SHOP, customerGid: CUSTOMER },
        data: { tierKey: "gold" },
      });
      const gold = await (await estimate({ subtotal })).json();
      expect(gold.points).toBe(1200);
      expect((await pay("gid://shopify/Order/9102")).points).toBe(gold.points);
      // A guest's estimate counts the event too.
      expect((await (await estimate({ subtotal }, guest)).json()).points).toBe(800);
    });

    it("a fixed bonus, and with an overlapping multiplier both, as the award gives them", async () => {
      await event({ kind: "FIXED", fixedPoints: 50 }, -DAY, DAY);
      const fixed = await (await estimate({ subtotal })).json();
      expect(fixed.points).toBe(450);
      expect((await pay("gid://shopify/Order/9201")).points).toBe(fixed.points);
      // A 1.5x overlapping it: the highest multiplier and the highest fixed bonus (600 + 50).
      await event({ kind: "MULTIPLIER", multiplierE4: 15_000 }, -DAY / 2, DAY);
      const both = await (await estimate({ subtotal })).json();
      expect(both.points).toBe(650);
      expect((await pay("gid://shopify/Order/9202")).points).toBe(both.points);
      const entries = await prisma.ledgerEntry.findMany({
        where: { shop: TEST_SHOP, kind: "EARN" },
        orderBy: { id: "asc" },
      });
      expect(entries.map((entry) => entry.points)).toEqual([450, 650]);
      await expectLedgerConsistent(prisma, TEST_SHOP);
    });

    it("page first on the thank-you page: the webhook then credits the estimate with its event", async () => {
      await event({ kind: "MULTIPLIER", multiplierE4: 30_000 }, -DAY, DAY);
      const ORDER_ID = "gid://shopify/Order/9301";
      const body = await (await estimate({ subtotal, orderId: ORDER_ID })).json();
      expect(body).toMatchObject({ points: 1200, balanceAfter: 2400, order: null });
      await pay(ORDER_ID);
      expect(await (await estimate({ subtotal, orderId: ORDER_ID })).json()).toMatchObject({
        points: 1200,
        balanceAfter: 2400,
        order: { state: "earned", points: 1200 },
      });
    });

    it("a paused program estimates nothing, event or not", async () => {
      await event({ kind: "MULTIPLIER", multiplierE4: 20_000 }, -DAY, DAY);
      await ensureProgram(prisma, TEST_SHOP);
      await prisma.program.update({ where: { shop: TEST_SHOP }, data: { active: false } });
      expect(await (await estimate({ subtotal })).json()).toMatchObject({ points: 0, active: false });
    });
  });

  it("for a guest: the points, no balance, no member", async () => {
    const body = await (await estimate({ subtotal: { amount: "80.00", currencyCode: "EUR" } }, guest)).json();
    expect(body).toEqual({ points: 400, balanceAfter: null, active: true, member: null, order: null });
  });

  describe("on the thank-you page, with the order's id", () => {
    const ORDER_ID = "gid://shopify/Order/8001";
    const subtotal = { amount: "80.00", currencyCode: "EUR" };
    const pay = (customerGid = CUSTOMER, paidAt = new Date()) =>
      applyOrderEvent(
        prisma,
        TEST_SHOP,
        {
          type: "paid",
          snapshot: snapshot({
            orderGid: ORDER_ID,
            customerGid,
            updatedAt: new Date(),
            merchandise: 80_000n,
            name: "#1001",
            paidAt,
          }),
        },
        new Date(),
      );
    const balance = async () =>
      (await prisma.member.findFirstOrThrow({ where: { shop: TEST_SHOP, customerGid: CUSTOMER } })).balance;

    it("webhook first: answers what the order was credited, not the balance plus the points again", async () => {
      await pay();
      expect(await balance()).toBe(1600);
      const body = await (await estimate({ subtotal, orderId: ORDER_ID })).json();
      expect(body).toMatchObject({
        points: 400,
        balanceAfter: 1600,
        active: true,
        order: { id: ORDER_ID, name: "#1001", points: 400, pendingPoints: 0, state: "earned" },
      });
      expect(body.member).toMatchObject({ points: 1600 });
    });

    it("page first: the estimate, and the webhook then credits exactly that once", async () => {
      const body = await (await estimate({ subtotal, orderId: ORDER_ID })).json();
      expect(body).toMatchObject({ points: 400, balanceAfter: 1600, order: null });
      await pay();
      expect(await balance()).toBe(body.balanceAfter);
      // Asked again (a reload), the page now reads the recorded order: the same figures.
      expect(await (await estimate({ subtotal, orderId: ORDER_ID })).json()).toMatchObject({
        points: 400,
        balanceAfter: 1600,
        order: { state: "earned" },
      });
    });

    it("pending points: the balance they bring once the return window ends, counted once", async () => {
      await ensureProgram(prisma, TEST_SHOP);
      await prisma.program.update({ where: { shop: TEST_SHOP }, data: { pendingDays: 14 } });
      await pay();
      const body = await (await estimate({ subtotal, orderId: ORDER_ID })).json();
      expect(body).toMatchObject({
        points: 400,
        balanceAfter: 1600,
        order: { pendingPoints: 400, state: "pending" },
      });
      expect(body.member).toMatchObject({ points: 1200, pending: 400 });
    });

    it("another customer's order, or a guest, gets the estimate and nothing of that order", async () => {
      await pay(OTHER);
      const body = await (await estimate({ subtotal, orderId: ORDER_ID })).json();
      expect(body).toMatchObject({ points: 400, balanceAfter: 1600, order: null });
      expect(JSON.stringify(body)).not.toContain("1001");
      const asGuest = await (await estimate({ subtotal, orderId: ORDER_ID }, guest)).json();
      expect(asGuest).toEqual({ points: 400, balanceAfter: null, active: true, member: null, order: null });
      const bad = await estimate({ subtotal, orderId: "not-an-order" });
      expect(bad.status).toBe(422);
      expect((await bad.json()).fields).toHaveProperty("orderId");
    });
  });

  it("another currency than the shop's gets no figure rather than a wrong one; bad input a clear error", async () => {
    await prisma.shop.upsert({
      where: { domain: TEST_SHOP },
      update: { currencyCode: "EUR" },
      create: { domain: TEST_SHOP, currencyCode: "EUR" },
    });
    const other = await (await estimate({ subtotal: { amount: "80.00", currencyCode: "USD" } })).json();
    expect(other).toMatchObject({ points: null, balanceAfter: null, reason: "other_currency" });
    for (const body of [
      {},
      { subtotal: { amount: "-1", currencyCode: "EUR" } },
      { subtotal: { amount: "1e9", currencyCode: "EUR" } },
      { subtotal: { amount: "10.00", currencyCode: "eur" } },
      {
        subtotal: { amount: "10.00", currencyCode: "EUR" },
        lines: [{ amount: { amount: "20.00", currencyCode: "EUR" }, giftCard: true }],
      },
      {
        subtotal: { amount: "10.00", currencyCode: "EUR" },
        lines: [{ amount: { amount: "1.00", currencyCode: "USD" } }],
      },
    ]) {
      const res = await estimate(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect((await res.json()).error).toBe("invalid_request");
    }
  });
});

describe("the race: every surface redeems from one balance at once", () => {
  it("storefront, account page, checkout and POS together get exactly the codes the balance pays for", async () => {
    // 1,200 points: two 5-off rewards (500 each), whoever asks first.
    const attempts = [
      ...[1, 2].map(async (i) =>
        call(
          proxyRedeem,
          await proxyRequest("redeem", {
            customerId: CUSTOMER_ID,
            init: json({ rewardKey: "5-off", idempotencyKey: `race-proxy-${i}` }),
          }),
        ),
      ),
      ...[1, 2].map(async (i) =>
        call(
          accountRedeem,
          await surfaceRequest(
            "/surfaces/customer-account/redeem",
            customer,
            json({ rewardKey: "5-off", idempotencyKey: `race-acct-${i}` }),
          ),
        ),
      ),
      ...[1].map(async (i) =>
        call(
          checkoutRedeem,
          await surfaceRequest(
            "/surfaces/checkout/redeem",
            customer,
            json({ rewardKey: "5-off", idempotencyKey: `race-chk-${i}` }),
          ),
        ),
      ),
      ...[1].map(async (i) =>
        call(
          posRedeem,
          await surfaceRequest(
            `/surfaces/pos/customers/${CUSTOMER_ID}/redeem`,
            staff,
            json({ rewardKey: "5-off", idempotencyKey: `race-pos-${i}` }),
          ),
          {
            customerId: CUSTOMER_ID,
          },
        ),
      ),
    ];
    const responses = await Promise.all(attempts);
    const bodies = await Promise.all(responses.map((r) => r.json()));
    const issued = bodies.filter((b) => b.status === "issued");
    expect(issued).toHaveLength(2);
    expect(new Set(issued.map((b) => b.code)).size).toBe(2);
    for (const [i, res] of responses.entries()) {
      if (bodies[i].status === "issued") continue;
      expect(res.status).toBe(409);
      expect(bodies[i]).toEqual({ error: "not_enough_points" });
    }
    expect(shopify.codes.size).toBe(2);
    expect(await prisma.ledgerEntry.count({ where: { shop: TEST_SHOP, kind: "REDEEM" } })).toBe(2);
    const member = await prisma.member.findFirstOrThrow({
      where: { shop: TEST_SHOP, customerGid: CUSTOMER },
    });
    expect(member.balance).toBe(200);
    await expectLedgerConsistent(prisma, TEST_SHOP);
  }, 60_000);
});
