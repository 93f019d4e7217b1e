/** Order records (facts about an order and what it is worth) and their refunds. */
import { Prisma, type OrderRecord, type OrderRefund } from "@prisma/client";
import type { EligibleParts } from "../loyalty/eligible";
import type { LineAmount } from "../loyalty/bonus-events";
import type { Tx } from "./tx.server";

export type OrderWithRefunds = OrderRecord & { refunds: OrderRefund[] };

/** Creates the record if missing, then locks it until the transaction ends. */
export async function lockOrder(tx: Tx, shop: string, orderGid: string): Promise<OrderWithRefunds> {
  await tx.$executeRaw`
    INSERT INTO "OrderRecord" (id, shop, "orderGid", "updatedAt")
    VALUES (${`ord_${crypto.randomUUID()}`}, ${shop}, ${orderGid}, now())
    ON CONFLICT (shop, "orderGid") DO NOTHING`;
  await tx.$queryRaw`SELECT id FROM "OrderRecord" WHERE shop = ${shop} AND "orderGid" = ${orderGid} FOR UPDATE`;
  return tx.orderRecord.findUniqueOrThrow({
    where: { shop_orderGid: { shop, orderGid } },
    include: { refunds: true },
  });
}

/** What decides whether an order's award may need a collection lookup, read without a lock. */
export function orderAwardState(tx: Tx, shop: string, orderGid: string) {
  return tx.orderRecord.findUnique({
    where: { shop_orderGid: { shop, orderGid } },
    select: { paidAt: true, awardedAt: true, snapshotAt: true, lineAmounts: true },
  });
}

/** Reads an order's record with its refunds (after a refund was added under the lock). */
export function readOrder(tx: Tx, orderId: string): Promise<OrderWithRefunds> {
  return tx.orderRecord.findUniqueOrThrow({ where: { id: orderId }, include: { refunds: true } });
}

/** Writes an event's facts to an order's record; returns the record with its refunds. */
export function updateOrderFacts(
  tx: Tx,
  orderId: string,
  data: Prisma.OrderRecordUpdateInput,
): Promise<OrderWithRefunds> {
  return tx.orderRecord.update({ where: { id: orderId }, data, include: { refunds: true } });
}

/** Writes what an order is worth (and its award terms, the first time it counts as paid). */
export async function updateOrderWorth(
  tx: Tx,
  orderId: string,
  data: Prisma.OrderRecordUpdateInput,
): Promise<void> {
  await tx.orderRecord.update({ where: { id: orderId }, data });
}

/** Orders whose pending points are due to be released, at most `take`. */
export function ordersDueForRelease(tx: Tx, shop: string, now: Date, take: number) {
  return tx.orderRecord.findMany({
    where: { shop, releasedAt: null, releaseAt: { lte: now } },
    select: { orderGid: true },
    take,
  });
}

/** Marks an order's pending points released. */
export async function markOrderReleased(tx: Tx, orderId: string, now: Date): Promise<void> {
  await tx.orderRecord.update({ where: { id: orderId }, data: { releasedAt: now, pendingPoints: 0 } });
}

/** An order's parts as its record's columns (an order has no amount refunded by amount). */
export const orderPartsColumns = (parts: EligibleParts) => ({
  merchandiseMilli: parts.merchandise,
  giftCardsMilli: parts.giftCards,
  shippingMilli: parts.shipping,
  taxMilli: parts.tax,
  shippingTaxMilli: parts.shippingTax,
  tipsMilli: parts.tips,
});

/** A refund's parts as its record's columns. */
const refundPartsColumns = (parts: EligibleParts) => ({
  ...orderPartsColumns(parts),
  byAmountMilli: parts.byAmount,
});

/** An order's lines as ordered (app/loyalty/bonus-events.ts LineAmount) as its `lineAmounts` column. */
export const lineAmountsJson = (lines: readonly LineAmount[]): Prisma.InputJsonValue =>
  lines.map((line) => ({ product: line.productGid, amount: line.amountMilli.toString() }));

