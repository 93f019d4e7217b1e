-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "earnOnPos" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "OrderRecord" ADD COLUMN     "guestEmail" TEXT,
ADD COLUMN     "name" TEXT,
ADD COLUMN     "sourceName" TEXT;

-- CreateIndex
CREATE INDEX "OrderRecord_shop_guestEmail_idx" ON "OrderRecord"("shop", "guestEmail");

