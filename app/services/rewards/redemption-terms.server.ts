/**
 * The terms a redemption is recorded with, the same for one paid with points (redeem-reward) and
 * one given for free (free-reward): the currency of a store credit reward, and when the code or
 * the credit ends (docs/decisions/0020-store-credit-rewards.md).
 */
import { memberCreditExpiries } from "../../db/redemptions.server";
import { shopStoreCreditTerms } from "../../db/shops.server";
import type { Tx } from "../../db/tx.server";
import { creditExpiresAt, storeCreditOn, type RewardRule } from "../../loyalty/rewards";

/**
 * A store credit reward's currency: the shop's, while it grants the store credit scopes. Null for
 * every other type, and for store credit without the scopes or a currency (then it is off:
 * rewardAvailable).
 */
export async function storeCreditCurrency(tx: Tx, shop: string, rule: RewardRule): Promise<string | null> {
  if (rule.type !== "STORE_CREDIT") return null;
  const terms = await shopStoreCreditTerms(tx, shop);
  return terms && storeCreditOn(terms.scopes) ? terms.currencyCode : null;
}

/**
 * When a redemption made now ends: a code's expiry, or a credit's, on a second none of the
 * member's other credits has (the credit's expiry is what a retry finds it by). The caller holds
 * the member's row lock, so two credits of one member cannot take the same second.
 */
export async function redemptionEndsAt(
  tx: Tx,
  shop: string,
  memberId: string,
  rule: RewardRule,
  creditCurrency: string | null,
  now: Date,
): Promise<Date> {
  if (!creditCurrency) return new Date(now.getTime() + rule.codeLifetimeDays * 86_400_000);
  return creditExpiresAt(now, rule.codeLifetimeDays, await memberCreditExpiries(tx, shop, memberId));
}
