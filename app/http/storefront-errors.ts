/**
 * What the app proxy answers a shopper it refuses: a code and its HTTP
 * status (error-statuses.ts, the table the admin shares), never a sentence.
 * The theme extension shows the code's words from its own locale files
 * (`js.errors.<code>` in extensions/regulars-theme/locales), so the shopper
 * reads them in the storefront's language, whatever the server's.
 * Every code here has words in every locale (tests/db/theme-blocks.test.ts).
 */
import { REFUSAL_STATUSES, type Refusal } from "./error-statuses";

/** The codes the storefront answers, each with its status. */
export const STOREFRONT_ERRORS = pick([
  "sign_in_required",
  "invalid_request",
  "unavailable",
  "too_many_requests",
  "reward_not_found",
  "reward_disabled",
  "not_for_your_tier",
  "not_enough_points",
  "amount_not_allowed",
  "program_paused",
  "idempotency_key_reused",
  "code_not_created",
  "not_a_date",
  "birthday_already_set",
  "action_unavailable",
] as const);

function pick<const C extends readonly Refusal[]>(
  codes: C,
): { [K in C[number]]: (typeof REFUSAL_STATUSES)[K] } {
  return Object.fromEntries(codes.map((code) => [code, REFUSAL_STATUSES[code]])) as {
    [K in C[number]]: (typeof REFUSAL_STATUSES)[K];
  };
}

export type StorefrontError = keyof typeof STOREFRONT_ERRORS;

/** The answer for a refusal: `{ error: code, ...detail }` with the code's status. */
export function storefrontError(error: StorefrontError, detail: Record<string, unknown> = {}): Response {
  return Response.json({ error, ...detail }, { status: STOREFRONT_ERRORS[error] });
}

/**
 * The codes the shopper surfaces outside the theme answer (customer accounts, checkout, POS:
 * docs/surfaces.md): the storefront's, and the order status block's own. Their UI extensions word
 * them from their own locale files.
 */
const SURFACE_ERRORS = { ...STOREFRONT_ERRORS, ...pick(["order_not_found"] as const) };

export type SurfaceError = keyof typeof SURFACE_ERRORS;

/** A surface's refusal: `{ error: code, ...detail }` with the code's status. */
export function surfaceError(error: SurfaceError, detail: Record<string, unknown> = {}): Response {
  return Response.json({ error, ...detail }, { status: SURFACE_ERRORS[error] });
}
