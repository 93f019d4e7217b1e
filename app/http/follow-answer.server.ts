/**
 * The one answer to a member saying they followed the shop on a social network (honour system,
 * decision 0023), whichever surface asks: the app proxy (proxy.actions.follow.tsx) and customer
 * accounts (surfaces.customer-account.actions.follow.tsx). Each authenticates its own way and names
 * the customer; from there it is the same body check, the same rule (awardFollow: the rule's
 * points, once) and the same JSON, with refusals as the storefront's codes.
 */
import { z } from "zod";
import { prisma } from "../db.server";
import { FOLLOW_RULE_KEYS } from "../loyalty/earn-rules";
import { awardFollow } from "../services/actions/earn-actions.server";
import { storefrontError } from "./storefront-errors";

const bodySchema = z.object({ rule: z.enum(FOLLOW_RULE_KEYS as [string, ...string[]]) });

export async function followAnswer(
  asking: { shop: string; customerGid: string | null; now: Date },
  body: unknown,
): Promise<Response> {
  if (!asking.customerGid) return storefrontError("sign_in_required");
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) return storefrontError("invalid_request");
  const rule = parsed.data.rule as (typeof FOLLOW_RULE_KEYS)[number];
  const result = await awardFollow(
    prisma,
    asking.shop,
    { customerGid: asking.customerGid, rule },
    asking.now,
  );
  if (result.status === "refused") {
    if (result.reason === "program_paused") return storefrontError("program_paused");
    // Off, without its link, or a customer left out of the program: nothing to earn here.
    return storefrontError("action_unavailable");
  }
  return Response.json({ status: result.status, points: result.points, balance: result.balance });
}
