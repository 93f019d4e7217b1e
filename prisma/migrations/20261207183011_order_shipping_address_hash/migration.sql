-- AlterTable
ALTER TABLE "OrderRecord" ADD COLUMN     "shippingAddressHash" TEXT;

