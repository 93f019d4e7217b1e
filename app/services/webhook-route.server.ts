/**
 * The one body of every webhook route: verify the delivery
 * (verifiedDelivery), then store it in the inbox, from which the workers
 * apply it.
 *
 * Receiving loads no session and calls nothing at Shopify: the signature is
 * checked against the app's secret (app/shopify/webhook-signature.server.ts),
 * so an uninstalled shop's deliveries (app/uninstalled, shop/redact) are
 * received whatever became of its tokens.
 */
import { prisma } from "../db.server";
import { env } from "../env.server";
import { readBodyWithin, WEBHOOK_BODY, webhookHeadersProblem } from "../http/request-limits";
import { nudgeInbox } from "../jobs/inbox-worker.server";
import { checkWebhookSignature, type SignedDelivery } from "../shopify/webhook-signature.server";
import { receiveWebhook } from "./webhook-inbox.server";

/**
 * The topics Shopify delivers to a webhook address, as shopify.app.toml
 * subscribes them: /webhooks/<topic> gets that topic, /webhooks/compliance
 * the three compliance topics.
 */
function topicsFor(pathname: string): string[] {
  if (pathname === "/webhooks/compliance")
    return ["CUSTOMERS_DATA_REQUEST", "CUSTOMERS_REDACT", "SHOP_REDACT"];
  const topic = /^\/webhooks\/([a-z_]+\/[a-z_]+)$/.exec(pathname)?.[1];
  return topic ? [topic.replace("/", "_").toUpperCase()] : [];
}

const refuse = (status: number, error: string) => Response.json({ error }, { status });

export interface VerifiedDelivery extends SignedDelivery {
  /** The body as Shopify signed it (big ids stay exact when it is parsed later). */
  rawBody: string;
}

/**
 * A delivery to a webhook address, or a 4xx thrown as a Response:
 *   - 405 for anything but POST;
 *   - 400 without reading the body when the HMAC or shop header is missing
 *     or the shop is not a *.myshopify.com shop;
 *   - 413 for a body over the webhook limit (app/http/request-limits.ts),
 *     refused as soon as the limit is passed;
 *   - the signature check's 401 or 400;
 *   - 400 for a topic Shopify does not deliver to this address (the topic
 *     header is not signed: a body sent to another topic's address with its
 *     topic changed is refused here).
 */
export async function verifiedDelivery(request: Request): Promise<VerifiedDelivery> {
  if (request.method !== "POST") throw refuse(405, "webhooks are POSTed");
  const problem = webhookHeadersProblem((name) => request.headers.get(name));
  if (problem) throw refuse(400, problem);
  const rawBody = await readBodyWithin(request, WEBHOOK_BODY);
  const check = checkWebhookSignature(env.SHOPIFY_API_SECRET, rawBody, request.headers);
  if (!check.valid) throw refuse(check.status, check.reason);
  if (!topicsFor(new URL(request.url).pathname).includes(check.topic)) {
    throw refuse(400, `topic ${check.topic} is not delivered to this address`);
  }
  const { valid: _, ...signed } = check;
  return { ...signed, rawBody };
}

/**
 * Verifies the delivery and stores it in the inbox; the workers apply it
 * (app/jobs/inbox-worker.server.ts). Shopify's 200 means "stored", so it
 * comes after one write. A correctly signed body that its topic's parser
 * refuses is stored too, as a dead letter (failed, with the reason, on the
 * admin's activity page to retry after a fix): nothing Shopify signed is
 * dropped. Only a body that names another shop than the header is refused.
 */
export async function handleWebhookRequest(request: Request): Promise<Response> {
  const delivery = await verifiedDelivery(request);
  const result = await receiveWebhook(prisma, {
    shop: delivery.shop,
    topic: delivery.topic,
    rawBody: delivery.rawBody,
    webhookId: delivery.webhookId,
    eventId: delivery.eventId,
    apiVersion: delivery.apiVersion,
    triggeredAt: triggeredAtOf(delivery),
  });
  if (result.status === 400) return refuse(400, result.detail ?? "the body does not match its headers");
  if (result.outcome === "received") nudgeInbox();
  return new Response(null, { status: 200 });
}

/** X-Shopify-Triggered-At as a date, when it is one. Unsigned: it orders events, it authorises nothing. */
export function triggeredAtOf(delivery: SignedDelivery): Date | undefined {
  if (!delivery.triggeredAt) return undefined;
  const at = new Date(delivery.triggeredAt);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
