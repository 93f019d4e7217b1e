/**
 * The one answer to a shopper's redemption, whichever surface asks: the app proxy
 * (proxy.redeem.tsx), customer accounts, checkout and POS (surfaces.*.redeem.tsx). Each
 * authenticates its own way and names the customer; from there it is the same body check, the
 * same rate limit (redemptionRateExceeded: per customer, across every surface), the same
 * redemption path (redeemReward) and the same JSON, with refusals as the storefront's codes.
 */
import { z } from "zod";
import { prisma } from "../db.server";
import { AdminTransientError, type AdminGraphql } from "../shopify/admin-api/admin-client.server";
import { cachedProgramExplainer } from "../services/program/program-explainer-cache.server";
import {
  AmountNotAllowedError,
  RedeemError,
  redeemReward,
  redemptionRateExceeded,
} from "../services/rewards/redeem-reward.server";
import { memberStatusAfterChange } from "../services/storefront/status.server";
import { redeemRefusal } from "./error-statuses";
import { storefrontError } from "./storefront-errors";

const bodySchema = z.object({
  rewardKey: z.string().min(1).max(40),
  idempotencyKey: z.string().regex(/^[\w-]{8,100}$/, "8-100 letters, digits, - or _"),
  /** "Spend any amount": the points to convert (a multiple of the reward's step, within its limits). */
  points: z.number().int("a whole number of points").min(1).max(10_000_000).optional(),
});

export interface RedeemAsking {
  shop: string;
  /** The customer the points are spent for; null: nobody is signed in. */
  customerGid: string | null;
  /** The shop's Admin API client; null when the shop has no session (the app is not installed). */
  admin: AdminGraphql | null;
  now: Date;
  /** The staff member redeeming for the customer (POS), recorded on the redemption. */
  staffId?: string;
}

/**
 * `body` is the request's JSON (undefined or null when it was not JSON). An accepted redemption
 * answers with `member`, the customer's new state (points, tier progress, rewards, codes,
 * history).
 */
export async function redeemAnswer(asking: RedeemAsking, body: unknown): Promise<Response> {
  const { shop, customerGid, admin, now, staffId } = asking;
  if (!customerGid) return storefrontError("sign_in_required");
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    return storefrontError("invalid_request", { fields: z.flattenError(parsed.error).fieldErrors });
  }
  if (!admin) return storefrontError("unavailable");
  const memberAfter = () => memberStatusAfterChange(prisma, shop, customerGid, now, cachedProgramExplainer);
  if (await redemptionRateExceeded(prisma, shop, customerGid, now))
    return storefrontError("too_many_requests");
  try {
    const redemption = await redeemReward(
      prisma,
      admin,
      shop,
      { customerGid, ...parsed.data, ...(staffId ? { staffId } : {}) },
      now,
    );
    if (redemption.status === "FAILED") return storefrontError("code_not_created");
    // A store credit reward has no code: "credited", the amount is in the customer's store credit.
    const status =
      redemption.status === "ISSUED" ? "issued" : redemption.status === "CREDITED" ? "credited" : "pending";
    return Response.json({
      status,
      code: redemption.status === "ISSUED" ? redemption.code : null,
      endsAt: redemption.endsAt.toISOString(),
      pointsCost: redemption.pointsCost,
      member: await memberAfter(),
    });
  } catch (error) {
    if (error instanceof RedeemError) return storefrontError(redeemRefusal(error.reason));
    // The reward's limits come with the refusal, so that each surface words it ("a multiple of 100
    // points from 500 to 5,000") in the shopper's language.
    if (error instanceof AmountNotAllowedError) return storefrontError("amount_not_allowed", error.limits);
    if (error instanceof AdminTransientError) {
      // Points stay reserved; the code-issue job finishes it, and the same
      // request (same key) then answers with the code.
      return Response.json({ status: "pending", code: null, member: await memberAfter() }, { status: 202 });
    }
    throw error;
  }
}
