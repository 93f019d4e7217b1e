-- The dashboard's rollups (see prisma/schema.prisma and app/db/*-rollup.server.ts): tables for
-- the precomputed figures and their unfolded changes, and triggers that append every change of
-- a source to its change table in the writer's own transaction. A change is visible exactly
-- when the write that caused it is, whatever order transactions commit in, whatever path wrote
-- it (webhooks, the backfill's raw SQL, cascades of customers/redact, shop/redact). Inserts and
-- deletes are captured per statement (one aggregated change per bulk write); updates per row,
-- only when a column the figures read has changed. The rollups start empty: each shop's is
-- built by a job on its first dashboard view (until then the dashboard reads its sources).

-- CreateTable
CREATE TABLE "LedgerFlowRollup" (
    "shop" TEXT NOT NULL,
    "bucket" TIMESTAMP(3) NOT NULL,
    "issued" BIGINT NOT NULL DEFAULT 0,
    "redeemed" BIGINT NOT NULL DEFAULT 0,
    "expired" BIGINT NOT NULL DEFAULT 0,
    "firstAt" TIMESTAMP(3),
    "lastAt" TIMESTAMP(3),

    CONSTRAINT "LedgerFlowRollup_pkey" PRIMARY KEY ("shop","bucket")
);

-- CreateTable
CREATE TABLE "LedgerFlowChange" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "bucket" TIMESTAMP(3) NOT NULL,
    "issued" BIGINT NOT NULL DEFAULT 0,
    "redeemed" BIGINT NOT NULL DEFAULT 0,
    "expired" BIGINT NOT NULL DEFAULT 0,
    "firstAt" TIMESTAMP(3),
    "lastAt" TIMESTAMP(3),

    CONSTRAINT "LedgerFlowChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemberTotals" (
    "shop" TEXT NOT NULL,
    "tierKey" TEXT NOT NULL,
    "members" BIGINT NOT NULL DEFAULT 0,
    "unspent" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "MemberTotals_pkey" PRIMARY KEY ("shop","tierKey")
);

-- CreateTable
CREATE TABLE "MemberTotalsChange" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "tierKey" TEXT NOT NULL,
    "members" BIGINT NOT NULL DEFAULT 0,
    "unspent" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "MemberTotalsChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerFigures" (
    "shop" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "member" BOOLEAN NOT NULL,
    "orders" INTEGER NOT NULL,
    "revenueMilli" BIGINT NOT NULL,
    "lastOrderAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerFigures_pkey" PRIMARY KEY ("shop","customerGid")
);

-- CreateTable
CREATE TABLE "RetentionRollup" (
    "shop" TEXT NOT NULL,
    "member" BOOLEAN NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "customers" BIGINT NOT NULL DEFAULT 0,
    "repeaters" BIGINT NOT NULL DEFAULT 0,
    "orders" BIGINT NOT NULL DEFAULT 0,
    "revenueMilli" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "RetentionRollup_pkey" PRIMARY KEY ("shop","member","hour")
);

-- CreateTable
CREATE TABLE "CustomerChange" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,

    CONSTRAINT "CustomerChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DashboardRollupState" (
    "shop" TEXT NOT NULL,
    "ledgerBuiltAt" TIMESTAMP(3),
    "membersBuiltAt" TIMESTAMP(3),
    "customersBuiltAt" TIMESTAMP(3),

    CONSTRAINT "DashboardRollupState_pkey" PRIMARY KEY ("shop")
);

-- CreateIndex
CREATE INDEX "LedgerFlowChange_shop_bucket_idx" ON "LedgerFlowChange"("shop", "bucket");

-- CreateIndex
CREATE INDEX "MemberTotalsChange_shop_idx" ON "MemberTotalsChange"("shop");

-- CreateIndex
CREATE INDEX "CustomerFigures_shop_lastOrderAt_idx" ON "CustomerFigures"("shop", "lastOrderAt");

-- CreateIndex
CREATE INDEX "CustomerChange_shop_idx" ON "CustomerChange"("shop");

-- CreateIndex
CREATE INDEX "Redemption_shop_customerGid_idx" ON "Redemption"("shop", "customerGid");

-- CreateIndex
CREATE INDEX "Member_shop_tierKey_createdAt_id_idx" ON "Member"("shop", "tierKey", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "LedgerEntry_createdAt_idx" ON "LedgerEntry" USING BRIN ("createdAt");


-- Points issued, redeemed and expired, by the definitions of app/services/retention.server.ts
-- (FLOW_SUMS), per shop and 15-minute bucket (UTC). Entries that move none of the three are
-- skipped. firstAt/lastAt bound the createdAt of entries added to a bucket.
CREATE FUNCTION "regulars_ledger_flow_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "LedgerFlowChange" (shop, bucket, issued, redeemed, expired, "firstAt", "lastAt")
    SELECT shop, bucket, sum(issued), sum(redeemed), sum(expired), min(at), max(at)
      FROM (SELECT e.shop, date_bin('15 minutes', e."createdAt", TIMESTAMP '2000-01-01') AS bucket,
                   e."createdAt" AS at,
                   CASE WHEN e.kind IN ('EARN', 'RELEASE', 'BONUS') OR (e.kind = 'ADJUST' AND e.points > 0) THEN e.points ELSE 0 END AS issued,
                   CASE WHEN e.kind IN ('REDEEM', 'REDEEM_REFUND') THEN -e.points ELSE 0 END AS redeemed,
                   CASE WHEN e.kind = 'EXPIRE' THEN -e.points ELSE 0 END AS expired
              FROM new_rows e) f
     WHERE issued <> 0 OR redeemed <> 0 OR expired <> 0
     GROUP BY shop, bucket;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "LedgerFlowChange" (shop, bucket, issued, redeemed, expired)
    SELECT shop, bucket, -sum(issued), -sum(redeemed), -sum(expired)
      FROM (SELECT e.shop, date_bin('15 minutes', e."createdAt", TIMESTAMP '2000-01-01') AS bucket,
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
      FROM (SELECT e.shop, date_bin('15 minutes', e."createdAt", TIMESTAMP '2000-01-01') AS bucket,
                   e."createdAt" AS at, e.sign,
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

CREATE TRIGGER "LedgerEntry_flows_insert" AFTER INSERT ON "LedgerEntry"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "regulars_ledger_flow_changes"();
CREATE TRIGGER "LedgerEntry_flows_delete" AFTER DELETE ON "LedgerEntry"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "regulars_ledger_flow_changes"();
CREATE TRIGGER "LedgerEntry_flows_update" AFTER UPDATE ON "LedgerEntry"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "regulars_ledger_flow_changes"();

-- Members per tier and their unspent points; a new or deleted member is also a customer whose
-- member flag may change.
CREATE FUNCTION "regulars_member_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "MemberTotalsChange" (shop, "tierKey", members, unspent)
    SELECT shop, COALESCE("tierKey", ''), count(*), sum(balance + pending) FROM new_rows GROUP BY 1, 2;
    INSERT INTO "CustomerChange" (shop, "customerGid") SELECT DISTINCT shop, "customerGid" FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "MemberTotalsChange" (shop, "tierKey", members, unspent)
    SELECT shop, COALESCE("tierKey", ''), -count(*), -sum(balance + pending) FROM old_rows GROUP BY 1, 2;
    INSERT INTO "CustomerChange" (shop, "customerGid") SELECT DISTINCT shop, "customerGid" FROM old_rows;
  ELSE
    IF OLD.shop = NEW.shop AND OLD."tierKey" IS NOT DISTINCT FROM NEW."tierKey" THEN
      IF OLD.balance + OLD.pending <> NEW.balance + NEW.pending THEN
        INSERT INTO "MemberTotalsChange" (shop, "tierKey", members, unspent)
        VALUES (NEW.shop, COALESCE(NEW."tierKey", ''), 0, (NEW.balance + NEW.pending) - (OLD.balance + OLD.pending));
      END IF;
    ELSE
      INSERT INTO "MemberTotalsChange" (shop, "tierKey", members, unspent)
      VALUES (OLD.shop, COALESCE(OLD."tierKey", ''), -1, -(OLD.balance + OLD.pending)),
             (NEW.shop, COALESCE(NEW."tierKey", ''), 1, NEW.balance + NEW.pending);
    END IF;
    IF OLD.shop <> NEW.shop OR OLD."customerGid" <> NEW."customerGid"
       OR OLD."accountState" IS DISTINCT FROM NEW."accountState" THEN
      INSERT INTO "CustomerChange" (shop, "customerGid")
      VALUES (OLD.shop, OLD."customerGid"), (NEW.shop, NEW."customerGid");
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Member_rollups_insert" AFTER INSERT ON "Member"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "regulars_member_changes"();
CREATE TRIGGER "Member_rollups_delete" AFTER DELETE ON "Member"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "regulars_member_changes"();
CREATE TRIGGER "Member_rollups_update" AFTER UPDATE OF shop, "customerGid", "accountState", balance, pending, "tierKey"
  ON "Member" FOR EACH ROW
  WHEN (OLD.shop IS DISTINCT FROM NEW.shop OR OLD."customerGid" IS DISTINCT FROM NEW."customerGid"
        OR OLD."accountState" IS DISTINCT FROM NEW."accountState" OR OLD.balance IS DISTINCT FROM NEW.balance
        OR OLD.pending IS DISTINCT FROM NEW.pending OR OLD."tierKey" IS DISTINCT FROM NEW."tierKey")
  EXECUTE FUNCTION "regulars_member_changes"();

-- Customers whose retention figures may have changed: orders, their refunds, redemptions (a
-- redemption makes its customer a member).
CREATE FUNCTION "regulars_order_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "CustomerChange" (shop, "customerGid")
    SELECT DISTINCT shop, "customerGid" FROM new_rows WHERE "customerGid" IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "CustomerChange" (shop, "customerGid")
    SELECT DISTINCT shop, "customerGid" FROM old_rows WHERE "customerGid" IS NOT NULL;
  ELSE
    INSERT INTO "CustomerChange" (shop, "customerGid")
    SELECT DISTINCT c.shop, c.gid FROM (VALUES (OLD.shop, OLD."customerGid"), (NEW.shop, NEW."customerGid")) c(shop, gid)
     WHERE c.gid IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "OrderRecord_rollups_insert" AFTER INSERT ON "OrderRecord"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "regulars_order_changes"();
CREATE TRIGGER "OrderRecord_rollups_delete" AFTER DELETE ON "OrderRecord"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "regulars_order_changes"();
CREATE TRIGGER "OrderRecord_rollups_update" AFTER UPDATE OF shop, "customerGid", "paidAt", "cancelledAt", test,
    "merchandiseMilli", "shippingMilli", "taxMilli", "tipsMilli"
  ON "OrderRecord" FOR EACH ROW
  WHEN (OLD.shop IS DISTINCT FROM NEW.shop OR OLD."customerGid" IS DISTINCT FROM NEW."customerGid"
        OR OLD."paidAt" IS DISTINCT FROM NEW."paidAt" OR OLD."cancelledAt" IS DISTINCT FROM NEW."cancelledAt"
        OR OLD.test IS DISTINCT FROM NEW.test OR OLD."merchandiseMilli" IS DISTINCT FROM NEW."merchandiseMilli"
        OR OLD."shippingMilli" IS DISTINCT FROM NEW."shippingMilli" OR OLD."taxMilli" IS DISTINCT FROM NEW."taxMilli"
        OR OLD."tipsMilli" IS DISTINCT FROM NEW."tipsMilli")
  EXECUTE FUNCTION "regulars_order_changes"();

CREATE TRIGGER "Redemption_rollups_insert" AFTER INSERT ON "Redemption"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "regulars_order_changes"();
CREATE TRIGGER "Redemption_rollups_delete" AFTER DELETE ON "Redemption"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "regulars_order_changes"();
CREATE TRIGGER "Redemption_rollups_update" AFTER UPDATE OF shop, "customerGid" ON "Redemption" FOR EACH ROW
  WHEN (OLD.shop IS DISTINCT FROM NEW.shop OR OLD."customerGid" IS DISTINCT FROM NEW."customerGid")
  EXECUTE FUNCTION "regulars_order_changes"();

-- A refund changes its order's revenue: its customer's figures.
CREATE FUNCTION "regulars_refund_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "CustomerChange" (shop, "customerGid")
    SELECT DISTINCT o.shop, o."customerGid" FROM new_rows r JOIN "OrderRecord" o ON o.id = r."orderId"
     WHERE o."customerGid" IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "CustomerChange" (shop, "customerGid")
    SELECT DISTINCT o.shop, o."customerGid" FROM old_rows r JOIN "OrderRecord" o ON o.id = r."orderId"
     WHERE o."customerGid" IS NOT NULL;
  ELSE
    INSERT INTO "CustomerChange" (shop, "customerGid")
    SELECT DISTINCT o.shop, o."customerGid" FROM "OrderRecord" o
     WHERE o.id IN (OLD."orderId", NEW."orderId") AND o."customerGid" IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "OrderRefund_rollups_insert" AFTER INSERT ON "OrderRefund"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "regulars_refund_changes"();
CREATE TRIGGER "OrderRefund_rollups_delete" AFTER DELETE ON "OrderRefund"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "regulars_refund_changes"();
CREATE TRIGGER "OrderRefund_rollups_update" AFTER UPDATE OF "orderId", "merchandiseMilli", "shippingMilli",
    "taxMilli", "tipsMilli"
  ON "OrderRefund" FOR EACH ROW
  WHEN (OLD."orderId" IS DISTINCT FROM NEW."orderId" OR OLD."merchandiseMilli" IS DISTINCT FROM NEW."merchandiseMilli"
        OR OLD."shippingMilli" IS DISTINCT FROM NEW."shippingMilli" OR OLD."taxMilli" IS DISTINCT FROM NEW."taxMilli"
        OR OLD."tipsMilli" IS DISTINCT FROM NEW."tipsMilli")
  EXECUTE FUNCTION "regulars_refund_changes"();
