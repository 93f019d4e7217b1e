/**
 * The program settings form: what the admin page edits (text, as the merchant
 * types it) and its conversion to the domain's settings and tiers. Parsing
 * reports every bad field at once, keyed the way the page shows errors
 * ("earnRate", "tiers.1.threshold"); range checks stay in the domain schemas
 * (programSchema, tiersSchema), which updateProgram applies.
 */
import { z } from "zod";
import type { FieldError, FieldErrors } from "../loyalty/field-error";
import { formatMilli, parseMilli } from "../loyalty/money";
import type { ProgramSettings, TierBasis, TierRule, TierWindow } from "../loyalty/program";
import { TIER_BASES, TIER_WINDOWS } from "../loyalty/program";
import { normalizeExcludedTags } from "../loyalty/exclusions";
import { formatE4, parseE4, pointsFor } from "../loyalty/rates";
import { REWARD_LIMITS, REWARD_TYPES, type RewardRule, type RewardType } from "../loyalty/rewards";

export interface TierForm {
  key: string;
  name: string;
  threshold: string;
  multiplier: string;
  entryRewardKey: string;
}

/** A catalog reward as the page edits it; `id` is "" for a reward not saved yet. */
export interface RewardForm {
  id: string;
  key: string;
  title: string;
  type: RewardType;
  pointsCost: string;
  /** FIXED_AMOUNT: money off, "5.00". */
  amount: string;
  /** PERCENTAGE: percent off, "10" or "12.5". */
  percent: string;
  /** Empty: no minimum. */
  minimumSubtotal: string;
  codeLifetimeDays: string;
  combinesWithOrder: boolean;
  combinesWithProduct: boolean;
  combinesWithShipping: boolean;
  /** Empty: every tier may redeem it. */
  tierKeys: string[];
  enabled: boolean;
  /** "Spend any amount" (amount off, store credit): any multiple of the cost from anyMin to anyMax points. */
  anyAmount?: boolean;
  anyMin?: string;
  anyMax?: string;
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
  earnOnPos: boolean;
  /** Customer tags that leave a customer out, as typed: "wholesale, staff". */
  excludedTags: string;
  tierBasis: TierBasis;
  tierWindow: TierWindow;
  tierGrace: boolean;
  tierTagPrefix: string;
  tiers: TierForm[];
  rewards: RewardForm[];
}

const formatThreshold = (basis: TierBasis, value: bigint) =>
  basis === "SPEND" ? formatMilli(value) : value.toString();

const formatPercent = (bps: number) => formatE4(bps * 100);

function rewardFormOf(reward: RewardRule & { id: string }): RewardForm {
  return {
    id: reward.id,
    key: reward.key,
    title: reward.title,
    type: reward.type,
    pointsCost: String(reward.pointsCost),
    amount: reward.amountMilli === null ? "" : formatMilli(reward.amountMilli),
    percent: reward.percentBps === null ? "" : formatPercent(reward.percentBps),
    minimumSubtotal: reward.minimumSubtotalMilli === null ? "" : formatMilli(reward.minimumSubtotalMilli),
    codeLifetimeDays: String(reward.codeLifetimeDays),
    combinesWithOrder: reward.combinesWithOrder,
    combinesWithProduct: reward.combinesWithProduct,
    combinesWithShipping: reward.combinesWithShipping,
    tierKeys: [...reward.tierKeys],
    enabled: reward.enabled,
    anyAmount: Boolean(reward.spendAnyAmount),
    anyMin: reward.spendAnyAmount ? String(reward.spendAnyAmount.minPoints) : "",
    anyMax: reward.spendAnyAmount ? String(reward.spendAnyAmount.maxPoints) : "",
  };
}

/** What "Add reward" starts from. */
export const NEW_REWARD: RewardForm = {
  id: "",
  key: "",
  title: "",
  type: "FIXED_AMOUNT",
  pointsCost: "",
  amount: "",
  percent: "",
  minimumSubtotal: "",
  codeLifetimeDays: "30",
  combinesWithOrder: false,
  combinesWithProduct: false,
  combinesWithShipping: true,
  tierKeys: [],
  enabled: true,
};

