-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "excludedTags" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "OrderRecord" ADD COLUMN     "b2b" BOOLEAN NOT NULL DEFAULT false;
