import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { prisma } from "../db.server";
import { withJobs } from "../jobs.server";
import { authenticate } from "../shopify.server";
import { proxyCustomer } from "../shopify/app-proxy.server";
import { RedeemError, redeemReward, redemptionRateExceeded } from "../services/redeem-reward.server";
import { redeemRefusalError, storefrontError } from "../services/storefront-errors";
import { rememberProxyPath } from "../services/storefront-path.server";
import { AdminTransientError } from "../shopify/admin-client.server";
import { requestAdmin } from "../shopify/request-admin.server";

const bodySchema = z.object({
  rewardKey: z.string().min(1).max(40),
  idempotencyKey: z.string().regex(/^[\w-]{8,100}$/, "8-100 letters, digits, - or _"),
});

// POST /{proxy path}/redeem -> /proxy/redeem: a logged-in shopper spends points.
// Refusals are codes (services/storefront-errors.ts) the theme words in the shopper's language.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.public.appProxy(request);
  const { shop, customerGid, proxyPath } = proxyCustomer(request);
  await withJobs(() => rememberProxyPath(prisma, shop, proxyPath));
  if (!customerGid) return storefrontError("sign_in_required");
  const parsed = bodySchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    return storefrontError("invalid_request", { fields: z.flattenError(parsed.error).fieldErrors });
  }
  if (!session) return storefrontError("unavailable");
  const admin = requestAdmin({ session });
  const now = new Date();
  if (await redemptionRateExceeded(prisma, shop, customerGid, now))
    return storefrontError("too_many_requests");
  try {
    const redemption = await withJobs(() =>
      redeemReward(prisma, admin, shop, { customerGid, ...parsed.data }, now),
    );
    if (redemption.status === "FAILED") return storefrontError("code_not_created");
    return Response.json({
      status: redemption.status === "ISSUED" ? "issued" : "pending",
      code: redemption.status === "ISSUED" ? redemption.code : null,
      endsAt: redemption.endsAt.toISOString(),
      pointsCost: redemption.pointsCost,
    });
  } catch (error) {
    if (error instanceof RedeemError) return storefrontError(redeemRefusalError(error.reason));
    if (error instanceof AdminTransientError) {
      // Points stay reserved; the code-issue job finishes it, and the same
      // request (same key) then answers with the code.
      return Response.json({ status: "pending", code: null }, { status: 202 });
    }
    throw error;
  }
};
