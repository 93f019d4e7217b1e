-- CreateEnum
CREATE TYPE "RewardType" AS ENUM ('FIXED_AMOUNT', 'PERCENTAGE', 'FREE_SHIPPING');

-- CreateEnum
CREATE TYPE "RedemptionStatus" AS ENUM ('RESERVED', 'ISSUED', 'FAILED', 'USED', 'REVOKED', 'EXPIRED');

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "returnPointsOnCancel" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "returnPointsOnExpiry" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "Reward" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "type" "RewardType" NOT NULL,
    "pointsCost" INTEGER NOT NULL,
    "amountMilli" BIGINT,
    "percentBps" INTEGER,
    "minimumSubtotalMilli" BIGINT,
    "codeLifetimeDays" INTEGER NOT NULL DEFAULT 30,
    "combinesWithOrder" BOOLEAN NOT NULL DEFAULT false,
    "combinesWithProduct" BOOLEAN NOT NULL DEFAULT false,
    "combinesWithShipping" BOOLEAN NOT NULL DEFAULT true,
    "tierKeys" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Reward_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Redemption" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "rewardKey" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "pointsCost" INTEGER NOT NULL,
    "status" "RedemptionStatus" NOT NULL DEFAULT 'RESERVED',
    "discountNodeId" TEXT,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "reward" JSONB NOT NULL,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimedUntil" TIMESTAMP(3),
    "usedOrderGid" TEXT,
    "usedAt" TIMESTAMP(3),
    "pointsReturnedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Redemption_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Reward_shop_key_key" ON "Reward"("shop", "key");

-- CreateIndex
CREATE INDEX "Redemption_shop_memberId_status_idx" ON "Redemption"("shop", "memberId", "status");

-- CreateIndex
CREATE INDEX "Redemption_shop_status_updatedAt_idx" ON "Redemption"("shop", "status", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_shop_idempotencyKey_key" ON "Redemption"("shop", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_shop_code_key" ON "Redemption"("shop", "code");

