/**
 * A webhook delivery's signature and headers, checked the way Shopify's
 * library checks them (shopify-api's `webhooks.validate`), but without
 * loading or refreshing the shop's session.
 *
 * Why not `authenticate.webhook`: after the signature it loads the shop's
 * offline session and, with expiring offline tokens, refreshes an expired
 * one. Shopify refuses that refresh once the app is uninstalled, and the
 * library then throws (a bare 500): app/uninstalled, shop/redact and
 * customers/redact would fail on every retry an hour after the last token
 * was issued (https://github.com/Shopify/shopify-app-js/issues/3360). Receiving a
 * delivery needs no token at all, so none is loaded.
 *
 * What the library does, and this does the same
 * (packages/apps/shopify-api/lib/webhooks/validate.ts and lib/utils/hmac-validator.ts in
 * https://github.com/Shopify/shopify-app-js; Shopify's contract:
 * https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook-to-ensure-its-coming-from-shopify):
 *   - an empty body is refused (400), then a missing HMAC header (400);
 *   - the HMAC is HMAC-SHA256 of the body (as UTF-8 text) with the app's
 *     secret, base64, compared in constant time; a mismatch is 401;
 *   - then the topic, shop, API version and webhook id headers must all be
 *     there (400 naming the missing ones);
 *   - a delivery signed in `Shopify-Hmac-Sha256` (Events) is read from the
 *     `Shopify-*` headers instead of the `X-Shopify-*` ones;
 *   - the topic is stored upper case with `/` and `.` as `_` (ORDERS_PAID).
 * tests/unit/webhook-signature.test.ts holds this to the library: the same
 * deliveries accepted and refused, with the same reason.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

type HeaderNames = {
  hmac: string;
  topic: string;
  shop: string;
  apiVersion: string;
  webhookId: string;
  triggeredAt: string;
  eventId?: string;
};

const WEBHOOKS: HeaderNames = {
  hmac: "x-shopify-hmac-sha256",
  topic: "x-shopify-topic",
  shop: "x-shopify-shop-domain",
  apiVersion: "x-shopify-api-version",
  webhookId: "x-shopify-webhook-id",
  triggeredAt: "x-shopify-triggered-at",
  eventId: "x-shopify-event-id",
};

const EVENTS: HeaderNames = {
  hmac: "shopify-hmac-sha256",
  topic: "shopify-topic",
  shop: "shopify-shop-domain",
  apiVersion: "shopify-api-version",
  webhookId: "shopify-webhook-id",
  triggeredAt: "shopify-triggered-at",
};

/**
 * A header by its lower-case name: a web Request's `headers.get`, or node's
 * `req.headers[name]` (repeated headers joined with ", " in both).
 */
export type HeaderOf = (name: string) => string | null | undefined;

/** Which family of headers a delivery uses: Events' `Shopify-*` when it is signed there. */
function headerNamesOf(header: HeaderOf): HeaderNames {
  return header(EVENTS.hmac) ? EVENTS : WEBHOOKS;
}

export interface SignedDelivery {
  /** As the library stores topics: ORDERS_PAID, APP_UNINSTALLED, ... */
  topic: string;
  shop: string;
  apiVersion: string;
  webhookId: string;
  eventId?: string;
  /** Unsigned: it may order events, never authorise anything. */
  triggeredAt?: string;
}

export type SignatureCheck =
  ({ valid: true } & SignedDelivery) | { valid: false; status: 400 | 401; reason: string };

/** The topic as the library stores it: `orders/paid` -> ORDERS_PAID. */
const topicForStorage = (topic: string) => topic.toUpperCase().replace(/\/|\./g, "_");

/** Whether `given` is the base64 HMAC-SHA256 of `body` under `secret`, in constant time. */
function hmacMatches(secret: string, body: string, given: string): boolean {
  const expected = Buffer.from(createHmac("sha256", secret).update(body, "utf8").digest("base64"));
  const actual = Buffer.from(given, "utf8");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Checks a delivery's body and headers as the library does (see the module's comment). */
export function checkWebhookSignature(secret: string, body: string, header: HeaderOf): SignatureCheck {
  const names = headerNamesOf(header);
  if (body.length === 0) return { valid: false, status: 400, reason: "the body is empty" };
  const hmac = header(names.hmac);
  if (!hmac) return { valid: false, status: 400, reason: "the HMAC header is missing" };
  if (!hmacMatches(secret, body, hmac))
    return { valid: false, status: 401, reason: "the HMAC is not the body's" };
  const missing = (["topic", "shop", "apiVersion", "webhookId"] as const)
    .map((key) => names[key])
    .filter((name) => !header(name));
  if (missing.length) return { valid: false, status: 400, reason: `missing headers: ${missing.join(", ")}` };
  return {
    valid: true,
    topic: topicForStorage(header(names.topic)!),
    shop: header(names.shop)!,
    apiVersion: header(names.apiVersion)!,
    webhookId: header(names.webhookId)!,
    eventId: (names.eventId && header(names.eventId)) || undefined,
    triggeredAt: header(names.triggeredAt) || undefined,
  };
}
