/**
 * A store credit reward (issue 24): points become the shop's native store
 * credit through the reserve -> call -> confirm path of codes. Shopify is the
 * Admin API stand-in at the network edge, with devshop's store credit model
 * (devshop/store-credit.ts), validated against the 2026-10 schema.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { parseMilli } from "~/loyalty/money";
import { adjustPoints } from "~/services/members/adjust-points.server";
import {
  AmountNotAllowedError,
  issueCode,
  RedeemError,
  redeemReward,
  reservePoints,
} from "~/services/rewards/redeem-reward.server";
import { expireCodes } from "~/services/rewards/reward-lifecycle.server";
import { AdminTransientError } from "~/shopify/admin-api/admin-client.server";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { adminStandIn, requiredScopes } from "../support/admin-stand-in";
import { addCreditReward } from "../support/credit-reward";

const CUSTOMER = "gid://shopify/Customer/9007199254740993";
const NOW = new Date("2026-03-01T12:00:00.250Z");
const STORE_CREDIT_SCOPES = ["read_store_credit_accounts", "write_store_credit_account_transactions"];
let n = 0;
const key = (suffix: string | number) => `credit-key-${suffix}`;

/** A shop with the store credit scopes (unless `scopes` says otherwise), a 10.00 credit reward and a balance. */
async function creditShop(points: number, scopes = [...requiredScopes(), ...STORE_CREDIT_SCOPES]) {
  const shop = `credit-${n++}.myshopify.com`;
  await prisma.shop.create({
    data: { domain: shop, installedAt: NOW, scopes: scopes.join(","), currencyCode: "EUR" },
  });
  await addCreditReward(prisma, shop);
  await adjustPoints(
    prisma,
    shop,
    {
      customerGid: CUSTOMER,
      points,
      reason: "Opening balance",
      staffId: "test",
      idempotencyKey: `seed-${n}-x`,
    },
    NOW,
  );
  const shopify = adminStandIn({ grantedScopes: scopes, now: () => NOW });
  return { shop, shopify };
}

const balance = async (shop: string) =>
  (await prisma.member.findUniqueOrThrow({ where: { shop_customerGid: { shop, customerGid: CUSTOMER } } }))
    .balance;
const credits = (shopify: ReturnType<typeof adminStandIn>) =>
  (shopify.storeCredit.accounts["9007199254740993"] ?? []).flatMap((account) =>
    account.transactions.map((t) => ({
      currency: account.currencyCode,
      cents: t.cents,
      expiresAt: t.expiresAt,
    })),
  );
const redeem = (shop: string, shopify: ReturnType<typeof adminStandIn>, idempotencyKey: string) =>
  redeemReward(
    prisma,
    shopify.admin,
    shop,
    { customerGid: CUSTOMER, rewardKey: "credit-10", idempotencyKey },
    NOW,
  );

