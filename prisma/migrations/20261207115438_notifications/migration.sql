-- CreateTable
CREATE TABLE "NotificationSettings" (
    "shop" TEXT NOT NULL,
    "smtpHost" TEXT NOT NULL,
    "smtpPort" INTEGER NOT NULL,
    "smtpSecure" BOOLEAN NOT NULL DEFAULT true,
    "smtpUsername" TEXT NOT NULL DEFAULT '',
    "smtpPasswordSealed" TEXT NOT NULL DEFAULT '',
    "fromAddress" TEXT NOT NULL,
    "defaultLocale" TEXT NOT NULL DEFAULT 'en',
    "pointsEarned" BOOLEAN NOT NULL DEFAULT false,
    "rewardReady" BOOLEAN NOT NULL DEFAULT false,
    "pointsExpiring" BOOLEAN NOT NULL DEFAULT false,
    "tierReached" BOOLEAN NOT NULL DEFAULT false,
    "enabledSince" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NotificationSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "NotificationContact" (
    "shop" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "consentState" TEXT,
    "locale" TEXT,
    "unsubscribedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NotificationContact_pkey" PRIMARY KEY ("shop","customerGid")
);

-- CreateTable
CREATE TABLE "NotificationEmail" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "flowEventId" TEXT NOT NULL,
    "customerGid" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "reason" TEXT,
    "toAddress" TEXT,
    "locale" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NotificationEmail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "NotificationEmail_shop_status_createdAt_idx" ON "NotificationEmail"("shop", "status", "createdAt");

-- CreateIndex
CREATE INDEX "NotificationEmail_shop_customerGid_idx" ON "NotificationEmail"("shop", "customerGid");

-- CreateIndex
CREATE UNIQUE INDEX "NotificationEmail_shop_flowEventId_key" ON "NotificationEmail"("shop", "flowEventId");

