-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "creditCurrency" TEXT,
ADD COLUMN     "creditReadAt" TIMESTAMP(3),
ADD COLUMN     "storeCreditMilli" BIGINT;

