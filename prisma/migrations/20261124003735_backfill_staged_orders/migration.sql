-- AlterTable
ALTER TABLE "BackfillRun" ADD COLUMN     "creditedThrough" TEXT,
ADD COLUMN     "fileReadAt" TIMESTAMP(3),
ADD COLUMN     "ordersRead" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "BackfillOrder" (
    "runId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "groupKey" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "snapshot" TEXT NOT NULL,

    CONSTRAINT "BackfillOrder_pkey" PRIMARY KEY ("runId","groupKey","line")
);

-- AddForeignKey
ALTER TABLE "BackfillOrder" ADD CONSTRAINT "BackfillOrder_runId_fkey" FOREIGN KEY ("runId") REFERENCES "BackfillRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- A run in progress under the previous code credited each batch as it read it: what it has
-- done so far was read too.
UPDATE "BackfillRun" SET "ordersRead" = "ordersDone";
