/**
 * Ways to earn beyond orders: the rules for points given for an action
 * (docs/decisions/0023-points-for-actions.md). Account created and birthday keep their own
 * rules (bonuses.ts, Program.signupBonus / birthdayBonus); these are the others:
 *
 * - newsletter: the customer's email marketing consent became "subscribed", once;
 * - review: a review app (signed API call) says the customer wrote a review, once, once a year
 *   or unlimited (at most UNLIMITED_PER_DAY in any 24 hours), never twice for one review;
 * - follow-<network>: the shopper says they followed the shop's account (honour system), once.
 *
 * Every award names its way to earn in the ledger's `action`: these keys, "signup", "birthday",
 * and "referral" (a referrer's points: REFERRAL_ACTION in referrals.ts).
 *
 * Pure: the clock, the rule's settings and the member's past awards are arguments.
 */
import { z } from "zod";
import { issue, type FieldErrors, fieldErrorsOf } from "./field-error";

const SOCIAL_NETWORKS = ["instagram", "tiktok", "facebook", "x", "youtube"] as const;
export type SocialNetwork = (typeof SOCIAL_NETWORKS)[number];

export type FollowRuleKey = `follow-${SocialNetwork}`;
export type EarnRuleKey = "newsletter" | "review" | FollowRuleKey;

export const FOLLOW_RULE_KEYS = SOCIAL_NETWORKS.map((network) => `follow-${network}` as const);
export const EARN_RULE_KEYS: readonly EarnRuleKey[] = ["newsletter", "review", ...FOLLOW_RULE_KEYS];

const EARN_LIMITS = ["ONCE", "YEARLY", "UNLIMITED"] as const;
export type EarnLimit = (typeof EARN_LIMITS)[number];

/** "Unlimited" still has a limit: at most this many awards of one rule to one member in any 24 hours. */
export const UNLIMITED_PER_DAY = 5;
const EARN_POINTS_MAX = 100_000;

export interface EarnRule {
  key: EarnRuleKey;
  enabled: boolean;
  points: number;
  limit: EarnLimit;
  /** A follow rule's link. */
  url: string | null;
  /** When it was last turned on. */
  enabledAt: Date | null;
}

export const isEarnRuleKey = (key: string): key is EarnRuleKey =>
  (EARN_RULE_KEYS as readonly string[]).includes(key);

export const isFollowRule = (key: EarnRuleKey): key is FollowRuleKey => key.startsWith("follow-");

const networkOf = (key: FollowRuleKey): SocialNetwork => key.slice("follow-".length) as SocialNetwork;

/** Which limits a rule may have: only a review can happen more than once. */
export function allowedLimits(key: EarnRuleKey): readonly EarnLimit[] {
  return key === "review" ? EARN_LIMITS : ["ONCE"];
}

const DEFAULT_POINTS: Record<EarnRuleKey, number> = {
  newsletter: 100,
  review: 50,
  "follow-instagram": 25,
  "follow-tiktok": 25,
  "follow-facebook": 25,
  "follow-x": 25,
  "follow-youtube": 25,
};

/** A rule the merchant never saved: off, at its default points, once. */
export function defaultEarnRule(key: EarnRuleKey): EarnRule {
  return { key, enabled: false, points: DEFAULT_POINTS[key], limit: "ONCE", url: null, enabledAt: null };
}

/** Every rule, saved or default, in the order the admin and the storefront list them. */
export function allEarnRules(saved: readonly EarnRule[]): EarnRule[] {
  return EARN_RULE_KEYS.map((key) => saved.find((rule) => rule.key === key) ?? defaultEarnRule(key));
}

/** Whether the storefront lists the rule (on, and a follow rule only with its link). */
export const isListed = (rule: EarnRule) => rule.enabled && (!isFollowRule(rule.key) || rule.url !== null);

/** How each network calls itself (not translated). */
const NETWORK_NAMES: Record<SocialNetwork, string> = {
  instagram: "Instagram",
  tiktok: "TikTok",
  facebook: "Facebook",
  x: "X",
  youtube: "YouTube",
};

/** What shoppers see of the active rules (the storefront, customer accounts): no dates. */
export function listedEarnActions(rules: readonly EarnRule[]) {
  return rules
    .filter(isListed)
    .map((rule) =>
      isFollowRule(rule.key)
        ? { key: rule.key, points: rule.points, network: NETWORK_NAMES[networkOf(rule.key)], url: rule.url }
        : { key: rule.key, points: rule.points },
    );
}

/** The social networks' own hosts: a follow link must go to the network it is for. */
const NETWORK_HOSTS: Record<SocialNetwork, readonly string[]> = {
  instagram: ["instagram.com"],
  tiktok: ["tiktok.com"],
  facebook: ["facebook.com", "fb.com"],
  x: ["x.com", "twitter.com"],
  youtube: ["youtube.com", "youtu.be"],
};

/** Whether `url` is an https link to the network (the host or a subdomain of it). */
export function isNetworkUrl(network: SocialNetwork, url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== "https:" || parsed.username || parsed.password || parsed.port) return false;
  const host = parsed.hostname.toLowerCase();
  return NETWORK_HOSTS[network].some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}

