/**
 * Who is asking through the app proxy. Call only after
 * authenticate.public.appProxy(request) verified the signature: then `shop`
 * and `logged_in_customer_id` are Shopify's word, and nothing else is trusted.
 */
export function proxyCustomer(request: Request): { shop: string; customerGid: string | null } {
  const params = new URL(request.url).searchParams;
  const shop = params.get("shop");
  if (!shop) throw new Response("missing shop", { status: 400 });
  const id = params.get("logged_in_customer_id") ?? "";
  return { shop, customerGid: /^\d+$/.test(id) ? `gid://shopify/Customer/${id}` : null };
}
