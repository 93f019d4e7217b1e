/** The shop's program and tiers; created with the defaults on first use. */
import type { Program, Tier } from "@prisma/client";
import { DEFAULT_PROGRAM, DEFAULT_TIERS, type ProgramSettings, type TierRule } from "../loyalty/program";
import type { Tx } from "./tx.server";

const tierRow = (shop: string, tier: TierRule, position: number) => ({
  shop,
  key: tier.key,
  name: tier.name,
  position,
  threshold: tier.threshold,
  multiplierE4: tier.multiplierE4,
});

export type ProgramWithTiers = Program & { tiers: Tier[] };

/** Finds the shop's program, creating it with the defaults if it has none (race-safe). */
export async function ensureProgram(tx: Tx, shop: string): Promise<ProgramWithTiers> {
  const existing = await tx.program.findUnique({
    where: { shop },
    include: { tiers: { orderBy: { position: "asc" } } },
  });
  if (existing) return existing;
  await tx.program.createMany({ data: [{ shop, ...DEFAULT_PROGRAM }], skipDuplicates: true });
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
    }));
}

export async function updateProgramSettings(tx: Tx, shop: string, settings: ProgramSettings): Promise<void> {
  await tx.program.update({ where: { shop }, data: settings });
}

/** Replaces the tier list (keys identify tiers across edits). */
export async function replaceTiers(tx: Tx, shop: string, tiers: TierRule[]): Promise<void> {
  await tx.tier.deleteMany({ where: { shop, key: { notIn: tiers.map((tier) => tier.key) } } });
  for (const [position, tier] of tiers.entries()) {
    const row = tierRow(shop, tier, position);
    await tx.tier.upsert({ where: { shop_key: { shop, key: tier.key } }, create: row, update: row });
  }
}
