/** Builds webhook requests the way Shopify delivers them (headers, HMAC). */
import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import { API_SECRET_KEY, APP_URL, getHmac } from "@shopify/shopify-api/test-helpers";
import { ADMIN_API_VERSION } from "~/shopify/api-version";

/**
 * What else a delivery carries when it reaches the app behind a load balancer:
 * Shopify's client headers and the proxy's (a request id comes on top, one a
 * request).
 */
export const LOAD_BALANCER_HEADERS: Readonly<Record<string, string>> = {
  "User-Agent": "Shopify-Captain-Hook",
  Accept: "*/*",
  "Accept-Encoding": "gzip;q=1.0,deflate;q=0.6,identity;q=0.3",
  "X-Forwarded-For": "35.188.0.1",
  "X-Forwarded-Proto": "https",
};

export interface WebhookOptions {
  topic: string;
  shop: string;
  body: unknown;
  path?: string;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: Date;
  /** Signs with this secret instead of the app's (to forge). */
  secret?: string;
  /** Raw body to send instead of JSON.stringify(body). */
  rawBody?: string;
  /** More headers (what a load balancer adds, say). */
  extraHeaders?: Record<string, string>;
}

export function webhookRequest(options: WebhookOptions): Request {
  const raw = options.rawBody ?? JSON.stringify(options.body);
  const path = options.path ?? `/webhooks/${options.topic}`;
  return new Request(`${APP_URL}${path}`, {
    method: "POST",
    body: raw,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": options.topic,
      "X-Shopify-Hmac-Sha256": getHmac(raw, options.secret ?? API_SECRET_KEY),
      "X-Shopify-Shop-Domain": options.shop,
      "X-Shopify-API-Version": ADMIN_API_VERSION,
      "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
      "X-Shopify-Event-Id": options.eventId ?? randomUUID(),
      "X-Shopify-Triggered-At": (options.triggeredAt ?? new Date()).toISOString(),
      ...options.extraHeaders,
    },
  });
}

/** Calls a Remix action the way the server does. */
export async function callAction(
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
