/**
 * The dashboard's reads (app/services/dashboard/retention.server.ts says what
 * each figure means): the period's local buckets, the points flows per bucket
 * and over a range, and the figures a shop's rollups hold, read from the
 * ledger, orders and members directly (`live`: a shop whose rollups are not
 * built yet, and tests that compare).
 */
import { Prisma } from "@prisma/client";
import { ledgerFlowPieces } from "./ledger-flow-rollup.server";
import { orderRevenue, orderRevenueJoined, refundsByOrder } from "./orders.server";
import { retentionCountsOf, type RetentionCounts, type RetentionCountsRow } from "./retention-rollup.server";
import type { Tx } from "./tx.server";

/** A run of local buckets: each `unit` long, `step` apart, the last one holding now, `back` before it the first. */
export interface BucketSeries {
  unit: string;
  step: string;
  back: string;
  now: Date;
  zone: string;
}

export interface FlowSums {
  issued: bigint | null;
  redeemed: bigint | null;
  expired: bigint | null;
}

/** The ledger's flows by their definitions; one place for the dashboard's figures and its chart. */
const FLOW_SUMS = Prisma.sql`
  sum(CASE WHEN kind IN ('EARN', 'RELEASE', 'BONUS') OR (kind IN ('ADJUST', 'FLOW') AND points > 0) THEN points ELSE 0 END)::bigint AS issued,
  sum(CASE WHEN kind IN ('REDEEM', 'REDEEM_REFUND') THEN -points ELSE 0 END)::bigint AS redeemed,
  sum(CASE WHEN kind = 'EXPIRE' THEN -points ELSE 0 END)::bigint AS expired`;

/**
 * Points issued, redeemed and expired per local bucket (every bucket, empty
 * ones with nulls), from the ledger; each row also has the first bucket's
 * start as an instant (`first_utc`, ISO text).
 */
export function ledgerFlowsPerBucket(tx: Tx, shop: string, series: BucketSeries) {
  const { unit, step, back, now, zone } = series;
  // "occurredAt" (when the entry's change happened) holds UTC wall time;
  // local = (utc AT TIME ZONE 'UTC') AT TIME ZONE zone.
  return tx.$queryRaw<({ start: string; first_utc: string } & FlowSums)[]>`
    WITH bounds AS (
      SELECT (${now.toISOString()}::timestamptz AT TIME ZONE 'UTC') AS now_utc,
             date_trunc(${unit}, ${now.toISOString()}::timestamptz AT TIME ZONE ${zone}) AS last_local
    ), series AS (
      SELECT generate_series(last_local - ${back}::interval, last_local, ${step}::interval) AS local_start FROM bounds
    ), first_bucket AS (
      SELECT (min(local_start) AT TIME ZONE ${zone}) AT TIME ZONE 'UTC' AS first_utc FROM series
    ), flows AS (
      SELECT date_trunc(${unit}, ("occurredAt" AT TIME ZONE 'UTC') AT TIME ZONE ${zone}) AS local_start, ${FLOW_SUMS}
        FROM "LedgerEntry"
       WHERE shop = ${shop}
         AND "occurredAt" >= (SELECT first_utc FROM first_bucket)
         AND "occurredAt" < (SELECT now_utc FROM bounds)
       GROUP BY 1
    )
    SELECT to_char(s.local_start, 'YYYY-MM-DD') AS start,
           (SELECT to_char(first_utc, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM first_bucket) AS first_utc,
           f.issued, f.redeemed, f.expired
      FROM series s LEFT JOIN flows f ON f.local_start = s.local_start
     ORDER BY s.local_start`;
}

/** The local buckets: each one's first local day and its start as an instant. */
export function localBuckets(tx: Tx, series: BucketSeries): Promise<{ start: string; first_utc: Date }[]> {
  const { unit, step, back, now, zone } = series;
  return tx.$queryRaw<{ start: string; first_utc: Date }[]>`
    WITH bounds AS (
      SELECT date_trunc(${unit}, ${now.toISOString()}::timestamptz AT TIME ZONE ${zone}) AS last_local
    )
    SELECT to_char(local_start, 'YYYY-MM-DD') AS start, local_start AT TIME ZONE ${zone} AS first_utc
      FROM bounds, generate_series(last_local - ${back}::interval, last_local, ${step}::interval) AS local_start
     ORDER BY local_start`;
}

/**
 * The flows over [from, to) from the ledger's 15-minute buckets, summed per
 * local bucket: `i` is the 1-based index in `starts` (UTC wall times, ascending)
 * of the last start at or before each piece.
 */
export function rolledUpFlowsPerBucket(tx: Tx, shop: string, starts: string[], from: Date, to: Date) {
  return tx.$queryRaw<{ i: number; issued: bigint; redeemed: bigint; expired: bigint }[]>`
      SELECT width_bucket(at, ${starts}::timestamp[]) AS i,
             sum(issued)::bigint AS issued, sum(redeemed)::bigint AS redeemed, sum(expired)::bigint AS expired
        FROM (${ledgerFlowPieces(shop, from, to)}) pieces
       GROUP BY 1`;
}

