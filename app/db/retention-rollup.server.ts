/**
 * Each customer's retention figures (orders, revenue less refunds, last
 * order, member or not) in CustomerFigures, and their sums per member flag
 * and hour of the last order in RetentionRollup. The triggers on orders,
 * refunds, members and redemptions append the customers whose figures may
 * have changed to CustomerChange; a fold recomputes those customers from
 * their orders and moves the sums. A read takes the sums, and recomputes live
 * the customers the sums cannot place exactly: those changed since the last
 * fold, and those whose last order's hour holds a cutoff or is not over yet.
 */
import { Prisma } from "@prisma/client";
import { orderRevenue, orderRevenueJoined, refundsByOrder } from "./orders.server";
import { utc } from "./rollup-state.server";
import type { Tx } from "./tx.server";

const HOUR_MS = 3_600_000;

/** A customer is a member with an enabled account, or once they redeemed. SQL over `c.customer`. */
const memberFlag = (shop: string) => Prisma.sql`(
  COALESCE((SELECT lower(m."accountState") = 'enabled' FROM "Member" m
             WHERE m.shop = ${shop} AND m."customerGid" = c.customer), false)
  OR EXISTS (SELECT 1 FROM "Redemption" d WHERE d.shop = ${shop} AND d."customerGid" = c.customer))`;

/**
 * The figures of the customers in `customers` (a query of a `customer`
 * column), counting orders paid at or before `paidBy` when given.
 */
