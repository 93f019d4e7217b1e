/**
 * The review API: a review app (or the merchant's own code) tells Regulars that a customer wrote
 * a product review, and the review way to earn pays for it (docs/decisions/0023-points-for-actions.md,
 * the contract in docs/product.md#points-for-actions).
 *
 *   POST /api/actions/review
 *   X-Regulars-Shop: <shop>.myshopify.com
 *   X-Regulars-Timestamp: <Unix seconds when signed>
 *   X-Regulars-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the shop's secret>
 *   { "customerId": "123" | "gid://shopify/Customer/123", "email": "...", "reviewId": "r-1" }
 *
 * The shop's secret is generated (and rotated) in the admin and shown once; it is kept sealed
 * with SESSION_ENCRYPTION_KEY's keys, as the shops' tokens and SMTP passwords are. The timestamp
 * is signed with the body and must be within REVIEW_SIGNATURE_TOLERANCE_S of the server's
 * clock, so a captured request cannot be replayed later; within that window a replay is
 * harmless: the award is keyed by the review's id and answers what it answered the first time.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { env } from "../../env.server";
import {
  countRecentActionAwards,
  customersWithEmail,
  findActionApiSecret,
  saveActionApiSecret,
} from "../../db/earn-rules.server";
import { memberOfCustomer } from "../../db/members.server";
import { sessionKeys } from "../../shopify/sessions/session-keys.server";
import { TokenCipher } from "../../shopify/sessions/token-cipher";
import { awardReview, type AwardResult } from "./earn-actions.server";

const REVIEW_SIGNATURE_TOLERANCE_S = 300;
/** Review awards a shop may record per minute, over all its customers. */
export const REVIEW_API_PER_MINUTE = 60;

const REVIEW_HEADERS = {
  shop: "x-regulars-shop",
  timestamp: "x-regulars-timestamp",
  signature: "x-regulars-signature",
} as const;

declare global {
  // One cipher per process, across Vite's module reloads.
  var __regularsActionsCipher: TokenCipher | undefined;
}

function cipher(): TokenCipher {
  globalThis.__regularsActionsCipher ??= new TokenCipher(sessionKeys(env));
  return globalThis.__regularsActionsCipher;
}

/** Where a shop's sealed secret belongs: a sealed value copied to another shop does not open. */
const secretPlace = (shop: string) => `${shop}:reviewApiSecret`;

/** A new secret for the shop, replacing any earlier one at once; the only time it is shown. */
export async function rotateReviewSecret(db: PrismaClient, shop: string): Promise<string> {
  const secret = `rgl_${randomBytes(32).toString("base64url")}`;
  await saveActionApiSecret(db, shop, {
    sealedSecret: cipher().seal(secret, secretPlace(shop)),
    hint: secret.slice(-4),
  });
  return secret;
}

/** What the admin shows of the secret: its last four characters and when it was made, or null. */
export async function reviewSecretHint(
  db: PrismaClient,
  shop: string,
): Promise<{ hint: string; createdAt: string } | null> {
  const row = await findActionApiSecret(db, shop);
  return row ? { hint: row.hint, createdAt: row.updatedAt.toISOString() } : null;
}

