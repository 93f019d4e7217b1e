/** The shop's program and tiers; created with the defaults on first use. */
import type { Program, Tier } from "@prisma/client";
import { DEFAULT_PROGRAM, DEFAULT_TIERS, type ProgramSettings, type TierRule } from "../loyalty/program";
import { noteFollowUp } from "../jobs/follow-ups.server";
import type { Tx } from "./tx.server";

const tierRow = (shop: string, tier: TierRule, position: number) => ({
  shop,
  key: tier.key,
  name: tier.name,
  position,
  threshold: tier.threshold,
  multiplierE4: tier.multiplierE4,
  entryRewardKey: tier.entryRewardKey ?? null,
});

export type ProgramWithTiers = Program & { tiers: Tier[] };

/** Finds the shop's program, creating it with the defaults if it has none (race-safe). */
/** The shop's program row, or null before its first use (no defaults created). */
export function findProgram(tx: Tx, shop: string): Promise<Program | null> {
  return tx.program.findUnique({ where: { shop } });
}

export async function ensureProgram(tx: Tx, shop: string): Promise<ProgramWithTiers> {
  const existing = await tx.program.findUnique({
    where: { shop },
    include: { tiers: { orderBy: { position: "asc" } } },
  });
  if (existing) return existing;
  // Version 1 against synced 0: Shopify has yet to learn the new program.
  const created = await tx.program.createMany({
    data: [{ shop, ...DEFAULT_PROGRAM, syncVersion: 1 }],
    skipDuplicates: true,
  });
  if (created.count > 0) noteFollowUp({ queue: "program-sync", shop });
  await tx.tier.createMany({
    data: DEFAULT_TIERS.map((tier, position) => tierRow(shop, tier, position)),
    skipDuplicates: true,
  });
  return tx.program.findUniqueOrThrow({
    where: { shop },
    include: { tiers: { orderBy: { position: "asc" } } },
  });
}

export function settingsOf(program: Program): ProgramSettings {
  return {
    active: program.active,
    earnRateE4: program.earnRateE4,
    includeShipping: program.includeShipping,
    includeTax: program.includeTax,
    includeTips: program.includeTips,
    includeGiftCards: program.includeGiftCards,
    pendingDays: program.pendingDays,
    expiryMonths: program.expiryMonths,
    expiryWarningDays: program.expiryWarningDays,
    tierBasis: program.tierBasis,
    tierWindow: program.tierWindow,
    tierGrace: program.tierGrace,
    signupBonus: program.signupBonus,
    birthdayBonus: program.birthdayBonus,
    returnPointsOnCancel: program.returnPointsOnCancel,
    returnPointsOnExpiry: program.returnPointsOnExpiry,
    earnOnPos: program.earnOnPos,
    tierTagPrefix: program.tierTagPrefix,
    excludedTags: program.excludedTags,
  };
}

export function tierRulesOf(tiers: Tier[]): TierRule[] {
  return [...tiers]
    .sort((a, b) => a.position - b.position)
    .map((tier) => ({
      key: tier.key,
      name: tier.name,
      threshold: tier.threshold,
      multiplierE4: tier.multiplierE4,
      entryRewardKey: tier.entryRewardKey,
    }));
}

export async function updateProgramSettings(tx: Tx, shop: string, settings: ProgramSettings): Promise<void> {
  await tx.program.update({ where: { shop }, data: settings });
  await markProgramChanged(tx, shop);
}

/** What the storefront reads about the program (earn rate, tiers, rewards) changed: Shopify's copy needs a sync. */
export async function markProgramChanged(tx: Tx, shop: string): Promise<void> {
  await tx.program.updateMany({ where: { shop }, data: { syncVersion: { increment: 1 } } });
  noteFollowUp({ queue: "program-sync", shop });
}

/**
 * Records where the shop's app proxy is on its storefront, in one statement:
 * a path other than the one recorded (or the first one) is stored and
 * Shopify's copy of the program needs a sync; the same path again writes
 * nothing. True if it moved.
 */
export async function recordProxyPath(tx: Tx, shop: string, path: string): Promise<boolean> {
  const { count } = await tx.program.updateMany({
    where: { shop, OR: [{ proxyPathPrefix: null }, { proxyPathPrefix: { not: path } }] },
    data: { proxyPathPrefix: path, syncVersion: { increment: 1 } },
  });
  if (count > 0) noteFollowUp({ queue: "program-sync", shop });
  return count > 0;
}

/** Replaces the tier list (keys identify tiers across edits). */
export async function replaceTiers(tx: Tx, shop: string, tiers: TierRule[]): Promise<void> {
  await tx.tier.deleteMany({ where: { shop, key: { notIn: tiers.map((tier) => tier.key) } } });
  for (const [position, tier] of tiers.entries()) {
    const row = tierRow(shop, tier, position);
    await tx.tier.upsert({ where: { shop_key: { shop, key: tier.key } }, create: row, update: row });
  }
}

/** Whether the program changed since Shopify's copy (the storefront metafield) was last written. */
export async function programSyncDue(tx: Tx, shop: string): Promise<boolean> {
  const program = await tx.program.findUnique({
    where: { shop },
    select: { syncVersion: true, syncedVersion: true },
  });
  return program !== null && program.syncVersion > program.syncedVersion;
}

/** Records that Shopify's copy now stands for `syncVersion` (never moving it back). */
export async function markProgramSynced(tx: Tx, shop: string, syncVersion: number): Promise<void> {
  await tx.program.updateMany({
    where: { shop, syncedVersion: { lt: syncVersion } },
    data: { syncedVersion: syncVersion },
  });
}
