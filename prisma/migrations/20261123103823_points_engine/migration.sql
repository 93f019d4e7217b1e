-- CreateEnum
CREATE TYPE "TierBasis" AS ENUM ('SPEND', 'POINTS', 'ORDERS');

-- CreateEnum
CREATE TYPE "TierWindow" AS ENUM ('ROLLING_12_MONTHS', 'CALENDAR_YEAR', 'LIFETIME');

-- CreateEnum
CREATE TYPE "LedgerKind" AS ENUM ('EARN', 'RELEASE', 'REVERSE', 'REDEEM', 'REDEEM_REFUND', 'EXPIRE', 'ADJUST', 'BONUS');

-- CreateTable
CREATE TABLE "Program" (
    "shop" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "earnRateE4" INTEGER NOT NULL DEFAULT 50000,
    "includeShipping" BOOLEAN NOT NULL DEFAULT false,
    "includeTax" BOOLEAN NOT NULL DEFAULT false,
    "includeTips" BOOLEAN NOT NULL DEFAULT false,
    "includeGiftCards" BOOLEAN NOT NULL DEFAULT false,
    "pendingDays" INTEGER NOT NULL DEFAULT 0,
    "expiryMonths" INTEGER,
    "expiryWarningDays" INTEGER NOT NULL DEFAULT 30,
    "tierBasis" "TierBasis" NOT NULL DEFAULT 'SPEND',
    "tierWindow" "TierWindow" NOT NULL DEFAULT 'ROLLING_12_MONTHS',
    "tierGrace" BOOLEAN NOT NULL DEFAULT true,
    "signupBonus" INTEGER NOT NULL DEFAULT 0,
    "birthdayBonus" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Program_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "Tier" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "threshold" BIGINT NOT NULL,
    "multiplierE4" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Tier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Member" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "email" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "accountState" TEXT,
    "balance" INTEGER NOT NULL DEFAULT 0,
    "pending" INTEGER NOT NULL DEFAULT 0,
    "tierKey" TEXT,
    "tierHeldUntil" TIMESTAMP(3),
    "tierChangedAt" TIMESTAMP(3),
    "lastActivityAt" TIMESTAMP(3),
    "expiryWarnedAt" TIMESTAMP(3),
    "birthdayMonth" INTEGER,
    "birthdayDay" INTEGER,
    "birthdaySetAt" TIMESTAMP(3),
    "lastBirthdayYear" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "kind" "LedgerKind" NOT NULL,
    "points" INTEGER NOT NULL,
    "pendingPoints" INTEGER NOT NULL DEFAULT 0,
    "balanceAfter" INTEGER NOT NULL,
    "pendingAfter" INTEGER NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "orderGid" TEXT,
    "rateE4" INTEGER,
    "multiplierE4" INTEGER,
    "note" TEXT,
    "staffId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderRecord" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderGid" TEXT NOT NULL,
    "customerGid" TEXT,
    "currency" TEXT,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "taxesIncluded" BOOLEAN NOT NULL DEFAULT false,
    "snapshotAt" TIMESTAMP(3),
    "merchandiseMilli" BIGINT NOT NULL DEFAULT 0,
    "giftCardsMilli" BIGINT NOT NULL DEFAULT 0,
    "shippingMilli" BIGINT NOT NULL DEFAULT 0,
    "taxMilli" BIGINT NOT NULL DEFAULT 0,
    "tipsMilli" BIGINT NOT NULL DEFAULT 0,
    "paidAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "awardedAt" TIMESTAMP(3),
    "rateE4" INTEGER,
    "multiplierE4" INTEGER,
    "includeShipping" BOOLEAN NOT NULL DEFAULT false,
    "includeTax" BOOLEAN NOT NULL DEFAULT false,
    "includeTips" BOOLEAN NOT NULL DEFAULT false,
    "includeGiftCards" BOOLEAN NOT NULL DEFAULT false,
    "netEligibleMilli" BIGINT NOT NULL DEFAULT 0,
    "points" INTEGER NOT NULL DEFAULT 0,
    "pendingPoints" INTEGER NOT NULL DEFAULT 0,
    "releaseAt" TIMESTAMP(3),
    "releasedAt" TIMESTAMP(3),
    "discountCodes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderRefund" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "refundGid" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "merchandiseMilli" BIGINT NOT NULL DEFAULT 0,
    "giftCardsMilli" BIGINT NOT NULL DEFAULT 0,
    "shippingMilli" BIGINT NOT NULL DEFAULT 0,
    "taxMilli" BIGINT NOT NULL DEFAULT 0,
    "tipsMilli" BIGINT NOT NULL DEFAULT 0,
    "refundedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrderRefund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "eventId" TEXT,
    "apiVersion" TEXT,
    "triggeredAt" TIMESTAMP(3),
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),
    "outcome" TEXT NOT NULL DEFAULT 'received',
    "detail" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataRequest" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "data" JSONB NOT NULL,

    CONSTRAINT "DataRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Tier_shop_position_idx" ON "Tier"("shop", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Tier_shop_key_key" ON "Tier"("shop", "key");

-- CreateIndex
CREATE INDEX "Member_shop_email_idx" ON "Member"("shop", "email");

-- CreateIndex
CREATE UNIQUE INDEX "Member_shop_customerGid_key" ON "Member"("shop", "customerGid");

-- CreateIndex
CREATE INDEX "LedgerEntry_shop_memberId_id_idx" ON "LedgerEntry"("shop", "memberId", "id");

-- CreateIndex
CREATE INDEX "LedgerEntry_shop_orderGid_idx" ON "LedgerEntry"("shop", "orderGid");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEntry_shop_sourceKey_key" ON "LedgerEntry"("shop", "sourceKey");

-- CreateIndex
CREATE INDEX "OrderRecord_shop_customerGid_paidAt_idx" ON "OrderRecord"("shop", "customerGid", "paidAt");

-- CreateIndex
CREATE INDEX "OrderRecord_shop_releaseAt_idx" ON "OrderRecord"("shop", "releaseAt");

-- CreateIndex
CREATE UNIQUE INDEX "OrderRecord_shop_orderGid_key" ON "OrderRecord"("shop", "orderGid");

-- CreateIndex
CREATE UNIQUE INDEX "OrderRefund_shop_refundGid_key" ON "OrderRefund"("shop", "refundGid");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_receivedAt_idx" ON "WebhookDelivery"("shop", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_shop_webhookId_key" ON "WebhookDelivery"("shop", "webhookId");

-- CreateIndex
CREATE INDEX "DataRequest_shop_requestedAt_idx" ON "DataRequest"("shop", "requestedAt");

-- AddForeignKey
ALTER TABLE "Tier" ADD CONSTRAINT "Tier_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Program"("shop") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderRefund" ADD CONSTRAINT "OrderRefund_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "OrderRecord"("id") ON DELETE CASCADE ON UPDATE CASCADE;

