/** The shop's rewards catalog and its redemptions. */
import type { Prisma, Reward } from "@prisma/client";
import { toJsonValue } from "./json.server";
import { DEFAULT_REWARDS, type RewardRule } from "../loyalty/rewards";
import type { Tx } from "./tx.server";

/**
 * The shop's catalog in order, without removed (archived) rewards. A shop
 * that never had a catalog gets the defaults; one whose rewards were all
 * removed keeps an empty catalog (the archived rows say it had one).
 */
export async function ensureRewards(tx: Tx, shop: string): Promise<Reward[]> {
  const live = () => tx.reward.findMany({ where: { shop, archivedAt: null }, orderBy: { position: "asc" } });
  const existing = await live();
  if (existing.length > 0 || (await tx.reward.count({ where: { shop } })) > 0) return existing;
  await tx.reward.createMany({
    data: DEFAULT_REWARDS.map((reward, position) => ({ shop, position, ...reward })),
    skipDuplicates: true,
  });
  return live();
}

/** A catalog entry as the admin saves it: an existing reward (its id) or a new one (null). */
export type CatalogEntry = RewardRule & { id: string | null };

const rewardRow = (rule: RewardRule, position: number) => ({
  key: rule.key,
  title: rule.title.trim(),
  type: rule.type,
  pointsCost: rule.pointsCost,
  amountMilli: rule.amountMilli,
  percentBps: rule.percentBps,
  minimumSubtotalMilli: rule.minimumSubtotalMilli,
  codeLifetimeDays: rule.codeLifetimeDays,
  combinesWithOrder: rule.combinesWithOrder,
  combinesWithProduct: rule.combinesWithProduct,
  combinesWithShipping: rule.combinesWithShipping,
  tierKeys: rule.tierKeys,
  enabled: rule.enabled,
  anyAmountMinPoints: rule.spendAnyAmount?.minPoints ?? null,
  anyAmountMaxPoints: rule.spendAnyAmount?.maxPoints ?? null,
  position,
  archivedAt: null,
});

/**
 * Replaces the catalog with `entries`, in their order (validated by the
 * caller). A live reward missing from the list is archived, never deleted:
 * its issued codes and past redemptions (which keep a snapshot of it) are
 * untouched, it can no longer be redeemed, and its key stays taken. A new
 * entry whose key is an archived reward's takes that row over (the caller
 * refuses it when codes were issued with that key).
 */
export async function replaceCatalog(
  tx: Tx,
  shop: string,
  entries: CatalogEntry[],
  now: Date,
): Promise<void> {
  const keptIds = entries.flatMap((entry) => (entry.id ? [entry.id] : []));
  await tx.reward.updateMany({
    where: { shop, archivedAt: null, id: { notIn: keptIds } },
    data: { archivedAt: now, enabled: false },
  });
  for (const [position, entry] of entries.entries()) {
    const row = rewardRow(entry, position);
    if (entry.id) {
      await tx.reward.updateMany({ where: { shop, id: entry.id }, data: row });
    } else {
      await tx.reward.upsert({
        where: { shop_key: { shop, key: entry.key } },
        create: { shop, ...row },
        update: row,
      });
    }
  }
}

/** Every reward row of the shop, archived ones included (keys stay taken). */
export function allRewardRows(tx: Tx, shop: string): Promise<Reward[]> {
  return tx.reward.findMany({ where: { shop }, orderBy: { position: "asc" } });
}

/** How many redemptions (codes issued or under way) each reward key has. */
export async function redemptionCountsByReward(tx: Tx, shop: string): Promise<Record<string, number>> {
  const rows = await tx.redemption.groupBy({ by: ["rewardKey"], where: { shop }, _count: { _all: true } });
  return Object.fromEntries(rows.map((row) => [row.rewardKey, row._count._all]));
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
    spendAnyAmount:
      reward.anyAmountMinPoints !== null && reward.anyAmountMaxPoints !== null
        ? { minPoints: reward.anyAmountMinPoints, maxPoints: reward.anyAmountMaxPoints }
        : null,
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

/** The shop's reward with this key, archived or not. */
export function findReward(tx: Tx, shop: string, key: string): Promise<Reward | null> {
  return tx.reward.findUnique({ where: { shop_key: { shop, key } } });
}
