import { prisma } from "../db.server";
import { methodNotAllowed, surfaceRoute } from "../http/request-context.server";
import { storefrontError } from "../http/storefront-errors";
import { customerGidOf, surfaceStatus } from "../services/surfaces/surfaces.server";

// GET /surfaces/pos/customers/:customerId/status (numeric id or GID): the storefront status of the
// customer the cashier has in the cart or on screen. Staff of the shop signed in to POS may read
// any customer of that shop (docs/surfaces.md, "Who may act for a customer at POS").
export const loader = surfaceRoute("pos", async ({ shop, staffId, now }, { params }) => {
  if (!staffId) return storefrontError("sign_in_required");
  const customerGid = customerGidOf(params.customerId ?? "");
  if (!customerGid)
    return storefrontError("invalid_request", { fields: { customerId: ["a customer id or GID"] } });
  return Response.json(await surfaceStatus(prisma, shop, customerGid, now()), {
    headers: { "Cache-Control": "private, no-store" },
  });
});

// The production server hands a preflight (OPTIONS) of a fixed path to the action
// (scripts/resource-routes.mjs): the library answers it there; any other method is refused.
export const action = surfaceRoute("pos", async () => methodNotAllowed("GET"));
