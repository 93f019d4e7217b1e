/**
 * Links from the embedded app into Shopify's admin. An embedded app opens an
 * admin page with the `shopify:admin` protocol, which App Bridge turns into a
 * navigation of the admin around the app (not of the app's frame):
 * https://shopify.dev/docs/api/app-home/apis/navigation ("Navigate to Shopify
 * admin pages": `<a href="shopify://admin/orders">`).
 */

/** The order's page in Shopify's admin, from its GID; null for anything but an order GID. */
export function adminOrderUrl(orderGid: string | null | undefined): string | null {
  const id = orderNumberOf(orderGid);
  return id ? `shopify://admin/orders/${id}` : null;
}

/** The order's id in Shopify (the last part of `gid://shopify/Order/{id}`), or null. */
export function orderNumberOf(orderGid: string | null | undefined): string | null {
  const match = /^gid:\/\/shopify\/Order\/(\d{1,20})$/.exec(orderGid ?? "");
  return match ? match[1]! : null;
}
