/**
 * The ledger's flows (points issued, redeemed, expired) per shop and
 * 15-minute bucket: LedgerFlowRollup, plus the LedgerFlowChange rows the
 * ledger's triggers append and a fold has not moved yet. Every time zone's
 * offset is a multiple of 15 minutes, so a local day, week or month is a sum
 * of whole buckets; a bucket cut by the start or end of a range is read from
 * the ledger itself unless its entries' bounds show they all fall inside.
 */
import { Prisma } from "@prisma/client";
import type { Tx } from "./tx.server";
import { utc } from "./rollup-state.server";

export const BUCKET_MS = 15 * 60_000;
const bucketOf = (column: Prisma.Sql) =>
  Prisma.sql`date_bin('15 minutes', ${column}, TIMESTAMP '2000-01-01')`;

/** An entry's part of each flow (one place: the triggers in the migration say the same). */
const FLOWS_OF_ENTRY = Prisma.sql`
  CASE WHEN e.kind IN ('EARN', 'RELEASE', 'BONUS') OR (e.kind IN ('ADJUST', 'FLOW') AND e.points > 0) THEN e.points ELSE 0 END AS issued,
  CASE WHEN e.kind IN ('REDEEM', 'REDEEM_REFUND') THEN -e.points ELSE 0 END AS redeemed,
  CASE WHEN e.kind = 'EXPIRE' THEN -e.points ELSE 0 END AS expired`;

/** Moves up to `limit` of the shop's changes into its buckets; returns how many moved. */
export async function foldLedgerFlows(tx: Tx, shop: string, limit: number): Promise<number> {
  const [row] = await tx.$queryRaw<{ moved: number }[]>`
    WITH moved AS (
      DELETE FROM "LedgerFlowChange" WHERE id IN (
        SELECT id FROM "LedgerFlowChange" WHERE shop = ${shop} ORDER BY id LIMIT ${limit})
      RETURNING bucket, issued, redeemed, expired, "firstAt", "lastAt"
    ), summed AS (
      INSERT INTO "LedgerFlowRollup" AS r (shop, bucket, issued, redeemed, expired, "firstAt", "lastAt")
      SELECT ${shop}, bucket, sum(issued), sum(redeemed), sum(expired), min("firstAt"), max("lastAt")
        FROM moved GROUP BY bucket ORDER BY bucket
      ON CONFLICT (shop, bucket) DO UPDATE SET
        issued = r.issued + excluded.issued, redeemed = r.redeemed + excluded.redeemed,
        expired = r.expired + excluded.expired,
        "firstAt" = LEAST(r."firstAt", excluded."firstAt"), "lastAt" = GREATEST(r."lastAt", excluded."lastAt")
    )
    SELECT count(*)::int AS moved FROM moved`;
  return row?.moved ?? 0;
}

/**
 * (Re)builds the shop's buckets from its whole ledger. One statement reads the
 * ledger and drops the changes it covers, from one snapshot: changes committed
 * later stay, for the next fold.
 */
export async function buildLedgerFlows(tx: Tx, shop: string): Promise<void> {
  await tx.$executeRaw`DELETE FROM "LedgerFlowRollup" WHERE shop = ${shop}`;
  await tx.$executeRaw`
    WITH covered AS (DELETE FROM "LedgerFlowChange" WHERE shop = ${shop})
    INSERT INTO "LedgerFlowRollup" (shop, bucket, issued, redeemed, expired, "firstAt", "lastAt")
    SELECT ${shop}, bucket, sum(issued), sum(redeemed), sum(expired), min(at), max(at)
      FROM (SELECT ${bucketOf(Prisma.sql`e."occurredAt"`)} AS bucket, e."occurredAt" AS at, ${FLOWS_OF_ENTRY}
              FROM "LedgerEntry" e WHERE e.shop = ${shop}) f
     WHERE issued <> 0 OR redeemed <> 0 OR expired <> 0
     GROUP BY bucket`;
}

