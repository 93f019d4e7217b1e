/**
 * Who is asking through the app proxy, and through which storefront path.
 * Call only after authenticate.public.appProxy(request) verified the
 * signature: then `shop`, `logged_in_customer_id` and `path_prefix` are
 * Shopify's word, and nothing else is trusted. Shopify adds them to every
 * proxied request ("...&shop={shop}.myshopify.com&logged_in_customer_id=1
 * &path_prefix=%2Fapps%2Fawesome_reviews&timestamp=...&signature=...",
 * https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies).
 */

/** `[app_proxy]` in shopify.app.toml, prefix and subpath (tests/unit/app-config.test.ts holds them together). */
export const PROXY_PATH_IN_APP_TOML = "/apps/regulars";

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
  const shop = params.get("shop");
  if (!shop) throw new Response("missing shop", { status: 400 });
  const id = params.get("logged_in_customer_id") ?? "";
  return {
    shop,
    customerGid: /^\d+$/.test(id) ? `gid://shopify/Customer/${id}` : null,
    proxyPath: proxyPathOf(params.get("path_prefix")),
  };
}
