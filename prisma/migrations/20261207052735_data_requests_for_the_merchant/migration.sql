-- Data requests reach the merchant: they wait (one per customer) until marked delivered, and
-- the download is built when asked for, so the copy taken on arrival is no longer kept.
ALTER TABLE "DataRequest" DROP COLUMN "data",
ADD COLUMN     "deliveredAt" TIMESTAMP(3),
ADD COLUMN     "deliveredBy" TEXT,
ADD COLUMN     "waitingFor" TEXT;

-- Requests recorded before this were never shown to anyone: they all wait now, the earliest of
-- each customer's (its 30 days started first); later copies of it go.
UPDATE "DataRequest" SET "waitingFor" = "customerGid"
WHERE "id" IN (
  SELECT DISTINCT ON ("shop", "customerGid") "id" FROM "DataRequest"
  ORDER BY "shop", "customerGid", "requestedAt" ASC, "id" ASC
);
DELETE FROM "DataRequest" WHERE "waitingFor" IS NULL;

-- CreateIndex
CREATE INDEX "DataRequest_shop_customerGid_idx" ON "DataRequest"("shop", "customerGid");

-- CreateIndex
CREATE UNIQUE INDEX "DataRequest_shop_waitingFor_key" ON "DataRequest"("shop", "waitingFor");