export function programFormOf(
  settings: ProgramSettings,
  tiers: TierRule[],
  rewards: (RewardRule & { id: string })[],
): ProgramForm {
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
    earnOnPos: settings.earnOnPos,
    excludedTags: settings.excludedTags.join(", "),
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
    rewards: rewards.map(rewardFormOf),
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
  earnOnPos: z.boolean(),
  excludedTags: z.string().max(20_000),
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
  /** Absent: the catalog is left as it is. */
  rewards: z
    .array(
      z.object({
        id: z.string().max(40),
        key: z.string().max(100),
        title: z.string().max(200),
        type: z.enum(REWARD_TYPES),
        pointsCost: z.string().max(40),
        amount: z.string().max(40),
        percent: z.string().max(40),
        minimumSubtotal: z.string().max(40),
        codeLifetimeDays: z.string().max(40),
        combinesWithOrder: z.boolean(),
        combinesWithProduct: z.boolean(),
        combinesWithShipping: z.boolean(),
        tierKeys: z.array(z.string().max(40)).max(20),
        enabled: z.boolean(),
        anyAmount: z.boolean().optional(),
        anyMin: z.string().max(40).optional(),
        anyMax: z.string().max(40).optional(),
      }),
    )
    .max(REWARD_LIMITS.catalogSize)
    .optional(),
});

/** A catalog entry parsed from the form: an existing reward's id, or null for a new one. */
type ParsedReward = RewardRule & { id: string | null };

interface ProgramValues {
  settings: ProgramSettings;
  tiers: TierRule[];
  rewards?: ParsedReward[];
}

/**
 * On failure, `values` holds what could be read (a field that could not be
 * read is 0 there), so the domain's checks can still run on the rest and a
 * save reports every bad field at once.
 */
export type ParsedProgram =
  ({ ok: true } & ProgramValues) | { ok: false; fieldErrors: FieldErrors; values: ProgramValues };

const WHOLE = /^\d{1,9}$/;
/** "-5", "-0.5": a negative number, reported as such rather than as "not a number". */
const NEGATIVE = /^-\s*\d+(?:\.\d*)?$/;
const NOT_NEGATIVE: FieldError = { code: "notNegative" };
const WHOLE_NUMBER: FieldError = { code: "wholeNumber" };

/** What a save posts: the page's form; without `rewards` the catalog is left as it is. */
export type ProgramFormInput = Omit<ProgramForm, "rewards"> & { rewards?: RewardForm[] };

