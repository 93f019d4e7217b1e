-- Revenue from reward codes as a rollup (see 20261123190000_dashboard_rollups): each used
-- redemption with its order's revenue, kept by the fold from the orders whose code uses the
-- triggers mark changed. The order, refund and redemption triggers now each have their own
-- function, marking both the customer (retention) and, for an order bought with a code, the order.
-- The customers list's "newest" index carries the tier and last order, so "newest" filtered by
-- either walks the index alone (the tier-specific index of the last migration is not needed).

-- DropIndex
DROP INDEX "Member_shop_createdAt_id_idx";

-- DropIndex
DROP INDEX "Member_shop_tierKey_createdAt_id_idx";

-- AlterTable
ALTER TABLE "DashboardRollupState" ADD COLUMN     "codesBuiltAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "CodeUse" (
    "shop" TEXT NOT NULL,
    "redemptionId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "usedAt" TIMESTAMP(3) NOT NULL,
    "revenueMilli" BIGINT NOT NULL,
    "uses" INTEGER NOT NULL,

    CONSTRAINT "CodeUse_pkey" PRIMARY KEY ("shop","redemptionId")
);

-- CreateTable
CREATE TABLE "CodeOrderChange" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,

    CONSTRAINT "CodeOrderChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CodeUse_shop_usedAt_uses_revenueMilli_orderId_orderGid_idx" ON "CodeUse"("shop", "usedAt", "uses", "revenueMilli", "orderId", "orderGid");

-- CreateIndex
CREATE INDEX "CodeUse_shop_orderGid_idx" ON "CodeUse"("shop", "orderGid");

-- CreateIndex
CREATE INDEX "CodeOrderChange_shop_idx" ON "CodeOrderChange"("shop");

-- CreateIndex
CREATE INDEX "Member_shop_createdAt_id_tierKey_lastOrderAt_idx" ON "Member"("shop", "createdAt" DESC, "id", "tierKey", "lastOrderAt");

-- CreateIndex
CREATE INDEX "Redemption_shop_usedOrderGid_idx" ON "Redemption"("shop", "usedOrderGid");

-- Orders: their customer; and the order itself when a redemption names it.
CREATE FUNCTION "regulars_order_record_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "CustomerChange" (shop, "customerGid")
    SELECT DISTINCT shop, "customerGid" FROM new_rows WHERE "customerGid" IS NOT NULL;
    INSERT INTO "CodeOrderChange" (shop, "orderGid")
    SELECT DISTINCT n.shop, n."orderGid" FROM new_rows n
     WHERE EXISTS (SELECT 1 FROM "Redemption" d WHERE d.shop = n.shop AND d."usedOrderGid" = n."orderGid");
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "CustomerChange" (shop, "customerGid")
    SELECT DISTINCT shop, "customerGid" FROM old_rows WHERE "customerGid" IS NOT NULL;
    INSERT INTO "CodeOrderChange" (shop, "orderGid")
    SELECT DISTINCT o.shop, o."orderGid" FROM old_rows o
     WHERE EXISTS (SELECT 1 FROM "Redemption" d WHERE d.shop = o.shop AND d."usedOrderGid" = o."orderGid");
  ELSE
    INSERT INTO "CustomerChange" (shop, "customerGid")
    SELECT DISTINCT c.shop, c.gid FROM (VALUES (OLD.shop, OLD."customerGid"), (NEW.shop, NEW."customerGid")) c(shop, gid)
     WHERE c.gid IS NOT NULL;
    INSERT INTO "CodeOrderChange" (shop, "orderGid")
    SELECT DISTINCT c.shop, c.gid FROM (VALUES (OLD.shop, OLD."orderGid"), (NEW.shop, NEW."orderGid")) c(shop, gid)
     WHERE EXISTS (SELECT 1 FROM "Redemption" d WHERE d.shop = c.shop AND d."usedOrderGid" = c.gid);
  END IF;
  RETURN NULL;
END $$;

-- Refunds: their order's customer, and the order when a redemption names it.
CREATE OR REPLACE FUNCTION "regulars_refund_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "CustomerChange" (shop, "customerGid")
    SELECT DISTINCT o.shop, o."customerGid" FROM new_rows r JOIN "OrderRecord" o ON o.id = r."orderId"
     WHERE o."customerGid" IS NOT NULL;
    INSERT INTO "CodeOrderChange" (shop, "orderGid")
    SELECT DISTINCT o.shop, o."orderGid" FROM new_rows r JOIN "OrderRecord" o ON o.id = r."orderId"
     WHERE EXISTS (SELECT 1 FROM "Redemption" d WHERE d.shop = o.shop AND d."usedOrderGid" = o."orderGid");
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "CustomerChange" (shop, "customerGid")
    SELECT DISTINCT o.shop, o."customerGid" FROM old_rows r JOIN "OrderRecord" o ON o.id = r."orderId"
     WHERE o."customerGid" IS NOT NULL;
    INSERT INTO "CodeOrderChange" (shop, "orderGid")
    SELECT DISTINCT o.shop, o."orderGid" FROM old_rows r JOIN "OrderRecord" o ON o.id = r."orderId"
     WHERE EXISTS (SELECT 1 FROM "Redemption" d WHERE d.shop = o.shop AND d."usedOrderGid" = o."orderGid");
  ELSE
    INSERT INTO "CustomerChange" (shop, "customerGid")
    SELECT DISTINCT o.shop, o."customerGid" FROM "OrderRecord" o
     WHERE o.id IN (OLD."orderId", NEW."orderId") AND o."customerGid" IS NOT NULL;
    INSERT INTO "CodeOrderChange" (shop, "orderGid")
    SELECT DISTINCT o.shop, o."orderGid" FROM "OrderRecord" o
     WHERE o.id IN (OLD."orderId", NEW."orderId")
       AND EXISTS (SELECT 1 FROM "Redemption" d WHERE d.shop = o.shop AND d."usedOrderGid" = o."orderGid");
  END IF;
  RETURN NULL;
