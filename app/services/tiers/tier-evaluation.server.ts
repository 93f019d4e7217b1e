/**
 * Re-evaluates a member's tier from their activity in the program's window.
 * Called after every award and reversal, by the daily schedule (windows
 * slide) and after the merchant changes the tiers.
 */
import type { Member } from "@prisma/client";
import type { ProgramWithTiers } from "../../db/program.server";
import { settingsOf, tierRulesOf } from "../../db/program.server";
import { memberActivity } from "../../db/orders.server";
import type { Tx } from "../../db/tx.server";
import { FLOW_TRIGGERS, recordFlowEvent } from "../../db/flow-events.server";
import { markMemberChanged, setMemberTier } from "../../db/members.server";
import { evaluateTier, tierRank, tierValue, windowStart, type TierDecision } from "../../loyalty/tiers";
import { reserveTierEntryReward } from "./tier-entry-reward.server";

export async function reevaluateTier(
  tx: Tx,
  shop: string,
  program: ProgramWithTiers,
  member: Member,
  now: Date,
): Promise<TierDecision> {
  const settings = settingsOf(program);
  const activity = await memberActivity(tx, shop, member.customerGid, windowStart(settings.tierWindow, now));
  const decision = evaluateTier({
    tiers: tierRulesOf(program.tiers),
    window: settings.tierWindow,
    grace: settings.tierGrace,
    value: tierValue(settings.tierBasis, activity),
    current: { tierKey: member.tierKey, heldUntil: member.tierHeldUntil },
    now,
  });
  if (decision.changed || decision.heldUntil?.getTime() !== member.tierHeldUntil?.getTime()) {
    await setMemberTier(tx, member.id, {
      tierKey: decision.tierKey,
      heldUntil: decision.heldUntil,
      ...(decision.changed ? { changedAt: now } : {}),
    });
  }
  if (decision.changed) await onTierChanged(tx, shop, program, member, decision.tierKey, now);
  return decision;
}

/** Shopify's copy (metafield, tag), a Flow event, and the new tier's entry reward when it is a step up. */
async function onTierChanged(
  tx: Tx,
  shop: string,
  program: ProgramWithTiers,
  member: Member,
  tierKey: string | null,
  now: Date,
) {
  await markMemberChanged(tx, shop, member.id);
  const tiers = tierRulesOf(program.tiers);
  // No tier recorded yet counts as the first tier, as the storefront shows it.
  const name = (key: string | null) =>
    (program.tiers.find((tier) => tier.key === key) ?? tiers[0])?.name ?? "None";
  await recordFlowEvent(tx, shop, {
    trigger: FLOW_TRIGGERS.tierChanged,
    dedupeKey: `tier:${member.id}:${now.toISOString()}:${tierKey ?? "none"}`,
    customerGid: member.customerGid,
    fields: { "Previous tier": name(member.tierKey), "New tier": name(tierKey) },
  });
  const reached = program.tiers.find((tier) => tier.key === tierKey);
  if (reached && tierRank(tiers, tierKey) > tierRank(tiers, member.tierKey)) {
    await reserveTierEntryReward(tx, shop, member, reached, now);
  }
}
