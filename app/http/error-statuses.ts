/**
 * The one table from a refusal to its HTTP status, for the embedded admin's
 * routes and the app proxy alike. A refusal has a code; a domain error (a
 * service refusing what was asked) maps to one with refusalOf. Each surface
 * keeps its own body: the app proxy answers the code itself to the theme,
 * which words it in the shopper's language (storefront-errors.ts); the admin
 * answers its own words for a Polaris banner. Only the status is chosen here.
 * An error that is not a refusal (a bug, the database gone) is rethrown by
 * the route and Remix answers 500.
 */
import { AdminApiError } from "../shopify/admin-api/admin-client.server";
import type { BackfillError } from "../services/orders/backfill.server";
import { RewardNotFoundError, SettingsError } from "../services/program/program-settings.server";
import { RedeemError } from "../services/rewards/redeem-reward.server";
import type { ReferralError } from "../services/referrals/referrals.server";
import { RevokeError } from "../services/rewards/reward-lifecycle.server";
import type { CampaignError } from "../services/campaigns/campaigns.server";

export const REFUSAL_STATUSES = {
  /** No customer is logged in (the app proxy's logged_in_customer_id is empty). */
  sign_in_required: 401,
  /** The body is not what the route takes. */
  invalid_request: 422,
  /** More than the redemptions a customer may ask for in a minute. */
  too_many_requests: 429,
  /** The shop's Shopify session is missing (the app is not installed): nothing can be created. */
  unavailable: 503,
  /** Shopify did not answer, or not in time (AdminApiError): nothing was done, or it finishes later. */
  shopify_unavailable: 503,
  /** Shopify refused the code; the points were given back. */
  code_not_created: 502,

  // Redeeming a reward (RedeemError's reasons).
  reward_not_found: 404,
  /** An order that is not the signed-in customer's (the order status block). */
  order_not_found: 404,
  reward_disabled: 409,
  not_for_your_tier: 403,
  not_enough_points: 409,
  /** "Spend any amount": the points asked for are not a multiple of the step within the reward's limits. */
  amount_not_allowed: 422,
  program_paused: 409,
  /** The same idempotency key was sent before for another reward. */
  idempotency_key_reused: 422,
  /** A code staff asked to revoke is gone or was used (RevokeError). */
  code_not_revocable: 409,

  // The program's settings.
  /** Settings that break a rule (SettingsError), field by field. */
  invalid_settings: 422,
  /** A birthday that is not a date of the calendar (SettingsError, from the storefront). */
  not_a_date: 422,
  /** The birthday can be set once. */
  birthday_already_set: 409,
  /** A way to earn that is off (or not offered to this customer): nothing to earn. */
  action_unavailable: 409,
  /** A reward id in the saved catalog that is not one of the shop's rewards (RewardNotFoundError). */
  reward_not_in_catalog: 404,

  // Campaigns and backfills: CampaignError and BackfillError say which of these they are.
  not_found: 404,
  conflict: 409,
  invalid: 422,
} as const;

export type Refusal = keyof typeof REFUSAL_STATUSES;

/** Referrals' refusals (ReferralError's reasons), for the referral link's page and the admin's review. */
export const REFERRAL_STATUSES = {
  referrals_off: 409,
  unknown_link: 404,
  invalid_email: 422,
  own_link: 403,
  not_found: 404,
  not_held: 409,
  reason_required: 422,
  invalid_settings: 422,
  code_not_created: 502,
} as const satisfies Record<ReferralError["reason"], number>;

/** The errors the services throw to refuse what was asked. */
export type DomainError =
  | RedeemError
  | RevokeError
  | SettingsError
  | RewardNotFoundError
  | CampaignError
  | BackfillError
  | AdminApiError;

const REDEEM_REFUSALS = {
  "reward not found": "reward_not_found",
  "reward disabled": "reward_disabled",
  "not for your tier": "not_for_your_tier",
  "not enough points": "not_enough_points",
  "program paused": "program_paused",
  "idempotency key reused for another reward": "idempotency_key_reused",
} as const satisfies Record<RedeemError["reason"], Refusal>;

/** The code for why a redemption was refused (the storefront answers it as it is). */
export const redeemRefusal = (reason: RedeemError["reason"]) => REDEEM_REFUSALS[reason];

const KINDS = { 404: "not_found", 409: "conflict", 422: "invalid" } as const satisfies Record<
  CampaignError["status"] | BackfillError["status"],
  Refusal
>;

/** The refusal a domain error stands for. */
function refusalOf(error: DomainError): Refusal {
  if (error instanceof RedeemError) return redeemRefusal(error.reason);
  if (error instanceof RevokeError) return "code_not_revocable";
  if (error instanceof SettingsError) return "invalid_settings";
  if (error instanceof RewardNotFoundError) return "reward_not_in_catalog";
  if (error instanceof AdminApiError) return "shopify_unavailable";
  return KINDS[error.status];
}

/** The HTTP status of a domain error, for any surface. */
export const statusOf = (error: DomainError): number => REFUSAL_STATUSES[refusalOf(error)];