END $$;

-- Redemptions: their customer (a redemption makes a member), and the order they were used on.
CREATE FUNCTION "regulars_redemption_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "CustomerChange" (shop, "customerGid") SELECT DISTINCT shop, "customerGid" FROM new_rows;
    INSERT INTO "CodeOrderChange" (shop, "orderGid")
    SELECT DISTINCT shop, "usedOrderGid" FROM new_rows WHERE "usedOrderGid" IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "CustomerChange" (shop, "customerGid") SELECT DISTINCT shop, "customerGid" FROM old_rows;
    INSERT INTO "CodeOrderChange" (shop, "orderGid")
    SELECT DISTINCT shop, "usedOrderGid" FROM old_rows WHERE "usedOrderGid" IS NOT NULL;
  ELSE
    IF OLD.shop <> NEW.shop OR OLD."customerGid" <> NEW."customerGid" THEN
      INSERT INTO "CustomerChange" (shop, "customerGid")
      VALUES (OLD.shop, OLD."customerGid"), (NEW.shop, NEW."customerGid");
    END IF;
    INSERT INTO "CodeOrderChange" (shop, "orderGid")
    SELECT DISTINCT c.shop, c.gid FROM (VALUES (OLD.shop, OLD."usedOrderGid"), (NEW.shop, NEW."usedOrderGid")) c(shop, gid)
     WHERE c.gid IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;

DROP TRIGGER "OrderRecord_rollups_insert" ON "OrderRecord";
DROP TRIGGER "OrderRecord_rollups_delete" ON "OrderRecord";
DROP TRIGGER "OrderRecord_rollups_update" ON "OrderRecord";
DROP TRIGGER "Redemption_rollups_insert" ON "Redemption";
DROP TRIGGER "Redemption_rollups_delete" ON "Redemption";
DROP TRIGGER "Redemption_rollups_update" ON "Redemption";
DROP FUNCTION "regulars_order_changes"();

CREATE TRIGGER "OrderRecord_rollups_insert" AFTER INSERT ON "OrderRecord"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "regulars_order_record_changes"();
CREATE TRIGGER "OrderRecord_rollups_delete" AFTER DELETE ON "OrderRecord"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "regulars_order_record_changes"();
CREATE TRIGGER "OrderRecord_rollups_update" AFTER UPDATE OF shop, "orderGid", "customerGid", "paidAt", "cancelledAt",
    test, "merchandiseMilli", "shippingMilli", "taxMilli", "tipsMilli"
  ON "OrderRecord" FOR EACH ROW
  WHEN (OLD.shop IS DISTINCT FROM NEW.shop OR OLD."orderGid" IS DISTINCT FROM NEW."orderGid"
        OR OLD."customerGid" IS DISTINCT FROM NEW."customerGid"
        OR OLD."paidAt" IS DISTINCT FROM NEW."paidAt" OR OLD."cancelledAt" IS DISTINCT FROM NEW."cancelledAt"
        OR OLD.test IS DISTINCT FROM NEW.test OR OLD."merchandiseMilli" IS DISTINCT FROM NEW."merchandiseMilli"
        OR OLD."shippingMilli" IS DISTINCT FROM NEW."shippingMilli" OR OLD."taxMilli" IS DISTINCT FROM NEW."taxMilli"
        OR OLD."tipsMilli" IS DISTINCT FROM NEW."tipsMilli")
  EXECUTE FUNCTION "regulars_order_record_changes"();

CREATE TRIGGER "Redemption_rollups_insert" AFTER INSERT ON "Redemption"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "regulars_redemption_changes"();
CREATE TRIGGER "Redemption_rollups_delete" AFTER DELETE ON "Redemption"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "regulars_redemption_changes"();
CREATE TRIGGER "Redemption_rollups_update" AFTER UPDATE OF shop, "customerGid", status, "usedAt", "usedOrderGid"
  ON "Redemption" FOR EACH ROW
  WHEN (OLD.shop IS DISTINCT FROM NEW.shop OR OLD."customerGid" IS DISTINCT FROM NEW."customerGid"
        OR OLD.status IS DISTINCT FROM NEW.status OR OLD."usedAt" IS DISTINCT FROM NEW."usedAt"
        OR OLD."usedOrderGid" IS DISTINCT FROM NEW."usedOrderGid")
  EXECUTE FUNCTION "regulars_redemption_changes"();
