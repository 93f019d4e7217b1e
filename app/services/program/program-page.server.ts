/**
 * The admin's program page: what it shows and what saving it does. Saving
 * goes through updateProgram (domain validation, tier re-evaluation, Shopify
 * syncs queued); errors come back keyed by the form's field names.
 */
import type { PrismaClient } from "@prisma/client";
import {
  parseProgramForm,
  programFormOf,
  REWARD_FORM_FIELD,
  type ProgramFormInput,
} from "../../admin/program-form";
import { tierMemberCounts } from "../../db/members.server";
import type { FieldErrors } from "../../loyalty/field-error";
import { findShop } from "../../db/shops.server";
import { storeCreditOn } from "../../loyalty/rewards";
import { ensureRewards, redemptionCountsByReward, rewardRuleOf } from "../../db/rewards.server";
import {
  getProgram,
  programInputErrors,
  RewardNotFoundError,
  SettingsError,
  updateProgram,
} from "./program-settings.server";

export async function programPage(db: PrismaClient, shop: string) {
  const { settings, tiers } = await getProgram(db, shop);
  const rewards = await ensureRewards(db, shop);
  return {
    form: programFormOf(
      settings,
      tiers,
      rewards.map((reward) => ({ ...rewardRuleOf(reward), id: reward.id })),
    ),
    membersByTier: await tierMemberCounts(db, shop),
    /** Codes issued (or under way) per reward key: the removal confirmation says how many. */
    codesByReward: await redemptionCountsByReward(db, shop),
    /**
     * Whether the shop granted the store credit scopes (as the last token exchange or
     * app/scopes_update said): without them a store credit reward is off, and the page says why.
     */
    storeCredit: storeCreditOn((await findShop(db, shop))?.scopes ?? null),
  };
}

/** Domain field names -> the form's. */
const FORM_FIELD: Record<string, string> = { earnRateE4: "earnRate" };
const formField = (key: string) => {
  const reward = /^rewards\.(\d+)\.([\w.]+)$/.exec(key);
  if (reward) return `rewards.${reward[1]}.${REWARD_FORM_FIELD[reward[2]!] ?? reward[2]}`;
  // One field holds every excluded tag: a bad tag's error is the field's.
  if (/^excludedTags\.\d+$/.test(key)) return "excludedTags";
  return FORM_FIELD[key] ?? key.replace(/^tiers\.(\d+)\.multiplierE4$/, "tiers.$1.multiplier");
};

const formErrors = (errors: FieldErrors): FieldErrors =>
  Object.fromEntries(Object.entries(errors).map(([key, error]) => [formField(key), error]));

export type SaveResult =
  | { ok: true; tierChanges: number }
  | { ok: false; fieldErrors: FieldErrors }
  /** A reward id that is not one of this shop's live rewards. */
  | { ok: false; notFound: string };

export async function saveProgram(
  db: PrismaClient,
  shop: string,
  form: ProgramFormInput,
  now: Date,
): Promise<SaveResult> {
  const parsed = parseProgramForm(form);
  try {
    if (!parsed.ok) {
      // Some fields could not be read; the rest are still checked, so one save shows every error.
      const domain = formErrors(
        await programInputErrors(db, shop, {
          settings: parsed.values.settings,
          tiers: parsed.values.tiers,
          rewards: parsed.values.rewards,
        }),
      );
      const unreadThreshold = Object.keys(parsed.fieldErrors).some((key) =>
        /^tiers\.\d+\.threshold$/.test(key),
      );
      for (const key of Object.keys(domain)) {
        // A threshold that could not be read stands at 0: the order of thresholds is not known.
        if (unreadThreshold && /^tiers\.\d+\.threshold$/.test(key)) delete domain[key];
      }
      return { ok: false, fieldErrors: { ...domain, ...parsed.fieldErrors } };
    }
    const { tierChanges } = await updateProgram(
      db,
      shop,
      { settings: parsed.settings, tiers: parsed.tiers, rewards: parsed.rewards },
      now,
    );
    return { ok: true, tierChanges };
  } catch (error) {
    if (error instanceof RewardNotFoundError) return { ok: false, notFound: error.rewardId };
    if (!(error instanceof SettingsError)) throw error;
    return { ok: false, fieldErrors: formErrors(error.fieldErrors) };
  }
}
