/**
 * Changing the program after launch. Settings are validated by the domain's
 * schemas (a bad value changes nothing); a change of tiers or tier rules
 * re-evaluates every member. Balances are never touched: points already
 * earned keep the terms they were earned under.
 */
import type { PrismaClient } from "@prisma/client";
import { markAllMembersChanged, setBirthdayOnce, upsertMember } from "../../db/members.server";
import {
  ensureProgram,
  replaceTiers,
  settingsOf,
  tierRulesOf,
  updateProgramSettings,
} from "../../db/program.server";
import {
  allRewardRows,
  ensureRewards,
  redemptionCountsByReward,
  replaceCatalog,
  rewardRuleOf,
  type CatalogEntry,
} from "../../db/rewards.server";
import { inTransaction } from "../../db/tx.server";
import { isValidBirthday } from "../../loyalty/bonuses";
import { fieldErrorsOf, type FieldErrors } from "../../loyalty/field-error";
import { programSchema, tiersSchema, type ProgramSettings, type TierRule } from "../../loyalty/program";
import { freeRewardRefusal, REWARD_LIMITS, rewardSchema } from "../../loyalty/rewards";
import { reevaluateAllTiers } from "../shops/daily-maintenance.server";
import { forgetProgramExplainer } from "./program-explainer-cache.server";

/** Settings that break a rule, field by field, as codes the admin words (app/loyalty/field-error.ts). */
export class SettingsError extends Error {
  constructor(readonly fieldErrors: FieldErrors) {
    super(`invalid settings: ${JSON.stringify(fieldErrors)}`);
    this.name = "SettingsError";
  }
}

/** A reward id in the saved catalog that is not one of this shop's live rewards. */
export class RewardNotFoundError extends Error {
  constructor(readonly rewardId: string) {
    super(`reward ${rewardId} is not in this shop's catalog`);
    this.name = "RewardNotFoundError";
  }
}

/**
 * Checks a new catalog against the shop's rewards and the (new) tiers;
 * errors are keyed "rewards.<i>.<field>" with the domain's field names.
 * Throws RewardNotFoundError for an id that is not one of this shop's live
 * rewards (another shop's, an archived one, or made up).
 */
async function catalogErrors(
  db: PrismaClient,
  shop: string,
  catalog: CatalogEntry[],
  tierKeys: Set<string>,
): Promise<FieldErrors> {
  await ensureRewards(db, shop);
  const rows = await allRewardRows(db, shop);
  const live = new Map(rows.filter((row) => row.archivedAt === null).map((row) => [row.id, row]));
  for (const entry of catalog) {
    if (entry.id !== null && !live.has(entry.id)) throw new RewardNotFoundError(entry.id);
  }
  const errors: FieldErrors = {};
  if (catalog.length > REWARD_LIMITS.catalogSize)
    errors.rewards = { code: "max", max: REWARD_LIMITS.catalogSize, unit: "rewards" };
  const kept = new Set(catalog.flatMap((entry) => (entry.id ? [entry.id] : [])));
  const issued = await redemptionCountsByReward(db, shop);
  const keys = catalog.map((entry) => entry.key);
  catalog.forEach((entry, i) => {
    const parsed = rewardSchema.safeParse(entry);
    if (!parsed.success) Object.assign(errors, fieldErrorsOf(parsed.error.issues, `rewards.${i}.`));
    if (entry.id !== null && live.get(entry.id)!.key !== entry.key) {
      errors[`rewards.${i}.key`] = { code: "keyLocked" };
    } else if (keys.indexOf(entry.key) !== i) {
      errors[`rewards.${i}.key`] = { code: "taken" };
    } else if (entry.id === null) {
      // A new reward may take the key of a removed one, unless codes were issued with it.
      const owner = rows.find((row) => row.key === entry.key);
      if (owner && kept.has(owner.id)) errors[`rewards.${i}.key`] = { code: "taken" };
      else if (owner && (issued[owner.key] ?? 0) > 0) errors[`rewards.${i}.key`] = { code: "keyRetired" };
    }
    const unknownTier = entry.tierKeys.find((key) => !tierKeys.has(key));
    if (unknownTier !== undefined)
      errors[`rewards.${i}.tierKeys`] = { code: "unknownTier", tier: unknownTier };
  });
  return errors;
}

