import { followAnswer } from "../http/follow-answer.server";
import { storefrontRoute } from "../http/request-context.server";

// POST /{proxy path}/actions/follow -> /proxy/actions/follow: a member says they followed the
// shop on a social network (honour system); the rule's points, once (decision 0023). The same
// answer as customer accounts' (app/http/follow-answer.server.ts).
export const action = storefrontRoute(async ({ shop, customerGid, now }, { request }) =>
  followAnswer({ shop, customerGid, now: now() }, await request.json().catch(() => null)),
);
