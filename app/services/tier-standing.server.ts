/**
 * Re-evaluates a member's tier from their activity in the program's window.
 * Called after every award and reversal, by the daily schedule (windows
 * slide) and after the merchant changes the tiers.
 */
import type { Member } from "@prisma/client";
import type { ProgramWithTiers } from "../db/program.server";
import { settingsOf, tierRulesOf } from "../db/program.server";
import { memberActivity } from "../db/orders.server";
import type { Tx } from "../db/tx.server";
import { evaluateTier, windowStart, type TierDecision } from "../loyalty/tiers";

export async function reevaluateTier(
  tx: Tx,
  shop: string,
  program: ProgramWithTiers,
  member: Member,
  now: Date,
): Promise<TierDecision> {
  const settings = settingsOf(program);
  const activity = await memberActivity(tx, shop, member.customerGid, windowStart(settings.tierWindow, now));
  const value =
    settings.tierBasis === "SPEND"
      ? activity.spend
      : settings.tierBasis === "POINTS"
        ? activity.points
        : activity.orders;
  const decision = evaluateTier({
    tiers: tierRulesOf(program.tiers),
    window: settings.tierWindow,
    grace: settings.tierGrace,
    value,
    current: { tierKey: member.tierKey, heldUntil: member.tierHeldUntil },
    now,
  });
  if (decision.changed || decision.heldUntil?.getTime() !== member.tierHeldUntil?.getTime()) {
    await tx.member.update({
      where: { id: member.id },
      data: {
        tierKey: decision.tierKey,
        tierHeldUntil: decision.heldUntil,
        ...(decision.changed ? { tierChangedAt: now, syncVersion: { increment: 1 } } : {}),
      },
    });
  }
  return decision;
}
