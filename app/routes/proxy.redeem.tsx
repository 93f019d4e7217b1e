import { z } from "zod";
import { prisma } from "../db.server";
import { RedeemError, redeemReward, redemptionRateExceeded } from "../services/rewards/redeem-reward.server";
import { redeemRefusal } from "../http/error-statuses";
import { storefrontError } from "../http/storefront-errors";
import { AdminTransientError } from "../shopify/admin-api/admin-client.server";
import { storefrontRoute } from "../http/request-context.server";
import { cachedProgramExplainer } from "../services/program/program-explainer-cache.server";
import { memberStatusAfterChange } from "../services/storefront/status.server";

const bodySchema = z.object({
  rewardKey: z.string().min(1).max(40),
  idempotencyKey: z.string().regex(/^[\w-]{8,100}$/, "8-100 letters, digits, - or _"),
});

// POST /{proxy path}/redeem -> /proxy/redeem: a logged-in shopper spends points.
// Refusals are codes (http/storefront-errors.ts) the theme words in the shopper's language.
// An accepted redemption answers with `member`, the shopper's new state (points, tier progress,
// rewards, codes, history), which the theme's script puts on every Regulars element of the page.
export const action = storefrontRoute(async ({ shop, customerGid, admin, now: clock }, { request }) => {
  if (!customerGid) return storefrontError("sign_in_required");
  const parsed = bodySchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    return storefrontError("invalid_request", { fields: z.flattenError(parsed.error).fieldErrors });
  }
  if (!admin) return storefrontError("unavailable");
  const now = clock();
  const memberAfter = () => memberStatusAfterChange(prisma, shop, customerGid, now, cachedProgramExplainer);
  if (await redemptionRateExceeded(prisma, shop, customerGid, now))
    return storefrontError("too_many_requests");
  try {
    const redemption = await redeemReward(prisma, admin, shop, { customerGid, ...parsed.data }, now);
    if (redemption.status === "FAILED") return storefrontError("code_not_created");
    return Response.json({
      status: redemption.status === "ISSUED" ? "issued" : "pending",
      code: redemption.status === "ISSUED" ? redemption.code : null,
      endsAt: redemption.endsAt.toISOString(),
      pointsCost: redemption.pointsCost,
      member: await memberAfter(),
    });
  } catch (error) {
    if (error instanceof RedeemError) return storefrontError(redeemRefusal(error.reason));
    if (error instanceof AdminTransientError) {
      // Points stay reserved; the code-issue job finishes it, and the same
      // request (same key) then answers with the code.
      return Response.json({ status: "pending", code: null, member: await memberAfter() }, { status: 202 });
    }
    throw error;
  }
});
