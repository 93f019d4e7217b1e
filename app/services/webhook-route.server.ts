/**
 * The one body of every webhook route: verify the delivery (verifiedWebhook),
 * read the raw body so big ids stay exact, and store it in the inbox, from
 * which the workers apply it.
 */
import { prisma } from "../db.server";
import { nudgeInbox } from "../jobs/inbox-worker.server";
import { authenticate } from "../shopify.server";
import { withCachedSessionReads } from "../shopify/session-storage.server";
import { receiveWebhook } from "./webhook-inbox.server";

/** As Shopify names shops in X-Shopify-Shop-Domain (and as the job queue requires, app/jobs/queues.ts). */
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

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

const refuse = (error: string) => Response.json({ error }, { status: 400 });

/**
 * authenticate.webhook (the Shopify library answers 401 to a bad HMAC, 400
 * to missing headers), then what the HMAC does not cover, since it signs the
 * body alone: the shop header must name a shop, the topic must be one Shopify
 * delivers to this address, and the body must be a JSON object. Anything else
 * is refused with a thrown 400 before anything is written.
 */
export async function verifiedWebhook(request: Request) {
  // Checked first: the library throws (a 500) on a shop it cannot parse.
  if (!SHOP_DOMAIN.test(request.headers.get("X-Shopify-Shop-Domain") ?? "")) {
    throw refuse("X-Shopify-Shop-Domain is not a *.myshopify.com shop");
  }
  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    context = await authenticate.webhook(request);
  } catch (error) {
    // The library checks the HMAC before it parses the body, so a SyntaxError
    // here is a correctly signed but malformed body.
    if (error instanceof SyntaxError) throw refuse("body is not JSON");
    throw error;
  }
  const topic = String(context.topic);
  if (!topicsFor(new URL(request.url).pathname).includes(topic)) {
    throw refuse(`topic ${topic} is not delivered to this address`);
  }
  const payload: unknown = context.payload;
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    throw refuse("payload is not a JSON object");
  }
  return context;
}

/**
 * The headers of a delivery the library reads: Shopify's own (X-Shopify-*,
 * and Shopify-* for events). The library is handed only these because it
 * canonicalizes every header name again for each header it looks up (and for
 * each it copies), a cost that grows with the square of their number, and a
 * delivery arrives with a dozen more (User-Agent, Accept, Content-Length, and
 * what load balancers add: X-Forwarded-*, X-Request-Id, ...).
 */
export function shopifyHeadersOf(headers: Headers): Headers {
  const kept = new Headers();
  for (const [name, value] of headers) {
    if (name.startsWith("x-shopify-") || name.startsWith("shopify-")) kept.append(name, value);
  }
  return kept;
}

/**
 * Verifies the delivery, checks its body and stores it in the inbox; the
 * workers apply it (app/jobs/inbox-worker.server.ts). Shopify's 200 means
 * "stored", so it comes after one write.
 */
export async function handleWebhookRequest(request: Request): Promise<Response> {
  const rawBody = await request.text();
  const delivery = new Request(request.url, {
    method: request.method,
    headers: shopifyHeadersOf(request.headers),
    body: rawBody,
  });
  // The receipt never calls Shopify: the shop's session (which the library loads) may be this process's copy.
  const context = await withCachedSessionReads(() => verifiedWebhook(delivery));
  const result = await receiveWebhook(prisma, {
    shop: context.shop,
    topic: String(context.topic),
    rawBody,
    webhookId: context.webhookId,
    eventId: context.eventId,
    apiVersion: context.apiVersion,
    triggeredAt: context.triggeredAt ? new Date(context.triggeredAt) : undefined,
  });
  if (result.status === 400) return Response.json({ error: result.detail }, { status: 400 });
  if (result.outcome === "received") nudgeInbox();
  return new Response(null, { status: 200 });
}
