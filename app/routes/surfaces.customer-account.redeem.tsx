import { redeemAnswer } from "../http/redeem-answer.server";
import { surfaceJson, surfaceRoute } from "../http/request-context.server";

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