/** The signature a caller sends for a body signed at `timestamp` (Unix seconds). */
export function reviewSignature(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`;
}

export type ReviewApiRefusal =
  | "unsigned"
  | "bad_signature"
  | "stale_timestamp"
  | "invalid_request"
  | "unknown_customer"
  | "ambiguous_email"
  | "too_many_requests"
  | "rule_off"
  | "program_paused"
  | "excluded"
  | "limit_reached"
  | "review_reused";

/** Each refusal's status: 401 for the signature, 4XX for what the caller can fix or must not retry. */
export const REVIEW_API_STATUSES: Record<ReviewApiRefusal, number> = {
  unsigned: 401,
  bad_signature: 401,
  stale_timestamp: 401,
  invalid_request: 422,
  unknown_customer: 404,
  ambiguous_email: 409,
  too_many_requests: 429,
  rule_off: 409,
  program_paused: 409,
  excluded: 409,
  limit_reached: 409,
  review_reused: 409,
};

export class ReviewApiError extends Error {
  constructor(
    readonly code: ReviewApiRefusal,
    readonly fields?: Record<string, string>,
  ) {
    super(code);
  }
}

const sameText = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/**
 * Checks the request's signature for the shop it names; the shop, or ReviewApiError. A shop
 * without a secret is refused as a bad signature (nothing tells a caller which shops use it).
 */
export async function verifyReviewRequest(
  db: PrismaClient,
  header: (name: string) => string | null,
  rawBody: string,
  now: Date,
): Promise<string> {
  const shop = header(REVIEW_HEADERS.shop)?.trim().toLowerCase() ?? "";
  const timestamp = header(REVIEW_HEADERS.timestamp)?.trim() ?? "";
  const signature = header(REVIEW_HEADERS.signature)?.trim() ?? "";
  if (!shop || !timestamp || !signature) throw new ReviewApiError("unsigned");
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop)) throw new ReviewApiError("bad_signature");
  if (!/^\d{1,12}$/.test(timestamp)) throw new ReviewApiError("stale_timestamp");
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > REVIEW_SIGNATURE_TOLERANCE_S)
    throw new ReviewApiError("stale_timestamp");
  const row = await findActionApiSecret(db, shop);
  if (!row) throw new ReviewApiError("bad_signature");
  const secret = cipher().open(row.sealedSecret, secretPlace(shop));
  if (!sameText(reviewSignature(secret, timestamp, rawBody), signature))
    throw new ReviewApiError("bad_signature");
  return shop;
}

const REVIEW_ID = /^[\w.:@/-]{1,200}$/;
const EMAIL = /^[^\s@]{1,200}@[^\s@]{1,200}$/;

/** The body's customer and review, or ReviewApiError("invalid_request") with the fields at fault. */
function readReviewBody(rawBody: string): { customerId?: string; email?: string; reviewId: string } {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new ReviewApiError("invalid_request", { body: "not JSON" });
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new ReviewApiError("invalid_request", { body: "not a JSON object" });
  const { customerId, email, reviewId } = body as Record<string, unknown>;
  const fields: Record<string, string> = {};
  let customer: string | undefined;
  if (customerId !== undefined && customerId !== null) {
    const text = typeof customerId === "number" ? String(customerId) : customerId;
    const digits =
      typeof text === "string" ? /^(?:gid:\/\/shopify\/Customer\/)?(\d{1,20})$/.exec(text) : null;
    if (digits) customer = digits[1];
    else fields.customerId = "a Shopify customer id (digits) or its gid://shopify/Customer/ GID";
  }
  let mail: string | undefined;
  if (email !== undefined && email !== null) {
    if (typeof email === "string" && EMAIL.test(email.trim())) mail = email.trim().toLowerCase();
    else fields.email = "an email address";
  }
  if (!customer && !mail && !fields.customerId && !fields.email)
    fields.customerId = "customerId or email is required";
  if (typeof reviewId !== "string" || !REVIEW_ID.test(reviewId))
    fields.reviewId = "1 to 200 letters, digits or . _ - : @ /";
  if (Object.keys(fields).length > 0) throw new ReviewApiError("invalid_request", fields);
  return {
    ...(customer ? { customerId: customer } : {}),
    ...(mail ? { email: mail } : {}),
    reviewId: reviewId as string,
  };
}

/** The member a review is for: by customer id, else by email (one member with it). */
async function customerOf(db: PrismaClient, shop: string, body: { customerId?: string; email?: string }) {
  if (body.customerId) {
    const member = await memberOfCustomer(db, shop, `gid://shopify/Customer/${body.customerId}`);
    if (!member) throw new ReviewApiError("unknown_customer");
    return member.customerGid;
  }
  const customers = await customersWithEmail(db, shop, body.email!);
  if (customers.length === 0) throw new ReviewApiError("unknown_customer");
  if (customers.length > 1) throw new ReviewApiError("ambiguous_email");
  return customers[0]!;
}

/** A verified call: the points for the review, once per review id. */
export async function reviewCall(
  db: PrismaClient,
  shop: string,
  rawBody: string,
  now: Date,
): Promise<Extract<AwardResult, { status: "awarded" | "already_awarded" }>> {
  const body = readReviewBody(rawBody);
  const customerGid = await customerOf(db, shop, body);
  if (
    (await countRecentActionAwards(db, shop, "review", new Date(now.getTime() - 60_000))) >=
    REVIEW_API_PER_MINUTE
  )
    throw new ReviewApiError("too_many_requests");
  const result = await awardReview(db, shop, { customerGid, reviewId: body.reviewId }, now);
  if (result.status === "refused")
    throw new ReviewApiError(result.reason === "occurrence_reused" ? "review_reused" : result.reason);
  return result;
}
