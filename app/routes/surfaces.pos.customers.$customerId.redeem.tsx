import { redeemAnswer } from "../http/redeem-answer.server";
import { methodNotAllowed, surfaceJson, surfaceRoute } from "../http/request-context.server";
import { storefrontError } from "../http/storefront-errors";
import { customerGidOf } from "../services/surfaces/surfaces.server";

// POST /surfaces/pos/customers/:customerId/redeem { rewardKey, idempotencyKey }: a cashier redeems
// for the customer, through the same redemption path as every surface, recorded as the staff
// member's (source STAFF, their id); the POS extension adds the code to the cart
// (docs/surfaces.md).
export const action = surfaceRoute("pos", async ({ shop, staffId, admin, now }, { request, params }) => {
  if (!staffId) return storefrontError("sign_in_required");
  const customerGid = customerGidOf(params.customerId ?? "");
  if (!customerGid)
    return storefrontError("invalid_request", { fields: { customerId: ["a customer id or GID"] } });
  return redeemAnswer(
    { shop, customerGid, admin: await admin(), now: now(), staffId },
    await surfaceJson(request),
  );
});

// Remix hands a preflight (OPTIONS) to a route's loader when the path has a parameter or the
// request is not routed directly (scripts/resource-routes.mjs): the library answers it there;
// GET is refused.
export const loader = surfaceRoute("pos", async () => methodNotAllowed("POST"));
