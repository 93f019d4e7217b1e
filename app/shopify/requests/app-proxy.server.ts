/**
 * Who is asking through the app proxy, and through which storefront path.
 * Call only after authenticateProxy (authenticate-proxy.server.ts) verified
 * the signature: then `shop`, `logged_in_customer_id` and `path_prefix` are
 * Shopify's word, and nothing else is trusted. Shopify adds them to every
 * proxied request ("...&shop={shop}.myshopify.com&logged_in_customer_id=1
 * &path_prefix=%2Fapps%2Fawesome_reviews&timestamp=...&signature=...",
 * https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies).
 *
 * Shopify adds them after the storefront URL's own query, which it forwards
 * as it is, and the signature covers the sorted `key=value` pairs with a
 * repeated key's values joined by commas (Shopify's library:
 * Shopify/shopify-app-js, packages/apps/shopify-api/lib/utils/hmac-validator.ts).
 * So a shopper who adds `logged_in_customer_id=<someone>` (or a
 * `path_prefix`) to the storefront URL gets a correctly signed request
 * naming two, `<someone>,<theirs>`, and reading the first would serve them
 * someone else's points. The library refuses a repeated shop, timestamp or
 * signature itself (since https://github.com/Shopify/shopify-app-js/pull/3328)
 * but lets other parameters repeat: the app refuses any parameter it trusts
 * named twice (refuseRepeatedProxyParameters), before anything else.
 */

/** `[app_proxy]` in shopify.app.toml, prefix and subpath (tests/unit/app-config.test.ts holds them together). */
export const PROXY_PATH_IN_APP_TOML = "/apps/regulars";

/** The parameters the app trusts once the signature is checked, and those that sign it: each may appear once. */
const SINGLE_VALUE_PROXY_PARAMETERS = [
  "shop",
  "logged_in_customer_id",
  "path_prefix",
  "timestamp",
  "signature",
] as const;

/** Refuses (400) a query that names a trusted parameter more than once. */
export function refuseRepeatedProxyParameters(params: URLSearchParams): void {
  const repeated = SINGLE_VALUE_PROXY_PARAMETERS.find((name) => params.getAll(name).length > 1);
  if (repeated) {
    throw new Response(`The app proxy parameter "${repeated}" appears more than once.`, { status: 400 });
  }
}

/**
 * The storefront path of the proxy in Shopify's `path_prefix`: its last
 * `/{prefix}/{subpath}`, with a prefix Shopify offers merchants (/apps, /a,
 * /community or /tools) and a sub path of up to 30 letters, numbers,
 * underscores and hyphens (https://shopify.dev/docs/apps/online-store/app-proxies),
 * so anything before it (a locale segment) is not kept; null when there is none.
 */
export function proxyPathOf(pathPrefix: string | null): string | null {
  const match = /(?:^|\/)((?:apps|a|community|tools)\/[A-Za-z0-9_-]{1,30})\/?$/.exec(pathPrefix ?? "");
  return match ? `/${match[1]}` : null;
}

export function proxyCustomer(request: Request): {
  shop: string;
  customerGid: string | null;
  /** Where the proxy is on this shop's storefront, e.g. "/community/loyalty"; null if Shopify sent none. */
  proxyPath: string | null;
} {
  const params = new URL(request.url).searchParams;
  refuseRepeatedProxyParameters(params);
  const shop = params.get("shop");
  if (!shop) throw new Response("missing shop", { status: 400 });
  const id = params.get("logged_in_customer_id") ?? "";
  return {
    shop,
    customerGid: /^\d+$/.test(id) ? `gid://shopify/Customer/${id}` : null,
    proxyPath: proxyPathOf(params.get("path_prefix")),
  };
}
