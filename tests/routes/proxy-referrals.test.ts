/**
 * The referral link on the app proxy (/proxy/r/<code>), with requests signed the way Shopify
 * signs them (Shopify's test helper): a visit is counted, the form gives the referee a code made
 * in Shopify, a forged signature or a bad link changes nothing, and the status carries the link.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { loader as linkLoader, action as linkAction } from "~/routes/proxy.r.$code";
import { loader as statusLoader } from "~/routes/proxy.status";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { saveReferralSettings } from "~/services/referrals/referrals.server";
import { forgetProgramExplainer } from "~/services/program/program-explainer-cache.server";
import { DEFAULT_REFERRAL_SETTINGS } from "~/loyalty/referrals";
import type { adminStandIn } from "../support/admin-stand-in";
import type { ShopifyEdge } from "../support/shopify-edge";
import { proxyRequest } from "../support/proxy-requests";
import { resetLoyaltyData } from "../support/reset";
import { shopifyForShop } from "../support/shopify-for-shop";

const ANN_ID = "7400000101";
const ANN = `gid://shopify/Customer/${ANN_ID}`;
let edge: ShopifyEdge | undefined;
let shopify: ReturnType<typeof adminStandIn>;

const call = async (fn: () => Promise<Response>) => fn().catch((thrown: unknown) => thrown as Response);
const visit = async (code: string, customerId: string | null = null, secret?: string) => {
  const request = await proxyRequest(`r/${code}`, { shop: TEST_SHOP, customerId, secret });
  return call(() => linkLoader({ request, params: { code }, context: {} }));
};
const claimWithForm = async (code: string, email: string | null, customerId: string | null = null) => {
  const body = new URLSearchParams(email === null ? {} : { email });
  const request = await proxyRequest(`r/${code}`, {
    shop: TEST_SHOP,
    customerId,
    init: { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } },
  });
  return call(() => linkAction({ request, params: { code }, context: {} }));
};
const annStatus = async () => {
  const request = await proxyRequest("status", { shop: TEST_SHOP, customerId: ANN_ID });
  return (await call(() => statusLoader({ request, params: {}, context: {} }))).json();
};

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  await prisma.referral.deleteMany({ where: { shop: TEST_SHOP } });
  await prisma.referralVisit.deleteMany({ where: { shop: TEST_SHOP } });
  await prisma.session.deleteMany();
  ({ shopify, edge } = await shopifyForShop(prisma, TEST_SHOP, "shpat_referrals"));
  await adjustPoints(
    prisma,
    TEST_SHOP,
    {
      customerGid: ANN,
      points: 100,
      reason: "Opening balance",
      staffId: "test",
      idempotencyKey: "seed-referral-1",
    },
    new Date(),
  );
  await prisma.member.updateMany({
    where: { shop: TEST_SHOP },
    data: { email: "ann@example.com", firstName: "Ann" },
  });
  await saveReferralSettings(prisma, TEST_SHOP, {
    ...DEFAULT_REFERRAL_SETTINGS,
    enabled: true,
    refereePercent: 15,
  });
  forgetProgramExplainer(TEST_SHOP);
});
afterEach(() => edge?.restore());

describe("the referral link", () => {
  it("the member's status carries the link; a visit is counted; the form gives a code made in Shopify", async () => {
    const status = await annStatus();
    expect(status.program.referrals).toEqual({
      refereePercent: 15,
      referrerPoints: 500,
      referrerReward: null,
    });
    expect(status.referral.path).toBe(`/apps/regulars/r/${status.referral.code}`);
    const code: string = status.referral.code;
    // The same link every time.
    expect((await annStatus()).referral.code).toBe(code);

    const page = await visit(code);
    expect(page.status).toBe(200);
    expect(page.headers.get("Content-Type")).toContain("application/liquid");
    const offer = await page.text();
    expect(offer).toContain("Ann sent you 15% off your first order");
    // The library's liquid helper adds the trailing slash a form posting through the proxy needs
    // (node_modules/@shopify/shopify-app-remix/dist/esm/server/authenticate/public/appProxy/authenticate.mjs).
    expect(offer).toContain(`action="/apps/regulars/r/${code}/"`);
    expect(await prisma.referralVisit.count({ where: { shop: TEST_SHOP } })).toBe(1);

    const claimed = await claimWithForm(code, "bob@example.com");
    expect(claimed.status).toBe(200);
    const html = await claimed.text();
    const given = /data-regulars-referral-code>([^<]+)</.exec(html)![1]!;
    expect(shopify.codes.get(given)?.input).toMatchObject({
      usageLimit: 1,
      customerGets: { value: { percentage: 0.15 } },
    });
    expect(await prisma.referral.findFirstOrThrow({ where: { shop: TEST_SHOP } })).toMatchObject({
      refereeEmail: "bob@example.com",
      code: given,
      status: "ISSUED",
    });
  });

  it("refusals say why and change nothing: own link, no email, unknown link, forged signature", async () => {
    const code: string = (await annStatus()).referral.code;
    const own = await claimWithForm(code, null, ANN_ID);
    expect(own.status).toBe(403);
    expect(await own.text()).toContain("your own referral link");
    expect((await claimWithForm(code, "not-an-email")).status).toBe(422);
    const unknown = await visit("ZZZZZZZZ");
    expect(unknown.status).toBe(404);
    expect((await visit(code, null, "not-the-secret")).status).toBe(400);
    expect(await prisma.referral.count({ where: { shop: TEST_SHOP } })).toBe(0);
    expect(await prisma.referralVisit.count({ where: { shop: TEST_SHOP } })).toBe(0);
    expect(shopify.codes.size).toBe(0);
  });

  it("while referrals are off there is no link, and a link says so", async () => {
    const code: string = (await annStatus()).referral.code;
    await saveReferralSettings(prisma, TEST_SHOP, { ...DEFAULT_REFERRAL_SETTINGS, enabled: false });
    forgetProgramExplainer(TEST_SHOP);
    expect((await annStatus()).referral).toBeNull();
    const off = await visit(code);
    expect(off.status).toBe(409);
    expect(await off.text()).toContain("not running");
  });
});
