/**
 * The one body of every webhook route: verify the delivery, then store it
 * in the inbox, from which the workers apply it.
 *
 * Receiving loads no session and calls nothing at Shopify: the signature is
 * checked against the app's secret (app/shopify/requests/webhook-signature.server.ts),
 * so an uninstalled shop's deliveries (app/uninstalled, shop/redact) are
 * received whatever became of its tokens.
 *
 * Two ways in, one rule: `receiveDelivery` takes a delivery as plain parts
 * (method, path, headers, body). The Remix routes hand it a web Request
 * (handleWebhookRequest); the production server hands it node's request
 * directly (scripts/http-server.mjs, for a route module that exports it),
 * which spares each delivery a web Request and Response, about a third of
 * its cost on the server (docs/benchmarks.md).
 *
 * Where a delivery's URL leads, in one place:
 *   - shopify.app.toml subscribes each topic to /webhooks/<topic> (the three
 *     compliance topics share /webhooks/compliance); those URLs must not change;
 *   - Remix's file routes need one file per URL, so each inbox topic has a
 *     route file app/routes/webhooks.<topic>.tsx holding the one line
 *     `export const action = webhookAction;` (seven of them, identical on
 *     purpose). app/uninstalled and app/scopes_update are applied at once
 *     and have bodies of their own (verifiedDelivery);
 *   - `npm start`'s server finds those route modules by their fixed path
 *     (scripts/resource-routes.mjs) and, since webhookAction carries
 *     receiveDelivery, hands node's request to it (scripts/http-server.mjs);
 *     in development and in tests Remix calls the action with a Request.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { prisma } from "../db.server";
import { env } from "../env.server";
import { readBodyWithin, WEBHOOK_BODY, webhookHeadersProblem } from "./request-limits";
import { nudgeInbox } from "../jobs/inbox-worker.server";
import {
  checkWebhookSignature,
  type HeaderOf,
  type SignedDelivery,
} from "../shopify/requests/webhook-signature.server";
import { receiveWebhook } from "../services/webhooks/inbox.server";

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

/** A delivery as it arrived, whatever carried it. */
interface IncomingDelivery {
  method: string;
  /** The URL's path, without its query. */
  pathname: string;
  header: HeaderOf;
  /** The body as UTF-8 text, read within WEBHOOK_BODY (as `request.text()` decodes it). */
  body: string;
}

/** What to answer: a status, and why when it is a refusal. */
interface DeliveryAnswer {
  status: number;
  error?: string;
}

export interface VerifiedDelivery extends SignedDelivery {
  /** The body as Shopify signed it (big ids stay exact when it is parsed later). */
  rawBody: string;
}

/**
 * The delivery if it is Shopify's, else the refusal:
 *   - 405 for anything but POST;
 *   - 400 when the HMAC or shop header is missing or the shop is not a
 *     *.myshopify.com shop (the production server refuses these before it
 *     reads the body);
 *   - the signature check's 401 or 400;
 *   - 400 for a topic Shopify does not deliver to this address (the topic
 *     header is not signed: a body sent to another topic's address with its
 *     topic changed is refused here).
 */
function verify(incoming: IncomingDelivery): VerifiedDelivery | DeliveryAnswer {
  if (incoming.method !== "POST") return { status: 405, error: "webhooks are POSTed" };
  const problem = webhookHeadersProblem(incoming.header);
  if (problem) return { status: 400, error: problem };
  const check = checkWebhookSignature(env.SHOPIFY_API_SECRET, incoming.body, incoming.header);
  if (!check.valid) return { status: check.status, error: check.reason };
  if (!topicsFor(incoming.pathname).includes(check.topic)) {
    return { status: 400, error: `topic ${check.topic} is not delivered to this address` };
  }
  const { valid: _, ...signed } = check;
  return { ...signed, rawBody: incoming.body };
}

const isAnswer = <T extends object>(value: T | DeliveryAnswer): value is DeliveryAnswer => "status" in value;

/**
 * Verifies the delivery and stores it in the inbox; the workers apply it
 * (app/jobs/inbox-worker.server.ts). Shopify's 200 means "stored", so it
 * comes after one write. A correctly signed body that its topic's parser
 * refuses is stored too, and becomes a dead letter when it is applied
 * (failed, with the reason, on the admin's activity page to retry after a
 * fix): nothing Shopify signed is dropped. Only a body that names another
 * shop than the header is refused.
 */
async function receiveDelivery(incoming: IncomingDelivery): Promise<DeliveryAnswer> {
  const delivery = verify(incoming);
  if (isAnswer(delivery)) return delivery;
  const result = await receiveWebhook(prisma, {
    shop: delivery.shop,
    topic: delivery.topic,
    rawBody: delivery.rawBody,
    webhookId: delivery.webhookId,
    eventId: delivery.eventId,
    apiVersion: delivery.apiVersion,
    triggeredAt: triggeredAtOf(delivery),
  });
  if (result.status === 400)
    return { status: 400, error: result.detail ?? "the body does not match its headers" };
  if (result.outcome === "received") nudgeInbox();
  return { status: 200 };
}

const answerOf = ({ status, error }: DeliveryAnswer) =>
  error === undefined ? new Response(null, { status }) : Response.json({ error }, { status });

/** A web Request as an IncomingDelivery: its headers checked before its body is read, within the limit. */
async function incomingOf(request: Request): Promise<IncomingDelivery | DeliveryAnswer> {
  const header: HeaderOf = (name) => request.headers.get(name);
  if (request.method !== "POST") return { status: 405, error: "webhooks are POSTed" };
  const problem = webhookHeadersProblem(header);
  if (problem) return { status: 400, error: problem };
  const body = await readBodyWithin(request, WEBHOOK_BODY); // throws its 413
  return { method: request.method, pathname: new URL(request.url).pathname, header, body };
}

/** The delivery of a web Request if it is Shopify's; else its refusal, thrown as a Response. */
export async function verifiedDelivery(request: Request): Promise<VerifiedDelivery> {
  const incoming = await incomingOf(request);
  if (isAnswer(incoming)) throw answerOf(incoming);
  const delivery = verify(incoming);
  if (isAnswer(delivery)) throw answerOf(delivery);
  return delivery;
}

/** receiveDelivery for a Remix route's web Request. */
async function handleWebhookRequest(request: Request): Promise<Response> {
  const incoming = await incomingOf(request);
  return answerOf(isAnswer(incoming) ? incoming : await receiveDelivery(incoming));
}

/**
 * The action of every route that stores deliveries in the inbox. The
 * production server calls its `receiveDelivery` with node's request instead
 * (scripts/http-server.mjs): the same rule, without a web Request.
 */
export const webhookAction = Object.assign(
  ({ request }: ActionFunctionArgs) => handleWebhookRequest(request),
  { receiveDelivery },
);

/** X-Shopify-Triggered-At as a date, when it is one. Unsigned: it orders events, it authorises nothing. */
export function triggeredAtOf(delivery: SignedDelivery): Date | undefined {
  if (!delivery.triggeredAt) return undefined;
  const at = new Date(delivery.triggeredAt);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
