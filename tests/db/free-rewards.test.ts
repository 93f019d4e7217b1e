/**
 * Free rewards (app/services/rewards/free-reward.server.ts): a tier's entry reward given as the
 * shopper's own redemption would be, whatever its type. A store credit reward is credited to the
 * customer's store credit account (reserve -> credit -> confirm, with the lookup before a retry),
 * never turned into a discount code; a "spend any amount" reward cannot be named for free.
 * Shopify is the Admin API stand-in with devshop's store credit model.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { inTransaction } from "~/db/tx.server";
import { parseMilli } from "~/loyalty/money";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { updateProgram } from "~/services/program/program-settings.server";
import { issueCode } from "~/services/rewards/redeem-reward.server";
import { reserveTierEntryReward } from "~/services/tiers/tier-entry-reward.server";
import { AdminTransientError } from "~/shopify/admin-api/admin-client.server";
import { adminStandIn, requiredScopes } from "../support/admin-stand-in";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { addCreditReward } from "../support/credit-reward";

const CUSTOMER = "gid://shopify/Customer/9007199254740995";
const NOW = new Date("2026-03-01T12:00:00.250Z");
const STORE_CREDIT_SCOPES = ["read_store_credit_accounts", "write_store_credit_account_transactions"];
const GOLD = { key: "gold", entryRewardKey: "credit-10" };
let n = 0;

/** A shop (with the store credit scopes unless told) whose catalog has a 10.00 credit, and a member. */
async function shopWithCreditReward(scopes = [...requiredScopes(), ...STORE_CREDIT_SCOPES]) {
  const shop = `free-reward-${n++}.myshopify.com`;
  await prisma.shop.create({
    data: { domain: shop, installedAt: NOW, scopes: scopes.join(","), currencyCode: "EUR" },
  });
  await addCreditReward(prisma, shop);
  await adjustPoints(
    prisma,
    shop,
    { customerGid: CUSTOMER, points: 10, reason: "Opening", staffId: "test", idempotencyKey: `free-${n}-x` },
    NOW,
  );
  const member = await prisma.member.findUniqueOrThrow({
    where: { shop_customerGid: { shop, customerGid: CUSTOMER } },
  });
  return { shop, member, shopify: adminStandIn({ shop, grantedScopes: scopes, now: () => NOW }) };
}

const credits = (shopify: ReturnType<typeof adminStandIn>) =>
  (shopify.storeCredit.accounts["9007199254740995"] ?? []).flatMap((account) =>
    account.transactions.map((t) => ({ currency: account.currencyCode, cents: t.cents })),
  );

describe("a store credit reward as a tier's entry reward", () => {
  it("is credited to the member's store credit account once, in the shop's currency, for no points", async () => {
    const { shop, member, shopify } = await shopWithCreditReward();
    const id = await inTransaction(prisma, (tx) => reserveTierEntryReward(tx, shop, member, GOLD, NOW));
    expect(id).not.toBeNull();
    // The tier reached again (a replayed order) gives nothing more.
    expect(
      await inTransaction(prisma, (tx) => reserveTierEntryReward(tx, shop, member, GOLD, NOW)),
    ).toBeNull();

    const done = await issueCode(prisma, shopify.admin, shop, id!, () => NOW);
    expect(done).toMatchObject({
      status: "CREDITED",
      creditCurrency: "EUR",
      pointsCost: 0,
      source: "TIER_ENTRY",
    });
    expect(shopify.calls.map((call) => call.operation)).toEqual(["CreditStoreCredit"]);
    expect(credits(shopify)).toEqual([{ currency: "EUR", cents: 1000 }]);
    // No discount code stands in for the credit.
    expect(shopify.codes.size).toBe(0);
    const after = await prisma.member.findUniqueOrThrow({ where: { id: member.id } });
    expect(after.balance).toBe(10);
    await expectLedgerConsistent(prisma, shop);
  });

  it("an answer lost after Shopify credited: the retry finds the credit and credits nothing more", async () => {
    const { shop, member, shopify } = await shopWithCreditReward();
    const id = await inTransaction(prisma, (tx) => reserveTierEntryReward(tx, shop, member, GOLD, NOW));
    shopify.faults.push("lost-response");
    await expect(issueCode(prisma, shopify.admin, shop, id!, () => NOW)).rejects.toBeInstanceOf(
      AdminTransientError,
    );
    expect(credits(shopify)).toHaveLength(1);
    expect((await issueCode(prisma, shopify.admin, shop, id!, () => NOW)).status).toBe("CREDITED");
    expect(credits(shopify)).toHaveLength(1);
  });

  it("without the store credit scopes it is off, as a disabled reward is: nothing is given", async () => {
    const { shop, member } = await shopWithCreditReward(requiredScopes());
    expect(
      await inTransaction(prisma, (tx) => reserveTierEntryReward(tx, shop, member, GOLD, NOW)),
    ).toBeNull();
    expect(await prisma.redemption.count({ where: { shop } })).toBe(0);
  });
});

describe("a spend any amount reward", () => {
  it("cannot be a tier's entry reward: the program's save says why and changes nothing", async () => {
    const { shop, member } = await shopWithCreditReward();
    await prisma.reward.updateMany({
      where: { shop, key: "credit-10" },
      data: {
        pointsCost: 100,
        amountMilli: parseMilli("1.00"),
        anyAmountMinPoints: 500,
        anyAmountMaxPoints: 5000,
      },
    });
    await expect(
      updateProgram(
        prisma,
        shop,
        {
          tiers: [
            { key: "member", name: "Member", threshold: 0n, multiplierE4: 10_000, entryRewardKey: null },
            { ...GOLD, name: "Gold", threshold: parseMilli("100.00"), multiplierE4: 10_000 },
          ],
        },
        NOW,
      ),
    ).rejects.toMatchObject({ fieldErrors: { "tiers.1.entryRewardKey": { code: "chosenAmount" } } });
    expect(await prisma.tier.count({ where: { shop, entryRewardKey: "credit-10" } })).toBe(0);
    // A tier that named it before it became one gives nothing (its worth is the shopper's choice).
    expect(
      await inTransaction(prisma, (tx) => reserveTierEntryReward(tx, shop, member, GOLD, NOW)),
    ).toBeNull();
  });
});
