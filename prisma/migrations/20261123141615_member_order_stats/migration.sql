-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "lastOrderAt" TIMESTAMP(3),
ADD COLUMN     "orderCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "totalSpentMilli" BIGINT NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Member_shop_balance_id_idx" ON "Member"("shop", "balance", "id");

-- CreateIndex
CREATE INDEX "Member_shop_totalSpentMilli_id_idx" ON "Member"("shop", "totalSpentMilli", "id");

-- CreateIndex
CREATE INDEX "Member_shop_lastOrderAt_id_idx" ON "Member"("shop", "lastOrderAt", "id");


-- Existing members: their figures from the orders already recorded.
UPDATE "Member" m
   SET "orderCount" = s.orders, "totalSpentMilli" = s.spent, "lastOrderAt" = s.last_order
  FROM (
    SELECT o.shop, o."customerGid", count(*)::int AS orders, max(o."paidAt") AS last_order,
           sum(o."merchandiseMilli" + o."shippingMilli" + o."taxMilli" + o."tipsMilli"
               - COALESCE((SELECT sum(r."merchandiseMilli" + r."shippingMilli" + r."taxMilli" + r."tipsMilli")
                             FROM "OrderRefund" r WHERE r."orderId" = o.id), 0))::bigint AS spent
      FROM "OrderRecord" o
     WHERE o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL AND NOT o.test AND o."customerGid" IS NOT NULL
     GROUP BY o.shop, o."customerGid"
  ) s
 WHERE m.shop = s.shop AND m."customerGid" = s."customerGid";