const ruleInput = z.object({
  enabled: z.boolean(),
  points: z
    .number()
    .int(issue({ code: "wholeNumber" }))
    .min(1, issue({ code: "range", min: 1, max: EARN_POINTS_MAX, unit: "points" }))
    .max(EARN_POINTS_MAX, issue({ code: "range", min: 1, max: EARN_POINTS_MAX, unit: "points" })),
  limit: z.enum(EARN_LIMITS, { message: issue({ code: "choice" }) }),
  url: z
    .string()
    .trim()
    .max(500, issue({ code: "max", max: 500, unit: "characters" }))
    .nullable(),
});

export type EarnRuleInput = z.input<typeof ruleInput>;

/**
 * The rules a merchant saves, checked: each rule's points 1..100,000, a limit the rule allows,
 * and a follow rule's link an https address on its network (required to turn it on). Field
 * errors are keyed "<rule key>.<field>".
 */
export function checkEarnRules(
  input: Partial<Record<EarnRuleKey, EarnRuleInput>>,
): { ok: true; rules: Omit<EarnRule, "enabledAt">[] } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const rules: Omit<EarnRule, "enabledAt">[] = [];
  for (const key of EARN_RULE_KEYS) {
    const raw = input[key];
    if (raw === undefined) continue;
    const parsed = ruleInput.safeParse(raw);
    if (!parsed.success) Object.assign(errors, fieldErrorsOf(parsed.error.issues, `${key}.`));
    if (!(allowedLimits(key) as readonly unknown[]).includes(raw.limit))
      errors[`${key}.limit`] = { code: "choice" };
    if (!parsed.success) continue;
    const { enabled, points, limit } = parsed.data;
    const url = parsed.data.url ? parsed.data.url : null;
    if (isFollowRule(key)) {
      const network = networkOf(key);
      if (url !== null && !isNetworkUrl(network, url))
        errors[`${key}.url`] = { code: "https", example: `https://${NETWORK_HOSTS[network][0]}/yourshop` };
      else if (url === null && enabled) errors[`${key}.url`] = { code: "required" };
    } else if (url !== null) errors[`${key}.url`] = { code: "invalid" };
    rules.push({ key, enabled, points, limit, url });
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, rules };
}

/** When a saved rule was turned on: kept while it stays on, now when it is turned on, null when off. */
export function enabledSince(before: EarnRule | null, enabled: boolean, now: Date): Date | null {
  if (!enabled) return null;
  return before?.enabled && before.enabledAt ? before.enabledAt : now;
}

/** The ledger's source key of an award: the idempotency of each limit. */
export function actionSourceKey(input: {
  rule: EarnRuleKey;
  limit: EarnLimit;
  customerGid: string;
  /** What the award is for when it can happen more than once (a review's id). */
  occurrence?: string;
  now: Date;
}): string {
  const { rule, limit, customerGid, occurrence, now } = input;
  // An occurrence (a review) is paid at most once whatever the limit: its own key.
  if (occurrence !== undefined) return `action:${rule}:${occurrence}`;
  if (limit === "YEARLY") return `action:${rule}:${customerGid}:${now.getUTCFullYear()}`;
  if (limit === "ONCE") return `action:${rule}:${customerGid}`;
  throw new Error(`an unlimited rule (${rule}) needs an occurrence for its key`);
}

export type AwardRefusal = "rule_off" | "limit_reached";

/**
 * Whether the member may earn the rule now, given when they earned it before (every award of
 * this rule to this member): once: never before; once a year: not in this calendar year (UTC);
 * unlimited: fewer than UNLIMITED_PER_DAY in the last 24 hours.
 */
export function mayEarn(rule: EarnRule, pastAwards: readonly Date[], now: Date): AwardRefusal | null {
  if (!rule.enabled) return "rule_off";
  switch (rule.limit) {
    case "ONCE":
      return pastAwards.length > 0 ? "limit_reached" : null;
    case "YEARLY":
      return pastAwards.some((at) => at.getUTCFullYear() === now.getUTCFullYear()) ? "limit_reached" : null;
    case "UNLIMITED": {
      const since = now.getTime() - 86_400_000;
      const recent = pastAwards.filter((at) => at.getTime() > since).length;
      return recent >= UNLIMITED_PER_DAY ? "limit_reached" : null;
    }
  }
}

/** The email marketing states Shopify reports (REST: email_marketing_consent.state). Only this one earns. */
const SUBSCRIBED = "subscribed";

/**
 * Whether a customer's email marketing consent earns the newsletter points: subscribed, with
 * the consent dated (consent_updated_at, or the payload's updated_at when Shopify sends none)
 * on or after the rule was turned on. A customer already subscribed before then earns nothing
 * (the rule rewards signing up, not having signed up), whether Regulars first sees them at
 * install, in a backfill or in a later update; unsubscribing and subscribing again is the once
 * limit's business (one key per customer).
 */
export function newsletterEarns(input: {
  rule: EarnRule;
  state: string | null | undefined;
  consentAt: Date | null;
}): boolean {
  const { rule, state, consentAt } = input;
  if (!rule.enabled || !rule.enabledAt || state !== SUBSCRIBED || !consentAt) return false;
  return consentAt.getTime() >= rule.enabledAt.getTime();
}

/** The ledger note of an award, in the merchant's language-neutral words (the admin's history). */
export function actionNote(rule: EarnRuleKey): string {
  if (rule === "newsletter") return "Newsletter signup";
  if (rule === "review") return "Product review";
  return `Followed on ${networkOf(rule)}`;
}
