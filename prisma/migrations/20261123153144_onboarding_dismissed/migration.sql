-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "onboardingDismissedAt" TIMESTAMP(3);