/** The `lineAmounts` column read back; null when no snapshot listed the lines (or it is unreadable). */
export function lineAmountsOf(value: Prisma.JsonValue | null): LineAmount[] | null {
  if (!Array.isArray(value)) return null;
  const lines: LineAmount[] = [];
  for (const entry of value) {
    const item = entry as { product?: unknown; amount?: unknown } | null;
    if (!item || typeof item.amount !== "string" || !/^-?\d+$/.test(item.amount)) return null;
    lines.push({
      productGid: typeof item.product === "string" ? item.product : null,
      amountMilli: BigInt(item.amount),
    });
  }
  return lines;
}

export const partsOf = (row: {
  merchandiseMilli: bigint;
  giftCardsMilli: bigint;
  shippingMilli: bigint;
  taxMilli: bigint;
  shippingTaxMilli: bigint;
  tipsMilli: bigint;
  byAmountMilli?: bigint;
}): EligibleParts => ({
  merchandise: row.merchandiseMilli,
  giftCards: row.giftCardsMilli,
  shipping: row.shippingMilli,
  tax: row.taxMilli,
  shippingTax: row.shippingTaxMilli,
  tips: row.tipsMilli,
  byAmount: row.byAmountMilli ?? 0n,
});

/** Records a refund once; returns whether it was new. */
export async function addRefund(
  tx: Tx,
  shop: string,
  orderId: string,
  refund: { refundGid: string; refundedAt: Date; parts: EligibleParts },
): Promise<boolean> {
  const { count } = await tx.orderRefund.createMany({
    data: [
      {
        shop,
        orderId,
        refundGid: refund.refundGid,
        refundedAt: refund.refundedAt,
        ...refundPartsColumns(refund.parts),
      },
    ],
    skipDuplicates: true,
  });
  return count > 0;
}

/** Replaces a recorded refund's parts with those of a newer order snapshot. */
export async function replaceRefundParts(
  tx: Tx,
  shop: string,
  orderId: string,
  refundGid: string,
  parts: EligibleParts,
): Promise<void> {
  await tx.orderRefund.updateMany({
    where: { shop, orderId, refundGid },
    data: refundPartsColumns(parts),
  });
}

/**
 * What tiers measure over a window (TierActivity, app/loyalty/tiers.ts), as
 * one SELECT of spend, points and orders with $1 the shop, `customerGid` the
 * SQL that names the customer and $3 the window's start (an ISO instant):
 * memberActivity runs it, the storefront status's member read
 * (storefront-status.server.ts) embeds it, and the set path reads a batch's
 * members with it (tierActivityOf), so all count the same orders.
 */
export const memberActivitySql = (customerGid: string) => `
  SELECT COALESCE(sum("netEligibleMilli"), 0)::bigint AS spend, COALESCE(sum(points), 0)::bigint AS points,
         count(*) FILTER (WHERE "netEligibleMilli" > 0)::bigint AS orders
    FROM "OrderRecord"
   WHERE shop = $1 AND "customerGid" = ${customerGid} AND "awardedAt" IS NOT NULL
     AND "cancelledAt" IS NULL AND "paidAt" >= ($3::timestamptz AT TIME ZONE 'UTC')`;

/** memberActivitySql with $2 the customer's GID. */
export const MEMBER_ACTIVITY_SQL = memberActivitySql("$2");

/** The member's measure for tiers over a window: spend, points or orders. */
export async function memberActivity(
  tx: Tx,
  shop: string,
  customerGid: string,
  since: Date | null,
): Promise<{ spend: bigint; points: bigint; orders: bigint }> {
  const rows = await tx.$queryRawUnsafe<{ spend: bigint; points: bigint; orders: bigint }[]>(
    MEMBER_ACTIVITY_SQL,
    shop,
    customerGid,
    (since ?? new Date(0)).toISOString(),
  );
  return rows[0]!;
}

/**
 * An order's revenue in milli-units, as every report counts it: merchandise,
 * shipping, tax and tips, less its refunds. A SQL expression over an
 * "OrderRecord" aliased `o`.
 */
export const orderRevenue = (shop: string) => Prisma.sql`(${ORDER_GROSS}
  - COALESCE((SELECT sum(${REFUND_AMOUNT}) FROM "OrderRefund" r WHERE r.shop = ${shop} AND r."orderId" = o.id), 0))`;

