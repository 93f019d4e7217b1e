/**
 * What the shopper surfaces outside the theme show: customer accounts (the Rewards page, the
 * profile block, the order status block), checkout and its thank-you page, and Shopify POS. One
 * service behind all of them, answering the app proxy's shapes (storefront/status.server.ts) so
 * that every surface shows the same ledger by the same rules; redeeming goes through the one
 * redemption path (app/http/redeem-answer.server.ts, rewards/redeem-reward.server.ts).
 * The routes (app/routes/surfaces.*) authenticate with Shopify's session tokens
 * (app/http/request-context.server.ts, surfaceRoute) and pass the customer the token names.
 */
import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { bonusEventsCovering } from "../../db/bonus-events.server";
import { orderPointsOf } from "../../db/orders.server";
import { ensureProgram, settingsOf, tierRulesOf } from "../../db/program.server";
import { findShop } from "../../db/shops.server";
import { readMemberStatus } from "../../db/storefront-status.server";
import { NO_PARTS } from "../../loyalty/eligible";
import { MoneyFormatError, parseMilli } from "../../loyalty/money";
import { estimatedAward } from "../../loyalty/order-credit";
import { windowStart } from "../../loyalty/tiers";
import { cachedProgramExplainer } from "../program/program-explainer-cache.server";
import { shopperStatus } from "../storefront/status.server";

/** A customer or order id as the surfaces name them: the GID, or its numeric id. */
function gidOf(type: "Customer" | "Order", ref: string): string | null {
  const numeric = new RegExp(`^(?:gid://shopify/${type}/)?(\\d{1,20})$`).exec(ref.trim());
  return numeric ? `gid://shopify/${type}/${numeric[1]}` : null;
}
export const customerGidOf = (ref: string) => gidOf("Customer", ref);
export const orderGidOf = (ref: string) => gidOf("Order", ref);

/**
 * The storefront status (the app proxy's /status JSON) for the customer a session token names.
 * Without one (no `sub`: a guest, or an app without protected customer data access) the guest
 * shape, saying why, and nothing personal.
 */
export async function surfaceStatus(db: PrismaClient, shop: string, customerGid: string | null, now: Date) {
  const status = await shopperStatus(db, shop, customerGid, now, cachedProgramExplainer);
  if (!customerGid) return { ...status, customer: null, reason: "no_customer" as const };
  if ("referral" in status && status.referral) {
    return { ...status, referral: { ...status.referral, url: storefrontUrlOf(shop, status.referral.path) } };
  }
  return status;
}

/**
 * The member's referral link as a whole URL, for surfaces that are not on the storefront (customer
 * accounts live on shopify.com, where a path alone leads nowhere): the app proxy path on the shop's
 * myshopify.com domain, which Shopify redirects to the primary domain with the path kept (a
 * domain's `redirectHost`: https://shopify.dev/docs/api/customer/latest/objects/domain), so the
 * link opens the storefront the friend knows and the app proxy there sets the referral.
 */
const storefrontUrlOf = (shop: string, path: string) => `https://${shop}${path}`;

type OrderState = "none" | "pending" | "earned" | "reversed" | "not_yet_received";

/**
 * The points of one order of this customer, for the order status page: what it earned or will
 * earn (pending until `pendingUntil`), and what refunds took back. An order Regulars has not
 * heard of yet (or knows no customer of) is `not_yet_received`, with nothing of it shown;
 * another customer's order is null (the route answers 404).
 */
export async function customerOrderPoints(
  db: PrismaClient,
  shop: string,
  customerGid: string,
  orderGid: string,
) {
  const order = await orderPointsOf(db, shop, orderGid);
  const notYet = {
    id: orderGid,
    name: null,
    points: 0,
    pendingPoints: 0,
    pendingUntil: null,
    reversedPoints: 0,
    state: "not_yet_received" as OrderState,
  };
  if (!order || order.customerGid === null) return { order: notYet };
  if (order.customerGid !== customerGid) return null;
  if (!order.paidAt) return { order: { ...notYet, name: order.name } };
  const state: OrderState =
    order.awardedAt === null
      ? "none"
      : order.pendingPoints > 0
        ? "pending"
        : order.points > 0
          ? "earned"
          : order.reversedPoints > 0
            ? "reversed"
            : "none";
  return {
    order: {
      id: orderGid,
      name: order.name,
      points: order.points,
      pendingPoints: order.pendingPoints,
      pendingUntil: order.pendingPoints > 0 && order.releaseAt ? order.releaseAt.toISOString() : null,
      reversedPoints: order.reversedPoints,
      state,
    },
  };
}

const money = z.object({
  amount: z.string().regex(/^\d{1,12}(\.\d{1,3})?$/, "a decimal amount such as 12.34"),
  currencyCode: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as EUR"),
});

