/**
 * Revenue from orders bought with a reward code: CodeUse holds each used
 * redemption with its order and the order's revenue (less refunds) now. The
 * triggers on orders, refunds and redemptions append the orders whose uses may
 * have changed to CodeOrderChange; a fold recomputes those orders' uses. A
 * read takes the uses in its range, and the pending orders' uses from their
 * redemptions and orders directly.
 */
import { Prisma } from "@prisma/client";
import { orderRevenue, orderRevenueJoined, refundsByOrder } from "./orders.server";
import { utc } from "./rollup-state.server";
import type { Tx } from "./tx.server";

/**
 * Used redemptions of the orders in `orders` (a query of a `gid` column), with their order's
 * revenue now and how many uses the order has.
 */
const usesOf = (shop: string, orders: Prisma.Sql) => Prisma.sql`
  SELECT d.id AS redemption_id, o.id AS order_id, o."orderGid" AS order_gid, d."usedAt" AS used_at,
         ${orderRevenue(shop)}::bigint AS revenue, (count(*) OVER (PARTITION BY o.id))::int AS uses
    FROM "Redemption" d JOIN "OrderRecord" o ON o.shop = ${shop} AND o."orderGid" = d."usedOrderGid"
   WHERE d.shop = ${shop} AND d.status = 'USED' AND d."usedAt" IS NOT NULL AND d."usedOrderGid" IN (${orders})`;

/** Recomputes the orders of up to `limit` pending changes; returns how many changes it took. */
export async function foldCodeUses(tx: Tx, shop: string, limit: number): Promise<number> {
  const [row] = await tx.$queryRaw<{ moved: number }[]>`
    WITH moved AS (
      DELETE FROM "CodeOrderChange" WHERE id IN (
        SELECT id FROM "CodeOrderChange" WHERE shop = ${shop} ORDER BY id LIMIT ${limit})
      RETURNING "orderGid"
    ), changed AS (
      SELECT DISTINCT "orderGid" AS gid FROM moved
    ), fresh AS (
      ${usesOf(shop, Prisma.sql`SELECT gid FROM changed`)}
    ), kept AS (
      INSERT INTO "CodeUse" AS u (shop, "redemptionId", "orderId", "orderGid", "usedAt", "revenueMilli", uses)
      SELECT ${shop}, redemption_id, order_id, order_gid, used_at, revenue, uses FROM fresh ORDER BY redemption_id
      ON CONFLICT (shop, "redemptionId") DO UPDATE SET "orderId" = excluded."orderId",
        "orderGid" = excluded."orderGid", "usedAt" = excluded."usedAt", "revenueMilli" = excluded."revenueMilli",
        uses = excluded.uses
    ), gone AS (
      DELETE FROM "CodeUse" u USING changed c
       WHERE u.shop = ${shop} AND u."orderGid" = c.gid
         AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.redemption_id = u."redemptionId")
    )
    SELECT count(*)::int AS moved FROM moved`;
  return row?.moved ?? 0;
}

/** (Re)builds the shop's code uses from its redemptions and orders, dropping the changes that snapshot covers. */
export async function buildCodeUses(tx: Tx, shop: string): Promise<void> {
  await tx.$executeRaw`DELETE FROM "CodeUse" WHERE shop = ${shop}`;
  await tx.$executeRaw`
    WITH covered AS (DELETE FROM "CodeOrderChange" WHERE shop = ${shop})
    INSERT INTO "CodeUse" (shop, "redemptionId", "orderId", "orderGid", "usedAt", "revenueMilli", uses)
    SELECT ${shop}, d.id, o.id, o."orderGid", d."usedAt", ${orderRevenueJoined}::bigint,
           (count(*) OVER (PARTITION BY o.id))::int
      FROM "Redemption" d JOIN "OrderRecord" o ON o.shop = ${shop} AND o."orderGid" = d."usedOrderGid"
      LEFT JOIN ${refundsByOrder(shop)} f ON f."orderId" = o.id
     WHERE d.shop = ${shop} AND d.status = 'USED' AND d."usedAt" IS NOT NULL`;
}

/** Orders bought with a code used in [from, to), and their revenue, from the rollup. */
export async function codeRevenue(
  db: Tx,
  shop: string,
  range: { from: Date; to: Date },
): Promise<{ orders: number; revenue: bigint }> {
  const [row] = await db.$queryRaw<{ orders: number; revenue: bigint | null }[]>`
    WITH pending AS (
      SELECT DISTINCT "orderGid" AS gid FROM "CodeOrderChange" WHERE shop = ${shop}
    ), uses AS (
      SELECT u."orderId" AS order_id, u."revenueMilli" AS revenue, u.uses FROM "CodeUse" u
       WHERE u.shop = ${shop} AND u."usedAt" >= ${utc(range.from)} AND u."usedAt" < ${utc(range.to)}
         AND NOT EXISTS (SELECT 1 FROM pending p WHERE p.gid = u."orderGid")
      UNION ALL
      SELECT order_id, revenue, uses FROM (${usesOf(shop, Prisma.sql`SELECT gid FROM pending`)}) live
       WHERE used_at >= ${utc(range.from)} AND used_at < ${utc(range.to)}
    )
    -- An order used once is one order; only orders used several times need telling apart.
    SELECT (count(*) FILTER (WHERE uses = 1) + count(DISTINCT order_id) FILTER (WHERE uses > 1))::int AS orders,
           sum(revenue)::bigint AS revenue
      FROM uses`;
  return { orders: Number(row?.orders ?? 0), revenue: BigInt(row?.revenue ?? 0n) };
}
