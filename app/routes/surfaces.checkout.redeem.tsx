import { redeemAnswer } from "../http/redeem-answer.server";
import { methodNotAllowed, surfaceJson, surfaceRoute } from "../http/request-context.server";

// POST /surfaces/checkout/redeem { rewardKey, idempotencyKey }: as the customer account's redeem,
// for the buyer in checkout; the code is then applied with applyDiscountCodeChange. A code the
// buyer removes again stays theirs until it ends: nothing here revokes it, and the same key asks
// again for the same code (docs/surfaces.md).
export const action = surfaceRoute("checkout", async ({ shop, customerGid, admin, now }, { request }) =>
  redeemAnswer(
    { shop, customerGid, admin: customerGid ? await admin() : null, now: now() },
    customerGid ? await surfaceJson(request) : null,
  ),
);

// Remix hands a preflight (OPTIONS) to a route's loader when the path has a parameter or the
// request is not routed directly (scripts/resource-routes.mjs): the library answers it there;
// GET is refused.
export const loader = surfaceRoute("checkout", async () => methodNotAllowed("POST"));
