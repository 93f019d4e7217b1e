import { prisma } from "../db.server";
import { methodNotAllowed, surfaceRoute } from "../http/request-context.server";
import { surfaceStatus } from "../services/surfaces/surfaces.server";

// GET /surfaces/customer-account/status (customer accounts: the Rewards page, the profile block):
// the app proxy's /status JSON for the customer the session token names, or the guest shape with
// `customer: null, reason: "no_customer"` when it names none (docs/surfaces.md).
export const loader = surfaceRoute("customerAccount", async ({ shop, customerGid, now }) =>
  Response.json(await surfaceStatus(prisma, shop, customerGid, now()), {
    headers: { "Cache-Control": "private, no-store" },
  }),
);

// The production server hands a preflight (OPTIONS) of a fixed path to the action
// (scripts/resource-routes.mjs): the library answers it there; any other method is refused.
export const action = surfaceRoute("customerAccount", async () => methodNotAllowed("GET"));
