/** The shop's rewards catalog and its redemptions. */
import type { Prisma, Reward } from "@prisma/client";
import { toJsonValue } from "./json.server";
import { DEFAULT_REWARDS, type RewardRule } from "../loyalty/rewards";
import type { Tx } from "./tx.server";

export async function ensureRewards(tx: Tx, shop: string): Promise<Reward[]> {
  const existing = await tx.reward.findMany({ where: { shop }, orderBy: { position: "asc" } });
  if (existing.length > 0) return existing;
  await tx.reward.createMany({
    data: DEFAULT_REWARDS.map((reward, position) => ({ shop, position, ...reward })),
    skipDuplicates: true,
  });
  return tx.reward.findMany({ where: { shop }, orderBy: { position: "asc" } });
}

export function rewardRuleOf(reward: Reward): RewardRule {
  return {
    key: reward.key,
    title: reward.title,
    type: reward.type,
    pointsCost: reward.pointsCost,
    amountMilli: reward.amountMilli,
    percentBps: reward.percentBps,
    minimumSubtotalMilli: reward.minimumSubtotalMilli,
    codeLifetimeDays: reward.codeLifetimeDays,
    combinesWithOrder: reward.combinesWithOrder,
    combinesWithProduct: reward.combinesWithProduct,
    combinesWithShipping: reward.combinesWithShipping,
    tierKeys: reward.tierKeys,
    enabled: reward.enabled,
  };
}

/** RewardRule <-> JSON (bigints as strings) for the snapshot kept on a redemption. */
export const rewardToJson = (rule: RewardRule) => toJsonValue(rule) as Prisma.InputJsonValue;

export function rewardFromJson(json: unknown): RewardRule {
  const raw = json as Record<string, unknown>;
  const big = (v: unknown) => (v === null || v === undefined ? null : BigInt(v as string));
  return {
    ...(raw as unknown as RewardRule),
    amountMilli: big(raw.amountMilli),
    minimumSubtotalMilli: big(raw.minimumSubtotalMilli),
  };
}
