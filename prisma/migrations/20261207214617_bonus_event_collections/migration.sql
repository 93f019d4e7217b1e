-- AlterTable
ALTER TABLE "OrderRecord" ADD COLUMN     "eventLinesMilli" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "eventQualifyingMilli" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "lineAmounts" JSONB;

-- AlterTable
ALTER TABLE "BonusEvent" ADD COLUMN     "collections" JSONB NOT NULL DEFAULT '[]';

