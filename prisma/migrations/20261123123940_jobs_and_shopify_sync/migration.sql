-- CreateEnum
CREATE TYPE "RedemptionSource" AS ENUM ('SHOPPER', 'STAFF', 'TIER_ENTRY');

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "syncVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "syncedVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "tierTagPrefix" TEXT NOT NULL DEFAULT 'Regulars ';

-- AlterTable
ALTER TABLE "Tier" ADD COLUMN     "entryRewardKey" TEXT;

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "tierTag" TEXT;

-- AlterTable
ALTER TABLE "Redemption" ADD COLUMN     "source" "RedemptionSource" NOT NULL DEFAULT 'SHOPPER',
ADD COLUMN     "staffId" TEXT;

-- CreateTable
CREATE TABLE "FlowEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FlowEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FlowEvent_shop_sentAt_createdAt_idx" ON "FlowEvent"("shop", "sentAt", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "FlowEvent_shop_dedupeKey_key" ON "FlowEvent"("shop", "dedupeKey");

