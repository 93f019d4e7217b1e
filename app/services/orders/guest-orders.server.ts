/**
 * Guest orders credited once their customer exists (docs/decisions/0017-guest-orders.md).
 *
 * Shopify attaches a customer to nearly every order that has an email, a guest checkout's
 * included ("Every time a new customer places an order with your store, their name and other
 * details are added to your customer list": https://help.shopify.com/en/manual/customers), so
 * such an order is credited to that customer when it is paid, and the account the shopper
 * creates later is the same customer. An order that arrives with an email but no customer is
 * held instead: its record keeps the email (OrderRecord.guestEmail), and when Shopify tells
 * Regulars of a customer with that email (customers/create or customers/update), each held order
 * is given to them and credited through the engine, once (its first award has the key every
 * other path would use, `order:<gid>:paid`).
 */
import type { PrismaClient } from "@prisma/client";
import { heldGuestOrders } from "../../db/orders.server";
import type { AdminGraphql } from "../../shopify/admin-api/admin-client.server";
import { applyOrderEvent } from "./order-points.server";

/** Credits the orders held for `email` to `customerGid`; returns the points they earned. */
export async function creditGuestOrders(
  db: PrismaClient,
  shop: string,
  customer: { customerGid: string; email: string | null },
  now: Date,
  /** For bonus events limited to collections (the order's products are looked up first). */
  admin: AdminGraphql | null = null,
): Promise<{ orders: number; points: number }> {
  const email = customer.email?.trim().toLowerCase();
  if (!email) return { orders: 0, points: 0 };
  let orders = 0;
  let points = 0;
  for (const orderGid of await heldGuestOrders(db, shop, email)) {
    const outcome = await applyOrderEvent(
      db,
      shop,
      { type: "guest", orderGid, customerGid: customer.customerGid, email },
      now,
      admin,
    );
    orders += 1;
    points += outcome.change;
  }
  return { orders, points };
}
