-- Points given or taken by Shopify Flow's actions (Award points, Deduct points) have their own
-- ledger kind, and a reward issued by Flow's "Issue reward" its own redemption source.

-- AlterEnum
ALTER TYPE "LedgerKind" ADD VALUE 'FLOW';

-- AlterEnum
ALTER TYPE "RedemptionSource" ADD VALUE 'FLOW';

-- Points a Flow action awards are issued points on the dashboard, as a staff adjustment's are
-- (the same function as 20261207122120_ledger_entry_occurred_at with FLOW beside ADJUST; the
-- flows of app/db/ledger-flow-rollup.server.ts and app/db/dashboard-report.server.ts say the same).
-- 'FLOW' is only text in the function's body here: it is compared when the trigger runs, after
-- this migration has committed the new enum value.
CREATE OR REPLACE FUNCTION "regulars_ledger_flow_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "LedgerFlowChange" (shop, bucket, issued, redeemed, expired, "firstAt", "lastAt")
    SELECT shop, bucket, sum(issued), sum(redeemed), sum(expired), min(at), max(at)
      FROM (SELECT e.shop, date_bin('15 minutes', e."occurredAt", TIMESTAMP '2000-01-01') AS bucket,
                   e."occurredAt" AS at,
                   CASE WHEN e.kind IN ('EARN', 'RELEASE', 'BONUS') OR (e.kind IN ('ADJUST', 'FLOW') AND e.points > 0) THEN e.points ELSE 0 END AS issued,
                   CASE WHEN e.kind IN ('REDEEM', 'REDEEM_REFUND') THEN -e.points ELSE 0 END AS redeemed,
                   CASE WHEN e.kind = 'EXPIRE' THEN -e.points ELSE 0 END AS expired
              FROM new_rows e) f
     WHERE issued <> 0 OR redeemed <> 0 OR expired <> 0
     GROUP BY shop, bucket;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "LedgerFlowChange" (shop, bucket, issued, redeemed, expired)
    SELECT shop, bucket, -sum(issued), -sum(redeemed), -sum(expired)
      FROM (SELECT e.shop, date_bin('15 minutes', e."occurredAt", TIMESTAMP '2000-01-01') AS bucket,
                   CASE WHEN e.kind IN ('EARN', 'RELEASE', 'BONUS') OR (e.kind IN ('ADJUST', 'FLOW') AND e.points > 0) THEN e.points ELSE 0 END AS issued,
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
                   CASE WHEN e.kind IN ('EARN', 'RELEASE', 'BONUS') OR (e.kind IN ('ADJUST', 'FLOW') AND e.points > 0) THEN e.points ELSE 0 END AS issued,
                   CASE WHEN e.kind IN ('REDEEM', 'REDEEM_REFUND') THEN -e.points ELSE 0 END AS redeemed,
                   CASE WHEN e.kind = 'EXPIRE' THEN -e.points ELSE 0 END AS expired
              FROM (SELECT n.*, 1 AS sign FROM new_rows n UNION ALL SELECT o.*, -1 AS sign FROM old_rows o) e) f
     WHERE issued <> 0 OR redeemed <> 0 OR expired <> 0
     GROUP BY shop, bucket
    HAVING sum(sign * issued) <> 0 OR sum(sign * redeemed) <> 0 OR sum(sign * expired) <> 0;
  END IF;
  RETURN NULL;
END $$;
