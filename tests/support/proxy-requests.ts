/**
 * App proxy requests as Shopify forwards them: `https://{shop}/apps/regulars/<path>`
 * reaches `/proxy/<path>` with `shop`, `path_prefix`, `logged_in_customer_id`,
 * `timestamp` and `signature` (Shopify's test helper signs them), plus
 * whatever query the storefront URL carried.
 */
import { createHmac } from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import { API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";

export interface ProxyOptions {
  shop?: string;
  /** Numeric customer id; null or "" for a guest. */
  customerId?: string | null;
  /** Extra query parameters, signed with the rest. */
  query?: Record<string, string>;
  init?: RequestInit;
  /** Signs with this secret instead of the app's (to forge). */
  secret?: string;
  /** Where the proxy is on the shop's storefront: Shopify's path_prefix ("/apps/regulars" unless moved). */
  pathPrefix?: string;
}

export async function proxyRequest(path: string, options: ProxyOptions = {}): Promise<Request> {
  const shop = options.shop ?? "test-shop.myshopify.com";
  const url = new URL(`${APP_URL}/proxy/${path}`);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  url.searchParams.set("path_prefix", options.pathPrefix ?? "/apps/regulars");
  url.searchParams.set("logged_in_customer_id", options.customerId ?? "");
  return setUpValidRequest(
    {
      type: RequestType.Public,
      store: shop.replace(".myshopify.com", ""),
      apiSecretKey: options.secret ?? API_SECRET_KEY,
    },
    new Request(url, options.init),
  );
}

/**
 * A request signed at another time (Shopify's helper always signs "now"):
 * the signature is right, the timestamp is old.
 */
export function proxyRequestSignedAt(path: string, timestamp: number, options: ProxyOptions = {}): Request {
  const url = new URL(`${APP_URL}/proxy/${path}`);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  url.searchParams.set("path_prefix", options.pathPrefix ?? "/apps/regulars");
  url.searchParams.set("logged_in_customer_id", options.customerId ?? "");
  url.searchParams.set("shop", options.shop ?? "test-shop.myshopify.com");
  url.searchParams.set("timestamp", String(timestamp));
  // Shopify's app proxy signature: sorted key=value pairs, no separator, hex HMAC-SHA256.
  const message = [...url.searchParams.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join("");
  url.searchParams.set(
    "signature",
    createHmac("sha256", options.secret ?? API_SECRET_KEY)
      .update(message)
      .digest("hex"),
  );
  return new Request(url, options.init);
}

/** A JSON POST through the proxy. */
export function proxyPost(path: string, body: string, options: Omit<ProxyOptions, "init"> = {}) {
  return proxyRequest(path, {
    ...options,
    init: { method: "POST", body, headers: { "Content-Type": "application/json" } },
  });
}

/** Calls a loader or action; a thrown Response is the answer, anything else thrown is a crash. */
export async function callProxy(
  handler: (args: ActionFunctionArgs) => Promise<Response>,
  request: Request,
): Promise<Response> {
  try {
    return await handler({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
