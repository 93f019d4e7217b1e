/**
 * Referrals, pure: a member's link code, who counts as the same person (emails normalised,
 * addresses and cards compared), the fraud checks that hold a referral for the merchant's review,
 * and what a referral's first order means for it (wait, pay, hold, or nothing is owed).
 * Time, randomness and settings are arguments.
 */
import { z } from "zod";
import { type ErrorUnit, type FieldError, issue } from "./field-error";
import { freeRewardRefusal, type RewardRule } from "./rewards";

/** The program's referral settings (Program.referral* columns). */
export interface ReferralSettings {
  enabled: boolean;
  /** Points the referrer gets for a referee's first order. */
  referrerPoints: number;
  /** The referee's first-order discount, in percent. */
  refereePercent: number;
  /** Hold when referee and referrer are the same customer or the same normalised email. */
  checkSelf: boolean;
  /** Hold when the first order ships to an address of the referrer's. */
  checkAddress: boolean;
  /** Hold when the first order was paid with a card the referrer paid with. */
  checkCard: boolean;
  /** Hold when the referee had ordered before the referral. */
  checkNew: boolean;
  /** Rewards per referrer per calendar month (UTC) before the next ones are held; 0: no cap. */
  monthlyCap: number;
  /**
   * A catalog reward (its key) the referrer gets for free instead of referrerPoints; null: points.
   * referrerPoints are paid instead when the reward is disabled or deleted by then (decision 0019).
   */
  rewardKey: string | null;
}

export const DEFAULT_REFERRAL_SETTINGS: ReferralSettings = {
  enabled: false,
  referrerPoints: 500,
  refereePercent: 10,
  checkSelf: true,
  checkAddress: true,
  checkCard: true,
  checkNew: true,
  monthlyCap: 10,
  rewardKey: null,
};

/**
 * A whole number from min to max, refused as field error codes (./field-error.ts) the admin words;
 * what is not a number at all (a typed "ten" reaches here as NaN) is `wholeNumber` too.
 */
const whole = (min: number, max: number, unit?: ErrorUnit) =>
  z
    .number({ error: issue({ code: "wholeNumber" }) })
    .int(issue({ code: "wholeNumber" }))
    .min(min, issue(min === 0 ? { code: "notNegative" } : { code: "min", min, unit }))
    .max(max, issue({ code: "max", max, unit }));

/** The one validation of referral settings (the admin's form and the service use it). */
export const referralSettingsSchema = z.object({
  enabled: z.boolean(),
  referrerPoints: whole(1, 1_000_000, "points"),
  refereePercent: whole(1, 100, "percent"),
  checkSelf: z.boolean(),
  checkAddress: z.boolean(),
  checkCard: z.boolean(),
  checkNew: z.boolean(),
  monthlyCap: whole(0, 10_000),
  rewardKey: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, issue({ code: "key" }))
    .nullable(),
});

/**
 * Whether a catalog reward can be a referrer's reward: it exists, is enabled, and can be given for
 * free (freeRewardRefusal: any type but a "spend any amount" reward; decision 0019). Null: it can;
 * otherwise the field's error.
 */
// A removed reward is archived and disabled (replaceCatalog), so `enabled` covers it.
export function referralRewardRefusal(
  reward: Pick<RewardRule, "enabled" | "spendAnyAmount"> | null,
): FieldError | null {
  if (!reward || !reward.enabled) return { code: "notInCatalog" };
  return freeRewardRefusal(reward);
}

/** No 0/O, 1/I/L, 5/S, 2/Z, 8/B, as reward codes (app/loyalty/rewards.ts). */
const ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679";
const REFERRAL_CODE_LENGTH = 8;
/** What a link's code looks like; anything else is refused before a lookup. */
const REFERRAL_CODE = /^[ACDEFGHJKMNPQRTUVWXY34679]{8}$/;

/**
 * A member's link code from random bytes (the caller supplies at least 8): 25^8, about 1.5e11
 * codes, so guessing one of a shop's members' codes takes billions of tries.
 */
export function referralCode(randomBytes: Uint8Array): string {
  if (randomBytes.length < REFERRAL_CODE_LENGTH) throw new Error("referralCode needs 8 random bytes");
  let code = "";
  for (let i = 0; i < REFERRAL_CODE_LENGTH; i++) code += ALPHABET[randomBytes[i]! % ALPHABET.length];
  return code;
}

/** A code as typed in a link: upper-cased; null when it cannot be a code. */
export function parseReferralCode(raw: string): string | null {
  const code = raw.trim().toUpperCase();
  return REFERRAL_CODE.test(code) ? code : null;
}

