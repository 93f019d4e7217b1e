/**
 * Shopify Flow's "deduct-points" action (extensions/flow-deduct-points): Flow POSTs each run here, signed with
 * the app's client secret. The body of every Flow action route: app/http/flow-action-route.server.ts.
 */
import { flowActionRoute } from "../http/flow-action-route.server";
import { FLOW_ACTIONS } from "../loyalty/flow-actions";

export const action = flowActionRoute(FLOW_ACTIONS.deductPoints);
