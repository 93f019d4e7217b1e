/**
 * A tier's entry reward: when a member reaches a tier that names a reward
 * from the catalog, they get that reward's code for free, once per tier.
 * The redemption is recorded RESERVED in the transaction that changed the
 * tier; the code-issue job creates the code in Shopify like any other.
 */
import { randomBytes } from "node:crypto";
import type { Member } from "@prisma/client";
import { createRedemptionOnce } from "../../db/redemptions.server";
import { findReward, rewardRuleOf, rewardToJson } from "../../db/rewards.server";
import type { Tx } from "../../db/tx.server";
import { noteFollowUp } from "../../jobs/follow-ups.server";
import { rewardCode, shopCodePrefix } from "../../loyalty/rewards";

const tierEntryKey = (memberId: string, tierKey: string) => `tier-entry-${memberId}-${tierKey}`;

/** Returns the redemption's id, or null when the tier has no (enabled) entry reward or it was given before. */
export async function reserveTierEntryReward(
  tx: Tx,
  shop: string,
  member: Member,
  tier: { key: string; entryRewardKey: string | null },
  now: Date,
  options: { codePrefix?: string; random?: (size: number) => Uint8Array } = {},
): Promise<string | null> {
  if (!tier.entryRewardKey) return null;
  const reward = await findReward(tx, shop, tier.entryRewardKey);
  if (!reward || !reward.enabled) return null;
  const rule = rewardRuleOf(reward);
  const idempotencyKey = tierEntryKey(member.id, tier.key);
  const random = options.random ?? ((size: number) => randomBytes(size));
  const id = await createRedemptionOnce(tx, {
    shop,
    memberId: member.id,
    customerGid: member.customerGid,
    rewardKey: rule.key,
    idempotencyKey,
    source: "TIER_ENTRY",
    code: rewardCode(options.codePrefix ?? shopCodePrefix(shop), random(8)),
    pointsCost: 0,
    startsAt: now,
    endsAt: new Date(now.getTime() + rule.codeLifetimeDays * 86_400_000),
    reward: rewardToJson(rule),
  });
  if (id) noteFollowUp({ queue: "code-issue", shop, redemptionId: id });
  return id;
}
