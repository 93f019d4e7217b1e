/**
 * Pointing the app at a local Shopify (the devshop simulator, or any
 * stand-in held to Shopify's contract) by configuration only:
 *   SHOPIFY_ADMIN_API_ORIGIN  calls to https://{shop}/admin/... (token
 *                             exchange, refresh, Admin GraphQL) go there;
 *   SHOPIFY_ADMIN_ORIGIN      that admin may embed the app (CSP);
 *   APP_BRIDGE_URL            the App Bridge script the pages load.
 * With none set (production) nothing here changes a request or a header.
 */
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

const SHOP_HOST = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const SHOPIFY_APP_BRIDGE = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

/** https://{shop}/path → {origin}/path; any other URL unchanged. */
function toLocalShopify(url: string, origin: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" || !SHOP_HOST.test(parsed.hostname)) return url;
  return `${origin}${parsed.pathname}${parsed.search}`;
}

/** Makes the Shopify library's requests to shops reach `origin` (its runtime's own fetch hook). */
export function routeShopRequestsTo(origin: string, baseFetch: typeof fetch = globalThis.fetch): void {
  setAbstractFetchFunc(((input: string | URL | Request, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : input.toString();
    return baseFetch(toLocalShopify(url, origin), init);
  }) as typeof fetch);
}

/** Document headers when a local admin embeds the app and serves App Bridge. */
export function localShopifyHeaders(
  headers: Headers,
  config: { adminOrigin?: string; appBridgeUrl?: string },
): void {
  if (config.appBridgeUrl && headers.has("Link")) {
    headers.set("Link", (headers.get("Link") ?? "").replace(SHOPIFY_APP_BRIDGE, config.appBridgeUrl));
  }
  const csp = headers.get("Content-Security-Policy");
  if (config.adminOrigin && csp?.startsWith("frame-ancestors ")) {
    headers.set(
      "Content-Security-Policy",
      csp.replace("frame-ancestors ", `frame-ancestors ${config.adminOrigin} `),
    );
  }
}
