/**
 * The admin's program page: what it shows and what saving it does. Saving
 * goes through updateProgram (domain validation, tier re-evaluation, Shopify
 * syncs queued); errors come back keyed by the form's field names.
 */
import type { PrismaClient } from "@prisma/client";
import { parseProgramForm, programFormOf, type ProgramForm } from "../admin/program-form";
import { tierMemberCounts } from "../db/members.server";
import { ensureRewards } from "../db/rewards.server";
import { getProgram, SettingsError, updateProgram } from "./program-settings.server";

export async function programPage(db: PrismaClient, shop: string) {
  const { settings, tiers } = await getProgram(db, shop);
  const rewards = await ensureRewards(db, shop);
  return {
    form: programFormOf(settings, tiers),
    rewards: rewards.map((reward) => ({
      key: reward.key,
      title: reward.title,
      pointsCost: reward.pointsCost,
    })),
    membersByTier: await tierMemberCounts(db, shop),
  };
}

/** Domain field names -> the form's. */
const FORM_FIELD: Record<string, string> = { earnRateE4: "earnRate" };
const formField = (key: string) =>
  FORM_FIELD[key] ?? key.replace(/^tiers\.(\d+)\.multiplierE4$/, "tiers.$1.multiplier");

export type SaveResult =
  { ok: true; tierChanges: number } | { ok: false; fieldErrors: Record<string, string> };

export async function saveProgram(
  db: PrismaClient,
  shop: string,
  form: ProgramForm,
  now: Date,
): Promise<SaveResult> {
  const parsed = parseProgramForm(form);
  if (!parsed.ok) return parsed;
  try {
    const { tierChanges } = await updateProgram(
      db,
      shop,
      { settings: parsed.settings, tiers: parsed.tiers },
      now,
    );
    return { ok: true, tierChanges };
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    return {
      ok: false,
      fieldErrors: Object.fromEntries(
        Object.entries(error.fieldErrors).map(([key, message]) => [formField(key), message]),
      ),
    };
  }
}