export function parseProgramForm(form: ProgramFormInput): ParsedProgram {
  const errors: FieldErrors = {};
  const whole = (field: keyof ProgramForm, text: string): number => {
    if (!WHOLE.test(text.trim())) {
      errors[field] = NEGATIVE.test(text.trim()) ? NOT_NEGATIVE : WHOLE_NUMBER;
      return 0;
    }
    return Number(text.trim());
  };
  let earnRateE4 = 0;
  try {
    earnRateE4 = parseE4(form.earnRate);
  } catch {
    errors.earnRate = NEGATIVE.test(form.earnRate.trim()) ? NOT_NEGATIVE : { code: "number", example: "5" };
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
    earnOnPos: form.earnOnPos,
    tierTagPrefix: form.tierTagPrefix,
    // Shopify separates tags with commas; each once, without case (app/loyalty/exclusions.ts).
    excludedTags: normalizeExcludedTags(form.excludedTags.split(",")),
  };
  const tiers: TierRule[] = form.tiers.map((tier, i) => {
    let threshold = 0n;
    let multiplierE4 = 0;
    try {
      threshold =
        form.tierBasis === "SPEND" ? parseMilli(tier.threshold) : BigInt(whole("tiers", tier.threshold));
      if (threshold < 0n) throw new Error("negative");
    } catch {
      errors[`tiers.${i}.threshold`] = NEGATIVE.test(tier.threshold.trim())
        ? NOT_NEGATIVE
        : form.tierBasis === "SPEND"
          ? { code: "amount", example: "250.00" }
          : WHOLE_NUMBER;
    }
    delete errors.tiers;
    try {
      multiplierE4 = parseE4(tier.multiplier);
    } catch {
      errors[`tiers.${i}.multiplier`] = { code: "number", example: "1.25" };
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
  const rewards = form.rewards?.map((reward, i) => parseRewardForm(reward, `rewards.${i}.`, errors));
  const values: ProgramValues = rewards ? { settings, tiers, rewards } : { settings, tiers };
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors, values };
  return { ok: true, ...values };
}

/** A key for a new reward from its title: "10% off" -> "10-off". */
export const keyFromTitle = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40);

const AMOUNT = /^\d{1,9}(?:\.\d{1,3})?$/;
const PERCENT = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

/**
 * One reward's text fields to a catalog entry; bad fields go into `errors`
 * under `prefix` + the form's field name. Only the value its type uses is
 * read (a percentage reward ignores the amount field). Ranges are the
 * domain's (rewardSchema), checked by updateProgram.
 */
function parseRewardForm(form: RewardForm, prefix: string, errors: FieldErrors): ParsedReward {
  const whole = (field: keyof RewardForm, text: string): number => {
    if (!WHOLE.test(text.trim())) {
      errors[`${prefix}${field}`] = NEGATIVE.test(text.trim()) ? NOT_NEGATIVE : WHOLE_NUMBER;
      return 0;
    }
    return Number(text.trim());
  };
  const money = (field: keyof RewardForm, text: string): bigint | null => {
    if (!AMOUNT.test(text.trim())) {
      errors[`${prefix}${field}`] = NEGATIVE.test(text.trim())
        ? NOT_NEGATIVE
        : { code: "amount", example: "5.00" };
      return null;
    }
    return parseMilli(text);
  };
  let amountMilli: bigint | null = null;
  let percentBps: number | null = null;
  if (form.type === "FIXED_AMOUNT" || form.type === "STORE_CREDIT")
    amountMilli = money("amount", form.amount);
  if (form.type === "PERCENTAGE") {
    const match = PERCENT.exec(form.percent.trim());
    if (match) percentBps = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
    else
      errors[`${prefix}percent`] = NEGATIVE.test(form.percent.trim())
        ? NOT_NEGATIVE
        : { code: "percent", example: "12.5" };
  }
  const minimumSubtotalMilli =
    form.minimumSubtotal.trim() === "" ? null : money("minimumSubtotal", form.minimumSubtotal);
  return {
    id: form.id || null,
    key: form.id ? form.key : form.key.trim() || keyFromTitle(form.title),
    title: form.title.trim(),
    type: form.type,
    pointsCost: whole("pointsCost", form.pointsCost),
    amountMilli,
    percentBps,
    minimumSubtotalMilli,
    codeLifetimeDays: whole("codeLifetimeDays", form.codeLifetimeDays),
    combinesWithOrder: form.combinesWithOrder,
    combinesWithProduct: form.combinesWithProduct,
    combinesWithShipping: form.combinesWithShipping,
    tierKeys: form.tierKeys,
    enabled: form.enabled,
    // Absent when off: the catalog stores no limits (rewardRow), and a fixed reward reads as before.
    ...(form.anyAmount && (form.type === "FIXED_AMOUNT" || form.type === "STORE_CREDIT")
      ? {
          spendAnyAmount: {
            minPoints: whole("anyMin", form.anyMin ?? ""),
            maxPoints: whole("anyMax", form.anyMax ?? ""),
          },
        }
      : {}),
  };
}

/** The domain's field names on a reward -> the form's. */
export const REWARD_FORM_FIELD: Record<string, keyof RewardForm> = {
  amountMilli: "amount",
  percentBps: "percent",
  minimumSubtotalMilli: "minimumSubtotal",
  "spendAnyAmount.minPoints": "anyMin",
  "spendAnyAmount.maxPoints": "anyMax",
};

/**
 * The page's live example: what an order of `orderTotal` earns at the typed rate, and what a
 * member of the top tier earns (when there is more than one tier); null while the rate or a
 * multiplier cannot be read. The page words it (`program.earnExample`).
 */
export function earnExample(
  form: ProgramForm,
  orderTotal = "80.00",
): { orderTotal: string; points: number; top: { name: string; points: number } | null } | null {
  try {
    const rate = parseE4(form.earnRate);
    const points = pointsFor(parseMilli(orderTotal), rate, 10_000);
    const top = form.tiers.length > 1 ? form.tiers[form.tiers.length - 1]! : null;
    return {
      orderTotal,
      points,
      top: top && {
        name: top.name,
        points: pointsFor(parseMilli(orderTotal), rate, parseE4(top.multiplier)),
      },
    };
  } catch {
    return null;
  }
}
