import { prisma } from "../db.server";
import { methodNotAllowed, surfaceRoute } from "../http/request-context.server";
import { surfaceStatus } from "../services/surfaces/surfaces.server";

// GET /surfaces/checkout/status (checkout's reductions block): as /surfaces/customer-account/status,
// for the buyer the checkout's session token names (docs/surfaces.md).
export const loader = surfaceRoute("checkout", async ({ shop, customerGid, now }) =>
  Response.json(await surfaceStatus(prisma, shop, customerGid, now()), {
    headers: { "Cache-Control": "private, no-store" },
  }),
);

// The production server hands a preflight (OPTIONS) of a fixed path to the action
// (scripts/resource-routes.mjs): the library answers it there; any other method is refused.
export const action = surfaceRoute("checkout", async () => methodNotAllowed("GET"));
