import { prisma } from "../db.server";
import { methodNotAllowed, surfaceRoute } from "../http/request-context.server";
import { storefrontError, surfaceError } from "../http/storefront-errors";
import { customerOrderPoints, orderGidOf } from "../services/surfaces/surfaces.server";

// GET /surfaces/customer-account/orders/:orderId (numeric id or GID), for the order status block:
// `{ order: { id, name, points, pendingPoints, pendingUntil, reversedPoints, state } }` for an
// order of the customer the session token names; another customer's order is 404 with nothing of
// it, and one Regulars has not heard of is `not_yet_received` (docs/surfaces.md).
export const loader = surfaceRoute("customerAccount", async ({ shop, customerGid }, { params }) => {
  if (!customerGid) return storefrontError("sign_in_required");
  const orderGid = orderGidOf(params.orderId ?? "");
  if (!orderGid) return storefrontError("invalid_request", { fields: { orderId: ["an order id or GID"] } });
  const answer = await customerOrderPoints(prisma, shop, customerGid, orderGid);
  if (!answer) return surfaceError("order_not_found");
  return Response.json(answer, { headers: { "Cache-Control": "private, no-store" } });
});

// The production server hands a preflight (OPTIONS) of a fixed path to the action
// (scripts/resource-routes.mjs): the library answers it there; any other method is refused.
export const action = surfaceRoute("customerAccount", async () => methodNotAllowed("GET"));
