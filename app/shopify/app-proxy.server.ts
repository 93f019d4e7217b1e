/**
 * Requests through the app proxy (https://{shop}/apps/regulars/* -> /proxy/*):
 * checked, then who is asking.
 *
 * Shopify forwards the storefront URL's own query and adds shop,
 * logged_in_customer_id, path_prefix, timestamp and signature
 * (https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies).
 * The signature covers the sorted `key=value` pairs with a repeated key's
 * values joined by commas (Shopify's library: Shopify/shopify-app-js,
 * packages/apps/shopify-api/lib/utils/hmac-validator.ts). So a shopper who
 * adds `logged_in_customer_id=<someone>` to the storefront URL gets a
 * correctly signed request naming two customers, `<someone>,<themselves>`,
 * and reading the first would serve them someone else's points. The library
 * refuses a repeated shop, timestamp or signature itself (since
 * https://github.com/Shopify/shopify-app-js/pull/3328) but lets other
 * parameters repeat; the app refuses any of its four trusted parameters
 * named twice, before anything else.
 */
import { InvalidShopError } from "@shopify/shopify-api";
import { authenticate } from "../shopify.server";
import { withCachedSessionReads } from "./session-storage.server";

/** The parameters the app trusts once the signature is checked: each must appear once at most. */
export const SINGLE_VALUE_PROXY_PARAMETERS = [
  "shop",
  "logged_in_customer_id",
  "timestamp",
  "signature",
] as const;

type ProxyContext = Awaited<ReturnType<typeof authenticate.public.appProxy>>;

/**
 * authenticate.public.appProxy(request) with the app's refusals, all 400:
 * a trusted parameter named twice; a signed request whose shop is not a
 * Shopify shop domain (the library's sanitizeShop throws InvalidShopError
 * from its session lookup, which would otherwise be a 500). Then the shop
 * and the logged-in customer, which are Shopify's word.
 *
 * `cachedSessionReads`: the route never calls Shopify with the session, so
 * the library may read this process's copy of it (withCachedSessionReads).
 */
export async function authenticateProxy(
  request: Request,
  options: { cachedSessionReads?: boolean } = {},
): Promise<ProxyContext & { shop: string; customerGid: string | null }> {
  const params = new URL(request.url).searchParams;
  for (const name of SINGLE_VALUE_PROXY_PARAMETERS) {
    if (params.getAll(name).length > 1) {
      throw new Response(`The app proxy parameter "${name}" appears more than once.`, { status: 400 });
    }
  }
  let context: ProxyContext;
  try {
    const check = () => authenticate.public.appProxy(request);
    context = await (options.cachedSessionReads ? withCachedSessionReads(check) : check());
  } catch (error) {
    if (error instanceof InvalidShopError) throw new Response("Not a Shopify shop.", { status: 400 });
    throw error;
  }
  return Object.assign(context, proxyCustomer(params));
}

/** Who is asking, from a query whose signature was checked and whose trusted parameters appear once. */
function proxyCustomer(params: URLSearchParams): { shop: string; customerGid: string | null } {
  const shop = params.get("shop");
  if (!shop) throw new Response("missing shop", { status: 400 });
  const id = params.get("logged_in_customer_id") ?? "";
  return { shop, customerGid: /^\d+$/.test(id) ? `gid://shopify/Customer/${id}` : null };
}
