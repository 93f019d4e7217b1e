/**
 * authenticate.public.appProxy(request) with the app's refusals, all 400
 * and before anything is read or written:
 *   - a parameter the app trusts named twice (app-proxy.server.ts says why);
 *   - a correctly signed request whose shop is not a Shopify shop domain
 *     (shop=evil.com): the library checks the signature, then its session
 *     lookup's sanitizeShop throws InvalidShopError, which was a 500.
 * Then who is asking (proxyCustomer): the shop, the logged-in customer and
 * the proxy's storefront path, Shopify's word.
 */
import { InvalidShopError } from "@shopify/shopify-api";
import { authenticate } from "../../shopify.server";
import { proxyCustomer, refuseRepeatedProxyParameters } from "./app-proxy.server";
import { withCachedSessionReads } from "../sessions/session-storage.server";

type ProxyContext = Awaited<ReturnType<typeof authenticate.public.appProxy>>;

/**
 * `cachedSessionReads`: the route never calls Shopify with the session, so
 * the library may read this process's copy of it (withCachedSessionReads).
 */
export async function authenticateProxy(
  request: Request,
  options: { cachedSessionReads?: boolean } = {},
): Promise<ProxyContext & ReturnType<typeof proxyCustomer>> {
  refuseRepeatedProxyParameters(new URL(request.url).searchParams);
  let context: ProxyContext;
  try {
    const check = () => authenticate.public.appProxy(request);
    context = await (options.cachedSessionReads ? withCachedSessionReads(check) : check());
  } catch (error) {
    if (error instanceof InvalidShopError) throw new Response("Not a Shopify shop.", { status: 400 });
    throw error;
  }
  return Object.assign(context, proxyCustomer(request));
}