export async function getProgram(
  db: PrismaClient,
  shop: string,
): Promise<{ settings: ProgramSettings; tiers: TierRule[] }> {
  const program = await ensureProgram(db, shop);
  return { settings: settingsOf(program), tiers: tierRulesOf(program.tiers) };
}

type ProgramInput = { settings?: Partial<ProgramSettings>; tiers?: TierRule[]; rewards?: CatalogEntry[] };

/**
 * Every error in a change of the program, keyed by the domain's field names
 * ("earnRateE4", "tiers.1.threshold", "rewards.0.pointsCost"); nothing is
 * written. The admin calls it also when some fields could not be read, so a
 * save reports every bad field at once. Throws RewardNotFoundError.
 */
export async function programInputErrors(
  db: PrismaClient,
  shop: string,
  input: ProgramInput,
): Promise<FieldErrors> {
  return (await checkProgram(db, shop, input, await getProgram(db, shop))).errors;
}

async function checkProgram(
  db: PrismaClient,
  shop: string,
  input: ProgramInput,
  current: { settings: ProgramSettings; tiers: TierRule[] },
) {
  const settings = programSchema.safeParse({ ...current.settings, ...input.settings });
  const tiers = input.tiers ? tiersSchema.safeParse(input.tiers) : null;
  const errors: FieldErrors = {
    ...(settings.success ? {} : fieldErrorsOf(settings.error.issues)),
    ...(tiers && !tiers.success ? fieldErrorsOf(tiers.error.issues, "tiers.") : {}),
  };
  if (input.rewards) {
    const tierKeys = new Set((input.tiers ?? current.tiers).map((tier) => tier.key));
    Object.assign(errors, await catalogErrors(db, shop, input.rewards, tierKeys));
  }
  // Tiers as they will be after this save: their entry rewards must be in the catalog as it will
  // be, and be rewards that can be given for free (freeRewardRefusal).
  const finalTiers = tiers ? tiers.data : current.tiers;
  if (finalTiers && (tiers || input.rewards)) {
    const catalog = input.rewards ?? (await ensureRewards(db, shop)).map(rewardRuleOf);
    const byKey = new Map(catalog.map((reward) => [reward.key, reward]));
    finalTiers.forEach((tier, i) => {
      if (!tier.entryRewardKey) return;
      const reward = byKey.get(tier.entryRewardKey);
      const error = reward ? freeRewardRefusal(reward) : { code: "notInCatalog" as const };
      if (error) errors[`tiers.${i}.entryRewardKey`] = error;
    });
  }
  return { settings, tiers, errors };
}

export async function updateProgram(
  db: PrismaClient,
  shop: string,
  input: ProgramInput,
  now: Date,
): Promise<{ settings: ProgramSettings; tiers: TierRule[]; tierChanges: number }> {
  const current = await getProgram(db, shop);
  const { settings, tiers, errors } = await checkProgram(db, shop, input, current);
  if (Object.keys(errors).length > 0) throw new SettingsError(errors);

  await inTransaction(db, async (tx) => {
    await updateProgramSettings(tx, shop, settings.data!);
    if (tiers?.data) await replaceTiers(tx, shop, tiers.data);
    // updateProgramSettings marks the program changed: the storefront's copy (with its rewards) re-syncs.
    if (input.rewards) await replaceCatalog(tx, shop, input.rewards, now);
  });
  // The app proxy's copy of the program (this process's; others' expire within seconds).
  forgetProgramExplainer(shop);
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
  if (!isValidBirthday(birthday)) throw new SettingsError({ birthday: { code: "invalid" } });
  await upsertMember(db, shop, customerGid, {});
  return (await setBirthdayOnce(db, shop, customerGid, birthday, now)) ? "set" : "already set";
}
