/**
 * A catalog reward given for free (no points spent): a tier's entry reward, a referrer's reward.
 * The redemption is recorded RESERVED, once per idempotency key, in the caller's transaction,
 * with the terms a redemption paid with points has (redemption-terms.server.ts); the code-issue
 * job then finishes it like any other (issueCode): a discount code is created in Shopify, a store
 * credit reward is credited to the customer's store credit account, a retry looking first for
 * what a lost attempt made (docs/decisions/0020-store-credit-rewards.md).
 */
import { randomBytes } from "node:crypto";
import type { Member, RedemptionSource, Reward } from "@prisma/client";
import { lockMember } from "../../db/members.server";
import { createRedemptionOnce, findRedemptionByKey } from "../../db/redemptions.server";
import { rewardRuleOf, rewardToJson } from "../../db/rewards.server";
import type { Tx } from "../../db/tx.server";
import { noteFollowUp } from "../../jobs/follow-ups.server";
import { freeRewardRefusal, rewardAvailable, rewardCode, shopCodePrefix } from "../../loyalty/rewards";
import { redemptionEndsAt, storeCreditCurrency } from "./redemption-terms.server";

export interface FreeRewardOptions {
  codePrefix?: string;
  random?: (size: number) => Uint8Array;
}

export type FreeRewardOutcome =
  | { outcome: "reserved"; redemptionId: string }
  /** This idempotency key gave it before: nothing more. */
  | { outcome: "given before" }
  /**
   * It cannot be given now: disabled, a kind never given for free (freeRewardRefusal), or store
   * credit while the shop does not grant the store credit scopes. Nothing is recorded.
   */
  | { outcome: "unavailable" };

export async function reserveFreeReward(
  tx: Tx,
  shop: string,
  member: Pick<Member, "id" | "customerGid">,
  reward: Reward,
  given: { idempotencyKey: string; source: RedemptionSource },
  now: Date,
  options: FreeRewardOptions = {},
): Promise<FreeRewardOutcome> {
  if (await findRedemptionByKey(tx, shop, given.idempotencyKey)) return { outcome: "given before" };
  const rule = rewardRuleOf(reward);
  const creditCurrency = await storeCreditCurrency(tx, shop, rule);
  if (!rewardAvailable(rule, creditCurrency !== null) || freeRewardRefusal(rule))
    return { outcome: "unavailable" };
  // A credit's expiry is chosen under the member's lock (redemptionEndsAt); a code's needs none.
  if (creditCurrency) await lockMember(tx, shop, member.id);
  const random = options.random ?? ((size: number) => randomBytes(size));
  const id = await createRedemptionOnce(tx, {
    shop,
    memberId: member.id,
    customerGid: member.customerGid,
    rewardKey: rule.key,
    idempotencyKey: given.idempotencyKey,
    source: given.source,
    code: rewardCode(options.codePrefix ?? shopCodePrefix(shop), random(8)),
    pointsCost: 0,
    startsAt: now,
    endsAt: await redemptionEndsAt(tx, shop, member.id, rule, creditCurrency, now),
    creditCurrency,
    reward: rewardToJson(rule),
  });
  if (!id) return { outcome: "given before" };
  noteFollowUp({ queue: "code-issue", shop, redemptionId: id });
  return { outcome: "reserved", redemptionId: id };
}
