/**
 * The shopper's store credit balance shown (issue 24, docs/decisions/0025): the member sync reads
 * it from Shopify while the shop grants the store credit scopes, keeps it on the member and
 * writes it to the `store_credit` metafield for the theme; the status answers it to the other
 * surfaces. Without the scopes, or when Shopify refuses the read, nothing is shown and nothing
 * fails. Shopify is the Admin API stand-in with devshop's store credit model.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { syncMember } from "~/services/members/member-sync.server";
import { redeemReward } from "~/services/rewards/redeem-reward.server";
import { shopperStatus } from "~/services/storefront/status.server";
import { NAMESPACE } from "~/shopify/admin-api/member-metafields.server";
import { syncProgram } from "~/services/program/program-sync.server";
import { adminStandIn, requiredScopes } from "../support/admin-stand-in";
import { appMetafieldsOf, renderBlock } from "../support/theme-render";
import { addCreditReward } from "../support/credit-reward";

const CUSTOMER = "gid://shopify/Customer/9007199254740995";
const NOW = new Date("2026-03-01T12:00:00.250Z");
const STORE_CREDIT_SCOPES = ["read_store_credit_accounts", "write_store_credit_account_transactions"];
let n = 0;

/**
 * A shop whose granted scopes (as Regulars recorded them) are `recorded`, and whose Shopify grants
 * `granted`; a 10.00 store credit reward, and a member with 2,500 points.
 */
async function shopWith(recorded: string[], granted = recorded) {
  const shop = `credit-shown-${n++}.myshopify.com`;
  await prisma.shop.create({
    data: { domain: shop, installedAt: NOW, scopes: recorded.join(","), currencyCode: "EUR" },
  });
  await addCreditReward(prisma, shop);
  await adjustPoints(
    prisma,
    shop,
    {
      customerGid: CUSTOMER,
      points: 2500,
      reason: "Opening",
      staffId: "t",
      idempotencyKey: `shown-${n}-seed`,
    },
    NOW,
  );
  const shopify = adminStandIn({ grantedScopes: granted, now: () => NOW });
  const member = await prisma.member.findUniqueOrThrow({
    where: { shop_customerGid: { shop, customerGid: CUSTOMER } },
  });
  const sync = () => syncMember(prisma, shopify.admin, shop, member.id, () => NOW);
  const metafield = () => JSON.parse(shopify.metafields.get(`${CUSTOMER}|${NAMESPACE}|store_credit`)!.value);
  const status = async () => {
    const answer = await shopperStatus(prisma, shop, CUSTOMER, NOW);
    return "storeCredit" in answer ? answer.storeCredit : undefined;
  };
  /** The launcher as the theme renders it from the metafields the app wrote. */
  const launcher = async () => {
    await prisma.program.update({ where: { shop }, data: { syncVersion: { increment: 1 } } });
    await syncProgram(prisma, shopify.admin, shop);
    const customer = Object.fromEntries(
      [...shopify.metafields]
        .filter(([id]) => id.startsWith(`${CUSTOMER}|${NAMESPACE}|`))
        .map(([id, field]) => [id.split("|")[2]!, { type: field.type, value: field.value }]),
    );
    return renderBlock("rewards-launcher", { locale: "en", app: appMetafieldsOf(shopify), customer });
  };
  return { shop, shopify, sync, metafield, status, launcher };
}

const ALL = [...requiredScopes(), ...STORE_CREDIT_SCOPES];

describe("the store credit balance shown", () => {
  it("is read from Shopify by the member sync, in the shop's currency, for the theme and the status", async () => {
    const { shop, shopify, sync, metafield, status, launcher } = await shopWith(ALL);
    await redeemReward(
      prisma,
      shopify.admin,
      shop,
      { customerGid: CUSTOMER, rewardKey: "credit-10", idempotencyKey: "shown-credit-1" },
      NOW,
    );
    // Credit in another currency is not the shop's: not shown.
    shopify.storeCredit.accounts["9007199254740995"]!.push({
      id: "gid://shopify/StoreCreditAccount/99",
      currencyCode: "USD",
      transactions: [
        {
          id: "t-usd",
          kind: "credit",
          cents: 700,
          remainingCents: 700,
          createdAt: NOW.toISOString(),
          expiresAt: null,
        },
      ],
    });

    await sync();
    expect(shopify.calls.map((call) => call.operation)).toContain("CustomerStoreCredit");
    expect(metafield()).toEqual({ cents: 1000, currencyCode: "EUR" });
    expect(await status()).toEqual({
      amount: "10.00",
      cents: 1000,
      currencyCode: "EUR",
      readAt: NOW.toISOString(),
    });
    expect(await launcher()).toMatch(
      /<p class="regulars-status__credit" data-regulars-credit>Store credit: €10\.00<\/p>/,
    );
  });

  it("keeps a zero balance once read (no account yet); the theme shows no line for it", async () => {
    const { sync, metafield, status, launcher } = await shopWith(ALL);
    await sync();
    expect(metafield()).toEqual({ cents: 0, currencyCode: "EUR" });
    expect(await status()).toMatchObject({ amount: "0.00", cents: 0 });
    expect(await launcher()).not.toContain("data-regulars-credit");
  });

  it("without the store credit scopes, is not read and nothing is shown", async () => {
    const { shopify, sync, metafield, status, launcher } = await shopWith(requiredScopes());
    await sync();
    expect(shopify.calls.map((call) => call.operation)).not.toContain("CustomerStoreCredit");
    expect(metafield()).toEqual({ cents: null, currencyCode: null });
    expect(await status()).toBeNull();
    const html = await launcher();
    expect(html).toContain("2,500 points");
    expect(html).not.toContain("data-regulars-credit");
  });

  it("when Shopify refuses the read (the scope was taken back), shows nothing and the sync still writes", async () => {
    const { shop, sync, metafield, status } = await shopWith(ALL, requiredScopes());
    const { writes } = await sync();
    expect(writes).toBe(1);
    expect(metafield()).toEqual({ cents: null, currencyCode: null });
    expect(await status()).toBeNull();
    const member = await prisma.member.findUniqueOrThrow({
      where: { shop_customerGid: { shop, customerGid: CUSTOMER } },
    });
    expect([member.storeCreditMilli, member.syncError]).toEqual([null, null]);
  });
});
