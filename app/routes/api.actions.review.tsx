/**
 * POST /api/actions/review: a review app says a customer wrote a product review, and the
 * review way to earn pays for it once per review (app/services/actions/review-api.server.ts has
 * the contract: the shop's secret signs the timestamp and the raw body). Answers JSON:
 * 200 { status: "awarded" | "already_awarded", points, balance }, or
 * { error: <code>, message, fields? } with the code's status (REVIEW_API_STATUSES).
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { prisma } from "../db.server";
import { readBodyWithin, REVIEW_API_BODY } from "../http/request-limits";
import {
  REVIEW_API_STATUSES,
  ReviewApiError,
  reviewCall,
  verifyReviewRequest,
  type ReviewApiRefusal,
} from "../services/actions/review-api.server";

const MESSAGES: Record<ReviewApiRefusal, string> = {
  unsigned: "X-Regulars-Shop, X-Regulars-Timestamp and X-Regulars-Signature are required",
  bad_signature: "the signature does not match the shop's review API secret",
  stale_timestamp: "X-Regulars-Timestamp must be the Unix time in seconds, within 5 minutes of now",
  invalid_request: "the body is not { customerId | email, reviewId }",
  unknown_customer: "no member of the program has this customer id or email",
  ambiguous_email: "more than one member has this email: send customerId",
  too_many_requests: "too many reviews this minute: send it again later",
  rule_off: "points for reviews are off in this shop",
  program_paused: "the loyalty program is paused",
  excluded: "this customer is left out of the program",
  limit_reached: "this customer has reached the limit of points for reviews",
  review_reused: "this reviewId was already rewarded for another customer",
};

const refuse = (error: ReviewApiError) =>
  Response.json(
    { error: error.code, message: MESSAGES[error.code], ...(error.fields ? { fields: error.fields } : {}) },
    {
      status: REVIEW_API_STATUSES[error.code],
      headers: error.code === "too_many_requests" ? { "Retry-After": "60" } : {},
    },
  );

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return Response.json({ error: "method_not_allowed" }, { status: 405 });
  const rawBody = await readBodyWithin(request, REVIEW_API_BODY); // throws its 413
  const now = new Date();
  try {
    const shop = await verifyReviewRequest(prisma, (name) => request.headers.get(name), rawBody, now);
    const result = await reviewCall(prisma, shop, rawBody, now);
    return Response.json({ status: result.status, points: result.points, balance: result.balance });
  } catch (error) {
    if (error instanceof ReviewApiError) return refuse(error);
    throw error;
  }
}
