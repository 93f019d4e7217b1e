import { redeemAnswer } from "../http/redeem-answer.server";
import { surfaceJson, surfaceRoute } from "../http/request-context.server";

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
