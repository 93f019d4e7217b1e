/**
 * The rewards catalog and the rules of redeeming: which rewards a member can
 * have, and the codes they get (unambiguous characters, a shop prefix).
 */
import { z } from "zod";
import { issue } from "./field-error";
import { parseMilli } from "./money";

export const REWARD_TYPES = ["FIXED_AMOUNT", "PERCENTAGE", "FREE_SHIPPING"] as const;
export type RewardType = (typeof REWARD_TYPES)[number];

export interface RewardRule {
  key: string;
  title: string;
  type: RewardType;
  pointsCost: number;
  amountMilli: bigint | null;
  /** Percent x100: 10% = 1000. */
  percentBps: number | null;
  minimumSubtotalMilli: bigint | null;
  codeLifetimeDays: number;
  combinesWithOrder: boolean;
  combinesWithProduct: boolean;
  combinesWithShipping: boolean;
  /** Empty: every tier. */
  tierKeys: string[];
  enabled: boolean;
}

const base = {
  minimumSubtotalMilli: null,
  codeLifetimeDays: 30,
  combinesWithOrder: false,
  combinesWithProduct: false,
  combinesWithShipping: true,
  tierKeys: [],
  enabled: true,
  percentBps: null,
};

export const DEFAULT_REWARDS: RewardRule[] = [
  {
    ...base,
    key: "5-off",
    title: "5.00 off",
    type: "FIXED_AMOUNT",
    pointsCost: 500,
    amountMilli: parseMilli("5.00"),
  },
  {
    ...base,
    key: "10-off",
    title: "10.00 off",
    type: "FIXED_AMOUNT",
    pointsCost: 1000,
    amountMilli: parseMilli("10.00"),
  },
  {
    ...base,
    key: "25-off",
    title: "25.00 off",
    type: "FIXED_AMOUNT",
    pointsCost: 2500,
    amountMilli: parseMilli("25.00"),
  },
  {
    ...base,
    key: "free-shipping",
    title: "Free shipping",
    type: "FREE_SHIPPING",
    pointsCost: 400,
    amountMilli: null,
    combinesWithShipping: false,
    combinesWithOrder: true,
    combinesWithProduct: true,
  },
];

/** Catalog limits, as the admin's form explains them. */
export const REWARD_LIMITS = {
  pointsCost: [1, 10_000_000],
  /** 0.01 to 100,000.00 off, in milli-units. */
  amountMilli: [10n, 100_000_000n],
  /** 0.01% to 100%, x100. */
  percentBps: [1, 10_000],
  minimumSubtotalMilli: [0n, 1_000_000_000n],
  codeLifetimeDays: [1, 365],
  catalogSize: 50,
} as const;

const L = REWARD_LIMITS;

export const rewardSchema = z
  .object({
    key: z.string().regex(/^[a-z0-9-]{1,40}$/, issue({ code: "key" })),
    title: z
      .string()
      .trim()
      .min(1, issue({ code: "required" }))
      .max(80, issue({ code: "max", max: 80, unit: "characters" })),
    type: z.enum(REWARD_TYPES),
    pointsCost: z
      .number()
      .int(issue({ code: "wholeNumber" }))
      .min(L.pointsCost[0], issue({ code: "min", min: L.pointsCost[0], unit: "points" }))
      .max(L.pointsCost[1], issue({ code: "max", max: L.pointsCost[1], unit: "points" })),
    amountMilli: z
      .bigint()
      .min(L.amountMilli[0], issue({ code: "min", min: Number(L.amountMilli[0]) / 1000, unit: "money" }))
      .max(L.amountMilli[1], issue({ code: "max", max: Number(L.amountMilli[1]) / 1000, unit: "money" }))
      .nullable(),
    percentBps: z
      .number()
      .int()
      .min(L.percentBps[0], issue({ code: "moreThanZero" }))
      .max(L.percentBps[1], issue({ code: "max", max: L.percentBps[1] / 100, unit: "percent" }))
      .nullable(),
    minimumSubtotalMilli: z
      .bigint()
      .min(L.minimumSubtotalMilli[0], issue({ code: "notNegative" }))
      .max(
        L.minimumSubtotalMilli[1],
        issue({ code: "max", max: Number(L.minimumSubtotalMilli[1]) / 1000, unit: "money" }),
      )
      .nullable(),
    codeLifetimeDays: z
      .number()
      .int(issue({ code: "wholeNumber" }))
      .min(L.codeLifetimeDays[0], issue({ code: "min", min: L.codeLifetimeDays[0], unit: "days" }))
      .max(L.codeLifetimeDays[1], issue({ code: "max", max: L.codeLifetimeDays[1], unit: "days" })),
    combinesWithOrder: z.boolean(),
    combinesWithProduct: z.boolean(),
    combinesWithShipping: z.boolean(),
    tierKeys: z.array(z.string()),
    enabled: z.boolean(),
  })
  .superRefine((reward, ctx) => {
    if (reward.type === "FIXED_AMOUNT" && reward.amountMilli === null) {
      ctx.addIssue({ code: "custom", path: ["amountMilli"], message: issue({ code: "required" }) });
    }
    if (reward.type === "PERCENTAGE" && reward.percentBps === null) {
      ctx.addIssue({ code: "custom", path: ["percentBps"], message: issue({ code: "required" }) });
    }
    if (new Set(reward.tierKeys).size !== reward.tierKeys.length) {
      ctx.addIssue({ code: "custom", path: ["tierKeys"], message: issue({ code: "tierTwice" }) });
    }
  });

export type RedeemRefusal =
  "reward not found" | "reward disabled" | "not for your tier" | "not enough points" | "program paused";

/** Why a member cannot redeem a reward now, or null if they can. */
export function redeemRefusal(input: {
  reward: RewardRule | null;
  balance: number;
  tierKey: string | null;
  programActive: boolean;
}): RedeemRefusal | null {
  const { reward, balance, tierKey, programActive } = input;
  if (!programActive) return "program paused";
  if (!reward) return "reward not found";
  if (!reward.enabled) return "reward disabled";
  if (reward.tierKeys.length > 0 && (tierKey === null || !reward.tierKeys.includes(tierKey)))
    return "not for your tier";
  if (balance < reward.pointsCost) return "not enough points";
  return null;
}

/** No 0/O, 1/I/L, 5/S, 2/Z, 8/B: a code read aloud or copied by hand survives. */
const CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679";

/**
 * The shop's code prefix: the letters and digits of its myshopify handle, at
 * most 6 ("maple-and-oak.myshopify.com" -> "MAPLEA"), or "REG" when none.
 */
export function shopCodePrefix(shopDomain: string): string {
  const handle = shopDomain.split(".")[0] ?? "";
  return (
    handle
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, "")
      .slice(0, 6) || "REG"
  );
}

/** A code like "REG-7KQ4-MXTA" from random bytes (the caller supplies them). */
export function rewardCode(prefix: string, randomBytes: Uint8Array, groups = 2, groupLength = 4): string {
  const needed = groups * groupLength;
  if (randomBytes.length < needed) throw new Error(`rewardCode needs ${needed} random bytes`);
  const chars: string[] = [];
  for (let i = 0; i < needed; i++) chars.push(CODE_ALPHABET[randomBytes[i]! % CODE_ALPHABET.length]!);
  const body = Array.from({ length: groups }, (_, g) =>
    chars.slice(g * groupLength, (g + 1) * groupLength).join(""),
  );
  const cleanPrefix = prefix
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "")
    .slice(0, 10);
  return [cleanPrefix, ...body].filter(Boolean).join("-");
}
