import { z } from "zod";
import { prisma } from "../db.server";
import { methodNotAllowed, surfaceJson, surfaceRoute } from "../http/request-context.server";
import { storefrontError } from "../http/storefront-errors";
import { checkoutEstimate, estimateBody, EstimateInputError } from "../services/surfaces/surfaces.server";

// POST /surfaces/checkout/estimate { subtotal: { amount, currencyCode }, lines? }: "you'll earn N
// points for this order" on the thank-you page (and in checkout), an estimate until the order's
// webhook arrives (docs/surfaces.md). Thank-you page requests carry a checkout session token:
// purchase.thank-you.block.render gets checkout's StandardApi, "the base API object provided to
// purchase extension targets", with its sessionToken
// (https://shopify.dev/docs/api/checkout-ui-extensions/latest/apis/session-token).
export const action = surfaceRoute("checkout", async ({ shop, customerGid, now }, { request }) => {
  const parsed = estimateBody.safeParse(await surfaceJson(request));
  if (!parsed.success) {
    return storefrontError("invalid_request", { fields: z.flattenError(parsed.error).fieldErrors });
  }
  try {
    return Response.json(await checkoutEstimate(prisma, shop, customerGid, parsed.data, now()), {
      headers: { "Cache-Control": "private, no-store" },
    });
  } catch (error) {
    if (error instanceof EstimateInputError)
      return storefrontError("invalid_request", { fields: error.fields });
    throw error;
  }
});

// Remix hands a preflight (OPTIONS) to a route's loader when the path has a parameter or the
// request is not routed directly (scripts/resource-routes.mjs): the library answers it there;
// GET is refused.
export const loader = surfaceRoute("checkout", async () => methodNotAllowed("POST"));
