/**
 * A shop's loyalty program: how points are earned, held, expired and what the
 * tiers are. Defaults are what a new shop gets; `programSchema` is the one
 * place settings are validated (admin forms and imports use it too).
 */
import { z } from "zod";
import { parseMilli } from "./money";
import { type ErrorUnit, issue } from "./field-error";
import { E4, parseE4 } from "./rates";

export const TIER_BASES = ["SPEND", "POINTS", "ORDERS"] as const;
export const TIER_WINDOWS = ["ROLLING_12_MONTHS", "CALENDAR_YEAR", "LIFETIME"] as const;
export type TierBasis = (typeof TIER_BASES)[number];
export type TierWindow = (typeof TIER_WINDOWS)[number];

export interface ProgramSettings {
  active: boolean;
  /** Points per 1.00 of eligible spend, x10,000 (5 points = 50000). */
  earnRateE4: number;
  includeShipping: boolean;
  includeTax: boolean;
  includeTips: boolean;
  includeGiftCards: boolean;
  /** Days after payment before an order's points can be spent. */
  pendingDays: number;
  /** Months without earning or redeeming after which the balance expires; null = never. */
  expiryMonths: number | null;
  /** Days before expiry when the member is warned. */
  expiryWarningDays: number;
  tierBasis: TierBasis;
  tierWindow: TierWindow;
  tierGrace: boolean;
  /** Points when a customer creates an account; 0 = off. */
  signupBonus: number;
  /** Points on the member's birthday; 0 = off. */
  birthdayBonus: number;
  /** Give a redemption's points back when the order that used its code is cancelled. */
  returnPointsOnCancel: boolean;
  /** Give a redemption's points back when its code expires unused. */
  returnPointsOnExpiry: boolean;
  /** Orders taken on Shopify POS earn like online ones. */
  earnOnPos: boolean;
  /** Customers in a tier carry the tag prefix + tier name, e.g. "Regulars Gold". */
  tierTagPrefix: string;
  /**
   * Customers with any of these tags earn nothing and see no program ("wholesale", "staff"),
   * compared without case (app/loyalty/exclusions.ts).
   */
  excludedTags: string[];
}

export interface TierRule {
  /** Stable key within the shop. */
  key: string;
  name: string;
  /** Milli-units of spend (SPEND) or a count of points/orders (POINTS, ORDERS). */
  threshold: bigint;
  multiplierE4: number;
  /** A catalog reward given free (once) when a member reaches the tier. */
  entryRewardKey?: string | null;
}

export const DEFAULT_PROGRAM: ProgramSettings = {
  active: true,
  earnRateE4: 5 * E4,
  includeShipping: false,
  includeTax: false,
  includeTips: false,
  includeGiftCards: false,
  pendingDays: 0,
  expiryMonths: null,
  expiryWarningDays: 30,
  tierBasis: "SPEND",
  tierWindow: "ROLLING_12_MONTHS",
  tierGrace: true,
  signupBonus: 0,
  birthdayBonus: 0,
  returnPointsOnCancel: true,
  returnPointsOnExpiry: false,
  earnOnPos: true,
  tierTagPrefix: "Regulars ",
  excludedTags: [],
};

export const DEFAULT_TIERS: TierRule[] = [
  { key: "member", name: "Member", threshold: 0n, multiplierE4: E4 },
  { key: "silver", name: "Silver", threshold: parseMilli("250.00"), multiplierE4: parseE4("1.25") },
  { key: "gold", name: "Gold", threshold: parseMilli("1000.00"), multiplierE4: parseE4("1.5") },
];

/**
 * Ranges, refused as codes with values (./field-error.ts), which the admin
 * words after the field's name ("must be 0 or more", "must be at most 365
 * days"). Values kept x10,000 (rates, multipliers) are reported as the
 * merchant types them.
 */
const int = (min: number, max: number, unit?: ErrorUnit) =>
  z
    .number()
    .int(issue({ code: "wholeNumber" }))
    .min(min, issue(min === 0 ? { code: "notNegative" } : { code: "min", min, unit }))
    .max(max, issue({ code: "max", max, unit }));
const e4 = (min: number, max: number, unit: ErrorUnit = "decimal") =>
  z
    .number()
    .int(issue({ code: "decimals", max: 4 }))
    .min(min, issue(min === 0 ? { code: "notNegative" } : { code: "min", min: min / E4, unit }))
    .max(max, issue({ code: "max", max: max / E4, unit }));

export const programSchema = z.object({
  active: z.boolean(),
  earnRateE4: e4(0, 1000 * E4, "points"),
  includeShipping: z.boolean(),
  includeTax: z.boolean(),
  includeTips: z.boolean(),
  includeGiftCards: z.boolean(),
  pendingDays: int(0, 365, "days"),
  expiryMonths: int(1, 120, "months").nullable(),
  expiryWarningDays: int(0, 90, "days"),
  tierBasis: z.enum(TIER_BASES),
  tierWindow: z.enum(TIER_WINDOWS),
  tierGrace: z.boolean(),
  signupBonus: int(0, 1_000_000, "points"),
  birthdayBonus: int(0, 1_000_000, "points"),
  returnPointsOnCancel: z.boolean(),
  returnPointsOnExpiry: z.boolean(),
  earnOnPos: z.boolean(),
  // Shopify tags are at most 255 characters; leave room for the tier name.
  tierTagPrefix: z
    .string()
    .max(40, issue({ code: "max", max: 40, unit: "characters" }))
    .refine((value) => !value.includes(","), issue({ code: "comma" })),
  excludedTags: z
    .array(
      z
        .string()
        .trim()
        .min(1, issue({ code: "required" }))
        // Shopify tags are at most 255 characters (as tierTagPrefix above).
        .max(255, issue({ code: "max", max: 255, unit: "characters" }))
        .refine((value) => !value.includes(","), issue({ code: "comma" })),
    )
    .max(50, issue({ code: "max", max: 50, unit: "tags" })),
});

export const tiersSchema = z
  .array(
    z.object({
      key: z.string().regex(/^[a-z0-9-]{1,40}$/, issue({ code: "key" })),
      name: z
        .string()
        .trim()
        .min(1, issue({ code: "required" }))
        .max(40, issue({ code: "max", max: 40, unit: "characters" })),
      threshold: z.bigint().min(0n, issue({ code: "notNegative" })),
      multiplierE4: e4(E4, 10 * E4),
      entryRewardKey: z.string().min(1).max(40).nullable().optional(),
    }),
  )
  .min(1, issue({ code: "min", min: 1, unit: "tiers" }))
  .max(20, issue({ code: "max", max: 20, unit: "tiers" }))
  .superRefine((tiers, ctx) => {
    if (tiers[0] && tiers[0].threshold !== 0n) {
      ctx.addIssue({ code: "custom", path: [0, "threshold"], message: issue({ code: "firstTier" }) });
    }
    for (let i = 1; i < tiers.length; i++) {
      if (tiers[i]!.threshold <= tiers[i - 1]!.threshold) {
        ctx.addIssue({
          code: "custom",
          path: [i, "threshold"],
          message: issue({ code: "abovePrevious" }),
        });
      }
    }
    const names = tiers.map((tier) => tier.name.toLowerCase());
    const keys = tiers.map((tier) => tier.key);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i)
        ctx.addIssue({ code: "custom", path: [i, "name"], message: issue({ code: "taken" }) });
      if (keys.indexOf(keys[i]!) !== i)
        ctx.addIssue({ code: "custom", path: [i, "key"], message: issue({ code: "taken" }) });
    });
  });
