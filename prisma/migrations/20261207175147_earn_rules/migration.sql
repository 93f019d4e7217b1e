-- CreateEnum
CREATE TYPE "EarnLimit" AS ENUM ('ONCE', 'YEARLY', 'UNLIMITED');

-- AlterTable
ALTER TABLE "LedgerEntry" ADD COLUMN     "action" TEXT;

-- CreateTable
CREATE TABLE "EarnRule" (
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "points" INTEGER NOT NULL,
    "limit" "EarnLimit" NOT NULL DEFAULT 'ONCE',
    "url" TEXT,
    "enabledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EarnRule_pkey" PRIMARY KEY ("shop","key")
);

-- CreateTable
CREATE TABLE "ActionApiSecret" (
    "shop" TEXT NOT NULL,
    "sealedSecret" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ActionApiSecret_pkey" PRIMARY KEY ("shop")
);

-- CreateIndex
CREATE INDEX "LedgerEntry_shop_memberId_action_idx" ON "LedgerEntry"("shop", "memberId", "action");

-- CreateIndex
CREATE INDEX "LedgerEntry_shop_action_occurredAt_idx" ON "LedgerEntry"("shop", "action", "occurredAt");


-- The awards before this migration: account created and birthday entries name their way to earn
-- too, so the dashboard's points per way to earn and each rule's limit see them. (The flows
-- trigger counts an update as its old flows out and its new ones in: no change.)
UPDATE "LedgerEntry" SET "action" = 'signup' WHERE kind = 'BONUS' AND "sourceKey" LIKE 'bonus:signup:%';
UPDATE "LedgerEntry" SET "action" = 'birthday' WHERE kind = 'BONUS' AND "sourceKey" LIKE 'bonus:birthday:%';
