-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "proxyPathPrefix" TEXT;

-- Shopify's copy of every program needs the facts added with this column (proxyPath,
-- earnRateE4, includesTax, includesGiftCards) and the boolean loyalty.active metafield the
-- Earn points block's available_if now reads: the reconcile job syncs each installed shop's
-- program within a minute.
UPDATE "Program" SET "syncVersion" = "syncVersion" + 1;
