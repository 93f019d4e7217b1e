import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { prisma } from "../db.server";
import { withJobs } from "../jobs.server";
import { authenticateProxy } from "../shopify/app-proxy.server";
import { RedeemError, redeemReward, redemptionRateExceeded } from "../services/redeem-reward.server";
import { AdminTransientError } from "../shopify/admin-client.server";

const bodySchema = z.object({
  rewardKey: z.string().min(1).max(40),
  idempotencyKey: z.string().regex(/^[\w-]{8,100}$/, "8-100 letters, digits, - or _"),
});

const refusalStatus: Record<string, number> = {
  "not enough points": 409,
  "reward disabled": 409,
  "not for your tier": 403,
  "program paused": 409,
  "reward not found": 404,
  "idempotency key reused for another reward": 422,
};

// POST /apps/regulars/redeem -> /proxy/redeem: a logged-in shopper spends points.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, shop, customerGid } = await authenticateProxy(request);
  if (!customerGid) return Response.json({ error: "Sign in to redeem your points." }, { status: 401 });
  const parsed = bodySchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    return Response.json(
      { error: "Invalid request", fields: z.flattenError(parsed.error).fieldErrors },
      { status: 422 },
    );
  }
  if (!admin) return Response.json({ error: "Rewards are not available right now." }, { status: 503 });
  const now = new Date();
  if (await redemptionRateExceeded(prisma, shop, customerGid, now)) {
    return Response.json({ error: "Too many requests. Try again in a minute." }, { status: 429 });
  }
  try {
    const redemption = await withJobs(() =>
      redeemReward(prisma, admin, shop, { customerGid, ...parsed.data }, now),
    );
    if (redemption.status === "FAILED") {
      return Response.json(
        { error: "The code could not be created; your points were returned." },
        { status: 502 },
      );
    }
    return Response.json({
      status: redemption.status === "ISSUED" ? "issued" : "pending",
      code: redemption.status === "ISSUED" ? redemption.code : null,
      endsAt: redemption.endsAt.toISOString(),
      pointsCost: redemption.pointsCost,
    });
  } catch (error) {
    if (error instanceof RedeemError) {
      return Response.json({ error: error.reason }, { status: refusalStatus[error.reason] ?? 409 });
    }
    if (error instanceof AdminTransientError) {
      // Points stay reserved; the code-issue job finishes it, and the same
      // request (same key) then answers with the code.
      return Response.json({ status: "pending", code: null }, { status: 202 });
    }
    throw error;
  }
};
