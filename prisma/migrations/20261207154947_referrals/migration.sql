-- CreateEnum
CREATE TYPE "ReferralStatus" AS ENUM ('ISSUED', 'ORDERED', 'HELD', 'PAID', 'REJECTED', 'VOID');

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "refereePercent" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "referralCheckAddress" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "referralCheckCard" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "referralCheckNew" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "referralCheckSelf" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "referralMonthlyCap" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "referralsEnabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "referrerPoints" INTEGER NOT NULL DEFAULT 500;

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "referralCode" TEXT;

-- CreateTable
CREATE TABLE "Referral" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "referrerId" TEXT NOT NULL,
    "refereeEmail" TEXT NOT NULL,
    "refereeCustomerGid" TEXT,
    "code" TEXT NOT NULL,
    "discountGid" TEXT,
    "codeError" TEXT,
    "status" "ReferralStatus" NOT NULL DEFAULT 'ISSUED',
    "orderGid" TEXT,
    "orderedAt" TIMESTAMP(3),
    "revenueMilli" BIGINT NOT NULL DEFAULT 0,
    "holdReasons" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "decisionNote" TEXT,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "rewardPoints" INTEGER NOT NULL DEFAULT 0,
    "paidAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Referral_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferralVisit" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "referrerId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReferralVisit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Referral_shop_status_idx" ON "Referral"("shop", "status");

-- CreateIndex
CREATE INDEX "Referral_shop_referrerId_paidAt_idx" ON "Referral"("shop", "referrerId", "paidAt");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_shop_refereeEmail_key" ON "Referral"("shop", "refereeEmail");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_shop_code_key" ON "Referral"("shop", "code");

-- CreateIndex
CREATE INDEX "ReferralVisit_shop_createdAt_idx" ON "ReferralVisit"("shop", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Member_shop_referralCode_key" ON "Member"("shop", "referralCode");


-- Referrals find their first order by its discount code (app/db/referrals.server.ts,
-- firstOrdersWithCodes): only orders that used a code, a small part of a shop's orders, are read.
-- A partial index, which the schema cannot say (docs/development.md, "Adding a migration").
CREATE INDEX "OrderRecord_shop_with_codes_idx" ON "OrderRecord"("shop") WHERE "discountCodes" <> '{}';