const ORDER_GROSS_TEXT = `(o."merchandiseMilli" + o."shippingMilli" + o."taxMilli" + o."tipsMilli")`;
const REFUND_AMOUNT_TEXT = `(r."merchandiseMilli" + r."shippingMilli" + r."taxMilli" + r."tipsMilli")`;
const ORDER_GROSS = Prisma.raw(ORDER_GROSS_TEXT);
const REFUND_AMOUNT = Prisma.raw(REFUND_AMOUNT_TEXT);

/**
 * The same revenue for reports over many orders: `orderRevenueJoined` is the
 * expression, given `refundsByOrder(shop)` LEFT JOINed as `f` on
 * f."orderId" = o.id (one grouped pass over the refunds instead of a lookup
 * per order).
 */
export const refundsByOrder = (shop: string) => Prisma.sql`(
  SELECT r."orderId", sum(${REFUND_AMOUNT}) AS refunded FROM "OrderRefund" r WHERE r.shop = ${shop} GROUP BY r."orderId")`;
export const orderRevenueJoined = Prisma.sql`(${ORDER_GROSS} - COALESCE(f.refunded, 0))`;

/**
 * A member's order figures, from their recorded orders: how many were paid
 * (not cancelled, not test), their revenue less refunds (as orderRevenue
 * counts it), and the latest paid. The one definition, as a SELECT of
 * `orders`, `spent` and `last_order` with `shop` and `customerGid` the SQL
 * that names the member: refreshMemberOrderStats runs it for one member after
 * each order event, and the set path writes it with a batch's members
 * (order-batch.server.ts).
 */
export const memberOrderStatsSql = (shop: string, customerGid: string) => `
  SELECT count(*)::int AS orders, max(o."paidAt") AS last_order,
         COALESCE(sum(${ORDER_GROSS_TEXT} - COALESCE((SELECT sum(${REFUND_AMOUNT_TEXT}) FROM "OrderRefund" r
                                                       WHERE r.shop = ${shop} AND r."orderId" = o.id), 0)), 0)::bigint AS spent
    FROM "OrderRecord" o
   WHERE o.shop = ${shop} AND o."customerGid" = ${customerGid}
     AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL AND NOT o.test`;

/** Recomputes a member's order figures (memberOrderStatsSql), in the caller's transaction. */
export async function refreshMemberOrderStats(tx: Tx, shop: string, memberId: string) {
  await tx.$executeRawUnsafe(
    `UPDATE "Member" m
        SET ("orderCount", "totalSpentMilli", "lastOrderAt") =
            (SELECT s.orders, s.spent, s.last_order FROM (${memberOrderStatsSql("$1", `m."customerGid"`)}) s)
      WHERE m.shop = $1 AND m.id = $2`,
    shop,
    memberId,
  );
}

/** Guest orders held for this email (no customer yet), oldest first, at most `take`. */
export async function heldGuestOrders(tx: Tx, shop: string, email: string, take = 500): Promise<string[]> {
  const rows = await tx.orderRecord.findMany({
    where: { shop, guestEmail: email, customerGid: null },
    select: { orderGid: true },
    orderBy: { createdAt: "asc" },
    take,
  });
  return rows.map((row) => row.orderGid);
}

/**
 * What an order earned, for the shopper's order pages: its record's customer, name and worth,
 * and the points its reversals took back (REVERSE entries, available and pending); null when
 * Regulars has no record of it.
 */
export async function orderPointsOf(tx: Tx, shop: string, orderGid: string) {
  const order = await tx.orderRecord.findUnique({
    where: { shop_orderGid: { shop, orderGid } },
    select: {
      orderGid: true,
      customerGid: true,
      name: true,
      paidAt: true,
      awardedAt: true,
      points: true,
      pendingPoints: true,
      releaseAt: true,
    },
  });
  if (!order) return null;
  const reversed = await tx.ledgerEntry.aggregate({
    where: { shop, orderGid, kind: "REVERSE" },
    _sum: { points: true, pendingPoints: true },
  });
  return { ...order, reversedPoints: -((reversed._sum.points ?? 0) + (reversed._sum.pendingPoints ?? 0)) };
}
