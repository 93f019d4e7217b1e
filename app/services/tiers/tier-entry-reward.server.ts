/**
 * A tier's entry reward: when a member reaches a tier that names a reward
 * from the catalog, they get that reward for free, once per tier (a code,
 * or a store credit reward's credit). The redemption is recorded RESERVED in
 * the transaction that changed the tier; the code-issue job finishes it like
 * any other (app/services/rewards/free-reward.server.ts, shared with referrals).
 */
import type { Member } from "@prisma/client";
import { findReward } from "../../db/rewards.server";
import type { Tx } from "../../db/tx.server";
import { type FreeRewardOptions, reserveFreeReward } from "../rewards/free-reward.server";

const tierEntryKey = (memberId: string, tierKey: string) => `tier-entry-${memberId}-${tierKey}`;

/**
 * Returns the redemption's id, or null when the tier has no entry reward, it was given before, or
 * it cannot be given now (disabled, or off: reserveFreeReward).
 */
export async function reserveTierEntryReward(
  tx: Tx,
  shop: string,
  member: Member,
  tier: { key: string; entryRewardKey: string | null },
  now: Date,
  options: FreeRewardOptions = {},
): Promise<string | null> {
  if (!tier.entryRewardKey) return null;
  const reward = await findReward(tx, shop, tier.entryRewardKey);
  if (!reward) return null;
  const given = await reserveFreeReward(
    tx,
    shop,
    member,
    reward,
    { idempotencyKey: tierEntryKey(member.id, tier.key), source: "TIER_ENTRY" },
    now,
    options,
  );
  return given.outcome === "reserved" ? given.redemptionId : null;
}
