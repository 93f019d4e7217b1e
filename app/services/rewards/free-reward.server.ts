/**
 * A catalog reward given for free (no points spent): a tier's entry reward, a referrer's reward.
 * The redemption is recorded RESERVED, once per idempotency key, in the caller's transaction; the
 * code-issue job then creates the code in Shopify like any other (issueCode).
 */
import { randomBytes } from "node:crypto";
import type { Member, RedemptionSource, Reward } from "@prisma/client";
import { createRedemptionOnce } from "../../db/redemptions.server";
import { rewardRuleOf, rewardToJson } from "../../db/rewards.server";
import type { Tx } from "../../db/tx.server";
import { noteFollowUp } from "../../jobs/follow-ups.server";
import { rewardCode, shopCodePrefix } from "../../loyalty/rewards";

export interface FreeRewardOptions {
  codePrefix?: string;
  random?: (size: number) => Uint8Array;
}

/** Returns the redemption's id, or null when one with this key was recorded before. */
export async function reserveFreeReward(
  tx: Tx,
  shop: string,
  member: Pick<Member, "id" | "customerGid">,
  reward: Reward,
  given: { idempotencyKey: string; source: RedemptionSource },
  now: Date,
  options: FreeRewardOptions = {},
): Promise<string | null> {
  const rule = rewardRuleOf(reward);
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
    endsAt: new Date(now.getTime() + rule.codeLifetimeDays * 86_400_000),
    reward: rewardToJson(rule),
  });
  if (id) noteFollowUp({ queue: "code-issue", shop, redemptionId: id });
  return id;
}