/** POST /surfaces/checkout/estimate's body. */
export const estimateBody = z.object({
  subtotal: money,
  lines: z
    .array(z.object({ amount: money, giftCard: z.boolean().optional().default(false) }))
    .max(500)
    .optional()
    .default([]),
  // On the thank-you page, the order just placed (shopify.orderConfirmation's order.id, a GID:
  // https://shopify.dev/docs/api/checkout-ui-extensions/latest/apis/order-confirmation).
  orderId: z.string().max(64).optional(),
});

export class EstimateInputError extends Error {
  constructor(readonly fields: Record<string, string[]>) {
    super("the estimate's input is not usable");
    this.name = "EstimateInputError";
  }
}

/**
 * "You'll earn N points for this order": the checkout's subtotal (after discounts, before
 * shipping and tax: Shopify's cost.subtotalAmount) under the program's rules and the member's
 * tier now, with the bonus event running now that the award would choose (estimatedAward). An estimate until the order's webhook arrives: shipping, tax and
 * tips are not in a checkout's subtotal, and the order may still change. `balanceAfter` is the
 * member's balance once these points are theirs (null for a guest); `member` is their status.
 * The subtotal must be in the shop's currency (orders earn on shop money): another currency gets
 * `points: null` and `reason: "other_currency"` rather than a wrong figure.
 * With `orderId` (the thank-you page's order) of an order of this customer that Regulars has
 * already recorded (its webhook came first), the answer is what the order actually earned, not an
 * estimate: the balance already holds those points, so adding them again would count them twice.
 * `order` is then that order's points (as customerOrderPoints), else null.
 */
export async function checkoutEstimate(
  db: PrismaClient,
  shop: string,
  customerGid: string | null,
  input: z.output<typeof estimateBody>,
  now: Date,
) {
  const [program, shopRow] = await Promise.all([ensureProgram(db, shop), findShop(db, shop)]);
  const settings = settingsOf(program);
  const currency = shopRow?.currencyCode ?? null;
  const codes = [input.subtotal.currencyCode, ...input.lines.map((line) => line.amount.currencyCode)];
  if (new Set(codes).size > 1) throw new EstimateInputError({ lines: ["not in the subtotal's currency"] });
  let subtotal: bigint;
  let giftCards = 0n;
  try {
    subtotal = parseMilli(input.subtotal.amount);
    for (const line of input.lines) if (line.giftCard) giftCards += parseMilli(line.amount.amount);
  } catch (error) {
    if (error instanceof MoneyFormatError) throw new EstimateInputError({ subtotal: [error.message] });
    throw error;
  }
  if (giftCards > subtotal) throw new EstimateInputError({ lines: ["gift cards exceed the subtotal"] });
  const orderGid = input.orderId === undefined ? null : orderGidOf(input.orderId);
  if (input.orderId !== undefined && orderGid === null)
    throw new EstimateInputError({ orderId: ["an order GID such as gid://shopify/Order/123"] });
  const member = customerGid
    ? await readMemberStatus(db, shop, customerGid, windowStart(settings.tierWindow, now), now)
    : null;
  const status = customerGid ? await surfaceStatus(db, shop, customerGid, now) : null;
  const memberView = status && status.loggedIn ? status : null;
  // A customer left out of the program earns nothing and is shown nothing of it (decision 0021).
  if (memberView && "eligible" in memberView) {
    return {
      points: null,
      balanceAfter: null,
      active: settings.active,
      reason: "excluded" as const,
      member: memberView,
      order: null,
    };
  }
  if (orderGid && customerGid) {
    const recorded = await customerOrderPoints(db, shop, customerGid, orderGid);
    if (recorded && recorded.order.state !== "not_yet_received") {
      return {
        points: recorded.order.points,
        // Earned points are in the balance already; pending ones join it when they release.
        balanceAfter: (member?.balance ?? 0) + recorded.order.pendingPoints,
        active: settings.active,
        member: memberView,
        order: recorded.order,
      };
    }
  }
  if (currency !== null && input.subtotal.currencyCode !== currency) {
    return {
      points: null,
      balanceAfter: null,
      active: settings.active,
      reason: "other_currency" as const,
      member: memberView,
      order: null,
    };
  }
  // A bonus event running now counts as the award would count it: the events covering the
  // order's processed time (here: now, when the buyer pays or has just paid), the one giving the
  // most, read by the crediting path's own query (decision 0022).
  const points = estimatedAward(
    { ...NO_PARTS, merchandise: subtotal - giftCards, giftCards },
    settings,
    tierRulesOf(program.tiers),
    member?.tierKey ?? null,
    { events: await bonusEventsCovering(db, shop, now, now), at: now },
  );
  return {
    points,
    balanceAfter: customerGid ? (member?.balance ?? 0) + points : null,
    active: settings.active,
    member: memberView,
    order: null,
  };
}
