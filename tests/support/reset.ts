import type { PrismaClient } from "@prisma/client";

/** Empties the loyalty tables of this test file's database (children first). */
export async function resetLoyaltyData(prisma: PrismaClient): Promise<void> {
  for (const table of [
    "LedgerEntry",
    "Member",
    "OrderRefund",
    "OrderRecord",
    "WebhookDelivery",
    "DataRequest",
    "Tier",
    "Program",
    "EarnRule",
    "ActionApiSecret",
  ]) {
    await prisma.$executeRawUnsafe(`DELETE FROM "${table}"`);
  }
}
