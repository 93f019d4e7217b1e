-- AlterEnum
ALTER TYPE "RedemptionSource" ADD VALUE 'REFERRAL';

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "referralRewardKey" TEXT;

-- AlterTable
ALTER TABLE "Referral" ADD COLUMN     "rewardKey" TEXT;

