/**
 * Shopify Flow's "issue-reward" action (extensions/flow-issue-reward): Flow POSTs each run here, signed with
 * the app's client secret. The body of every Flow action route: app/http/flow-action-route.server.ts.
 */
import { flowActionRoute } from "../http/flow-action-route.server";
import { FLOW_ACTIONS } from "../loyalty/flow-actions";

export const action = flowActionRoute(FLOW_ACTIONS.issueReward);
