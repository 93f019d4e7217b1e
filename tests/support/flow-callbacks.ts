/**
 * Shopify Flow's trigger lifecycle callback as it reaches the app's route
 * (POST /flow/lifecycle): the body and signature devshop's Flow sends
 * (devshop/flow.ts), or any body signed with any secret (to forge).
 */
import type { PrismaClient } from "@prisma/client";
import type { ActionFunctionArgs } from "@remix-run/node";
import { API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { FLOW_TRIGGERS, recordTriggerUsage } from "~/db/flow-events.server";
import { FLOW_ACTION_PATHS, type FlowAction } from "~/loyalty/flow-actions";
import { actionRunBody, lifecycleCallbackBody, lifecycleCallbackHeaders } from "../../devshop/flow";

export function lifecycleRequest(body: string, secret = API_SECRET_KEY): Request {
  return new Request(`${APP_URL}/flow/lifecycle`, {
    method: "POST",
    headers: lifecycleCallbackHeaders(body, secret),
    body,
  });
}

export const lifecycleCallback = (input: {
  shop: string;
  trigger: string;
  enabled: boolean;
  timestamp: Date;
  secret?: string;
}) =>
  lifecycleRequest(
    lifecycleCallbackBody({ ...input, timestamp: input.timestamp.toISOString() }),
    input.secret,
  );

/**
 * A run of one of the app's Flow actions as Flow sends it (devshop's body), signed by Shopify's
 * test helper (RequestType.Extension: X-Shopify-Hmac-Sha256 over the body) with `secret`.
 */
export function actionRunRequest(input: {
  shop: string;
  handle: FlowAction;
  properties: Record<string, unknown>;
  actionRunId?: string;
  secret?: string;
}): Promise<Request> {
  const body = JSON.parse(
    actionRunBody({
      ...input,
      actionRunId: input.actionRunId ?? `run-${Math.random().toString(36).slice(2)}`,
    }),
  ) as unknown;
  return setUpValidRequest(
    { type: RequestType.Extension, store: input.shop, apiSecretKey: input.secret ?? API_SECRET_KEY, body },
    new Request(`${APP_URL}${FLOW_ACTION_PATHS[input.handle]}`, { method: "POST" }),
  );
}

/** Calls the route's action; a thrown Response (the library's refusal) is the answer. */
export async function callLifecycle(
  action: (args: ActionFunctionArgs) => Promise<Response>,
  request: Request,
): Promise<Response> {
  try {
    return await action({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/**
 * A shop whose merchant enabled workflows for every trigger of the app before
 * anything happened, as Flow's callbacks would have recorded it.
 */
export async function listenToEveryTrigger(prisma: PrismaClient, shop: string): Promise<void> {
  for (const trigger of Object.values(FLOW_TRIGGERS)) {
    await recordTriggerUsage(prisma, shop, {
      trigger,
      enabled: true,
      flowTimestamp: new Date(),
      now: new Date(0),
    });
  }
}
