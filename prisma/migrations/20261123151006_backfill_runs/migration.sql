-- CreateEnum
CREATE TYPE "BackfillStatus" AS ENUM ('PENDING', 'QUERYING', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "BackfillRun" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "fromDate" TIMESTAMP(3) NOT NULL,
    "toDate" TIMESTAMP(3) NOT NULL,
    "status" "BackfillStatus" NOT NULL DEFAULT 'PENDING',
    "activeSlot" TEXT DEFAULT 'active',
    "bulkOperationId" TEXT,
    "resultUrl" TEXT,
    "partial" BOOLEAN NOT NULL DEFAULT false,
    "ordersTotal" INTEGER,
    "linesDone" INTEGER NOT NULL DEFAULT 0,
    "bytesDone" BIGINT NOT NULL DEFAULT 0,
    "ordersDone" INTEGER NOT NULL DEFAULT 0,
    "ordersCredited" INTEGER NOT NULL DEFAULT 0,
    "pointsAwarded" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "cancelRequestedAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BackfillRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BackfillRun_shop_startedAt_idx" ON "BackfillRun"("shop", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "BackfillRun_shop_activeSlot_key" ON "BackfillRun"("shop", "activeSlot");

