-- Store credit as a reward, and "spend any amount" (issue 24): a reward type whose redemption credits the customer's
-- native store credit account (storeCreditAccountCredit) instead of creating a code, a final
-- redemption status for it, and the transaction Shopify created with its currency.

-- AlterEnum
ALTER TYPE "RewardType" ADD VALUE 'STORE_CREDIT';

-- AlterEnum
ALTER TYPE "RedemptionStatus" ADD VALUE 'CREDITED';

-- AlterTable
ALTER TABLE "Redemption" ADD COLUMN     "creditCurrency" TEXT,
ADD COLUMN     "creditTransactionId" TEXT;

-- "Spend any amount": a reward converts any multiple of its cost between these limits (null: fixed).
-- AlterTable
ALTER TABLE "Reward" ADD COLUMN     "anyAmountMaxPoints" INTEGER,
ADD COLUMN     "anyAmountMinPoints" INTEGER;
