-- CreateEnum
CREATE TYPE "CampaignOfferType" AS ENUM ('PERCENTAGE', 'FIXED_AMOUNT');

-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('RUNNING', 'DONE', 'CANCELLED');

-- CreateEnum
CREATE TYPE "RecipientStatus" AS ENUM ('PENDING', 'ISSUED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "inactiveDays" INTEGER NOT NULL,
    "minOrders" INTEGER NOT NULL,
    "offerType" "CampaignOfferType" NOT NULL,
    "percentBps" INTEGER,
    "amountMilli" BIGINT,
    "minimumSubtotalMilli" BIGINT,
    "validDays" INTEGER NOT NULL,
    "status" "CampaignStatus" NOT NULL DEFAULT 'RUNNING',
    "recipientCount" INTEGER NOT NULL,
    "launchedAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "cancelledAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignRecipient" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "status" "RecipientStatus" NOT NULL DEFAULT 'PENDING',
    "discountNodeId" TEXT,
    "taggedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimedUntil" TIMESTAMP(3),
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CampaignRecipient_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Campaign_shop_launchedAt_idx" ON "Campaign"("shop", "launchedAt");

-- CreateIndex
CREATE INDEX "Campaign_shop_status_idx" ON "Campaign"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_shop_idempotencyKey_key" ON "Campaign"("shop", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_shop_tag_key" ON "Campaign"("shop", "tag");

-- CreateIndex
CREATE INDEX "CampaignRecipient_shop_campaignId_status_idx" ON "CampaignRecipient"("shop", "campaignId", "status");

-- CreateIndex
CREATE INDEX "CampaignRecipient_shop_customerGid_idx" ON "CampaignRecipient"("shop", "customerGid");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignRecipient_shop_campaignId_customerGid_key" ON "CampaignRecipient"("shop", "campaignId", "customerGid");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignRecipient_shop_code_key" ON "CampaignRecipient"("shop", "code");

-- AddForeignKey
ALTER TABLE "CampaignRecipient" ADD CONSTRAINT "CampaignRecipient_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

