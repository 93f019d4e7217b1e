/**
 * The program settings form: what the admin page edits (text, as the merchant
 * types it) and its conversion to the domain's settings and tiers. Parsing
 * reports every bad field at once, keyed the way the page shows errors
 * ("earnRate", "tiers.1.threshold"); range checks stay in the domain schemas
 * (programSchema, tiersSchema), which updateProgram applies.
 */
import { z } from "zod";
import { formatMilli, parseMilli } from "../loyalty/money";
import type { ProgramSettings, TierBasis, TierRule, TierWindow } from "../loyalty/program";
import { TIER_BASES, TIER_WINDOWS } from "../loyalty/program";
import { formatE4, parseE4, pointsFor } from "../loyalty/rates";

export interface TierForm {
  key: string;
  name: string;
  threshold: string;
  multiplier: string;
  entryRewardKey: string;
}

export interface ProgramForm {
  active: boolean;
  earnRate: string;
  includeShipping: boolean;
  includeTax: boolean;
  includeTips: boolean;
  includeGiftCards: boolean;
  pendingDays: string;
  expiryMonths: string;
  expiryWarningDays: string;
  signupBonus: string;
  birthdayBonus: string;
  returnPointsOnCancel: boolean;
  returnPointsOnExpiry: boolean;
  tierBasis: TierBasis;
  tierWindow: TierWindow;
  tierGrace: boolean;
  tierTagPrefix: string;
  tiers: TierForm[];
}

const formatThreshold = (basis: TierBasis, value: bigint) =>
  basis === "SPEND" ? formatMilli(value) : value.toString();

export function programFormOf(settings: ProgramSettings, tiers: TierRule[]): ProgramForm {
  return {
    active: settings.active,
    earnRate: formatE4(settings.earnRateE4),
    includeShipping: settings.includeShipping,
    includeTax: settings.includeTax,
    includeTips: settings.includeTips,
    includeGiftCards: settings.includeGiftCards,
    pendingDays: String(settings.pendingDays),
    expiryMonths: settings.expiryMonths === null ? "" : String(settings.expiryMonths),
    expiryWarningDays: String(settings.expiryWarningDays),
    signupBonus: String(settings.signupBonus),
    birthdayBonus: String(settings.birthdayBonus),
    returnPointsOnCancel: settings.returnPointsOnCancel,
    returnPointsOnExpiry: settings.returnPointsOnExpiry,
    tierBasis: settings.tierBasis,
    tierWindow: settings.tierWindow,
    tierGrace: settings.tierGrace,
    tierTagPrefix: settings.tierTagPrefix,
    tiers: tiers.map((tier) => ({
      key: tier.key,
      name: tier.name,
      threshold: formatThreshold(settings.tierBasis, tier.threshold),
      multiplier: formatE4(tier.multiplierE4),
      entryRewardKey: tier.entryRewardKey ?? "",
    })),
  };
}

/** What the browser posts; shapes only (values are checked below and by the domain). */
export const programFormSchema = z.object({
  active: z.boolean(),
  earnRate: z.string(),
  includeShipping: z.boolean(),
  includeTax: z.boolean(),
  includeTips: z.boolean(),
  includeGiftCards: z.boolean(),
  pendingDays: z.string(),
  expiryMonths: z.string(),
  expiryWarningDays: z.string(),
  signupBonus: z.string(),
  birthdayBonus: z.string(),
  returnPointsOnCancel: z.boolean(),
  returnPointsOnExpiry: z.boolean(),
  tierBasis: z.enum(TIER_BASES),
  tierWindow: z.enum(TIER_WINDOWS),
  tierGrace: z.boolean(),
  tierTagPrefix: z.string(),
  tiers: z
    .array(
      z.object({
        key: z.string(),
        name: z.string(),
        threshold: z.string(),
        multiplier: z.string(),
        entryRewardKey: z.string(),
      }),
    )
    .max(20),
});

export type ParsedProgram =
  | { ok: true; settings: ProgramSettings; tiers: TierRule[] }
  | { ok: false; fieldErrors: Record<string, string> };

const WHOLE = /^\d{1,9}$/;

export function parseProgramForm(form: ProgramForm): ParsedProgram {
  const errors: Record<string, string> = {};
  const whole = (field: keyof ProgramForm, text: string): number => {
    if (!WHOLE.test(text.trim())) {
      errors[field] = "must be a whole number";
      return 0;
    }
    return Number(text.trim());
  };
  let earnRateE4 = 0;
  try {
    earnRateE4 = parseE4(form.earnRate);
  } catch {
    errors.earnRate = "must be a number of points, with at most 4 decimals";
  }
  const expiryMonths = form.expiryMonths.trim() === "" ? null : whole("expiryMonths", form.expiryMonths);
  const settings: ProgramSettings = {
    active: form.active,
    earnRateE4,
    includeShipping: form.includeShipping,
    includeTax: form.includeTax,
    includeTips: form.includeTips,
    includeGiftCards: form.includeGiftCards,
    pendingDays: whole("pendingDays", form.pendingDays),
    expiryMonths,
    expiryWarningDays: whole("expiryWarningDays", form.expiryWarningDays),
    tierBasis: form.tierBasis,
    tierWindow: form.tierWindow,
    tierGrace: form.tierGrace,
    signupBonus: whole("signupBonus", form.signupBonus),
    birthdayBonus: whole("birthdayBonus", form.birthdayBonus),
    returnPointsOnCancel: form.returnPointsOnCancel,
    returnPointsOnExpiry: form.returnPointsOnExpiry,
    tierTagPrefix: form.tierTagPrefix,
  };
  const tiers: TierRule[] = form.tiers.map((tier, i) => {
    let threshold = 0n;
    let multiplierE4 = 0;
    try {
      threshold =
        form.tierBasis === "SPEND" ? parseMilli(tier.threshold) : BigInt(whole("tiers", tier.threshold));
      if (threshold < 0n) throw new Error("negative");
    } catch {
      errors[`tiers.${i}.threshold`] =
        form.tierBasis === "SPEND" ? "must be an amount such as 250.00" : "must be a whole number";
    }
    delete errors.tiers;
    try {
      multiplierE4 = parseE4(tier.multiplier);
    } catch {
      errors[`tiers.${i}.multiplier`] = "must be a number such as 1.25";
    }
    const key =
      tier.key ||
      tier.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "")
        .slice(0, 40);
    return { key, name: tier.name, threshold, multiplierE4, entryRewardKey: tier.entryRewardKey || null };
  });
  return Object.keys(errors).length > 0 ? { ok: false, fieldErrors: errors } : { ok: true, settings, tiers };
}

/** "An order of 80.00 earns 400 points; a Gold member earns 600." for the page's live example. */
export function earnExample(form: ProgramForm, orderTotal = "80.00"): string | null {
  try {
    const rate = parseE4(form.earnRate);
    const base = pointsFor(parseMilli(orderTotal), rate, 10_000);
    const top = form.tiers[form.tiers.length - 1];
    const topPoints = top ? pointsFor(parseMilli(orderTotal), rate, parseE4(top.multiplier)) : base;
    const first = `An order of ${orderTotal} earns ${base} points`;
    return top && form.tiers.length > 1 ? `${first}; a ${top.name} member earns ${topPoints}.` : `${first}.`;
  } catch {
    return null;
  }
}