/** Mail providers that ignore dots in the local part and deliver "+tag" addresses to the same box. */
const DOTLESS_DOMAINS = new Set(["gmail.com", "googlemail.com"]);
/** Providers that deliver "+tag" (or, Yahoo, "-tag") addresses to the same box. */
const PLUS_TAG_DOMAINS = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "live.com",
  "icloud.com",
  "me.com",
  "fastmail.com",
  "protonmail.com",
  "proton.me",
]);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The mailbox an email reaches, for comparing people: lower-cased; "+tag" removed for providers
 * that deliver it to the same box; dots removed for gmail-like ones (googlemail.com is gmail.com).
 * Null when it is not an email.
 */
export function normaliseEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  if (email.length > 320 || !EMAIL.test(email)) return null;
  const at = email.lastIndexOf("@");
  let local = email.slice(0, at);
  let domain = email.slice(at + 1);
  if (PLUS_TAG_DOMAINS.has(domain)) local = local.split("+")[0]!;
  if (DOTLESS_DOMAINS.has(domain)) {
    local = local.replace(/\./g, "");
    domain = "gmail.com";
  }
  return local ? `${local}@${domain}` : null;
}

export interface PostalAddress {
  address1?: string | null;
  address2?: string | null;
  zip?: string | null;
  countryCode?: string | null;
}

/**
 * An address as a comparable key: street lines and postcode without case, spaces or punctuation,
 * with the country. Null when there is no street or postcode to compare.
 */
export function addressKey(address: PostalAddress | null | undefined): string | null {
  if (!address) return null;
  const squash = (value: string | null | undefined) =>
    (value ?? "").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  const street = squash(address.address1) + squash(address.address2);
  const zip = squash(address.zip);
  if (!street || !zip) return null;
  return `${(address.countryCode ?? "").toUpperCase()}|${zip}|${street}`;
}

/** What the settlement knows of the referee's first order and of the referrer. */
export interface ReferralFacts {
  referrer: {
    customerGid: string;
    email: string | null;
    addressKeys: readonly string[];
    cardKeys: readonly string[];
  };
  referee: {
    customerGid: string | null;
    email: string;
    addressKey: string | null;
    cardKey: string | null;
    /** The referee had a paid order before this first order. */
    orderedBefore: boolean;
  };
  /** Referral rewards the referrer was paid in the order's calendar month so far. */
  paidThisMonth: number;
}

export type HoldReason =
  "same_customer" | "same_email" | "same_address" | "same_card" | "not_new" | "monthly_cap";

/** Every check that holds this referral, in a fixed order; empty: it may be paid. */
export function holdReasons(facts: ReferralFacts, settings: ReferralSettings): HoldReason[] {
  const reasons: HoldReason[] = [];
  const { referrer, referee } = facts;
  if (settings.checkSelf) {
    if (referee.customerGid && referee.customerGid === referrer.customerGid) reasons.push("same_customer");
    const a = referrer.email ? normaliseEmail(referrer.email) : null;
    if (a && a === normaliseEmail(referee.email)) reasons.push("same_email");
  }
  if (settings.checkAddress && referee.addressKey && referrer.addressKeys.includes(referee.addressKey))
    reasons.push("same_address");
  if (settings.checkCard && referee.cardKey && referrer.cardKeys.includes(referee.cardKey))
    reasons.push("same_card");
  if (settings.checkNew && referee.orderedBefore) reasons.push("not_new");
  if (settings.monthlyCap > 0 && facts.paidThisMonth >= settings.monthlyCap) reasons.push("monthly_cap");
  return reasons;
}

/** The first order as Regulars recorded it (OrderRecord). */
export interface FirstOrder {
  paidAt: Date | null;
  cancelledAt: Date | null;
  /** Eligible merchandise net of refunds; 0 once refunded in full. */
  netEligibleMilli: bigint;
}

export type FirstOrderState =
  | { state: "wait"; until: Date | null }
  | { state: "void"; reason: "cancelled" | "refunded" }
  | { state: "due" };

/**
 * Whether a referral's first order is owed a reward now: not before it is paid and its pending
 * window (the program's pendingDays, as for its points) has passed; never when it was cancelled or
 * refunded in full by then.
 */
export function firstOrderState(order: FirstOrder, pendingDays: number, now: Date): FirstOrderState {
  if (order.cancelledAt) return { state: "void", reason: "cancelled" };
  if (!order.paidAt) return { state: "wait", until: null };
  const until = new Date(order.paidAt.getTime() + Math.max(0, pendingDays) * 86_400_000);
  if (now < until) return { state: "wait", until };
  if (order.netEligibleMilli <= 0n) return { state: "void", reason: "refunded" };
  return { state: "due" };
}

/** The first instant of `at`'s calendar month (UTC): the cap's month. */
export function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** The ledger key of a referral's reward: one per referral, ever. */
export const referralRewardKey = (referralId: string) => `referral:${referralId}`;

/**
 * The way to earn a referrer's points name in the ledger (`LedgerEntry.action`, as account
 * created's "signup" does: ./earn-rules.ts), so Home's points for actions counts them.
 */
export const REFERRAL_ACTION = "referral";
