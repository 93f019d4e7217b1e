/**
 * Changing the program after launch. Settings are validated by the domain's
 * schemas (a bad value changes nothing); a change of tiers or tier rules
 * re-evaluates every member. Balances are never touched: points already
 * earned keep the terms they were earned under.
 */
import type { PrismaClient } from "@prisma/client";
import { markAllMembersChanged, upsertMember } from "../db/members.server";
import {
  ensureProgram,
  replaceTiers,
  settingsOf,
  tierRulesOf,
  updateProgramSettings,
} from "../db/program.server";
import { ensureRewards } from "../db/rewards.server";
import { inTransaction } from "../db/tx.server";
import { isValidBirthday } from "../loyalty/bonuses";
import { programSchema, tiersSchema, type ProgramSettings, type TierRule } from "../loyalty/program";
import { reevaluateAllTiers } from "./daily-maintenance.server";

export class SettingsError extends Error {
  constructor(readonly fieldErrors: Record<string, string>) {
    super(
      `invalid settings: ${Object.entries(fieldErrors)
        .map(([k, v]) => `${k} ${v}`)
        .join("; ")}`,
    );
    this.name = "SettingsError";
  }
}

function fieldErrors(
  issues: { path: PropertyKey[]; message: string }[],
  prefix = "",
): Record<string, string> {
  return Object.fromEntries(
    issues.map((issue) => [`${prefix}${issue.path.map(String).join(".")}`, issue.message]),
  );
}

export async function getProgram(
  db: PrismaClient,
  shop: string,
): Promise<{ settings: ProgramSettings; tiers: TierRule[] }> {
  const program = await ensureProgram(db, shop);
  return { settings: settingsOf(program), tiers: tierRulesOf(program.tiers) };
}

export async function updateProgram(
  db: PrismaClient,
  shop: string,
  input: { settings?: Partial<ProgramSettings>; tiers?: TierRule[] },
  now: Date,
): Promise<{ settings: ProgramSettings; tiers: TierRule[]; tierChanges: number }> {
  const current = await getProgram(db, shop);
  const settings = programSchema.safeParse({ ...current.settings, ...input.settings });
  const tiers = input.tiers ? tiersSchema.safeParse(input.tiers) : null;
  const errors: Record<string, string> = {
    ...(settings.success ? {} : fieldErrors(settings.error.issues)),
    ...(tiers && !tiers.success ? fieldErrors(tiers.error.issues, "tiers.") : {}),
  };
  if (tiers?.data) {
    const rewardKeys = new Set((await ensureRewards(db, shop)).map((reward) => reward.key));
    tiers.data.forEach((tier, i) => {
      if (tier.entryRewardKey && !rewardKeys.has(tier.entryRewardKey)) {
        errors[`tiers.${i}.entryRewardKey`] = "is not a reward in the catalog";
      }
    });
  }
  if (Object.keys(errors).length > 0) throw new SettingsError(errors);

  await inTransaction(db, async (tx) => {
    await updateProgramSettings(tx, shop, settings.data!);
    if (tiers?.data) await replaceTiers(tx, shop, tiers.data);
  });
  const tierNames = (list: TierRule[]) => list.map((tier) => `${tier.key}=${tier.name}`).join("|");
  if (
    current.settings.tierTagPrefix !== settings.data!.tierTagPrefix ||
    (tiers?.data && tierNames(tiers.data) !== tierNames(current.tiers))
  ) {
    // Tier tags and tier names in Shopify change for everyone.
    await markAllMembersChanged(db, shop);
  }
  const tierRulesChanged =
    tiers !== null ||
    current.settings.tierBasis !== settings.data!.tierBasis ||
    current.settings.tierWindow !== settings.data!.tierWindow ||
    current.settings.tierGrace !== settings.data!.tierGrace;
  const tierChanges = tierRulesChanged ? await reevaluateAllTiers(db, shop, now) : 0;
  return { ...(await getProgram(db, shop)), tierChanges };
}

/** A member sets their birthday once (the storefront calls this). */
export async function setBirthday(
  db: PrismaClient,
  shop: string,
  customerGid: string,
  birthday: { month: number; day: number },
  now: Date,
): Promise<"set" | "already set"> {
  if (!isValidBirthday(birthday)) throw new SettingsError({ birthday: "is not a date" });
  await upsertMember(db, shop, customerGid, {});
  const { count } = await db.member.updateMany({
    where: { shop, customerGid, birthdaySetAt: null },
    data: { birthdayMonth: birthday.month, birthdayDay: birthday.day, birthdaySetAt: now },
  });
  return count > 0 ? "set" : "already set";
}
