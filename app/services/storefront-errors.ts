/**
 * What the app proxy answers a shopper it refuses: a code and its HTTP
 * status, never a sentence. The theme extension shows the code's words from
 * its own locale files (`js.errors.<code>` in extensions/regulars-theme/locales),
 * so the shopper reads them in the storefront's language, whatever the server's.
 * Every code here has words in every locale (tests/db/theme-blocks.test.ts).
 */
import type { RedeemError } from "./redeem-reward.server";

export const STOREFRONT_ERRORS = {
  /** No customer is logged in (Shopify's logged_in_customer_id is empty). */
  sign_in_required: 401,
  /** The body is not what the route takes. */
  invalid_request: 422,
  /** The shop's Shopify session is missing (the app is not installed): nothing can be created. */
  unavailable: 503,
  /** More than the redemptions a customer may ask for in a minute. */
  too_many_requests: 429,
  reward_not_found: 404,
  reward_disabled: 409,
  not_for_your_tier: 403,
  not_enough_points: 409,
  program_paused: 409,
  /** The same idempotency key was sent before for another reward. */
  idempotency_key_reused: 422,
  /** Shopify refused the code; the points were given back. */
  code_not_created: 502,
  /** A birthday that is not a date of the calendar. */
  not_a_date: 422,
  /** The birthday can be set once. */
  birthday_already_set: 409,
} as const;

export type StorefrontError = keyof typeof STOREFRONT_ERRORS;

/** The answer for a refusal: `{ error: code, ...detail }` with the code's status. */
export function storefrontError(error: StorefrontError, detail: Record<string, unknown> = {}): Response {
  return Response.json({ error, ...detail }, { status: STOREFRONT_ERRORS[error] });
}

const REDEEM_REFUSALS: Record<RedeemError["reason"], StorefrontError> = {
  "reward not found": "reward_not_found",
  "reward disabled": "reward_disabled",
  "not for your tier": "not_for_your_tier",
  "not enough points": "not_enough_points",
  "program paused": "program_paused",
  "idempotency key reused for another reward": "idempotency_key_reused",
};

/** The storefront's code for why a redemption was refused. */
export const redeemRefusalError = (reason: RedeemError["reason"]): StorefrontError => REDEEM_REFUSALS[reason];
