/**
 * The app checks a delivery's signature itself (no session is loaded):
 * it must accept exactly the deliveries Shopify's library accepts and
 * refuse the others with the library's reason, on deliveries signed with
 * the library's own test helper (getHmac).
 */
import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, shopifyApi, LogSeverity } from "@shopify/shopify-api";
import { API_KEY, API_SECRET_KEY, TEST_SHOP, getHmac } from "@shopify/shopify-api/test-helpers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkWebhookSignature, type SignatureCheck } from "~/shopify/requests/webhook-signature.server";

const api = shopifyApi({
  apiKey: API_KEY,
  apiSecretKey: API_SECRET_KEY,
  apiVersion: ApiVersion.October26,
  hostName: "my-test-app.myshopify.io",
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});

/** What the library decides, as authenticate.webhook answers it: 401 for a bad HMAC, 400 for the rest. */
async function libraryCheck(body: string, headers: Headers): Promise<SignatureCheck> {
  const request = new Request("https://app.example/webhooks/orders/paid", { method: "POST", headers, body });
  const check = await api.webhooks.validate({ rawBody: body, rawRequest: request });
  if (!check.valid)
    return { valid: false, status: check.reason === "invalid_hmac" ? 401 : 400, reason: check.reason };
  return {
    valid: true,
    topic: check.topic,
    shop: check.domain,
    apiVersion: check.apiVersion,
    webhookId: check.webhookId,
    eventId: "eventId" in check ? check.eventId : undefined,
    triggeredAt: check.triggeredAt,
  };
}

/** Ours, with the reason reduced to the library's words so the two can be compared. */
function appCheck(body: string, headers: Headers): SignatureCheck {
  const check = checkWebhookSignature(API_SECRET_KEY, body, (name) => headers.get(name));
  if (check.valid) return check;
  const reason = check.reason.startsWith("missing headers")
    ? "missing_headers"
    : ({ "the body is empty": "missing_body", "the HMAC header is missing": "missing_hmac" }[check.reason] ??
      "invalid_hmac");
  return { ...check, reason };
}

const body = fc.oneof(
  fc.constant(""),
  fc.json(),
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.constant('{"id":820982911946154508,"email":"jon@example.com","note":"caf\u00e9 \ud83d\ude00"}'),
);

type HmacKind = "right" | "otherSecret" | "otherBody" | "flipped" | "padded" | "garbage" | "empty" | "absent";
const hmacKind = fc.constantFrom<HmacKind>(
  "right",
  "right",
  "right",
  "otherSecret",
  "otherBody",
  "flipped",
  "padded",
  "garbage",
  "empty",
  "absent",
);
/** A header: present with a value, present but empty, or absent. */
const header = (value: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 6, arbitrary: value },
    { weight: 1, arbitrary: fc.constant("") },
    {
      weight: 1,
      arbitrary: fc.constant(undefined),
    },
  );

const delivery = fc.record({
  body,
  events: fc.boolean(),
  hmac: hmacKind,
  topic: header(fc.constantFrom("orders/paid", "app/uninstalled", "customers.redact", "ORDERS_PAID")),
  shop: header(fc.constantFrom(TEST_SHOP, "other.myshopify.com", "evil.com")),
  apiVersion: header(fc.constantFrom("2026-10", "2025-01")),
  webhookId: header(fc.uuid()),
  eventId: header(fc.uuid()),
  triggeredAt: header(fc.constantFrom("2026-12-07T05:00:00.000Z", "not a date")),
});

type Delivery = typeof delivery extends fc.Arbitrary<infer T> ? T : never;

function headersFor(d: Delivery): Headers {
  const prefix = d.events ? "Shopify-" : "X-Shopify-";
  const headers = new Headers({ "Content-Type": "application/json" });
  const right = getHmac(d.body, API_SECRET_KEY);
  const hmacs: Record<HmacKind, string | undefined> = {
    right,
    otherSecret: getHmac(d.body, "anotherSecret"),
    otherBody: getHmac(`${d.body} `, API_SECRET_KEY),
    flipped: `${right.slice(0, 5)}${right[5] === "A" ? "B" : "A"}${right.slice(6)}`,
    padded: `${right}=`,
    garbage: "not-base64!",
    empty: "",
    absent: undefined,
  };
  const hmac = hmacs[d.hmac];
  const set = (name: string, value: string | undefined) => value !== undefined && headers.set(name, value);
  set(`${prefix}Hmac-Sha256`, hmac);
  set(`${prefix}Topic`, d.topic);
  set(`${prefix}Shop-Domain`, d.shop);
  set(`${prefix}API-Version`, d.apiVersion);
  set(`${prefix}Webhook-Id`, d.webhookId);
  set(`${prefix}Triggered-At`, d.triggeredAt);
  if (!d.events) set("X-Shopify-Event-Id", d.eventId);
  return headers;
}

describe("the app's webhook signature check", () => {
  it("accepts and refuses exactly what Shopify's library does, for the same reasons", async () => {
    await fc.assert(
      fc.asyncProperty(delivery, async (d) => {
        const headers = headersFor(d);
        expect(appCheck(d.body, headers)).toEqual(await libraryCheck(d.body, headers));
      }),
      { numRuns: 2_000 },
    );
  });

  it("accepts a delivery signed with the library's helper and refuses one byte changed", () => {
    const raw = JSON.stringify({ id: 1, note: "caf\u00e9" });
    const headers = new Headers({
      "X-Shopify-Hmac-Sha256": getHmac(raw, API_SECRET_KEY),
      "X-Shopify-Topic": "orders/paid",
      "X-Shopify-Shop-Domain": TEST_SHOP,
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": "w-1",
    });
    expect(checkWebhookSignature(API_SECRET_KEY, raw, (name) => headers.get(name))).toMatchObject({
      valid: true,
      topic: "ORDERS_PAID",
      shop: TEST_SHOP,
    });
    expect(
      checkWebhookSignature(API_SECRET_KEY, raw.replace("1", "2"), (name) => headers.get(name)),
    ).toMatchObject({
      valid: false,
      status: 401,
    });
  });
});
