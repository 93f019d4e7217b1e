-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "proxyPathPrefix" TEXT;

