import { z } from "zod";
import { prisma } from "../db.server";
import { storefrontError } from "../http/storefront-errors";
import { storefrontRoute } from "../http/request-context.server";
import { FOLLOW_RULE_KEYS } from "../loyalty/earn-rules";
import { awardFollow } from "../services/actions/earn-actions.server";

const bodySchema = z.object({ rule: z.enum(FOLLOW_RULE_KEYS as [string, ...string[]]) });

// POST /{proxy path}/actions/follow -> /proxy/actions/follow: a member says they followed the
// shop on a social network (honour system); the rule's points, once (decision 0023).
export const action = storefrontRoute(async ({ shop, customerGid, now }, { request }) => {
  if (!customerGid) return storefrontError("sign_in_required");
  const parsed = bodySchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return storefrontError("invalid_request");
  const rule = parsed.data.rule as (typeof FOLLOW_RULE_KEYS)[number];
  const result = await awardFollow(prisma, shop, { customerGid, rule }, now());
  if (result.status === "refused") {
    if (result.reason === "program_paused") return storefrontError("program_paused");
    // Off, without its link, or a customer left out of the program: nothing to earn here.
    return storefrontError("action_unavailable");
  }
  return Response.json({ status: result.status, points: result.points, balance: result.balance });
});
