import { followAnswer } from "../http/follow-answer.server";
import { methodNotAllowed, surfaceJson, surfaceRoute } from "../http/request-context.server";

// POST /surfaces/customer-account/actions/follow { rule }: the app proxy's actions/follow for the
// customer the session token names, through the same answer and rule (decision 0023,
// docs/surfaces.md): the follow rule's points, once.
export const action = surfaceRoute("customerAccount", async ({ shop, customerGid, now }, { request }) =>
  followAnswer({ shop, customerGid, now: now() }, customerGid ? await surfaceJson(request) : null),
);

// A preflight handed to the loader is answered by the library; GET is refused.
export const loader = surfaceRoute("customerAccount", async () => methodNotAllowed("POST"));
