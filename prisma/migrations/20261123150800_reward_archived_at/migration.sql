-- AlterTable
ALTER TABLE "Reward" ADD COLUMN     "archivedAt" TIMESTAMP(3);