describe("store credit rewards", () => {
  it("debits the points, credits the customer's account once in the shop's currency, and confirms it", async () => {
    const { shop, shopify } = await creditShop(1500);
    const redemption = await redeem(shop, shopify, key(1));
    expect(redemption).toMatchObject({ status: "CREDITED", creditCurrency: "EUR", pointsCost: 1000 });
    expect(redemption.creditTransactionId).toMatch(/^gid:\/\/shopify\/StoreCreditAccountCreditTransaction\//);
    // The exact input: the Customer id, the amount in the shop's currency, the expiry on a whole second.
    expect(shopify.calls.map((c) => c.operation)).toEqual(["CreditStoreCredit"]);
    expect(shopify.calls[0]!.variables).toEqual({
      id: CUSTOMER,
      creditInput: {
        creditAmount: { amount: "10.00", currencyCode: "EUR" },
        expiresAt: "2026-05-30T12:00:00.000Z",
        notify: false,
      },
    });
    expect(credits(shopify)).toEqual([
      { currency: "EUR", cents: 1000, expiresAt: "2026-05-30T12:00:00.000Z" },
    ]);
    expect(await balance(shop)).toBe(500);
    // The same request again (a double click) is the same redemption: no second credit.
    expect((await redeem(shop, shopify, key(1))).id).toBe(redemption.id);
    expect(credits(shopify)).toHaveLength(1);
    // A credit is not a code: it neither expires nor comes back with the code sweep.
    expect(await expireCodes(prisma, shop, new Date("2027-01-01T00:00:00Z"))).toBe(0);
    await expectLedgerConsistent(prisma, shop);
  });

  it("two redemptions in the same second get different expiries (a retry can tell their credits apart)", async () => {
    const { shop, shopify } = await creditShop(2000);
    const first = await redeem(shop, shopify, key("a"));
    const second = await redeem(shop, shopify, key("b"));
    expect(second.endsAt.getTime() - first.endsAt.getTime()).toBe(1000);
    expect(credits(shopify)).toHaveLength(2);
    expect(await balance(shop)).toBe(0);
  });

  it("an answer lost after Shopify credited: the retry finds the credit and credits nothing more", async () => {
    const { shop, shopify } = await creditShop(1000);
    shopify.faults.push("lost-response");
    const reserved = await reservePoints(
      prisma,
      shop,
      { customerGid: CUSTOMER, rewardKey: "credit-10", idempotencyKey: key(2) },
      NOW,
    );
    await expect(issueCode(prisma, shopify.admin, shop, reserved.id, () => NOW)).rejects.toBeInstanceOf(
      AdminTransientError,
    );
    expect(credits(shopify)).toHaveLength(1); // Shopify did credit it
    expect((await prisma.redemption.findUniqueOrThrow({ where: { id: reserved.id } })).status).toBe(
      "RESERVED",
    );
    expect(await balance(shop)).toBe(0); // still reserved, not refunded
    const done = await issueCode(prisma, shopify.admin, shop, reserved.id, () => NOW);
    expect(done.status).toBe("CREDITED");
    expect(credits(shopify)).toHaveLength(1);
    expect(shopify.calls.map((c) => c.operation)).toEqual(["CreditStoreCredit", "StoreCreditCredits"]);
    expect(await balance(shop)).toBe(0);
    await expectLedgerConsistent(prisma, shop);
  });

  it("a retry after a call that never reached Shopify credits once", async () => {
    const { shop, shopify } = await creditShop(1000);
    shopify.faults.push("5xx");
    const reserved = await reservePoints(
      prisma,
      shop,
      { customerGid: CUSTOMER, rewardKey: "credit-10", idempotencyKey: key(3) },
      NOW,
    );
    await expect(issueCode(prisma, shopify.admin, shop, reserved.id, () => NOW)).rejects.toBeInstanceOf(
      AdminTransientError,
    );
    expect(credits(shopify)).toHaveLength(0);
    expect((await issueCode(prisma, shopify.admin, shop, reserved.id, () => NOW)).status).toBe("CREDITED");
    expect(credits(shopify)).toHaveLength(1);
    expect(shopify.calls.map((c) => c.operation)).toEqual([
      "CreditStoreCredit",
      "StoreCreditCredits",
      "CreditStoreCredit",
    ]);
  });

  const refusals: [string, (shopify: ReturnType<typeof adminStandIn>) => void, string][] = [
    [
      "a currency Shopify does not support",
      (s) => (s.storeCredit.currencies = ["USD"]),
      "UNSUPPORTED_CURRENCY",
    ],
    ["the account's limit", (s) => (s.storeCredit.limitCents = 500), "CREDIT_LIMIT_EXCEEDED"],
    [
      "an account in another currency",
      (s) => {
        // The redemption names the account; Shopify refuses when its currency is not the credit's.
        s.storeCredit.accounts["9007199254740993"] = [
          { id: "gid://shopify/StoreCreditAccount/77", currencyCode: "USD", transactions: [] },
        ];
      },
      "MISMATCHING_CURRENCY",
    ],
  ];
  it.each(refusals)("Shopify refusing (%s) gives the points back, once", async (_name, arrange, code) => {
    const { shop, shopify } = await creditShop(1000);
    arrange(shopify);
    let redemption;
    if (code === "MISMATCHING_CURRENCY") {
      // Credit the account by its id (what a merchant's app could do), through the same path.
      const reserved = await reservePoints(
        prisma,
        shop,
        { customerGid: CUSTOMER, rewardKey: "credit-10", idempotencyKey: key(code) },
        NOW,
      );
      await prisma.redemption.update({
        where: { id: reserved.id },
        data: { customerGid: "gid://shopify/StoreCreditAccount/77" },
      });
      redemption = await issueCode(prisma, shopify.admin, shop, reserved.id, () => NOW);
    } else {
      redemption = await redeem(shop, shopify, key(code));
    }
    expect(redemption.status).toBe("FAILED");
    expect(redemption.error).toContain(code);
    expect(await balance(shop)).toBe(1000);
    expect(credits(shopify).filter((c) => c.cents > 0)).toHaveLength(0);
    // Asking again does not refund twice.
    await issueCode(prisma, shopify.admin, shop, redemption.id, () => NOW);
    expect(await prisma.ledgerEntry.count({ where: { shop, kind: "REDEEM_REFUND" } })).toBe(1);
    await expectLedgerConsistent(prisma, shop);
  });

  it("an expiry Shopify finds in the past gives the points back", async () => {
    const { shop } = await creditShop(1000);
    // Shopify's clock is past the credit's expiry (a redemption left reserved for months).
    const late = adminStandIn({
      grantedScopes: [...requiredScopes(), ...STORE_CREDIT_SCOPES],
      now: () => new Date("2027-01-01T00:00:00Z"),
    });
    const reserved = await reservePoints(
      prisma,
      shop,
      { customerGid: CUSTOMER, rewardKey: "credit-10", idempotencyKey: key("past") },
      NOW,
    );
    const failed = await issueCode(prisma, late.admin, shop, reserved.id, () => NOW);
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toContain("EXPIRES_AT_IN_PAST");
    expect(await balance(shop)).toBe(1000);
  });

  it("without the store credit scopes the reward is off: refused, nothing written, nothing sent", async () => {
    const { shop, shopify } = await creditShop(1000, requiredScopes());
    await expect(redeem(shop, shopify, key("off"))).rejects.toMatchObject(new RedeemError("reward disabled"));
    expect(await prisma.redemption.count({ where: { shop } })).toBe(0);
    expect(await balance(shop)).toBe(1000);
    expect(shopify.calls).toEqual([]);
  });

  it("a scope revoked after the points were reserved: Shopify's ACCESS_DENIED gives them back", async () => {
    const { shop } = await creditShop(1000);
    const revoked = adminStandIn({ grantedScopes: requiredScopes(), now: () => NOW });
    const failed = await redeem(shop, revoked, key("revoked"));
    expect(failed.status).toBe("FAILED");
    expect(await balance(shop)).toBe(1000);
    await expectLedgerConsistent(prisma, shop);
  });
});

describe("spend any amount", () => {
  /** 1.00 of store credit per 100 points, from 500 to 3,000 points. */
  async function anyAmountShop(points: number) {
    const setUp = await creditShop(points);
    await prisma.reward.update({
      where: { shop_key: { shop: setUp.shop, key: "credit-10" } },
      data: {
        pointsCost: 100,
        amountMilli: parseMilli("1.00"),
        anyAmountMinPoints: 500,
        anyAmountMaxPoints: 3000,
      },
    });
    return setUp;
  }
  const redeemPoints = (shop: string, shopify: ReturnType<typeof adminStandIn>, points: number, k: string) =>
    redeemReward(
      prisma,
      shopify.admin,
      shop,
      { customerGid: CUSTOMER, rewardKey: "credit-10", idempotencyKey: k, points },
      NOW,
    );

  it("converts the points the customer chose into that much store credit", async () => {
    const { shop, shopify } = await anyAmountShop(2000);
    const redemption = await redeemPoints(shop, shopify, 1500, key("any-1"));
    expect(redemption).toMatchObject({ status: "CREDITED", pointsCost: 1500 });
    expect(credits(shopify)).toMatchObject([{ currency: "EUR", cents: 1500 }]);
    expect(await balance(shop)).toBe(500);
    // The same key with other points is another request: refused, nothing written.
    await expect(redeemPoints(shop, shopify, 500, key("any-1"))).rejects.toMatchObject(
      new RedeemError("idempotency key reused for another reward"),
    );
    await expectLedgerConsistent(prisma, shop);
  });

  it("refuses points off the step or outside the limits, and writes nothing", async () => {
    const { shop, shopify } = await anyAmountShop(5000);
    for (const [i, points] of [450, 1550, 3100].entries()) {
      await expect(redeemPoints(shop, shopify, points, key(`any-bad-${i}`))).rejects.toBeInstanceOf(
        AmountNotAllowedError,
      );
    }
    // Within the limits, but more than the balance.
    const { shop: poor, shopify: poorShopify } = await anyAmountShop(800);
    await expect(redeemPoints(poor, poorShopify, 1000, key("any-poor"))).rejects.toMatchObject(
      new RedeemError("not enough points"),
    );
    expect(await prisma.redemption.count({ where: { shop: { in: [shop, poor] } } })).toBe(0);
    expect(await balance(shop)).toBe(5000);
    expect(shopify.calls).toEqual([]);
  });
});
