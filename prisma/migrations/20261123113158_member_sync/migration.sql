-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "syncClaimedUntil" TIMESTAMP(3),
ADD COLUMN     "syncError" TEXT,
ADD COLUMN     "syncVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "syncedVersion" INTEGER NOT NULL DEFAULT 0;