function figuresOf(shop: string, customers: Prisma.Sql, paidBy?: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT c.customer, c.orders, c.revenue, c.last_order, ${memberFlag(shop)} AS member
      FROM (SELECT o."customerGid" AS customer, count(*)::int AS orders,
                   COALESCE(sum(${orderRevenue(shop)}), 0)::bigint AS revenue, max(o."paidAt") AS last_order
              FROM "OrderRecord" o
             WHERE o.shop = ${shop} AND o."customerGid" IN (${customers})
               AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL AND NOT o.test
               ${paidBy ? Prisma.sql`AND o."paidAt" <= ${utc(paidBy)}` : Prisma.empty}
             GROUP BY o."customerGid") c`;
}

/**
 * Recomputes the customers of up to `limit` pending changes (or of every
 * change of one customer, for customers/redact) and moves the difference
 * into the sums; returns how many changes it took.
 */
export async function foldCustomerFigures(
  tx: Tx,
  shop: string,
  only: { limit: number } | { customerGid: string },
): Promise<number> {
  const pick =
    "customerGid" in only
      ? Prisma.sql`SELECT id FROM "CustomerChange" WHERE shop = ${shop} AND "customerGid" = ${only.customerGid}`
      : Prisma.sql`SELECT id FROM "CustomerChange" WHERE shop = ${shop} ORDER BY id LIMIT ${only.limit}`;
  const [row] = await tx.$queryRaw<{ moved: number }[]>`
    WITH moved AS (
      DELETE FROM "CustomerChange" WHERE id IN (${pick}) RETURNING "customerGid"
    ), changed AS (
      SELECT DISTINCT "customerGid" AS customer FROM moved
    ), fresh AS (
      ${figuresOf(shop, Prisma.sql`SELECT customer FROM changed`)}
    ), old AS (
      SELECT f.* FROM "CustomerFigures" f JOIN changed c ON f.shop = ${shop} AND f."customerGid" = c.customer
    ), kept AS (
      INSERT INTO "CustomerFigures" AS f (shop, "customerGid", member, orders, "revenueMilli", "lastOrderAt")
      SELECT ${shop}, customer, member, orders, revenue, last_order FROM fresh ORDER BY customer
      ON CONFLICT (shop, "customerGid") DO UPDATE SET member = excluded.member, orders = excluded.orders,
        "revenueMilli" = excluded."revenueMilli", "lastOrderAt" = excluded."lastOrderAt"
    ), gone AS (
      DELETE FROM "CustomerFigures" f USING changed c
       WHERE f.shop = ${shop} AND f."customerGid" = c.customer
         AND NOT EXISTS (SELECT 1 FROM fresh WHERE fresh.customer = c.customer)
    ), delta AS (
      SELECT member, date_trunc('hour', last_order) AS hour, count(*) AS customers,
             count(*) FILTER (WHERE orders >= 2) AS repeaters, sum(orders) AS orders, sum(revenue) AS revenue
        FROM fresh GROUP BY 1, 2
      UNION ALL
      SELECT member, date_trunc('hour', "lastOrderAt"), -count(*), -count(*) FILTER (WHERE orders >= 2),
             -sum(orders), -sum("revenueMilli")
        FROM old GROUP BY 1, 2
    ), summed AS (
      INSERT INTO "RetentionRollup" AS r (shop, member, hour, customers, repeaters, orders, "revenueMilli")
      SELECT ${shop}, member, hour, sum(customers), sum(repeaters), sum(orders), sum(revenue)
        FROM delta GROUP BY member, hour ORDER BY member, hour
      ON CONFLICT (shop, member, hour) DO UPDATE SET
        customers = r.customers + excluded.customers, repeaters = r.repeaters + excluded.repeaters,
        orders = r.orders + excluded.orders, "revenueMilli" = r."revenueMilli" + excluded."revenueMilli"
    )
    SELECT count(*)::int AS moved FROM moved`;
  return row?.moved ?? 0;
}

/** (Re)builds the shop's figures and sums from all its orders, dropping the changes that snapshot covers. */
export async function buildCustomerFigures(tx: Tx, shop: string): Promise<void> {
  await tx.$executeRaw`DELETE FROM "CustomerFigures" WHERE shop = ${shop}`;
  await tx.$executeRaw`DELETE FROM "RetentionRollup" WHERE shop = ${shop}`;
  await tx.$executeRaw`
    WITH covered AS (
      DELETE FROM "CustomerChange" WHERE shop = ${shop}
    ), customers AS (
      SELECT o."customerGid" AS customer, count(*)::int AS orders, sum(${orderRevenueJoined})::bigint AS revenue,
             max(o."paidAt") AS last_order
        FROM "OrderRecord" o LEFT JOIN ${refundsByOrder(shop)} f ON f."orderId" = o.id
       WHERE o.shop = ${shop} AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL AND NOT o.test
         AND o."customerGid" IS NOT NULL
       GROUP BY o."customerGid"
    ), fresh AS (
      SELECT c.*, (COALESCE(lower(m."accountState") = 'enabled', false) OR d.customer IS NOT NULL) AS member
        FROM customers c
        LEFT JOIN "Member" m ON m.shop = ${shop} AND m."customerGid" = c.customer
        LEFT JOIN (SELECT DISTINCT "customerGid" AS customer FROM "Redemption" WHERE shop = ${shop}) d
          ON d.customer = c.customer
    ), kept AS (
      INSERT INTO "CustomerFigures" (shop, "customerGid", member, orders, "revenueMilli", "lastOrderAt")
      SELECT ${shop}, customer, member, orders, revenue, last_order FROM fresh
    )
    INSERT INTO "RetentionRollup" (shop, member, hour, customers, repeaters, orders, "revenueMilli")
    SELECT ${shop}, member, date_trunc('hour', last_order), count(*), count(*) FILTER (WHERE orders >= 2),
           sum(orders), sum(revenue)
      FROM fresh GROUP BY 2, 3`;
}

export interface RetentionCounts {
  member: boolean;
  customers: number;
  repeaters: number;
  orders: number;
  revenue: bigint;
  lastYearBuyers: number;
  churned: number;
  atRisk: number;
}

/** A row of a query counting RetentionCounts per member flag (counts as int or bigint). */
export interface RetentionCountsRow {
  member: boolean;
  customers: number | bigint;
  repeaters: number | bigint;
  orders: number | bigint;
  revenue: bigint | null;
  last_year_buyers: number | bigint;
  churned: number | bigint;
  at_risk: number | bigint;
}

/** The rollup's query and the live one (retention.server.ts) read their rows the same way. */
export const retentionCountsOf = (row: RetentionCountsRow): RetentionCounts => ({
  member: row.member,
  customers: Number(row.customers),
  repeaters: Number(row.repeaters),
  orders: Number(row.orders),
  revenue: BigInt(row.revenue ?? 0n),
  lastYearBuyers: Number(row.last_year_buyers),
  churned: Number(row.churned),
  atRisk: Number(row.at_risk),
});

/**
 * The retention counts per member flag, as of `now`, from the sums. The sums
 * are classified by the hour of the last order, which is exact except in an
 * hour that holds a cutoff (or `now`): the customers of those hours are taken
 * out as summed and put back classified by their own last order. Customers
 * changed since the last fold, and those with an order after `now`, are
 * recomputed from their orders.
 */
export async function retentionCounts(
  db: Tx,
  shop: string,
  cut: { now: Date; yearAgo: Date; churnCutoff: Date; atRiskCutoff: Date },
): Promise<RetentionCounts[]> {
  const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
  const inHour = (at: Date) =>
    Prisma.sql`("lastOrderAt" >= ${utc(hourOf(at))} AND "lastOrderAt" < ${utc(new Date(hourOf(at).getTime() + HOUR_MS))})`;
  const now = utc(cut.now);
  const rows = await db.$queryRaw<RetentionCountsRow[]>`
    WITH pending AS (
      SELECT DISTINCT "customerGid" AS customer FROM "CustomerChange" WHERE shop = ${shop}
    ), edge AS (
      SELECT "customerGid" AS customer, member, orders, "revenueMilli" AS revenue, "lastOrderAt" AS last_order
        FROM "CustomerFigures"
       WHERE shop = ${shop} AND (${inHour(cut.yearAgo)} OR ${inHour(cut.churnCutoff)} OR ${inHour(cut.atRiskCutoff)}
             OR "lastOrderAt" >= ${utc(hourOf(cut.now))})
    ), taken AS (
      -- As summed: the edge hours' customers, and pending customers wherever they are summed.
      SELECT member, orders, revenue, last_order FROM edge
      UNION ALL
      SELECT f.member, f.orders, f."revenueMilli", f."lastOrderAt" FROM "CustomerFigures" f
        JOIN pending p ON f.shop = ${shop} AND f."customerGid" = p.customer
       WHERE NOT EXISTS (SELECT 1 FROM edge e WHERE e.customer = p.customer)
    ), recompute AS (
      SELECT customer FROM pending
      UNION
      SELECT customer FROM edge WHERE last_order > ${now}
    ), live AS (
      ${figuresOf(shop, Prisma.sql`SELECT customer FROM recompute`, cut.now)}
    ), parts AS (
      SELECT member, hour AS last_order, customers, repeaters, orders, "revenueMilli" AS revenue
        FROM "RetentionRollup" WHERE shop = ${shop}
      UNION ALL
      SELECT member, date_trunc('hour', last_order), -1, CASE WHEN orders >= 2 THEN -1 ELSE 0 END, -orders, -revenue
        FROM taken
      UNION ALL
      -- Put back: edge customers whose figures are final (not pending, no order after now) as they are,
      SELECT member, last_order, 1, CASE WHEN orders >= 2 THEN 1 ELSE 0 END, orders, revenue FROM edge e
       WHERE last_order <= ${now} AND NOT EXISTS (SELECT 1 FROM pending p WHERE p.customer = e.customer)
      UNION ALL
      -- the others from their orders.
      SELECT member, last_order, 1, CASE WHEN orders >= 2 THEN 1 ELSE 0 END, orders, revenue FROM live
    )
    SELECT member, sum(customers)::bigint AS customers, sum(repeaters)::bigint AS repeaters,
           sum(orders)::bigint AS orders, sum(revenue)::bigint AS revenue,
           COALESCE(sum(customers) FILTER (WHERE last_order >= ${utc(cut.yearAgo)}), 0)::bigint AS last_year_buyers,
           COALESCE(sum(customers) FILTER (WHERE last_order >= ${utc(cut.yearAgo)}
                                         AND last_order < ${utc(cut.churnCutoff)}), 0)::bigint AS churned,
           COALESCE(sum(customers) FILTER (WHERE last_order < ${utc(cut.atRiskCutoff)}), 0)::bigint AS at_risk
      FROM parts GROUP BY member`;
  return rows.map(retentionCountsOf);
}
