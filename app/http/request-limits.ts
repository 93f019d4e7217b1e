/**
 * How much a request may send, and how long it may take to send it, by
 * path. One table, enforced in two places: the production server
 * (scripts/http-server.mjs reads it from the build's entry module) refuses
 * before or while it reads a body, and the webhook route reads its body
 * within the same limit (readBodyWithin) wherever it runs.
 *
 * - Webhooks: 5 MiB in 10 s. Shopify waits 5 s for the whole answer
 *   (https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-4-respond-to-the-webhook),
 *   so a body still arriving after 10 s is not Shopify's. Its largest
 *   deliveries are orders: an order holds at most 499 line items
 *   (https://shopify.dev/changelog/draft-order-line-item-limit), a few KB
 *   each in the REST payload, and Shopify's staff put big bodies at "upwards
 *   of a megabyte" (https://community.shopify.com/c/Shopify-APIs-SDKs/Webhook-requests-exceed-max-size/m-p/144434).
 *   Shopify's own EventBridge deliveries stop at 1,000,000 bytes
 *   (https://shopify.dev/changelog/amazon-eventbridge-webhook-payload-size-limit-increased-to-1-mb);
 *   5 MiB leaves room for the largest order with every field.
 * - The app proxy (the storefront): 16 KiB in 10 s; its bodies are a reward id or a date.
 * - The shopper surfaces (/surfaces/: customer accounts, checkout, POS): 16 KiB in 10 s, as the
 *   app proxy; their bodies are a reward id, or a checkout's subtotal and at most 500 lines.
 * - The review API (/api/actions/review): 8 KiB in 10 s; its body is a customer and a review id.
 * - Import (a CSV of balances): 6 MiB in 2 minutes; the file may be 5 MB
 *   (app/routes/app.import.tsx) plus the form's framing, from a merchant's slow uplink.
 * - Anything else (the admin's forms, OAuth): 1 MiB in 1 minute.
 * Headers must arrive within HEADERS_TIMEOUT_MS; no request takes longer than
 * REQUEST_TIMEOUT_MS in all.
 */

export interface BodyLimit {
  /** What the limit is called in a refusal. */
  name: "webhook" | "app proxy" | "surface" | "review API" | "import" | "request";
  bytes: number;
  /** From the request's first byte until its body has arrived. */
  deadlineMs: number;
}

const MiB = 1024 * 1024;

export const WEBHOOK_BODY: BodyLimit = { name: "webhook", bytes: 5 * MiB, deadlineMs: 10_000 };
const PROXY_BODY: BodyLimit = { name: "app proxy", bytes: 16 * 1024, deadlineMs: 10_000 };
export const SURFACE_BODY: BodyLimit = { name: "surface", bytes: 16 * 1024, deadlineMs: 10_000 };
export const REVIEW_API_BODY: BodyLimit = { name: "review API", bytes: 8 * 1024, deadlineMs: 10_000 };
export const IMPORT_BODY: BodyLimit = { name: "import", bytes: 6 * MiB, deadlineMs: 120_000 };
export const OTHER_BODY: BodyLimit = { name: "request", bytes: 1 * MiB, deadlineMs: 60_000 };

/** Node's headersTimeout: a client has this long to send its request line and headers. */
export const HEADERS_TIMEOUT_MS = 15_000;
/** Node's requestTimeout: the longest body deadline, and a little more. */
export const REQUEST_TIMEOUT_MS = 125_000;

/** The limit for a request to `path` (the URL's path, without its query). */
export function bodyLimitFor(path: string): BodyLimit {
  if (path.startsWith("/webhooks/")) return WEBHOOK_BODY;
  if (path.startsWith("/proxy/")) return PROXY_BODY;
  if (path.startsWith("/surfaces/")) return SURFACE_BODY;
  if (path.startsWith("/api/actions/")) return REVIEW_API_BODY;
  // The import page's form posts through its fetcher, to the route's single-fetch address (.data).
  if (path === "/app/import" || path === "/app/import.data") return IMPORT_BODY;
  return OTHER_BODY;
}

/** As Shopify names shops in X-Shopify-Shop-Domain (and as the job queue requires, app/jobs/queues.ts). */
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * Why a request to a webhook address is refused before its body is read,
 * or null: every delivery Shopify makes carries its HMAC and its shop
 * (`X-Shopify-*`, or `Shopify-*` for Events), and names a *.myshopify.com
 * shop. `header` reads a header by its lower-case name.
 */
export function webhookHeadersProblem(header: (name: string) => string | null | undefined): string | null {
  const events = Boolean(header("shopify-hmac-sha256"));
  if (!events && !header("x-shopify-hmac-sha256")) return "the HMAC header is missing";
  const shop = header(events ? "shopify-shop-domain" : "x-shopify-shop-domain") ?? "";
  if (!SHOP_DOMAIN.test(shop)) return "the shop header does not name a *.myshopify.com shop";
  return null;
}

/** Why a body of `declared` bytes (Content-Length) is refused, or null. */
export function declaredLengthProblem(declared: string | null | undefined, limit: BodyLimit): string | null {
  if (declared == null || declared === "") return null;
  const length = Number(declared);
  if (!Number.isSafeInteger(length) || length < 0) return "Content-Length is not a length";
  return length > limit.bytes ? tooLarge(limit) : null;
}

export const tooLarge = (limit: BodyLimit) =>
  `a ${limit.name} body may be at most ${limit.bytes.toLocaleString("en")} bytes`;

/**
 * Reads a body, refusing it (413, thrown as a Response) as soon as it passes
 * the limit, without reading the rest. The bytes are decoded as
 * `request.text()` would (UTF-8, a BOM dropped, bad bytes replaced).
 */
export async function readBodyWithin(request: Request, limit: BodyLimit): Promise<string> {
  const problem = declaredLengthProblem(request.headers.get("content-length"), limit);
  if (problem) throw Response.json({ error: problem }, { status: problem === tooLarge(limit) ? 413 : 400 });
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > limit.bytes) {
      await reader.cancel();
      throw Response.json({ error: tooLarge(limit) }, { status: 413 });
    }
    chunks.push(value);
  }
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return new TextDecoder().decode(bytes);
}
