/**
 * How far back Shopify lets Regulars read orders. Without the read_all_orders
 * scope an app sees the orders created in the last 60 days only, in queries
 * and bulk queries alike (https://shopify.dev/docs/api/usage/access-scopes;
 * the Order object's note in the Admin API schema;
 * https://shopify.dev/changelog/apps-now-need-shopify-approval-to-read-orders-older-than-60-days).
 * read_all_orders is an optional scope here (shopify.app.toml): the Past
 * orders page asks the merchant for it only for a backfill older than that.
 * Shared by the page (in the browser) and the server.
 */
export const READ_ALL_ORDERS = "read_all_orders";

export const RECENT_ORDER_DAYS = 60;

const DAY = 86_400_000;

/** The first day (00:00 UTC) a backfill may start without read_all_orders: today and the 59 days before. */
export function recentOrdersFrom(now: Date): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (RECENT_ORDER_DAYS - 1) * DAY);
}

/** A backfill of orders paid from `from` needs read_all_orders. */
export function needsAllOrders(from: Date, now: Date): boolean {
  return from.getTime() < recentOrdersFrom(now).getTime();
}
