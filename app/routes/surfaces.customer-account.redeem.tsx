import { redeemAnswer } from "../http/redeem-answer.server";
import { methodNotAllowed, surfaceJson, surfaceRoute } from "../http/request-context.server";

// POST /surfaces/customer-account/redeem { rewardKey, idempotencyKey }: the app proxy's /redeem
// for the customer the session token names, through the same redemption path (docs/surfaces.md).
export const action = surfaceRoute(
  "customerAccount",
  async ({ shop, customerGid, admin, now }, { request }) =>
    redeemAnswer(
      { shop, customerGid, admin: customerGid ? await admin() : null, now: now() },
      customerGid ? await surfaceJson(request) : null,
    ),
);

// Remix hands a preflight (OPTIONS) to a route's loader when the path has a parameter or the
// request is not routed directly (scripts/resource-routes.mjs): the library answers it there;
// GET is refused.
export const loader = surfaceRoute("customerAccount", async () => methodNotAllowed("POST"));