/** The flows over [from, to) (from before to) from the ledger's 15-minute buckets. */
export async function rolledUpFlows(
  tx: Tx,
  shop: string,
  from: Date,
  to: Date,
): Promise<FlowSums | undefined> {
  const [flows] = await tx.$queryRaw<FlowSums[]>`
          SELECT sum(issued)::bigint AS issued, sum(redeemed)::bigint AS redeemed, sum(expired)::bigint AS expired
            FROM (${ledgerFlowPieces(shop, from, to)}) pieces`;
  return flows;
}

/** The flows over [from, to) from the ledger. */
export async function ledgerFlows(tx: Tx, shop: string, from: Date, to: Date): Promise<FlowSums | undefined> {
  const [flows] = await tx.$queryRaw<FlowSums[]>`
        SELECT ${FLOW_SUMS}
          FROM "LedgerEntry"
         WHERE shop = ${shop} AND "occurredAt" >= ${from} AND "occurredAt" < ${to}`;
  return flows;
}

/** The retention counts from the orders themselves (a shop whose rollup is not built yet). */
export async function liveRetentionCounts(
  tx: Tx,
  shop: string,
  input: { now: Date; yearAgo: Date; churnCutoff: Date; atRiskCutoff: Date },
): Promise<RetentionCounts[]> {
  const { yearAgo, churnCutoff, atRiskCutoff } = input;
  const rows = await tx.$queryRaw<RetentionCountsRow[]>`
    WITH customers AS (
      SELECT o."customerGid" AS customer, count(*)::int AS orders, sum(${orderRevenueJoined}) AS revenue,
             max(o."paidAt") AS last_order
        FROM "OrderRecord" o LEFT JOIN ${refundsByOrder(shop)} f ON f."orderId" = o.id
       WHERE o.shop = ${shop} AND o."paidAt" IS NOT NULL AND o."paidAt" <= ${input.now}
         AND o."cancelledAt" IS NULL AND NOT o.test AND o."customerGid" IS NOT NULL
       GROUP BY o."customerGid"
    ), labelled AS (
      -- Joins, not a lookup per customer: one pass over the members and the redemptions.
      SELECT c.*, c.last_order >= ${yearAgo} AS bought_last_year,
             (COALESCE(lower(m."accountState") = 'enabled', false) OR d.customer IS NOT NULL) AS member
        FROM customers c
        LEFT JOIN "Member" m ON m.shop = ${shop} AND m."customerGid" = c.customer
        LEFT JOIN (SELECT DISTINCT "customerGid" AS customer FROM "Redemption" WHERE shop = ${shop}) d
          ON d.customer = c.customer
    )
    SELECT member,
           count(*)::int AS customers,
           (count(*) FILTER (WHERE orders >= 2))::int AS repeaters,
           sum(orders)::int AS orders,
           sum(revenue)::bigint AS revenue,
           (count(*) FILTER (WHERE bought_last_year))::int AS last_year_buyers,
           (count(*) FILTER (WHERE bought_last_year AND last_order < ${churnCutoff}))::int AS churned,
           (count(*) FILTER (WHERE last_order < ${atRiskCutoff}))::int AS at_risk
      FROM labelled GROUP BY member`;
  return rows.map(retentionCountsOf);
}

/** Orders bought with a code used in [from, to), and their revenue, from redemptions and orders. */
export async function liveCodeRevenue(tx: Tx, shop: string, input: { from: Date; to: Date }) {
  const [codes] = await tx.$queryRaw<{ orders: number; revenue: bigint | null }[]>`
    SELECT count(DISTINCT o.id)::int AS orders,
           sum(${orderRevenue(shop)})::bigint AS revenue
      FROM "Redemption" d JOIN "OrderRecord" o ON o.shop = ${shop} AND o."orderGid" = d."usedOrderGid"
     WHERE d.shop = ${shop} AND d.status = 'USED' AND d."usedAt" >= ${input.from} AND d."usedAt" < ${input.to}`;
  return { orders: Number(codes?.orders ?? 0), revenue: BigInt(codes?.revenue ?? 0n) };
}

/** The shop's members and their unspent points (spendable and pending), from the members themselves. */
export async function liveMemberCountAndUnspent(tx: Tx, shop: string) {
  const [totals] = await tx.$queryRaw<{ members: number; unspent: bigint | null }[]>`
    SELECT count(*)::int AS members, sum(balance + pending)::bigint AS unspent FROM "Member" WHERE shop = ${shop}`;
  return { members: Number(totals?.members ?? 0), unspent: BigInt(totals?.unspent ?? 0n) };
}
