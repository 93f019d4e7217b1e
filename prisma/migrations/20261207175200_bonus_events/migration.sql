-- CreateEnum
CREATE TYPE "BonusEventKind" AS ENUM ('MULTIPLIER', 'FIXED');

-- AlterTable
ALTER TABLE "OrderRecord" ADD COLUMN     "bonusEventId" TEXT,
ADD COLUMN     "eventBaseMilli" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "eventFixedPoints" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "eventMultiplierE4" INTEGER NOT NULL DEFAULT 10000,
ADD COLUMN     "eventPoints" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "BonusEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "startsOn" TEXT NOT NULL,
    "endsOn" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "kind" "BonusEventKind" NOT NULL,
    "multiplierE4" INTEGER,
    "fixedPoints" INTEGER,
    "endedEarlyAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BonusEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BonusEvent_shop_endsAt_idx" ON "BonusEvent"("shop", "endsAt");

-- CreateIndex
CREATE INDEX "OrderRecord_shop_bonusEventId_idx" ON "OrderRecord"("shop", "bonusEventId");

