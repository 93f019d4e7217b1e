/**
 * The rewards catalog and the rules of redeeming: which rewards a member can
 * have, and the codes they get (unambiguous characters, a shop prefix).
 */
import { grantsScopes } from "./granted-scopes";
import { z } from "zod";
import { type FieldError, issue } from "./field-error";
import { parseMilli } from "./money";

export const REWARD_TYPES = ["FIXED_AMOUNT", "PERCENTAGE", "FREE_SHIPPING", "STORE_CREDIT"] as const;
export type RewardType = (typeof REWARD_TYPES)[number];

export interface RewardRule {
  key: string;
  title: string;
  type: RewardType;
  pointsCost: number;
  /** FIXED_AMOUNT: the amount off; STORE_CREDIT: the credit, in the shop's currency. */
  amountMilli: bigint | null;
  /** Percent x100: 10% = 1000. */
  percentBps: number | null;
  minimumSubtotalMilli: bigint | null;
  /** Days a code lasts, or (STORE_CREDIT) days until the credit expires. */
  codeLifetimeDays: number;
  combinesWithOrder: boolean;
  combinesWithProduct: boolean;
  combinesWithShipping: boolean;
  /** Empty: every tier. */
  tierKeys: string[];
  enabled: boolean;
  /**
   * "Spend any amount" (FIXED_AMOUNT or STORE_CREDIT only): the customer converts any multiple of
   * `pointsCost` points, from `minPoints` to `maxPoints`, each step worth `amountMilli`.
   * Absent or null: the reward costs exactly `pointsCost`.
   */
  spendAnyAmount?: { minPoints: number; maxPoints: number } | null;
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
    spendAnyAmount: z
      .object({
        minPoints: z.number().int(issue({ code: "wholeNumber" })),
        maxPoints: z
          .number()
          .int(issue({ code: "wholeNumber" }))
          .max(L.pointsCost[1], issue({ code: "max", max: L.pointsCost[1], unit: "points" })),
      })
      .nullable()
      .optional(),
  })
  .superRefine((reward, ctx) => {
    const any = reward.spendAnyAmount;
    if (any) {
      const refuse = (field: string, error: FieldError) =>
        ctx.addIssue({ code: "custom", path: ["spendAnyAmount", field], message: issue(error) });
      const step = reward.pointsCost;
      if (reward.type !== "FIXED_AMOUNT" && reward.type !== "STORE_CREDIT")
        refuse("minPoints", { code: "choice" });
      if (any.minPoints < step) refuse("minPoints", { code: "min", min: step, unit: "points" });
      if (step > 0 && any.minPoints % step !== 0)
        refuse("minPoints", { code: "multiple", of: step, unit: "points" });
      if (any.maxPoints < any.minPoints)
        refuse("maxPoints", { code: "min", min: any.minPoints, unit: "points" });
      if (step > 0 && any.maxPoints % step !== 0)
        refuse("maxPoints", { code: "multiple", of: step, unit: "points" });
      if (
        reward.amountMilli !== null &&
        reward.amountMilli > 0n &&
        step > 0 &&
        (BigInt(any.maxPoints) / BigInt(step)) * reward.amountMilli > L.amountMilli[1]
      )
        // The most points whose credit stays within the largest amount a reward may be worth.
        refuse("maxPoints", {
          code: "max",
          max: Number(L.amountMilli[1] / reward.amountMilli) * step,
          unit: "points",
        });
    }
    if (reward.type === "FIXED_AMOUNT" && reward.amountMilli === null) {
      ctx.addIssue({ code: "custom", path: ["amountMilli"], message: issue({ code: "required" }) });
    }
    if (reward.type === "STORE_CREDIT" && reward.amountMilli === null) {
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

/**
 * The reward a redemption of `points` gets: for "spend any amount", the
 * reward scaled to the points chosen (a multiple of the step, within the
 * limits), for a fixed reward the reward itself (`points` absent or its cost).
 * "amount not allowed" otherwise.
 */
export function chosenReward(
  reward: RewardRule,
  points: number | undefined,
): RewardRule | "amount not allowed" {
  const any = reward.spendAnyAmount;
  if (!any) return points === undefined || points === reward.pointsCost ? reward : "amount not allowed";
  const chosen = points ?? any.minPoints;
  if (
    !Number.isInteger(chosen) ||
    chosen < any.minPoints ||
    chosen > any.maxPoints ||
    chosen % reward.pointsCost !== 0 ||
    reward.amountMilli === null
  )
    return "amount not allowed";
  const steps = chosen / reward.pointsCost;
  return {
    ...reward,
    pointsCost: chosen,
    amountMilli: reward.amountMilli * BigInt(steps),
    spendAnyAmount: null,
  };
}

/** Why a member cannot redeem a reward now, or null if they can. */
export function redeemRefusal(input: {
  reward: RewardRule | null;
  balance: number;
  tierKey: string | null;
  programActive: boolean;
  /** The shop granted the store credit scopes (storeCreditOn); a store credit reward is off without them. */
  storeCredit?: boolean;
}): RedeemRefusal | null {
  const { reward, balance, tierKey, programActive } = input;
  if (!programActive) return "program paused";
  if (!reward) return "reward not found";
  if (!rewardAvailable(reward, input.storeCredit ?? false)) return "reward disabled";
  if (reward.tierKeys.length > 0 && (tierKey === null || !reward.tierKeys.includes(tierKey)))
    return "not for your tier";
  if (balance < reward.pointsCost) return "not enough points";
  return null;
}

/**
 * Whether a reward can be redeemed at all: it is enabled, and a store credit
 * reward needs the shop's store credit scopes (without them it is off, and the
 * admin says why).
 */
export function rewardAvailable(reward: RewardRule, storeCredit: boolean): boolean {
  return reward.enabled && (reward.type !== "STORE_CREDIT" || storeCredit);
}

/**
 * Why a catalog reward cannot be given for free (a tier's entry reward, a referrer's reward), or
 * null: the one place for that rule. Every type can (a store credit reward is credited as a
 * redemption's is, docs/decisions/0020-store-credit-rewards.md), but not a "spend any amount"
 * reward: its worth is the points the shopper chooses, and a free one has none.
 */
export function freeRewardRefusal(reward: {
  /** The reward's spend-any-amount terms, or (the admin's form) whether it has them. */
  spendAnyAmount?: RewardRule["spendAnyAmount"] | boolean;
}): FieldError | null {
  return reward.spendAnyAmount ? { code: "chosenAmount" } : null;
}

/**
 * Store credit needs both scopes: writing the credit
 * (storeCreditAccountCredit: `write_store_credit_account_transactions`) and
 * reading accounts (the lookup before a retry, and the balance the admin
 * shows: `read_store_credit_accounts`). Both are optional scopes
 * (shopify.app.toml), asked for on the Rewards page.
 * https://shopify.dev/docs/api/admin-graphql/latest/mutations/storeCreditAccountCredit
 * https://shopify.dev/docs/api/admin-graphql/latest/objects/StoreCreditAccount
 */
export const STORE_CREDIT_SCOPES = [
  "read_store_credit_accounts",
  "write_store_credit_account_transactions",
] as const;

/** The granted scopes (Shopify's comma-separated list) include the store credit ones. */
export function storeCreditOn(grantedScopes: string | null): boolean {
  return grantsScopes(grantedScopes, STORE_CREDIT_SCOPES);
}

/**
 * When a store credit redemption's credit expires: `lifetimeDays` after `now`,
 * on a whole second (Shopify's DateTime), and on none of `taken` (the member's
 * other store credit redemptions' expiries). The credit transaction Shopify
 * creates carries no reference of ours, so this expiry, with the amount and
 * currency, is what names it when a retry looks for it
 * (docs/decisions/0020-store-credit-rewards.md).
 */
export function creditExpiresAt(now: Date, lifetimeDays: number, taken: Date[]): Date {
  const takenSeconds = new Set(taken.map((date) => Math.floor(date.getTime() / 1000)));
  let second = Math.floor(now.getTime() / 1000) + lifetimeDays * 86_400;
  while (takenSeconds.has(second)) second++;
  return new Date(second * 1000);
}

export interface CreditTransactionSeen {
  id: string;
  amountMilli: bigint;
  currencyCode: string;
  expiresAt: Date | null;
}

/**
 * The credit transaction a redemption made, among the account's credits: the
 * same amount, currency and expiry (to the second), and not already recorded
 * on another redemption (`recorded`).
 */
export function matchingCredit(
  credits: CreditTransactionSeen[],
  wanted: { amountMilli: bigint; currencyCode: string; expiresAt: Date },
  recorded: Set<string>,
): CreditTransactionSeen | null {
  const second = Math.floor(wanted.expiresAt.getTime() / 1000);
  return (
    credits.find(
      (credit) =>
        !recorded.has(credit.id) &&
        credit.amountMilli === wanted.amountMilli &&
        credit.currencyCode === wanted.currencyCode &&
        credit.expiresAt !== null &&
        Math.floor(credit.expiresAt.getTime() / 1000) === second,
    ) ?? null
  );
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
