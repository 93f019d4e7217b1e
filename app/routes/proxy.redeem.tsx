import { storefrontRoute } from "../http/request-context.server";
import { redeemAnswer } from "../http/redeem-answer.server";

// POST /{proxy path}/redeem -> /proxy/redeem: a logged-in shopper spends points.
// Refusals are codes (http/storefront-errors.ts) the theme words in the shopper's language.
// An accepted redemption answers with `member`, the shopper's new state (points, tier progress,
// rewards, codes, history), which the theme's script puts on every Regulars element of the page.
// The same answer as every other surface's redeem (http/redeem-answer.server.ts).
export const action = storefrontRoute(async ({ shop, customerGid, admin, now }, { request }) => {
  const body: unknown = customerGid ? await request.json().catch(() => null) : null;
  return redeemAnswer({ shop, customerGid, admin: customerGid ? admin : null, now: now() }, body);
});
