-- A ledger entry's date in the admin and the dashboard's charts: when what it records happened
-- (a backfilled order's award on the order's paid date), not when Regulars recorded it.

-- The column, filled for the entries there are: when recorded, or an order's paid date when it
-- was credited more than an hour after being paid (a backfill, a delivery held for days). The
-- flows trigger is off meanwhile; the ledger rollups are rebuilt below instead.
ALTER TABLE "LedgerEntry" ADD COLUMN "occurredAt" TIMESTAMP(3);
ALTER TABLE "LedgerEntry" DISABLE TRIGGER "LedgerEntry_flows_update";
UPDATE "LedgerEntry" SET "occurredAt" = "createdAt";
UPDATE "LedgerEntry" e SET "occurredAt" = o."paidAt"
  FROM "OrderRecord" o
 WHERE o.shop = e.shop AND e."sourceKey" = 'order:' || o."orderGid" || ':paid' AND e.kind = 'EARN'
   AND o."paidAt" IS NOT NULL AND o."paidAt" < e."createdAt" - interval '1 hour';
ALTER TABLE "LedgerEntry" ENABLE TRIGGER "LedgerEntry_flows_update";
ALTER TABLE "LedgerEntry" ALTER COLUMN "occurredAt" SET NOT NULL,
  ALTER COLUMN "occurredAt" SET DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "LedgerEntry_shop_occurredAt_idx" ON "LedgerEntry"("shop", "occurredAt");

-- The flows per 15-minute bucket by the entries' occurredAt (as app/db/ledger-flow-rollup.server.ts).
CREATE OR REPLACE FUNCTION "regulars_ledger_flow_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "LedgerFlowChange" (shop, bucket, issued, redeemed, expired, "firstAt", "lastAt")
    SELECT shop, bucket, sum(issued), sum(redeemed), sum(expired), min(at), max(at)
      FROM (SELECT e.shop, date_bin('15 minutes', e."occurredAt", TIMESTAMP '2000-01-01') AS bucket,
                   e."occurredAt" AS at,
                   CASE WHEN e.kind IN ('EARN', 'RELEASE', 'BONUS') OR (e.kind = 'ADJUST' AND e.points > 0) THEN e.points ELSE 0 END AS issued,
                   CASE WHEN e.kind IN ('REDEEM', 'REDEEM_REFUND') THEN -e.points ELSE 0 END AS redeemed,
                   CASE WHEN e.kind = 'EXPIRE' THEN -e.points ELSE 0 END AS expired
              FROM new_rows e) f
     WHERE issued <> 0 OR redeemed <> 0 OR expired <> 0
     GROUP BY shop, bucket;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "LedgerFlowChange" (shop, bucket, issued, redeemed, expired)
    SELECT shop, bucket, -sum(issued), -sum(redeemed), -sum(expired)
      FROM (SELECT e.shop, date_bin('15 minutes', e."occurredAt", TIMESTAMP '2000-01-01') AS bucket,
                   CASE WHEN e.kind IN ('EARN', 'RELEASE', 'BONUS') OR (e.kind = 'ADJUST' AND e.points > 0) THEN e.points ELSE 0 END AS issued,
                   CASE WHEN e.kind IN ('REDEEM', 'REDEEM_REFUND') THEN -e.points ELSE 0 END AS redeemed,
                   CASE WHEN e.kind = 'EXPIRE' THEN -e.points ELSE 0 END AS expired
              FROM old_rows e) f
     WHERE issued <> 0 OR redeemed <> 0 OR expired <> 0
     GROUP BY shop, bucket;
  ELSE
    -- The ledger is append-only; should an entry ever change, its old flows go and its new come.
    INSERT INTO "LedgerFlowChange" (shop, bucket, issued, redeemed, expired, "firstAt", "lastAt")
    SELECT shop, bucket, sum(sign * issued), sum(sign * redeemed), sum(sign * expired),
           min(at) FILTER (WHERE sign > 0), max(at) FILTER (WHERE sign > 0)
      FROM (SELECT e.shop, date_bin('15 minutes', e."occurredAt", TIMESTAMP '2000-01-01') AS bucket,
                   e."occurredAt" AS at, e.sign,
                   CASE WHEN e.kind IN ('EARN', 'RELEASE', 'BONUS') OR (e.kind = 'ADJUST' AND e.points > 0) THEN e.points ELSE 0 END AS issued,
                   CASE WHEN e.kind IN ('REDEEM', 'REDEEM_REFUND') THEN -e.points ELSE 0 END AS redeemed,
                   CASE WHEN e.kind = 'EXPIRE' THEN -e.points ELSE 0 END AS expired
              FROM (SELECT n.*, 1 AS sign FROM new_rows n UNION ALL SELECT o.*, -1 AS sign FROM old_rows o) e) f
     WHERE issued <> 0 OR redeemed <> 0 OR expired <> 0
     GROUP BY shop, bucket
    HAVING sum(sign * issued) <> 0 OR sum(sign * redeemed) <> 0 OR sum(sign * expired) <> 0;
  END IF;
  RETURN NULL;
END $$;

-- Buckets built by the recorded time are rebuilt by the new one: each shop's next dashboard view
-- reads the ledger directly and queues the job that builds them again.
DELETE FROM "LedgerFlowChange";
DELETE FROM "LedgerFlowRollup";
UPDATE "DashboardRollupState" SET "ledgerBuiltAt" = NULL;
