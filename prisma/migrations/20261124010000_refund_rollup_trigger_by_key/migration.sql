-- The refunds' orders are read by primary key. Joined to a transition table (which has no
-- statistics), the planner scanned every order of every shop once per statement: a backfill batch
-- with a few refunds took longer the more orders were already recorded. Same changes recorded as
-- 20261123193000_dashboard_code_rollup's version.
CREATE OR REPLACE FUNCTION "regulars_refund_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  order_ids text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    order_ids := ARRAY(SELECT DISTINCT r."orderId" FROM new_rows r);
  ELSIF TG_OP = 'DELETE' THEN
    order_ids := ARRAY(SELECT DISTINCT r."orderId" FROM old_rows r);
  ELSE
    order_ids := ARRAY[OLD."orderId", NEW."orderId"];
  END IF;
  INSERT INTO "CustomerChange" (shop, "customerGid")
  SELECT DISTINCT o.shop, o."customerGid" FROM "OrderRecord" o
   WHERE o.id = ANY (order_ids) AND o."customerGid" IS NOT NULL;
  INSERT INTO "CodeOrderChange" (shop, "orderGid")
  SELECT DISTINCT o.shop, o."orderGid" FROM "OrderRecord" o
   WHERE o.id = ANY (order_ids)
     AND EXISTS (SELECT 1 FROM "Redemption" d WHERE d.shop = o.shop AND d."usedOrderGid" = o."orderGid");
  RETURN NULL;
END $$;
