-- The tax on shipping, recorded apart so that shops whose prices include tax take only the
-- merchandise's tax out of merchandise; and what a refund gave back beyond (or short of) its line
-- items and shipping: an amount refunded without line items (its order adjustments).
-- AlterTable
ALTER TABLE "OrderRecord" ADD COLUMN     "shippingTaxMilli" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "OrderRefund" ADD COLUMN     "byAmountMilli" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "shippingTaxMilli" BIGINT NOT NULL DEFAULT 0;