/**
 * The shop's flows over [from, to) as rows (at, issued, redeemed, expired):
 * each row sums entries of one 15-minute bucket, and `at` is an instant of
 * that bucket inside [from, to) (so grouping rows by local periods whose
 * boundaries fall on 15-minute marks is exact). A SQL query to select from.
 *
 * Buckets wholly inside the range come from the rollup and its changes. A
 * bucket cut by `from` or `to` (at most two) is taken whole too when the
 * bounds of its entries lie inside the range (the usual case: `to` is now and
 * nothing is dated later); otherwise that part is summed from the ledger's
 * entries (the index on shop and occurredAt finds them).
 */
export function ledgerFlowPieces(shop: string, from: Date, to: Date): Prisma.Sql {
  const floor = (at: Date) => new Date(Math.floor(at.getTime() / BUCKET_MS) * BUCKET_MS);
  const ceil = (at: Date) => new Date(Math.ceil(at.getTime() / BUCKET_MS) * BUCKET_MS);
  const inner = { from: ceil(from), to: floor(to) };
  const parts = [
    Prisma.sql`SELECT bucket AS at, issued, redeemed, expired FROM "LedgerFlowRollup"
                WHERE shop = ${shop} AND bucket >= ${utc(inner.from)} AND bucket < ${utc(inner.to)}`,
    Prisma.sql`SELECT bucket AS at, issued, redeemed, expired FROM "LedgerFlowChange"
                WHERE shop = ${shop} AND bucket >= ${utc(inner.from)} AND bucket < ${utc(inner.to)}`,
  ];
  const edges = [...new Set([floor(from).getTime(), floor(to).getTime()])]
    .map((at) => new Date(at))
    .filter((bucket) => bucket < inner.from || bucket >= inner.to)
    .filter((bucket) => bucket < to && bucket.getTime() + BUCKET_MS > from.getTime());
  if (edges.length === 0) return Prisma.join(parts, " UNION ALL ");
  const lo = utc(from);
  const hi = utc(to);
  const edgeBuckets = Prisma.join(edges.map(utc));
  const cells = Prisma.sql`
    SELECT bucket, sum(issued) AS issued, sum(redeemed) AS redeemed, sum(expired) AS expired,
           min("firstAt") AS first_at, max("lastAt") AS last_at
      FROM (SELECT bucket, issued, redeemed, expired, "firstAt", "lastAt" FROM "LedgerFlowRollup"
             WHERE shop = ${shop} AND bucket IN (${edgeBuckets})
            UNION ALL
            SELECT bucket, issued, redeemed, expired, "firstAt", "lastAt" FROM "LedgerFlowChange"
             WHERE shop = ${shop} AND bucket IN (${edgeBuckets})) x
     GROUP BY bucket`;
  for (const bucket of edges) {
    const window = {
      lo: utc(new Date(Math.max(bucket.getTime(), from.getTime()))),
      hi: utc(new Date(Math.min(bucket.getTime() + BUCKET_MS, to.getTime()))),
    };
    // Whole when every entry it holds lies in [from, to); unknown bounds count as not.
    const whole = Prisma.sql`bucket = ${utc(bucket)} AND COALESCE(first_at >= ${lo}, false)
      AND COALESCE(last_at < ${hi}, false)`;
    parts.push(
      Prisma.sql`SELECT ${window.lo} AS at, issued, redeemed, expired FROM cells WHERE ${whole}`,
      Prisma.sql`SELECT e."occurredAt" AS at, ${FLOWS_OF_ENTRY} FROM "LedgerEntry" e
                  WHERE e.shop = ${shop} AND e."occurredAt" >= ${window.lo} AND e."occurredAt" < ${window.hi}
                    AND NOT EXISTS (SELECT 1 FROM cells WHERE ${whole})`,
    );
  }
  return Prisma.sql`WITH cells AS (${cells}) ${Prisma.join(parts, " UNION ALL ")}`;
}
